// Key bindings of the statistics screen, in one table: the screen asks statsCommand() what a key
// means and the footer is generated from the same rows. (Kept beside the screen so the shared
// table in src/ui/keys.ts can take these rows over as they are.)
import type { Key } from 'ink';

export type StatsCommand = 'next' | 'prev' | 'jump' | 'up' | 'down' | 'pageUp' | 'pageDown' | 'refresh' | 'quit';

export interface StatsBinding {
  command: StatsCommand;
  /** How the keys are written in the footer ('' = not shown). */
  label: string;
  help: string;
  match: (input: string, key: Key) => boolean;
}

const plain = (key: Key) => !key.ctrl && !key.meta;

export const STATS_BINDINGS: readonly StatsBinding[] = [
  { command: 'next', label: '←→/Tab', help: 'section', match: (i, k) => k.rightArrow || (k.tab && !k.shift) || (i === 'l' && plain(k)) },
  { command: 'prev', label: '', help: '', match: (i, k) => k.leftArrow || (k.tab && k.shift) || (i === 'h' && plain(k)) },
  { command: 'jump', label: '1–9', help: 'jump', match: (i, k) => /^[1-9]$/.test(i) && plain(k) },
  { command: 'up', label: '↑↓', help: 'scroll', match: (i, k) => k.upArrow || (i === 'k' && plain(k)) },
  { command: 'down', label: '', help: '', match: (i, k) => k.downArrow || (i === 'j' && plain(k)) },
  { command: 'pageUp', label: '', help: '', match: (_i, k) => k.pageUp },
  { command: 'pageDown', label: '', help: '', match: (i, k) => k.pageDown || (i === ' ' && plain(k)) },
  { command: 'refresh', label: 'r', help: 'refresh', match: (i, k) => i === 'r' && plain(k) },
  { command: 'quit', label: 'q', help: 'quit', match: (i, k) => (i === 'q' && plain(k)) || k.escape },
];

export function statsCommand(input: string, key: Key): StatsCommand | undefined {
  return STATS_BINDINGS.find((b) => b.match(input, key))?.command;
}

export function statsFooterItems(opts: { scrollable: boolean }): { label: string; help: string }[] {
  return STATS_BINDINGS.filter((b) => b.label && (b.command !== 'up' || opts.scrollable)).map((b) => ({ label: b.label, help: b.help }));
}

// Every key binding of the program, in one table. Screens ask `commandFor()` what a key press
// means on them, and the help footer is generated from the same table, so the two cannot disagree.
import type { Key } from 'ink';

/** Where the user is: a screen, or a phase of the review screen. */
export type KeyContext =
  | 'home'
  | 'question'
  | 'answer'
  | 'waiting'
  | 'empty'
  | 'summary'
  /** Typing the answer of a numeric exercise: printable keys are text. */
  | 'exercise'
  /** An exercise was checked: grade, the suggested grade on Enter. */
  | 'exerciseAnswer';

export type Command =
  | 'up'
  | 'down'
  | 'openDeck'
  | 'reviewAll'
  | 'reveal'
  | 'grade1'
  | 'grade2'
  | 'grade3'
  | 'grade4'
  | 'gradeSuggested'
  | 'submit'
  | 'type'
  | 'erase'
  | 'undo'
  | 'suspend'
  | 'stats'
  | 'skip'
  | 'scrollUp'
  | 'scrollDown'
  | 'pageUp'
  | 'pageDown'
  | 'endSession'
  | 'home'
  | 'quit';

type NamedKey = 'upArrow' | 'downArrow' | 'return' | 'escape' | 'pageUp' | 'pageDown' | 'space' | 'backspace' | 'any' | 'text';

export interface KeySpec {
  /** A printable key, e.g. 'q', '1'. */
  input?: string;
  /**
   * A named key. 'any' matches every key not bound otherwise on the same screen; 'text' every
   * printable character not bound otherwise.
   */
  key?: NamedKey;
}

/** What the footer knows about the screen, to show only what works right now. */
export interface FooterState {
  canUndo?: boolean;
  scrollable?: boolean;
  hasDecks?: boolean;
  /** The statistics screen can be opened from here. */
  hasStats?: boolean;
  /** Nothing typed yet in the exercise input. */
  inputEmpty?: boolean;
  /** A checked exercise suggests a grade. */
  hasSuggestion?: boolean;
}

export interface Binding {
  command: Command;
  keys: KeySpec[];
  /** How the keys are written in the footer. */
  label: string;
  /** What the command does, in a few words. */
  help: string;
  contexts: KeyContext[];
  /** Shown in the footer (default true). The grade keys have their own bar with the intervals. */
  footer?: boolean;
  /** Shown in the footer only when this holds. */
  when?: (s: FooterState) => boolean;
}

const scrollable = (s: FooterState) => !!s.scrollable;

export const BINDINGS: readonly Binding[] = [
  // home
  { command: 'up', keys: [{ key: 'upArrow' }, { input: 'k' }], label: '↑↓/jk', help: 'move', contexts: ['home'], when: (s) => !!s.hasDecks },
  { command: 'down', keys: [{ key: 'downArrow' }, { input: 'j' }], label: '', help: '', contexts: ['home'], footer: false },
  { command: 'openDeck', keys: [{ key: 'return' }], label: 'Enter', help: 'review deck', contexts: ['home'], when: (s) => !!s.hasDecks },
  { command: 'reviewAll', keys: [{ input: 'a' }], label: 'a', help: 'review all decks', contexts: ['home'], when: (s) => !!s.hasDecks },
  { command: 'stats', keys: [{ input: 's' }], label: 's', help: 'statistics', contexts: ['home'], when: (s) => !!s.hasDecks && !!s.hasStats },
  { command: 'quit', keys: [{ input: 'q' }], label: 'q', help: 'quit', contexts: ['home'] },
  { command: 'quit', keys: [{ key: 'escape' }], label: 'Esc', help: 'quit', contexts: ['home'], footer: false },

  // review
  { command: 'reveal', keys: [{ key: 'space' }, { key: 'return' }], label: 'Space', help: 'show answer', contexts: ['question'] },
  { command: 'submit', keys: [{ key: 'return' }], label: 'Enter', help: 'check', contexts: ['exercise'] },
  { command: 'skip', keys: [{ key: 'escape' }], label: 'Esc', help: 'show solution', contexts: ['exercise'] },
  { command: 'erase', keys: [{ key: 'backspace' }], label: '⌫', help: 'erase', contexts: ['exercise'], footer: false },
  { command: 'type', keys: [{ key: 'text' }], label: '', help: 'type the answer', contexts: ['exercise'], footer: false },
  { command: 'grade1', keys: [{ input: '1' }], label: '1', help: 'Again', contexts: ['answer', 'exerciseAnswer'], footer: false },
  { command: 'grade2', keys: [{ input: '2' }], label: '2', help: 'Hard', contexts: ['answer', 'exerciseAnswer'], footer: false },
  { command: 'grade3', keys: [{ input: '3' }, { key: 'space' }, { key: 'return' }], label: '3', help: 'Good', contexts: ['answer'], footer: false },
  { command: 'grade3', keys: [{ input: '3' }], label: '3', help: 'Good', contexts: ['exerciseAnswer'], footer: false },
  { command: 'grade4', keys: [{ input: '4' }], label: '4', help: 'Easy', contexts: ['answer', 'exerciseAnswer'], footer: false },
  { command: 'gradeSuggested', keys: [{ key: 'return' }], label: 'Enter', help: 'suggested grade', contexts: ['exerciseAnswer'], when: (s) => !!s.hasSuggestion },
  { command: 'suspend', keys: [{ input: 's' }], label: 's', help: 'suspend', contexts: ['answer', 'exerciseAnswer'] },
  { command: 'undo', keys: [{ input: 'u' }], label: 'u', help: 'undo', contexts: ['question', 'answer', 'exerciseAnswer', 'waiting', 'empty'], when: (s) => !!s.canUndo },
  // While typing an answer, u undoes only before anything is typed (then it is text: see Review).
  { command: 'undo', keys: [{ input: 'u' }], label: 'u', help: 'undo', contexts: ['exercise'], when: (s) => !!s.canUndo && !!s.inputEmpty },
  { command: 'scrollUp', keys: [{ key: 'upArrow' }, { input: 'k' }], label: '↑↓/jk', help: 'scroll', contexts: ['question', 'answer', 'exerciseAnswer'], when: scrollable },
  { command: 'scrollDown', keys: [{ key: 'downArrow' }, { input: 'j' }], label: '', help: '', contexts: ['question', 'answer', 'exerciseAnswer'], footer: false },
  { command: 'scrollUp', keys: [{ key: 'upArrow' }], label: '↑↓', help: 'scroll', contexts: ['exercise'], when: scrollable },
  { command: 'scrollDown', keys: [{ key: 'downArrow' }], label: '', help: '', contexts: ['exercise'], footer: false },
  { command: 'pageUp', keys: [{ key: 'pageUp' }], label: 'PgUp/PgDn', help: 'page', contexts: ['question', 'answer', 'exercise', 'exerciseAnswer'], when: scrollable },
  { command: 'pageDown', keys: [{ key: 'pageDown' }], label: '', help: '', contexts: ['question', 'answer', 'exercise', 'exerciseAnswer'], footer: false },
  { command: 'endSession', keys: [{ input: 'q' }, { key: 'escape' }], label: 'q', help: 'end session', contexts: ['question', 'answer', 'exerciseAnswer', 'waiting'] },

  // summary and "nothing due"
  { command: 'home', keys: [{ key: 'any' }], label: 'any key', help: 'home', contexts: ['summary', 'empty'] },
  { command: 'quit', keys: [{ input: 'q' }], label: 'q', help: 'quit', contexts: ['summary', 'empty'] },
];

function specMatches(spec: KeySpec, input: string, key: Key): boolean {
  if (spec.input !== undefined) return input === spec.input && !key.ctrl && !key.meta;
  switch (spec.key) {
    case 'space':
      return input === ' ';
    case 'return':
      return key.return;
    case 'escape':
      return key.escape;
    case 'upArrow':
      return key.upArrow;
    case 'downArrow':
      return key.downArrow;
    case 'pageUp':
      return key.pageUp;
    case 'pageDown':
      return key.pageDown;
    case 'backspace':
      return key.backspace || key.delete;
    default:
      return false;
  }
}

/** The command a key press means in `ctx`, if any. */
export function commandFor(ctx: KeyContext, input: string, key: Key): Command | undefined {
  const here = BINDINGS.filter((b) => b.contexts.includes(ctx));
  const fallback = (k: KeySpec) => k.key === 'any' || k.key === 'text';
  for (const b of here) {
    if (b.keys.some((k) => !fallback(k) && specMatches(k, input, key))) return b.command;
  }
  if (key.ctrl) return undefined; // Ctrl+C and friends are not "any key"
  const printable = [...input].length === 1 && !key.meta && !/[\u0000-\u001f\u007f]/.test(input);
  return here.find((b) => b.keys.some((k) => k.key === 'any' || (k.key === 'text' && printable)))?.command;
}

export interface FooterItem {
  label: string;
  help: string;
}

/** The footer of `ctx`: the bindings that work there now, in table order. */
export function footerItems(ctx: KeyContext, state: FooterState = {}): FooterItem[] {
  return BINDINGS.filter(
    (b) => b.contexts.includes(ctx) && b.footer !== false && (!b.when || b.when(state)),
  ).map((b) => ({ label: b.label, help: b.help }));
}

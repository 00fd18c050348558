// The statistics screen: one section at a time (tabs), moved between with ←/→, Tab or 1–9,
// scrolled with ↑/↓ when a section is taller than the terminal. It only draws: the figures come in
// as plain data (computeStats), and `onRefresh` fetches new ones.
import { Box } from 'ink';
import { useMemo, useRef, useState } from 'react';
import type { Stats } from '../../core/stats.js';
import { seg, truncateLine, type Line } from '../../core/text/styled.js';
import { StyledLine, StyledLines } from '../components/StyledLine.js';
import { useKeys } from '../hooks.js';
import { useTerminalSize, type TerminalSize } from '../useTerminalSize.js';
import { statsCommand, statsFooterItems } from './keys.js';
import { SECTIONS, sectionLines, titleLine } from './sections.js';

export interface StatsScreenProps {
  stats: Stats;
  onQuit: () => void;
  /** Recompute the figures ('r'); the screen keeps its section. */
  onRefresh?: () => void;
  /** Fixed size instead of the terminal's (tests). */
  size?: TerminalSize;
  /** Section to open first (index into SECTIONS). */
  initialSection?: number;
}

/** The tab bar, wrapped onto as many lines as the width needs; the current tab is [bracketed] and inverse. */
export function tabLines(current: number, width: number): Line[] {
  const tab = (label: string, i: number) => (i === current ? `[${label}]` : ` ${label} `);
  const full = SECTIONS.map((s, i) => tab(`${i + 1} ${s.title}`, i));
  const total = (labels: string[]) => labels.reduce((a, l) => a + l.length, 0);
  const labels = total(full) <= width ? full : SECTIONS.map((s, i) => tab(`${i + 1} ${s.short}`, i));
  const lines: Line[] = [];
  let cur: Line = [];
  let w = 0;
  labels.forEach((text, i) => {
    if (cur.length && w + text.length > width) {
      lines.push(cur);
      cur = [];
      w = 0;
    }
    cur.push(seg(text, i === current ? { tone: 'accent', bold: true, inverse: true } : { tone: 'muted' }));
    w += text.length;
  });
  if (cur.length) lines.push(cur);
  return lines;
}

function footerLine(scrollable: boolean, width: number, position: string): Line {
  const line: Line = [];
  for (const it of statsFooterItems({ scrollable })) {
    if (line.length) line.push(seg('   '));
    line.push(seg(it.label, { tone: 'accent', bold: true }), seg(` ${it.help}`, { tone: 'muted' }));
  }
  if (position) line.push(seg(`   ${position}`, { tone: 'muted' }));
  return truncateLine(line, width);
}

export function StatsScreen({ stats, onQuit, onRefresh, size, initialSection = 0 }: StatsScreenProps) {
  const term = useTerminalSize(size);
  // Leave the last column free (a full-width line makes some terminals wrap) and the last row.
  const width = Math.max(20, term.columns - 1);
  const height = Math.max(10, term.rows - 1);
  // One state object updated functionally: keys typed faster than React re-renders all count.
  const [view, setView] = useState({ section: initialSection, scroll: 0 });
  const section = view.section;
  const tabs = useMemo(() => tabLines(section, width), [section, width]);
  const title = truncateLine(titleLine(stats), width);
  const bodyHeight = Math.max(3, height - 1 - tabs.length - 1 - 2); // title, tabs, blank, blank + footer
  const body = useMemo(() => sectionLines(section, stats, { width, height: bodyHeight }), [section, stats, width, bodyHeight]);
  const maxScroll = Math.max(0, body.length - bodyHeight);
  const limits = useRef({ maxScroll, bodyHeight });
  limits.current = { maxScroll, bodyHeight };
  const top = Math.min(view.scroll, maxScroll);
  const n = SECTIONS.length;
  const go = (to: (cur: number) => number) => setView((v) => ({ section: (((to(v.section) % n) + n) % n), scroll: 0 }));
  const scrollBy = (d: (page: number) => number) =>
    setView((v) => {
      const { maxScroll: max, bodyHeight: page } = limits.current;
      return { ...v, scroll: Math.max(0, Math.min(max, Math.min(v.scroll, max) + d(page))) };
    });

  useKeys((input, key) => {
    switch (statsCommand(input, key)) {
      case 'next':
        return go((s) => s + 1);
      case 'prev':
        return go((s) => s - 1);
      case 'jump':
        return go(() => Number(input) - 1);
      case 'up':
        return scrollBy(() => -1);
      case 'down':
        return scrollBy(() => 1);
      case 'pageUp':
        return scrollBy((page) => -page);
      case 'pageDown':
        return scrollBy((page) => page);
      case 'refresh':
        return onRefresh?.();
      case 'quit':
        return onQuit();
    }
  });

  const visible = body.slice(top, top + bodyHeight);
  const position = maxScroll > 0 ? `${top + 1}–${top + visible.length} of ${body.length}` : '';
  return (
    <Box flexDirection="column" height={height} width={width}>
      <StyledLine line={title} />
      <StyledLines lines={tabs} />
      <StyledLine line={[]} />
      <StyledLines lines={visible} />
      <Box flexGrow={1} />
      <StyledLine line={[]} />
      <StyledLine line={footerLine(maxScroll > 0, width, position)} />
    </Box>
  );
}

// Home: today's decks with their new / learning / due counts; pick one to review.
import { Box } from 'ink';
import { useMemo } from 'react';
import { lineWidth, padLine, seg, truncateLine, type Line } from '../../core/text/styled.js';
import type { DeckSummary, SyncReport } from '../../core/types.js';
import { footerLines } from '../components/Footer.js';
import { StyledLine, StyledLines } from '../components/StyledLine.js';
import { useKeys, useLiveReducer } from '../hooks.js';
import { commandFor } from '../keys.js';
import { deckRows, homeReducer, totals, type DeckRow } from '../state/home.js';

export interface HomeProps {
  decks: DeckSummary[];
  width: number;
  height: number;
  today: Date;
  selectedDeckId?: number;
  syncReport?: SyncReport;
  onReview: (deckId: number | undefined, title: string) => void;
  /** Open the statistics of the selected deck (absent: no statistics screen). */
  onStats?: (deckId: number | undefined) => void;
  onQuit: () => void;
}

const COL = 7; // width of each count column

function countCell(n: number, tone: 'new' | 'learning' | 'review', bold = false): Line {
  const text = String(n).padStart(COL);
  return [seg(text, n === 0 ? { tone: 'muted' } : { tone, bold })];
}

function countsLine(t: { newCount: number; learningCount: number; reviewCount: number }, bold = false): Line {
  return [...countCell(t.newCount, 'new', bold), ...countCell(t.learningCount, 'learning', bold), ...countCell(t.reviewCount, 'review', bold)];
}

export function dateLabel(d: Date): string {
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${days[d.getDay()]} ${d.getDate()} ${months[d.getMonth()]}`;
}

function rowLine(row: DeckRow, selected: boolean, nameWidth: number): Line {
  const indent = seg('  '.repeat(row.depth));
  if (row.kind === 'group') {
    return padLine(truncateLine([indent, seg('  ' + row.label, { tone: 'muted' })], nameWidth + 2), nameWidth + 2);
  }
  const d = row.deck!;
  const marker = selected ? seg('› ', { tone: 'accent', bold: true }) : seg('  ');
  const name: Line = [indent, marker, seg(row.label, selected ? { bold: true, tone: 'accent' } : { bold: true })];
  if (d.description) name.push(seg('  ' + d.description.replace(/\s+/g, ' '), { tone: 'muted' }));
  return [...padLine(truncateLine(name, nameWidth + 2), nameWidth + 2), ...countsLine(d)];
}

export function Home({ decks, width, height, today, selectedDeckId, syncReport, onReview, onStats, onQuit }: HomeProps) {
  const rows = useMemo(() => deckRows(decks), [decks]);
  const selectable = useMemo(() => rows.filter((r) => r.kind === 'deck'), [rows]);
  const initial = Math.max(0, selectable.findIndex((r) => r.deck!.id === selectedDeckId));
  const [state, dispatch, live] = useLiveReducer(homeReducer, () => ({ selected: initial }));
  const sum = totals(decks);
  const due = sum.newCount + sum.learningCount + sum.reviewCount;
  const hasDecks = selectable.length > 0;

  useKeys((input, key) => {
    const cmd = commandFor('home', input, key);
    const count = selectable.length;
    switch (cmd) {
      case 'up':
        dispatch({ type: 'MOVE', delta: -1, count });
        break;
      case 'down':
        dispatch({ type: 'MOVE', delta: 1, count });
        break;
      case 'openDeck': {
        const row = selectable[live.current.selected];
        if (row) onReview(row.deck!.id, row.fullName);
        break;
      }
      case 'reviewAll':
        if (hasDecks) onReview(undefined, 'All decks');
        break;
      case 'stats':
        if (hasDecks && onStats) onStats(undefined);
        break;
      case 'quit':
        onQuit();
        break;
    }
  });

  const nameWidth = Math.max(8, width - 2 - 3 * COL);
  const footer = footerLines('home', { hasDecks, hasStats: !!onStats }, width);

  const title: Line = [seg('srs', { tone: 'accent', bold: true }), seg(' · spaced repetition', { tone: 'muted' })];
  const date = dateLabel(today);
  const titleLine: Line = [...title, seg(' '.repeat(Math.max(1, width - lineWidth(title) - date.length))), seg(date, { tone: 'muted' })];

  const header: Line = [
    seg('  '),
    ...padLine([seg('Deck', { tone: 'muted' })], nameWidth),
    seg('New'.padStart(COL), { tone: 'new' }),
    seg('Learn'.padStart(COL), { tone: 'learning' }),
    seg('Due'.padStart(COL), { tone: 'review' }),
  ];

  const messages: Line[] = [];
  if (!hasDecks) {
    messages.push([seg('No decks yet.', { bold: true })]);
    messages.push([seg('Write Markdown decks (see docs/deck-format.md) and start srs with --decks DIR, or use srs import PATH.', { tone: 'muted' })]);
  } else if (due === 0) {
    messages.push([seg('Nothing due today — come back tomorrow.', { tone: 'good', bold: true })]);
  }
  if (syncReport && syncReport.issues.length > 0) {
    const errors = syncReport.issues.filter((i) => i.severity === 'error').length;
    const warnings = syncReport.issues.length - errors;
    const parts = [errors ? `${errors} error(s)` : '', warnings ? `${warnings} warning(s)` : ''].filter(Boolean).join(', ');
    messages.push([seg(`Deck files: ${parts} — run srs check for details.`, { tone: errors ? 'error' : 'hard' })]);
  }

  // Fixed lines: title, blank, header, divider, total, blank, messages, blank, footer.
  const fixed = 3 + 2 + (messages.length ? messages.length + 1 : 0) + 1 + footer.length;
  const listHeight = Math.max(1, height - fixed);
  const selectedRow = rows.indexOf(selectable[state.selected]);
  // A long list shows a window around the selection, with one line saying where it is.
  const windowed = rows.length > listHeight;
  const shown = windowed ? Math.max(1, listHeight - 1) : rows.length;
  const top = windowed ? Math.max(0, Math.min(rows.length - shown, selectedRow - Math.floor(shown / 2))) : 0;
  const visible = rows.slice(top, top + shown);
  const listLines = visible.map((r) => rowLine(r, r === selectable[state.selected], nameWidth));
  if (windowed) {
    listLines.push([seg('  '), seg(`${top + 1}–${top + visible.length} of ${rows.length}`, { tone: 'muted' })]);
  }

  const totalLine: Line = [seg('  '), ...padLine([seg('Total', { bold: true })], nameWidth), ...countsLine(sum, true)];
  const divider: Line = [seg('─'.repeat(Math.min(width, nameWidth + 2 + 3 * COL)), { tone: 'muted' })];

  return (
    <Box flexDirection="column" height={height} width={width}>
      <StyledLine line={titleLine} />
      <StyledLine line={[]} />
      <StyledLine line={header} />
      <StyledLines lines={listLines} />
      {hasDecks ? <StyledLine line={divider} /> : null}
      {hasDecks ? <StyledLine line={totalLine} /> : null}
      {messages.length ? <StyledLine line={[]} /> : null}
      <StyledLines lines={messages} />
      <Box flexGrow={1} />
      <StyledLines lines={footer} />
    </Box>
  );
}

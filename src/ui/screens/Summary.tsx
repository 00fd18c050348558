// Summary of a finished session: how many, how long, how well, and what tomorrow holds.
import { Box } from 'ink';
import { useKeys } from '../hooks.js';
import { seg, truncateLine, type Line } from '../../core/text/styled.js';
import type { SessionSummary } from '../../core/types.js';
import { footerLines } from '../components/Footer.js';
import { StyledLine, StyledLines } from '../components/StyledLine.js';
import { commandFor } from '../keys.js';
import { fmtDuration } from '../stats/charts.js';

export function summaryLines(summary: SessionSummary, title: string): Line[] {
  const row = (label: string, value: Line): Line => [seg(label.padEnd(14), { tone: 'muted' }), ...value];
  const per = summary.reviewed ? summary.timeMs / summary.reviewed : 0;
  const pct = (summary.againRate * 100).toFixed(summary.againRate > 0 && summary.againRate < 0.1 ? 1 : 0);
  return [
    [seg('Session finished', { tone: 'accent', bold: true }), seg(` · ${title}`, { tone: 'muted' })],
    [],
    row('Reviewed', [seg(String(summary.reviewed), { bold: true }), seg(summary.reviewed === 1 ? ' card' : ' cards')]),
    row('Time', [seg(fmtDuration(summary.timeMs), { bold: true }), seg(summary.reviewed ? `  (${(per / 1000).toFixed(1)}s per card)` : '', { tone: 'muted' })]),
    row('Again', [
      seg(`${pct}%`, { tone: summary.againRate > 0.2 ? 'again' : 'good', bold: true }),
      seg(`  (${summary.again} of ${summary.reviewed})`, { tone: 'muted' }),
    ]),
    row('Due tomorrow', [seg(String(summary.dueTomorrow), { tone: 'review', bold: true }), seg(summary.dueTomorrow === 1 ? ' card' : ' cards')]),
    ...(summary.today
      ? [[], row('Today so far', [
        seg(String(summary.today.reviews), { bold: true }), seg(summary.today.reviews === 1 ? ' answer' : ' answers'),
        seg(` · ${fmtDuration(summary.today.timeMs)} · ${summary.today.newCards} new`, { tone: 'muted' }),
        seg(summary.today.againRate == null ? '' : ` · again ${Math.round(summary.today.againRate * 100)}%`, { tone: 'muted' }),
      ])]
      : []),
  ];
}

export interface SummaryProps {
  summary: SessionSummary;
  title: string;
  width: number;
  height: number;
  onHome: () => void;
  onQuit: () => void;
}

export function Summary({ summary, title, width, height, onHome, onQuit }: SummaryProps) {
  useKeys((input, key) => {
    const cmd = commandFor('summary', input, key);
    if (cmd === 'quit') onQuit();
    else if (cmd === 'home') onHome();
  });
  const lines = summaryLines(summary, title).map((l) => truncateLine(l, width));
  return (
    <Box flexDirection="column" height={height} width={width}>
      <StyledLines lines={lines} />
      <Box flexGrow={1} />
      <StyledLine line={[]} />
      <StyledLines lines={footerLines('summary', {}, width)} />
    </Box>
  );
}

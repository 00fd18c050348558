// Entry points of the statistics UI: the interactive screen (runStats) and the plain-text summary
// printed when stdout is not a terminal (formatStatsText). `stats --json` prints computeStats() as is.
import { render, useApp } from 'ink';
import { useCallback, useState } from 'react';
import type { Collection } from '../../core/collection.js';
import { computeStats, type Stats, type StatsOptions } from '../../core/stats.js';
import { lineText, seg, type Line } from '../../core/text/styled.js';
import { createTheme, ThemeContext, type Theme } from '../theme.js';
import { clip } from './charts.js';
import { SECTIONS, sectionLines, titleLine } from './sections.js';
import { StatsScreen } from './StatsScreen.js';

export { StatsScreen, tabLines } from './StatsScreen.js';
export { SECTIONS, sectionLines } from './sections.js';

/** Every section as plain text, `width` columns at most (charts at a fixed height). */
export function formatStatsText(stats: Stats, width: number): string {
  const w = Math.max(40, Math.floor(width));
  const out: Line[] = [...clip([titleLine(stats)], w), []];
  SECTIONS.forEach((_, i) => {
    if (i) out.push([], [seg('─'.repeat(w))], []);
    out.push(...sectionLines(i, stats, { width: w, height: 18 }));
  });
  return out.map((l) => lineText(l).trimEnd()).join('\n') + '\n';
}

export interface RunStatsOptions {
  deckId?: number;
  now?: () => Date;
  /** Days of the reviews-per-day period and of the forecast (default 30). */
  days?: number;
  theme?: Theme;
  /** Passed on to computeStats (time zone, day-start hour). */
  statsOptions?: Omit<StatsOptions, 'now' | 'deckId' | 'days'>;
}

function StatsApp({ initial, compute, theme }: { initial: Stats; compute: () => Stats; theme: Theme }) {
  const { exit } = useApp();
  const [stats, setStats] = useState(initial);
  const refresh = useCallback(() => setStats(compute()), [compute]);
  return (
    <ThemeContext.Provider value={theme}>
      <StatsScreen stats={stats} onQuit={exit} onRefresh={refresh} />
    </ThemeContext.Provider>
  );
}

/** Draw the statistics screen and resolve when the user quits (q or Esc). */
export async function runStats(col: Collection, opts: RunStatsOptions = {}): Promise<void> {
  const now = opts.now ?? (() => new Date());
  const compute = () => computeStats(col, { ...opts.statsOptions, now: now(), deckId: opts.deckId, days: opts.days });
  const initial = compute(); // errors (an unknown deck) surface before the screen opens
  const instance = render(<StatsApp initial={initial} compute={compute} theme={opts.theme ?? createTheme()} />);
  await instance.waitUntilExit();
}

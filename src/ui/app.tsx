// The interactive program: home → review → summary, drawn with Ink.
// The UI owns no SQL and reads the clock only here, at its edge (`now`, injectable for tests).
import { Box, render, useApp } from 'ink';
import { useCallback, useEffect, useMemo, useReducer, useState, type ReactNode } from 'react';
import type { Collection } from '../core/collection.js';
import { computeStats, type Stats } from '../core/stats.js';
import type { SyncReport } from '../core/types.js';
import { KeyRouterContext, useKeyRouter } from './hooks.js';
import { Home } from './screens/Home.js';
import { Review } from './screens/Review.js';
import { Summary } from './screens/Summary.js';
import { StatsScreen } from './stats/StatsScreen.js';
import { appReducer, type AppAction, type AppState } from './state/app.js';
import { createTheme, ThemeContext, type Theme } from './theme.js';
import { contentWidth, useTerminalSize, type TerminalSize } from './useTerminalSize.js';

/** The part of Collection the UI uses. */
export type CollectionLike = Pick<Collection, 'decks' | 'session'>;

export interface AppProps {
  collection: CollectionLike;
  deckId?: number;
  startScreen: 'home' | 'review';
  now?: () => Date;
  syncReport?: SyncReport;
  /** Fixed size instead of the terminal's (tests). */
  size?: TerminalSize;
  theme?: Theme;
  pollMs?: number;
  /** Seeds for exercise draws (tests fix them). */
  seed?: () => number;
  /** Statistics for the stats screen (home: s); without it the screen is not offered. */
  loadStats?: (now: Date, deckId?: number) => Stats;
}

const systemNow = () => new Date();

export function App({ collection, deckId, startScreen, now = systemNow, syncReport, size, theme, pollMs, seed, loadStats }: AppProps) {
  const { exit } = useApp();
  const keyRouter = useKeyRouter();
  const term = useTerminalSize(size);
  const startedInReview = startScreen === 'review';
  const reducer = useCallback((s: AppState, a: AppAction) => appReducer(s, a, { startedInReview }), [startedInReview]);
  const [state, dispatch] = useReducer(reducer, undefined, (): AppState => {
    if (startScreen === 'home') return { screen: 'home', selectedDeckId: deckId };
    const title = deckId == null ? 'All decks' : collection.decks(now()).find((d) => d.id === deckId)?.name ?? 'Deck';
    return { screen: 'review', deckId, title, selectedDeckId: deckId, run: 1 };
  });

  useEffect(() => {
    if (state.screen === 'exit') exit();
  }, [state.screen, exit]);

  // One column of margin each side; the text column is at most 100 wide, left-aligned.
  const width = contentWidth(term.columns);
  // One row less than the terminal, so Ink never has to clear the whole screen to redraw.
  const height = Math.max(8, term.rows - 1);
  const resolvedTheme = useMemo(() => theme ?? createTheme(), [theme]);

  const onQuit = useCallback(() => dispatch({ type: 'QUIT' }), []);
  const onHome = useCallback(() => dispatch({ type: 'HOME' }), []);

  let screen: ReactNode = null;
  switch (state.screen) {
    case 'home': {
      const t = now();
      screen = (
        <Home
          decks={collection.decks(t)}
          today={t}
          width={width}
          height={height}
          selectedDeckId={state.selectedDeckId}
          syncReport={syncReport}
          onReview={(id, title) => dispatch({ type: 'START_REVIEW', deckId: id, title })}
          onStats={loadStats ? (id) => dispatch({ type: 'OPEN_STATS', deckId: id }) : undefined}
          onQuit={onQuit}
        />
      );
      break;
    }
    case 'stats':
      screen = loadStats ? <StatsHost load={() => loadStats(now(), state.deckId)} size={size} onBack={onHome} /> : null;
      break;
    case 'review':
      screen = (
        <ReviewHost
          key={state.run}
          collection={collection}
          deckId={state.deckId}
          title={state.title}
          width={width}
          height={height}
          now={now}
          pollMs={pollMs}
          seed={seed}
          dispatch={dispatch}
          onHome={onHome}
          onQuit={onQuit}
        />
      );
      break;
    case 'summary':
      screen = (
        <Summary summary={state.summary} title={state.title} width={width} height={height} onHome={onHome} onQuit={onQuit} />
      );
      break;
    case 'exit':
      screen = null;
      break;
  }

  return (
    <ThemeContext.Provider value={resolvedTheme}>
      <KeyRouterContext.Provider value={keyRouter}>
        <Box paddingLeft={term.columns > width ? 1 : 0}>{screen}</Box>
      </KeyRouterContext.Provider>
    </ThemeContext.Provider>
  );
}

/** The statistics screen inside the app: q or Esc goes back home; r recomputes. */
function StatsHost({ load, size, onBack }: { load: () => Stats; size?: TerminalSize; onBack: () => void }) {
  const [stats, setStats] = useState(load);
  return <StatsScreen stats={stats} size={size} onQuit={onBack} onRefresh={() => setStats(load())} />;
}

/** Opens one review session for the lifetime of the review screen. */
function ReviewHost(props: {
  collection: CollectionLike;
  deckId?: number;
  title: string;
  width: number;
  height: number;
  now: () => Date;
  pollMs?: number;
  seed?: () => number;
  dispatch: (a: AppAction) => void;
  onHome: () => void;
  onQuit: () => void;
}) {
  const { collection, deckId, now, dispatch } = props;
  const session = useMemo(() => collection.session({ deckId, now: now() }), [collection, deckId, now]);
  return (
    <Review
      session={session}
      title={props.title}
      width={props.width}
      height={props.height}
      now={now}
      pollMs={props.pollMs}
      seed={props.seed}
      onEnd={(summary) => dispatch({ type: 'END_REVIEW', summary })}
      onHome={props.onHome}
      onQuit={props.onQuit}
    />
  );
}

export interface RunAppOptions {
  collection: Collection;
  deckId?: number;
  startScreen: 'home' | 'review';
  now?: () => Date;
  syncReport?: SyncReport;
}

/** Draw the interactive program and resolve when the user quits. */
export async function runApp(opts: RunAppOptions): Promise<void> {
  const col = opts.collection;
  const instance = render(
    <App
      collection={col}
      deckId={opts.deckId}
      startScreen={opts.startScreen}
      now={opts.now}
      syncReport={opts.syncReport}
      loadStats={(now, deckId) => computeStats(col, { now, deckId })}
    />,
  );
  await instance.waitUntilExit();
}

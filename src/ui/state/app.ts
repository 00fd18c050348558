// Which screen is up. Quitting is a state too ('exit'): the App component then ends Ink.
import type { SessionSummary } from '../../core/types.js';

export type AppState =
  | { screen: 'home'; selectedDeckId?: number }
  | { screen: 'review'; deckId?: number; title: string; selectedDeckId?: number; run: number }
  | { screen: 'summary'; summary: SessionSummary; title: string; selectedDeckId?: number }
  | { screen: 'stats'; deckId?: number; selectedDeckId?: number }
  | { screen: 'exit' };

export type AppAction =
  | { type: 'START_REVIEW'; deckId?: number; title: string }
  | { type: 'END_REVIEW'; summary: SessionSummary | null }
  | { type: 'OPEN_STATS'; deckId?: number }
  | { type: 'HOME' }
  | { type: 'QUIT' };

export interface AppOptions {
  /** Started straight into a review (`srs review`): leaving an empty session quits. */
  startedInReview: boolean;
}

function selected(state: AppState): number | undefined {
  return state.screen === 'exit' ? undefined : state.selectedDeckId;
}

export function appReducer(state: AppState, action: AppAction, opts: AppOptions): AppState {
  switch (action.type) {
    case 'START_REVIEW':
      return {
        screen: 'review',
        deckId: action.deckId,
        title: action.title,
        selectedDeckId: action.deckId ?? selected(state),
        run: state.screen === 'review' ? state.run + 1 : 1,
      };
    case 'END_REVIEW':
      if (state.screen !== 'review') return state;
      if (action.summary && action.summary.reviewed > 0) {
        return { screen: 'summary', summary: action.summary, title: state.title, selectedDeckId: state.selectedDeckId };
      }
      // Nothing was answered: no summary to show.
      return opts.startedInReview ? { screen: 'exit' } : { screen: 'home', selectedDeckId: state.selectedDeckId };
    case 'OPEN_STATS':
      return { screen: 'stats', deckId: action.deckId, selectedDeckId: selected(state) };
    case 'HOME':
      return { screen: 'home', selectedDeckId: selected(state) };
    case 'QUIT':
      return { screen: 'exit' };
  }
}

// The review screen's state and its transitions. Pure: the screen calls the core (answer, undo,
// current …) in its event handlers and dispatches what came back; the reducer only decides what
// the screen shows next.
import type { CheckResult } from '../../core/exercise/index.js';
import type { CardView, IntervalPreview } from '../../core/types.js';
import type { PreparedExercise } from '../exercise.js';

export interface Counts {
  new: number;
  learning: number;
  review: number;
}

/** What the core says is next: a card, or a time when learning cards come due, or nothing. */
export interface Snapshot {
  card: CardView | null;
  counts: Counts;
  /** Set when no card is due now but learning cards are due later today. */
  waitUntil: Date | null;
  /** For an exercise card: its draw for this showing. */
  exercise?: PreparedExercise | null;
}

export type ReviewPhase = 'question' | 'answer' | 'waiting' | 'empty';

export interface Notice {
  kind: 'info' | 'error';
  text: string;
}

export interface ReviewState {
  phase: ReviewPhase;
  card: CardView | null;
  counts: Counts;
  /** When the card was put on screen (ms since epoch, from the injected clock). */
  shownAt: number;
  previews: IntervalPreview[];
  /** First visible content line. */
  scroll: number;
  notice: Notice | null;
  waitUntil: Date | null;
  /** Answers given in this session (less undone ones). */
  answered: number;
  /** Exercise cards: the draw, what is being typed, and the check of what was submitted. */
  exercise: PreparedExercise | null;
  input: string;
  given: string;
  check: CheckResult | null;
}

export type ReviewAction =
  /** Show what the core returned (first load, or after waiting). */
  | { type: 'NEXT'; snapshot: Snapshot; at: number }
  /** Reveal the answer side, with the interval of each grade. */
  | { type: 'SHOW_ANSWER'; previews: IntervalPreview[]; scroll?: number }
  /** The card was graded (and committed); show what comes next. */
  | { type: 'GRADE'; snapshot: Snapshot; at: number }
  /** The card was suspended (committed); show what comes next, with a notice. */
  | { type: 'SUSPEND'; snapshot: Snapshot; at: number }
  /** The last answer was undone; its card is back on screen. */
  | { type: 'UNDO'; card: CardView; counts: Counts; at: number; exercise?: PreparedExercise | null }
  /** Exercise input: type characters, erase the last one. */
  | { type: 'TYPE'; text: string }
  | { type: 'ERASE' }
  /** Exercise submitted (check null: given up without an answer): show the result and solution. */
  | { type: 'CHECK'; check: CheckResult | null; previews: IntervalPreview[]; scroll?: number }
  /** Scroll the content by `delta` lines, within 0..max. */
  | { type: 'SCROLL'; delta: number; max: number }
  | { type: 'ERROR'; message: string };

export const EMPTY_COUNTS: Counts = { new: 0, learning: 0, review: 0 };

export function initialReviewState(): ReviewState {
  return {
    phase: 'empty',
    card: null,
    counts: EMPTY_COUNTS,
    shownAt: 0,
    previews: [],
    scroll: 0,
    notice: null,
    waitUntil: null,
    answered: 0,
    exercise: null,
    input: '',
    given: '',
    check: null,
  };
}

const MAX_INPUT = 200;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function show(state: ReviewState, snapshot: Snapshot, at: number): ReviewState {
  const { card, counts, waitUntil } = snapshot;
  if (card) {
    // The same card again (e.g. after a poll while waiting) keeps its timer and scroll.
    const same = state.card?.cardId === card.cardId && state.phase === 'question';
    return {
      ...state,
      phase: 'question',
      card,
      counts,
      shownAt: same ? state.shownAt : at,
      previews: [],
      scroll: same ? state.scroll : 0,
      waitUntil: null,
      exercise: same ? state.exercise : snapshot.exercise ?? null,
      input: same ? state.input : '',
      given: '',
      check: null,
    };
  }
  return {
    ...state,
    phase: waitUntil ? 'waiting' : 'empty',
    card: null,
    counts,
    previews: [],
    scroll: 0,
    waitUntil,
    exercise: null,
    input: '',
    given: '',
    check: null,
  };
}

export function reviewReducer(state: ReviewState, action: ReviewAction): ReviewState {
  switch (action.type) {
    case 'NEXT':
      return show(state, action.snapshot, action.at);
    case 'SHOW_ANSWER':
      if (state.phase !== 'question' || !state.card) return state;
      return { ...state, phase: 'answer', previews: action.previews, scroll: action.scroll ?? state.scroll, notice: null };
    case 'GRADE':
      if (state.phase !== 'answer') return state;
      return show({ ...state, answered: state.answered + 1, notice: null, card: null }, action.snapshot, action.at);
    case 'SUSPEND':
      if (!state.card) return state;
      return show({ ...state, card: null, notice: { kind: 'info', text: 'Suspended — out of your reviews (u undoes, `srs unsuspend` brings it back).' } }, action.snapshot, action.at);
    case 'UNDO':
      return {
        ...state,
        phase: 'question',
        card: action.card,
        counts: action.counts,
        shownAt: action.at,
        previews: [],
        scroll: 0,
        waitUntil: null,
        answered: Math.max(0, state.answered - 1),
        notice: { kind: 'info', text: 'Undone — the card is back.' },
        exercise: action.exercise ?? null,
        input: '',
        given: '',
        check: null,
      };
    case 'TYPE':
      if (state.phase !== 'question' || !state.exercise?.instance) return state;
      return { ...state, input: (state.input + action.text).slice(0, MAX_INPUT), notice: null };
    case 'ERASE': {
      if (state.phase !== 'question' || state.input === '') return state;
      const parts = [...graphemes.segment(state.input)].map((g) => g.segment);
      return { ...state, input: parts.slice(0, -1).join(''), notice: null };
    }
    case 'CHECK':
      if (state.phase !== 'question' || !state.card) return state;
      return {
        ...state,
        phase: 'answer',
        check: action.check,
        given: action.check ? state.input : '',
        previews: action.previews,
        scroll: action.scroll ?? state.scroll,
        notice: null,
      };
    case 'SCROLL': {
      // Start from the visible position: after a resize the stored one may be past the end.
      const scroll = Math.max(0, Math.min(action.max, Math.min(state.scroll, action.max) + action.delta));
      return scroll === state.scroll ? state : { ...state, scroll };
    }
    case 'ERROR':
      return { ...state, notice: { kind: 'error', text: action.message } };
  }
}

/** Time to record for an answer: from when the card was shown, capped like Anki (60 s). */
export const MAX_ANSWER_MS = 60_000;
export function answerDuration(shownAt: number, now: number): number {
  return Math.max(0, Math.min(MAX_ANSWER_MS, now - shownAt));
}

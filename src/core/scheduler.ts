// A thin wrapper around ts-fsrs: parameters per deck, row <-> Card mapping, study-day arithmetic.
// Pure functions: the clock is always passed in.
import { fsrs, generatorParameters, type Card, type FSRS, type Grade as FsrsGrade, type StepUnit } from 'ts-fsrs';
import type { DeckConfig, Grade, IntervalPreview } from './types.js';

export interface CardRow {
  id: number;
  due: number;
  stability: number;
  difficulty: number;
  elapsed_days: number;
  scheduled_days: number;
  learning_steps: number;
  reps: number;
  lapses: number;
  state: number;
  last_review: number | null;
}

/** Lapses from which a card counts as a leech (Anki's default threshold). */
export const LEECH_LAPSES = 8;

export const CARD_COLUMNS = 'due, stability, difficulty, elapsed_days, scheduled_days, learning_steps, reps, lapses, state, last_review';

const cache = new Map<string, FSRS>();

export function schedulerFor(cfg: DeckConfig, fuzz: boolean): FSRS {
  const key = JSON.stringify([cfg.retention, cfg.maximumInterval, cfg.learningSteps, cfg.relearningSteps, fuzz]);
  let f = cache.get(key);
  if (!f) {
    f = fsrs(generatorParameters({
      request_retention: cfg.retention,
      maximum_interval: cfg.maximumInterval,
      enable_fuzz: fuzz,
      enable_short_term: true,
      learning_steps: cfg.learningSteps as StepUnit[],
      relearning_steps: cfg.relearningSteps as StepUnit[],
    }));
    cache.set(key, f);
  }
  return f;
}

export function rowToCard(r: Omit<CardRow, 'id'>): Card {
  return {
    due: new Date(r.due),
    stability: r.stability,
    difficulty: r.difficulty,
    elapsed_days: r.elapsed_days,
    scheduled_days: r.scheduled_days,
    learning_steps: r.learning_steps,
    reps: r.reps,
    lapses: r.lapses,
    state: r.state,
    last_review: r.last_review == null ? undefined : new Date(r.last_review),
  };
}

export function cardToRow(c: Card): Omit<CardRow, 'id'> {
  return {
    due: c.due.getTime(),
    stability: c.stability,
    difficulty: c.difficulty,
    elapsed_days: c.elapsed_days,
    scheduled_days: c.scheduled_days,
    learning_steps: c.learning_steps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state,
    last_review: c.last_review ? c.last_review.getTime() : null,
  };
}

export function newCardRow(now: number): Omit<CardRow, 'id'> {
  return { due: now, stability: 0, difficulty: 0, elapsed_days: 0, scheduled_days: 0, learning_steps: 0, reps: 0, lapses: 0, state: 0, last_review: null };
}

/** The next state of a card after a grade. */
export function schedule(f: FSRS, row: Omit<CardRow, 'id'>, grade: Grade, now: Date) {
  return f.next(rowToCard(row), now, grade as unknown as FsrsGrade);
}

export function previewIntervals(f: FSRS, row: Omit<CardRow, 'id'>, now: Date): IntervalPreview[] {
  const rec = f.repeat(rowToCard(row), now);
  return ([1, 2, 3, 4] as Grade[]).map((g) => {
    const due = rec[g as unknown as FsrsGrade].card.due;
    return { grade: g, due, label: formatInterval(due.getTime() - now.getTime()) };
  });
}

/** Days (fractional) between a card's last review and now, as FSRS sees elapsed time. */
export function elapsedDays(lastReview: number | null, now: number): number {
  return lastReview == null ? 0 : Math.max(0, (now - lastReview) / 86_400_000);
}

export function formatInterval(ms: number): string {
  const min = ms / 60_000;
  if (min < 1) return '<1m';
  if (min < 60) return `${Math.round(min)}m`;
  const h = min / 60;
  if (h < 24) return `${Math.round(h)}h`;
  const d = h / 24;
  if (d < 30) return `${Math.round(d)}d`;
  if (d < 365) return `${trim1(d / 30)}mo`;
  return `${trim1(d / 365)}y`;
}

function trim1(x: number): string {
  const s = x.toFixed(1);
  return s.endsWith('.0') ? s.slice(0, -2) : s;
}

/**
 * Start of the study day containing `now`: the latest local time `hour`:00 not after `now`.
 * (Like Anki: with hour = 4, 02:00 on the 2nd still belongs to the study day of the 1st.)
 */
export function dayStart(now: Date, hour: number): Date {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate(), hour, 0, 0, 0);
  if (d.getTime() > now.getTime()) d.setDate(d.getDate() - 1);
  return d;
}

export function nextDayStart(now: Date, hour: number): Date {
  const d = dayStart(now, hour);
  d.setDate(d.getDate() + 1);
  return d;
}

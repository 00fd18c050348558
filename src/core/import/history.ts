// Imported review history: foreign review-log rows become rows of our `revlog` (source 'import'),
// and each card's FSRS state is rebuilt by replaying them with ts-fsrs, in time order.
//
// How Anki's entries are replayed (the way Anki's own FSRS reads its log):
// - answers (type 0 learn, 1 review, 2 relearn, 3 filtered; ease 1–4): `fsrs.next(card, time, ease)`;
// - "Forget"/reset (type 4 manual with interval 0): `fsrs.forget(card, time, true)`: the card is new again;
// - "Set due date" (type 4 with an interval) and FSRS "reschedule" (type 5): the memory state is kept,
//   only the due date moves to time + interval; such rows are stored with rating 0;
// - filtered-deck cramming that did not reschedule (type 3, factor 0): kept in the log, state unchanged.
// The card then keeps Anki's due date and interval (so moving from Anki keeps your intervals) with the
// memory state (stability, difficulty) from the replay — or Anki's own FSRS memory when it has one.
// A card with history of its own in this collection (source 'review') is never rescheduled by an import.
import { createEmptyCard, type Card, type FSRS } from 'ts-fsrs';
import { withRevlogIndexesDeferred, type DB } from '../db.js';
import { deckConfig } from '../queue.js';
import { cardToRow, newCardRow, schedulerFor, type CardRow } from '../scheduler.js';
import type { ScheduleSeed, Skips, TargetCard } from './model.js';

const DAY = 86_400_000;

export interface ForeignReview {
  /** Epoch ms. */
  time: number;
  ease: number;
  /** Anki: days when > 0, seconds when < 0. */
  ivl: number;
  factor: number;
  /** Time taken to answer, ms. */
  duration: number;
  /** Anki revlog type: 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled. */
  type: number;
}

/** The foreign card's own schedule at export time. */
export interface ForeignCard {
  /** Anki card type: 0 new, 1 learning, 2 review, 3 relearning. */
  type: number;
  /** Anki queue (-1 suspended). */
  queue: number;
  ivl: number;
  factor: number;
  reps: number;
  lapses: number;
  dueMs: number | null;
  /** Anki's FSRS memory state, when it has one. */
  memory?: { s: number; d: number };
}

export interface HistoryContext {
  now: Date;
  progress: (done: number, total: number) => void;
  total: number;
  skips: Skips;
}

/** A ts-fsrs card with one fixed shape (ts-fsrs is several times faster on monomorphic input). */
const fix = (c: Card): Card => ({
  due: c.due, stability: c.stability, difficulty: c.difficulty, elapsed_days: c.elapsed_days, scheduled_days: c.scheduled_days,
  learning_steps: c.learning_steps, reps: c.reps, lapses: c.lapses, state: c.state, last_review: c.last_review,
});

/** SM-2 ease (2.5 = 250 %) → FSRS difficulty 1–10: the lowest ease (1.3) is the hardest. */
export function difficultyFromEase(ease: number): number {
  if (!(ease > 0)) return 5;
  return Math.min(10, Math.max(1, 10 - (ease - 1.3) * (9 / 2.2)));
}

function statements(db: DB) {
  return {
    existing: db.prepare<[number], { reviewed_at: number; source: string }>('SELECT reviewed_at, source FROM revlog WHERE card_id = ?'),
    card: db.prepare<[number], { state: number; reps: number }>('SELECT state, reps FROM cards WHERE id = ?'),
    insert: db.prepare(`INSERT INTO revlog (card_id, reviewed_at, rating, state_before, due_before, stability_before, difficulty_before,
      elapsed_days, last_review_before, card_before, state_after, due_after, stability_after, difficulty_after, scheduled_days, duration_ms,
      source, exercise) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'import', NULL)`),
    suspend: db.prepare<[number]>('UPDATE cards SET suspended = 1 WHERE id = ?'),
    update: db.prepare(`UPDATE cards SET due = @due, stability = @stability, difficulty = @difficulty, elapsed_days = @elapsed_days,
      scheduled_days = @scheduled_days, learning_steps = @learning_steps, reps = @reps, lapses = @lapses, state = @state,
      last_review = @last_review, suspended = CASE WHEN @suspend = 1 THEN 1 ELSE suspended END WHERE id = @id`),
  };
}

/** The card's final state: Anki's schedule (due, interval, state) with the replayed memory. */
function finalState(replay: Card | null, fi: ForeignCard | undefined, now: number): Omit<CardRow, 'id'> | null {
  if (!fi) return replay ? cardToRow(replay) : null;
  if (fi.type === 0) return newCardRow(now);
  const r = replay ? cardToRow(replay) : null;
  const s = fi.memory?.s ?? (r && r.stability > 0 ? r.stability : undefined);
  const d = fi.memory?.d ?? (r && r.difficulty > 0 ? r.difficulty : undefined);
  if (fi.type === 2) {
    const ivl = Math.max(1, fi.ivl);
    const due = fi.dueMs ?? r?.due ?? now;
    return {
      due, stability: s ?? ivl, difficulty: d ?? difficultyFromEase(fi.factor / 1000), elapsed_days: r?.elapsed_days ?? 0,
      scheduled_days: ivl, learning_steps: 0, reps: r ? r.reps : fi.reps, lapses: r ? r.lapses : fi.lapses, state: 2,
      last_review: r?.last_review ?? due - ivl * DAY,
    };
  }
  // Learning / relearning: only with a memory state to learn from; otherwise the card starts afresh.
  if (!r || r.state === 0 || !(s && s > 0)) return newCardRow(now);
  return { ...r, stability: s, difficulty: d ?? r.difficulty, due: fi.dueMs ?? r.due, state: fi.type === 3 ? 3 : 1 };
}

/**
 * Replay foreign review logs into the collection. `groups` yields each foreign card's reviews in
 * time order; `cards` maps foreign card ids to ours. Must run inside a transaction.
 */
export function replayHistory(
  db: DB,
  cards: Map<number, TargetCard>,
  groups: Iterable<{ foreign: number; reviews: ForeignReview[] }>,
  info: Map<number, ForeignCard>,
  ctx: HistoryContext,
): { reviews: number; scheduled: number } {
  const st = statements(db);
  const now = ctx.now.getTime();
  let reviews = 0;
  let scheduled = 0;
  let done = 0;
  const seen = new Set<number>();
  const schedulers = new Map<string, FSRS>();

  const processCard = (target: TargetCard, revs: ForeignReview[], fi: ForeignCard | undefined) => {
    const existing = target.hasLog ? st.existing.all(target.cardId) : [];
    const hasOwn = existing.some((r) => r.source !== 'import');
    const times = new Set(existing.map((r) => r.reviewed_at));
    let f = schedulers.get(target.config);
    if (!f) schedulers.set(target.config, (f = schedulerFor(deckConfig(target.config), false)));
    let card: Card | null = null;
    let cardRow: Omit<CardRow, 'id'> | null = null; // cardToRow(card), kept to save an allocation per review
    let inserted = 0;
    for (const r of revs) {
      const t = new Date(r.time);
      const before: Card = card ?? fix(createEmptyCard(t));
      const b: Omit<CardRow, 'id'> = card && cardRow ? cardRow : cardToRow(before);
      let after: Card = before;
      let rating = r.ease;
      if (r.type === 4 || r.type === 5 || r.ease === 0) {
        rating = 0;
        if (r.type === 4 && r.ivl === 0) after = fix(f.forget(before, t, true).card);
        else if (before.state !== 0 && r.ivl !== 0) {
          const days = r.ivl > 0 ? r.ivl : -r.ivl / 86400;
          after = { ...before, due: new Date(r.time + days * DAY), scheduled_days: Math.round(days) };
        }
      } else if (r.type === 3 && r.factor === 0) {
        after = before;
      } else {
        rating = Math.min(4, Math.max(1, r.ease));
        if (before.last_review && t.getTime() < before.last_review.getTime()) continue;
        after = fix(f.next(before, t, rating as 1 | 2 | 3 | 4).card);
      }
      card = after;
      const a: Omit<CardRow, 'id'> = after === before ? b : cardToRow(after);
      cardRow = a;
      if (times.has(r.time)) continue;
      st.insert.run(target.cardId, r.time, rating, b.state, b.due, b.stability, b.difficulty,
        b.last_review == null ? 0 : Math.max(0, (r.time - b.last_review) / DAY), b.last_review, JSON.stringify(b),
        a.state, a.due, a.stability, a.difficulty, a.scheduled_days, Math.max(0, Math.round(r.duration || 0)));
      times.add(r.time);
      inserted++;
    }
    reviews += inserted;
    if (hasOwn) return;
    if (!(inserted > 0 || (target.state === 0 && target.reps === 0))) return;
    const final = finalState(card, fi, now);
    if (!final) return;
    if (final.state === 0 && target.state === 0) {
      if (fi?.queue === -1) st.suspend.run(target.cardId);
      return;
    }
    st.update.run({ ...final, id: target.cardId, suspend: fi?.queue === -1 ? 1 : 0 });
    if (final.state !== 0) scheduled++;
  };

  const replayAll = () => {
  for (const g of groups) {
    done += g.reviews.length;
    if (done % 5000 < g.reviews.length) ctx.progress(done, ctx.total);
    const target = cards.get(g.foreign);
    if (!target) {
      ctx.skips.add('review of a card that was not imported', undefined, g.reviews.length);
      continue;
    }
    seen.add(g.foreign);
    processCard(target, g.reviews, info.get(g.foreign));
  }
  // Cards scheduled in the source but without a review log keep their schedule too.
  for (const [foreign, target] of cards) {
    if (seen.has(foreign)) continue;
    const fi = info.get(foreign);
    if (fi && (fi.type !== 0 || fi.queue === -1)) processCard(target, [], fi);
  }
  };
  // A large history (more rows than the log holds) is written faster with the statistics indexes
  // built once afterwards; revlog_card is kept, the replay reads it.
  const logged = (db.prepare('SELECT count(*) AS n FROM revlog').get() as { n: number }).n;
  if (ctx.total > 20_000 && ctx.total > logged) withRevlogIndexesDeferred(db, ['revlog_card'], replayAll);
  else replayAll();
  ctx.progress(ctx.total, ctx.total);
  return { reviews, scheduled };
}

/**
 * Carry over schedules known without history (Obsidian's `<!--SR:!date,interval,ease-->`): a card
 * that is still new here becomes a Review card due on that date, with stability ≈ the interval.
 */
export function applySeeds(db: DB, seeds: { cardId: number; seed: ScheduleSeed }[]): number {
  const st = statements(db);
  let n = 0;
  for (const { cardId, seed } of seeds) {
    const cur = st.card.get(cardId);
    if (!cur || cur.state !== 0 || cur.reps !== 0 || st.existing.all(cardId).length) continue;
    const ivl = Math.max(1, Math.round(seed.interval));
    st.update.run({
      id: cardId, due: seed.due, stability: ivl, difficulty: difficultyFromEase(seed.ease), elapsed_days: 0, scheduled_days: ivl,
      learning_steps: 0, reps: 1, lapses: 0, state: 2, last_review: seed.due - ivl * DAY, suspend: 0,
    });
    n++;
  }
  return n;
}

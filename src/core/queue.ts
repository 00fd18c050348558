// Today's queue: learning cards, due reviews and new cards per deck, after daily limits and burying.
// Siblings (cards of one note) are never shown on the same study day.
import type { DB } from './db.js';
import { dayStart, nextDayStart } from './scheduler.js';
import { DEFAULT_DECK_CONFIG, type DeckConfig } from './types.js';

export interface QueueCard {
  id: number;
  note_id: number;
  deck_id: number;
  state: number;
  due: number;
}

export interface DeckQueue {
  deckId: number;
  /** Learning and relearning cards due before the end of the study day, earliest first. */
  learning: QueueCard[];
  /** Review cards due today, after the daily limit and burying. */
  reviewCount: number;
  /** The earliest of them. */
  nextReview?: QueueCard;
  /** New cards for today, after the daily limit and burying. */
  newCount: number;
  /** The first of them, in deck order. */
  nextNew?: QueueCard;
}

export interface QueueOptions {
  now: Date;
  dayStartHour: number;
  /** Limit to these decks (undefined = all). */
  deckIds?: number[];
}

export function deckConfig(json: string | null | undefined): DeckConfig {
  let partial: Partial<DeckConfig> = {};
  try {
    partial = json ? (JSON.parse(json) as Partial<DeckConfig>) : {};
  } catch {
    partial = {};
  }
  return { ...DEFAULT_DECK_CONFIG, ...partial };
}

export function buildQueues(db: DB, opts: QueueOptions): DeckQueue[] {
  const start = dayStart(opts.now, opts.dayStartHour).getTime();
  const end = nextDayStart(opts.now, opts.dayStartHour).getTime();
  const decks = db.prepare<[], { id: number; config: string }>('SELECT id, config FROM decks ORDER BY name').all()
    .filter((d) => !opts.deckIds || opts.deckIds.includes(d.id));

  // What was studied today: counts against the limits, and notes whose siblings are buried.
  const today = db.prepare<[number], { deck_id: number; note_id: number; card_id: number; state_before: number }>(
    `SELECT c.deck_id, c.note_id, r.card_id, r.state_before FROM revlog r JOIN cards c ON c.id = r.card_id
     WHERE r.reviewed_at >= ? AND r.source = 'review'`).all(start);
  const newDone = new Map<number, Set<number>>();
  const reviewDone = new Map<number, Set<number>>();
  const notesToday = new Map<number, Set<number>>(); // note -> cards studied today
  for (const r of today) {
    const bucket = r.state_before === 0 ? newDone : r.state_before === 2 ? reviewDone : null;
    if (bucket) (bucket.get(r.deck_id) ?? bucket.set(r.deck_id, new Set()).get(r.deck_id)!).add(r.card_id);
    (notesToday.get(r.note_id) ?? notesToday.set(r.note_id, new Set()).get(r.note_id)!).add(r.card_id);
  }
  // Counted in SQL, one card per note (DISTINCT note_id, then LIMIT: SQLite stops at the limit):
  // materialising every due card of a 100,000-card collection as JS objects cost 10x more.
  // Burying: a note studied today (notesToday) or with a learning card shows no other card; a note
  // with a due review card shows no new sibling.
  const excluded = `note_id NOT IN (SELECT value FROM json_each(@excluded))`;
  const due = `deck_id = @deck AND state = 2 AND suspended = 0 AND retired = 0 AND due < @end`;
  // (A correlated probe per candidate, on the note's own cards: LIMIT keeps the candidates few.)
  const fresh = `deck_id = @deck AND state = 0 AND suspended = 0 AND retired = 0 AND ${excluded}
    AND NOT EXISTS (SELECT 1 FROM cards s WHERE s.note_id = cards.note_id AND s.state = 2 AND s.suspended = 0
      AND s.retired = 0 AND s.due < @end)`;
  type P = { deck: number; end: number; excluded: string; limit: number };
  const learningQ = db.prepare<[number, number], QueueCard>(
    `SELECT id, note_id, deck_id, state, due FROM cards WHERE deck_id = ? AND state IN (1, 3) AND suspended = 0 AND retired = 0 AND due < ? ORDER BY due`);
  const reviewCount = db.prepare<P, number>(`SELECT count(*) FROM (SELECT DISTINCT note_id FROM cards WHERE ${due} AND ${excluded} LIMIT @limit)`).pluck();
  const reviewFirst = db.prepare<Omit<P, 'limit'>, QueueCard>(`SELECT id, note_id, deck_id, state, due FROM cards WHERE ${due} AND ${excluded} ORDER BY due, id LIMIT 1`);
  const newCount = db.prepare<P, number>(`SELECT count(*) FROM (SELECT DISTINCT note_id FROM cards WHERE ${fresh} LIMIT @limit)`).pluck();
  const newFirst = db.prepare<Omit<P, 'limit'>, QueueCard>(`SELECT id, note_id, deck_id, state, due FROM cards WHERE ${fresh} ORDER BY new_pos, id LIMIT 1`);

  const out: DeckQueue[] = [];
  for (const d of decks) {
    const cfg = deckConfig(d.config);
    const learning = learningQ.all(d.id, end);
    const notes = new Set(notesToday.keys());
    for (const c of learning) notes.add(c.note_id);
    const p = { deck: d.id, end, excluded: JSON.stringify([...notes]) };
    const reviewLeft = Math.max(0, cfg.reviewsPerDay - (reviewDone.get(d.id)?.size ?? 0));
    const newLeft = Math.max(0, cfg.newPerDay - (newDone.get(d.id)?.size ?? 0));
    const q: DeckQueue = { deckId: d.id, learning, reviewCount: 0, newCount: 0 };
    if (reviewLeft > 0 && (q.reviewCount = reviewCount.get({ ...p, limit: reviewLeft })!) > 0) q.nextReview = reviewFirst.get(p);
    if (newLeft > 0 && (q.newCount = newCount.get({ ...p, limit: newLeft })!) > 0) q.nextNew = newFirst.get(p);
    out.push(q);
  }
  return out;
}

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
  learning: QueueCard[];
  review: QueueCard[];
  fresh: QueueCard[];
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
  const buried = (c: QueueCard) => {
    const cards = notesToday.get(c.note_id);
    return cards != null && !(cards.size === 1 && cards.has(c.id));
  };

  const learningQ = db.prepare<[number, number], QueueCard>(
    `SELECT id, note_id, deck_id, state, due FROM cards WHERE deck_id = ? AND state IN (1, 3) AND suspended = 0 AND retired = 0 AND due < ? ORDER BY due`);
  const reviewQ = db.prepare<[number, number], QueueCard>(
    `SELECT id, note_id, deck_id, state, due FROM cards WHERE deck_id = ? AND state = 2 AND suspended = 0 AND retired = 0 AND due < ? ORDER BY due, id`);
  const newQ = db.prepare<[number], QueueCard>(
    `SELECT id, note_id, deck_id, state, due FROM cards WHERE deck_id = ? AND state = 0 AND suspended = 0 AND retired = 0 ORDER BY new_pos, id`);

  const out: DeckQueue[] = [];
  const shownNotes = new Set<number>();
  for (const d of decks) {
    const cfg = deckConfig(d.config);
    const learning = learningQ.all(d.id, end);
    for (const c of learning) shownNotes.add(c.note_id);
    const review: QueueCard[] = [];
    const reviewLeft = Math.max(0, cfg.reviewsPerDay - (reviewDone.get(d.id)?.size ?? 0));
    if (reviewLeft > 0) {
      for (const c of reviewQ.iterate(d.id, end)) {
        if (buried(c) || shownNotes.has(c.note_id)) continue;
        shownNotes.add(c.note_id);
        review.push(c);
        if (review.length >= reviewLeft) break;
      }
    }
    const fresh: QueueCard[] = [];
    const newLeft = Math.max(0, cfg.newPerDay - (newDone.get(d.id)?.size ?? 0));
    if (newLeft > 0) {
      for (const c of newQ.iterate(d.id)) {
        if (notesToday.has(c.note_id) || shownNotes.has(c.note_id)) continue;
        shownNotes.add(c.note_id);
        fresh.push(c);
        if (fresh.length >= newLeft) break;
      }
    }
    out.push({ deckId: d.id, learning, review, fresh });
  }
  return out;
}

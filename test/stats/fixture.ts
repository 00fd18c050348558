// Hand-built collections for the statistics tests: real temporary databases, review-log rows
// written directly with pinned dates (TZ=Asia/Seoul from vitest.config.ts).
import { join } from 'node:path';
import { DB_FILE, type Collection } from '../../src/core/collection.js';
import { openTemp, writeDeck } from '../helpers/tmp.js';

export const DAY = 86_400_000;

/** Local (Seoul) wall-clock time. Month is 1-based here. */
export const at = (y: number, m: number, d: number, h = 12, min = 0) => new Date(y, m - 1, d, h, min, 0, 0);

function deckText(name: string, n: number, front = ''): string {
  let s = `---\nname: ${name}\n${front}---\n`;
  for (let i = 1; i <= n; i++) s += `\nQ: ${name} question ${i}\nA: answer ${i}\n`;
  return s;
}

export interface Fixture {
  col: Collection;
  /** The database file. */
  dbPath: string;
  /** Card ids per deck name, in file order. */
  cards: Record<string, number[]>;
  deckId: (name: string) => number;
}

/**
 * Three decks: '수학' (6 cards), its sub-deck '수학::선형대수' (3 cards) and 'other' (3 cards, retention 0.85).
 */
export function makeFixture(opts: { dayStartHour?: number; syncAt?: Date } = {}): Fixture {
  const { col, decks, data } = openTemp({ dayStartHour: opts.dayStartHour ?? 4 });
  writeDeck(decks, 'math.md', deckText('수학', 6));
  writeDeck(decks, 'linalg.md', deckText('수학::선형대수', 3));
  writeDeck(decks, 'other.md', deckText('other', 3, 'retention: 0.85\n'));
  col.sync([decks], opts.syncAt ?? at(2025, 1, 1));
  const cards: Record<string, number[]> = {};
  for (const r of col.db.prepare('SELECT c.id, d.name FROM cards c JOIN decks d ON d.id = c.deck_id ORDER BY c.id').all() as { id: number; name: string }[]) {
    (cards[r.name] ??= []).push(r.id);
  }
  return { col, dbPath: join(data, DB_FILE), cards, deckId: (name) => col.deckIdByName(name)! };
}

export interface ReviewRow {
  card: number;
  at: Date;
  rating: 1 | 2 | 3 | 4;
  /** State before the answer (default 2, review). */
  state?: 0 | 1 | 2 | 3;
  /** Scheduled interval before the answer, in days (due_before − last_review_before). Default 10. */
  ivl?: number;
  /** Days since the last review (default: ivl). */
  elapsed?: number;
  stability?: number;
  difficulty?: number;
  ms?: number;
  exercise?: unknown;
  /** Raw text for the exercise column (to store malformed JSON). */
  exerciseRaw?: string;
}

/** Append one review-log row as Collection.answer would, without touching the card. */
export function addReview(col: Collection, r: ReviewRow): number {
  const state = r.state ?? 2;
  const ivl = r.ivl ?? 10;
  const elapsed = state === 0 ? 0 : r.elapsed ?? ivl;
  const t = r.at.getTime();
  const last = state === 0 ? null : Math.round(t - elapsed * DAY);
  const dueBefore = state === 0 ? t : Math.round((last as number) + ivl * DAY);
  const stability = state === 0 ? 0 : r.stability ?? ivl;
  const exercise = r.exerciseRaw ?? (r.exercise === undefined ? null : JSON.stringify(r.exercise));
  const info = col.db.prepare(`INSERT INTO revlog (card_id, reviewed_at, rating, state_before, due_before, stability_before, difficulty_before,
      elapsed_days, last_review_before, card_before, state_after, due_after, stability_after, difficulty_after, scheduled_days, duration_ms, exercise)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?, ?, ?)`).run(
    r.card, t, r.rating, state, dueBefore, stability, r.difficulty ?? (state === 0 ? 0 : 5), elapsed, last,
    r.rating === 1 ? 3 : 2, t + DAY, stability + 1, 5, 1, r.ms ?? 1000, exercise);
  return Number(info.lastInsertRowid);
}

/** Set a card's scheduling state directly. */
export function setCard(col: Collection, id: number, c: { state: number; due: Date | number; stability?: number; difficulty?: number; lastReview?: Date | number | null; suspended?: boolean; retired?: boolean }): void {
  const ms = (x: Date | number) => (typeof x === 'number' ? x : x.getTime());
  col.db.prepare(`UPDATE cards SET state = ?, due = ?, stability = ?, difficulty = ?, last_review = ?, suspended = ?, retired = ? WHERE id = ?`).run(
    c.state, ms(c.due), c.stability ?? 0, c.difficulty ?? 0, c.lastReview == null ? null : ms(c.lastReview), c.suspended ? 1 : 0, c.retired ? 1 : 0, id);
}

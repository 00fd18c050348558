// The core facade the UI and the CLI call. It owns the database; callers pass `now` in.
import { join } from 'node:path';
import { openDatabase, type DB } from './db.js';
import { renderCloze } from './cloze.js';
import { UserError } from './errors.js';
import { buildQueues, deckConfig, type DeckQueue, type QueueCard } from './queue.js';
import { CARD_COLUMNS, LEECH_LAPSES, cardToRow, elapsedDays, nextDayStart, previewIntervals, schedule, schedulerFor, type CardRow } from './scheduler.js';
import { computeToday } from './stats.js';
import { syncRoots } from './sync.js';
import type { CardView, DeckSummary, ExerciseRecord, Grade, IntervalPreview, NoteKind, SessionSummary, SyncReport } from './types.js';

export interface CollectionOptions {
  /** FSRS fuzz (on by default; tests turn it off). */
  fuzz?: boolean;
  /** Hour at which a study day starts, local time (default 4, like Anki). */
  dayStartHour?: number;
  /** Learning cards due within this many minutes are shown early when nothing else is left (Anki: 20). */
  learnAheadMinutes?: number;
}

export const DB_FILE = 'collection.db';

export class Collection {
  readonly db: DB;
  readonly fuzz: boolean;
  readonly dayStartHour: number;
  readonly learnAheadMs: number;

  private constructor(readonly dataDir: string, db: DB, opts: CollectionOptions) {
    this.db = db;
    this.fuzz = opts.fuzz ?? true;
    const hour = opts.dayStartHour ?? Number(this.getMeta('day_start_hour') ?? 4);
    if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new UserError(`day start hour must be 0–23, got ${hour}`);
    this.dayStartHour = hour;
    this.learnAheadMs = (opts.learnAheadMinutes ?? 20) * 60_000;
  }

  /** Open (and create or migrate) the collection in `dataDir`; ':memory:' for a throwaway one. */
  static open(dataDir: string, opts: CollectionOptions = {}): Collection {
    const db = openDatabase(dataDir === ':memory:' ? ':memory:' : join(dataDir, DB_FILE));
    return new Collection(dataDir, db, opts);
  }

  close(): void {
    if (!this.db.open) return;
    // Fold the WAL into the database while nobody waits (see openDatabase); PASSIVE never blocks.
    if (!this.db.readonly && this.dataDir !== ':memory:') this.db.pragma('wal_checkpoint(PASSIVE)');
    this.db.close();
  }

  getMeta(key: string): string | undefined {
    return (this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  setMeta(key: string, value: string): void {
    this.db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** Deck folders the collection syncs at every start. */
  roots(): string[] {
    return this.db.prepare<[], { path: string }>('SELECT path FROM roots ORDER BY id').all().map((r) => r.path);
  }

  removeRoot(path: string): boolean {
    return this.db.prepare('DELETE FROM roots WHERE path = ?').run(path).changes > 0;
  }

  sync(roots: string[], now: Date, opts: { dryRun?: boolean } = {}): SyncReport {
    return syncRoots(this.db, roots, { now, dryRun: opts.dryRun });
  }

  deckIdByName(name: string): number | undefined {
    const exact = this.db.prepare<[string], { id: number }>('SELECT id FROM decks WHERE name = ?').get(name);
    if (exact) return exact.id;
    const ci = this.db.prepare<[string], { id: number }>('SELECT id FROM decks WHERE lower(name) = lower(?)').all(name);
    return ci.length === 1 ? ci[0].id : undefined;
  }

  decks(now: Date): DeckSummary[] {
    const queues = new Map(buildQueues(this.db, { now, dayStartHour: this.dayStartHour }).map((q) => [q.deckId, q]));
    // One pass over the cards table for every deck's totals.
    const rows = this.db.prepare<[], { id: number; name: string; description: string | null; total: number; suspended: number; retired: number }>(
      `SELECT d.id, d.name, d.description, coalesce(t.total, 0) AS total, coalesce(t.suspended, 0) AS suspended, coalesce(t.retired, 0) AS retired
       FROM decks d LEFT JOIN (SELECT deck_id, sum(retired = 0) AS total, sum(retired = 0 AND suspended = 1) AS suspended, sum(retired = 1) AS retired
         FROM cards GROUP BY deck_id) t ON t.deck_id = d.id ORDER BY d.name`).all();
    return rows
      .filter((r) => r.total > 0)
      .map((r) => {
        const q = queues.get(r.id);
        return {
          id: r.id,
          name: r.name,
          description: r.description ?? undefined,
          newCount: q?.newCount ?? 0,
          learningCount: q?.learning.length ?? 0,
          reviewCount: q?.reviewCount ?? 0,
          total: r.total,
          suspended: r.suspended,
          retired: r.retired,
        };
      });
  }

  session(opts: { deckId?: number; now: Date }): ReviewSession {
    return new ReviewSession(this, opts.deckId);
  }

  /** The card as the review screen shows it. */
  cardView(cardId: number): CardView {
    const r = this.db.prepare<[number], CardRow & { note_id: number; ord: string; deck_id: number; guid: string; kind: NoteKind; front: string; back: string; tags: string; line: number; deck_name: string; file: string | null }>(
      `SELECT c.id, c.note_id, c.ord, c.deck_id, ${CARD_COLUMNS.split(', ').map((k) => `c.${k}`).join(', ')},
         n.guid, n.kind, n.front, n.back, n.tags, n.line, d.name AS deck_name,
         (SELECT r.path || '/' || f.rel_path FROM files f JOIN roots r ON r.id = f.root_id WHERE f.id = n.file_id) AS file
       FROM cards c JOIN notes n ON n.id = c.note_id JOIN decks d ON d.id = c.deck_id WHERE c.id = ?`).get(cardId);
    if (!r) throw new Error(`card ${cardId} not found`);
    let front = r.front;
    let back = r.back;
    if (r.kind === 'reversible' && r.ord === 'rev') [front, back] = [r.back, r.front];
    else if (r.kind === 'cloze') {
      const n = Number(r.ord.slice(1));
      front = renderCloze(r.front, n, 'front');
      back = renderCloze(r.front, n, 'back') + (r.back ? `\n\n${r.back}` : '');
    } else if (r.kind === 'exercise') {
      front = '';
      back = '';
    }
    return {
      cardId: r.id, noteId: r.note_id, noteGuid: r.guid, deckId: r.deck_id, deckName: r.deck_name, kind: r.kind, ord: r.ord,
      front, back, tags: r.tags ? r.tags.split(' ') : [], file: r.file ?? '', line: r.line, state: r.state, due: new Date(r.due),
      reps: r.reps, lapses: r.lapses, leech: r.lapses >= LEECH_LAPSES, exerciseSource: r.kind === 'exercise' ? r.front : undefined,
    };
  }

  cardRow(cardId: number): CardRow & { deck_id: number; config: string } {
    const row = this.db.prepare<[number], CardRow & { deck_id: number; config: string }>(
      `SELECT c.id, c.deck_id, ${CARD_COLUMNS.split(', ').map((k) => `c.${k}`).join(', ')}, d.config FROM cards c JOIN decks d ON d.id = c.deck_id WHERE c.id = ?`).get(cardId);
    if (!row) throw new Error(`card ${cardId} not found`);
    return row;
  }

  preview(cardId: number, now: Date): IntervalPreview[] {
    const row = this.cardRow(cardId);
    return previewIntervals(schedulerFor(deckConfig(row.config), this.fuzz), row, now);
  }

  /** Grade a card: the new state and the review-log row are written in one transaction. Returns the revlog id. */
  answer(cardId: number, grade: Grade, now: Date, durationMs: number, exercise?: ExerciseRecord): number {
    if (![1, 2, 3, 4].includes(grade)) throw new UserError(`grade must be 1–4, got ${grade}`);
    const tx = this.db.transaction(() => {
      const row = this.cardRow(cardId);
      const { card } = schedule(schedulerFor(deckConfig(row.config), this.fuzz), row, grade, now);
      const after = cardToRow(card);
      this.db.prepare(`UPDATE cards SET due = @due, stability = @stability, difficulty = @difficulty, elapsed_days = @elapsed_days,
        scheduled_days = @scheduled_days, learning_steps = @learning_steps, reps = @reps, lapses = @lapses, state = @state,
        last_review = @last_review WHERE id = @id`).run({ ...after, id: cardId });
      const { config: _c, deck_id: _d, id: _i, ...before } = row;
      const info = this.db.prepare(`INSERT INTO revlog (card_id, reviewed_at, rating, state_before, due_before, stability_before,
        difficulty_before, elapsed_days, last_review_before, card_before, state_after, due_after, stability_after, difficulty_after,
        scheduled_days, duration_ms, source, exercise) VALUES (@card_id, @reviewed_at, @rating, @state_before, @due_before,
        @stability_before, @difficulty_before, @elapsed_days, @last_review_before, @card_before, @state_after, @due_after,
        @stability_after, @difficulty_after, @scheduled_days, @duration_ms, 'review', @exercise)`).run({
        card_id: cardId, reviewed_at: now.getTime(), rating: grade, state_before: row.state, due_before: row.due,
        stability_before: row.stability, difficulty_before: row.difficulty, elapsed_days: elapsedDays(row.last_review, now.getTime()),
        last_review_before: row.last_review, card_before: JSON.stringify(before), state_after: after.state, due_after: after.due,
        stability_after: after.stability, difficulty_after: after.difficulty, scheduled_days: after.scheduled_days,
        duration_ms: Math.max(0, Math.round(durationMs)), exercise: exercise ? JSON.stringify(exercise) : null,
      });
      return Number(info.lastInsertRowid);
    });
    return tx();
  }

  /**
   * Undo one answer: restore the card's state from before it and remove the review-log row.
   * Returns the card and, for an exercise, what it asked (so the same draw can be shown again).
   */
  undoAnswer(revlogId: number): { cardId: number; exercise?: ExerciseRecord } | null {
    const tx = this.db.transaction(() => {
      const r = this.db.prepare<[number], { card_id: number; card_before: string; exercise: string | null }>(
        'SELECT card_id, card_before, exercise FROM revlog WHERE id = ?').get(revlogId);
      if (!r) return null;
      const before = JSON.parse(r.card_before) as Omit<CardRow, 'id'>;
      this.db.prepare(`UPDATE cards SET due = @due, stability = @stability, difficulty = @difficulty, elapsed_days = @elapsed_days,
        scheduled_days = @scheduled_days, learning_steps = @learning_steps, reps = @reps, lapses = @lapses, state = @state,
        last_review = @last_review WHERE id = @id`).run({ ...before, id: r.card_id });
      this.db.prepare('DELETE FROM revlog WHERE id = ?').run(revlogId);
      return { cardId: r.card_id, exercise: r.exercise ? (JSON.parse(r.exercise) as ExerciseRecord) : undefined };
    });
    return tx();
  }

  setSuspended(cardId: number, suspended: boolean): void {
    this.db.prepare('UPDATE cards SET suspended = ? WHERE id = ?').run(suspended ? 1 : 0, cardId);
  }

  /** Unsuspend every suspended card (of the given decks); returns how many. */
  unsuspendAll(deckIds?: number[]): number {
    const scope = deckIds ? `AND deck_id IN (${deckIds.map(() => '?').join(',')})` : '';
    return this.db.prepare(`UPDATE cards SET suspended = 0 WHERE suspended = 1 ${scope}`).run(...(deckIds ?? [])).changes;
  }

  /** A deck and its sub-decks (`A` and `A::…`). */
  deckTree(deckId: number): number[] {
    const name = (this.db.prepare('SELECT name FROM decks WHERE id = ?').get(deckId) as { name: string } | undefined)?.name;
    if (name == null) throw new UserError(`no deck with id ${deckId}`);
    // Not LIKE: deck names may contain % and _.
    return this.db.prepare<{ name: string }, { id: number }>("SELECT id FROM decks WHERE name = @name OR substr(name, 1, length(@name) + 2) = @name || '::'")
      .all({ name }).map((r) => r.id);
  }

  queues(now: Date, deckIds?: number[]): DeckQueue[] {
    return buildQueues(this.db, { now, dayStartHour: this.dayStartHour, deckIds });
  }

  /**
   * What tomorrow's study day will ask for: review cards due before it ends (including today's
   * leftovers) and (re)learning cards that fall due during it. Learning cards due later today are
   * today's work, not tomorrow's.
   */
  dueTomorrow(now: Date, deckIds?: number[]): number {
    const start = nextDayStart(now, this.dayStartHour).getTime();
    const end = nextDayStart(new Date(start), this.dayStartHour).getTime();
    const scope = deckIds ? `AND deck_id IN (${deckIds.map(() => '?').join(',')})` : '';
    return (this.db.prepare(`SELECT count(*) AS n FROM cards WHERE suspended = 0 AND retired = 0 ${scope}
      AND ((state = 2 AND due < ?) OR (state IN (1, 3) AND due >= ? AND due < ?))`)
      .get(...(deckIds ?? []), end, start, end) as { n: number }).n;
  }
}

/** One review session over all decks or one deck (with its sub-decks). */
type SessionStep = { kind: 'answer'; revlogId: number } | { kind: 'suspend'; cardId: number };

export class ReviewSession {
  private readonly deckIds?: number[];
  private readonly deckId?: number;
  /** What this session did, newest last: what undo takes back. */
  private readonly history: SessionStep[] = [];

  constructor(private readonly col: Collection, deckId?: number) {
    if (deckId != null) this.deckIds = col.deckTree(deckId);
    this.deckId = deckId;
  }

  private pick(now: Date): { card: QueueCard | null; laterLearning: QueueCard | null; queues: DeckQueue[] } {
    const queues = this.col.queues(now, this.deckIds);
    const t = now.getTime();
    const learning = queues.flatMap((q) => q.learning).sort((a, b) => a.due - b.due);
    const dueLearning = learning.find((c) => c.due <= t);
    if (dueLearning) return { card: dueLearning, laterLearning: null, queues };
    const review = queues.flatMap((q) => (q.nextReview ? [q.nextReview] : [])).sort((a, b) => a.due - b.due)[0];
    if (review) return { card: review, laterLearning: null, queues };
    const fresh = queues.find((q) => q.nextNew)?.nextNew;
    if (fresh) return { card: fresh, laterLearning: null, queues };
    const soon = learning[0];
    if (soon && soon.due - t <= this.col.learnAheadMs) return { card: soon, laterLearning: null, queues };
    return { card: null, laterLearning: soon ?? null, queues };
  }

  /**
   * What to show now, from one build of today's queue: the card (null when nothing is due now), what
   * is left today, and when the next learning card falls due if only those remain later today.
   */
  next(now: Date): { card: CardView | null; counts: { new: number; learning: number; review: number }; waitUntil: Date | null } {
    const { card, laterLearning, queues } = this.pick(now);
    return {
      card: card ? this.col.cardView(card.id) : null,
      counts: {
        new: queues.reduce((s, q) => s + q.newCount, 0),
        learning: queues.reduce((s, q) => s + q.learning.length, 0),
        review: queues.reduce((s, q) => s + q.reviewCount, 0),
      },
      waitUntil: card || !laterLearning ? null : new Date(laterLearning.due),
    };
  }

  current(now: Date): CardView | null {
    return this.next(now).card;
  }

  counts(now: Date): { new: number; learning: number; review: number } {
    return this.next(now).counts;
  }

  nextLearningDue(now: Date): Date | null {
    return this.next(now).waitUntil;
  }

  preview(cardId: number, now: Date): IntervalPreview[] {
    return this.col.preview(cardId, now);
  }

  answer(cardId: number, grade: Grade, now: Date, durationMs: number, exercise?: ExerciseRecord): void {
    this.history.push({ kind: 'answer', revlogId: this.col.answer(cardId, grade, now, durationMs, exercise) });
  }

  /** Take a card out of the reviews until it is unsuspended (`srs unsuspend`); undo brings it back. */
  suspend(cardId: number): void {
    this.col.setSuspended(cardId, true);
    this.history.push({ kind: 'suspend', cardId });
  }

  canUndo(): boolean {
    return this.history.length > 0;
  }

  /** Undo the last answer of this session; the card comes back (an exercise with the seed it was shown with). */
  undo(_now: Date): (CardView & { exerciseSeed?: number }) | null {
    const step = this.history.pop();
    if (step == null) return null;
    if (step.kind === 'suspend') {
      this.col.setSuspended(step.cardId, false);
      return this.col.cardView(step.cardId);
    }
    const undone = this.col.undoAnswer(step.revlogId);
    if (!undone) return null;
    return { ...this.col.cardView(undone.cardId), exerciseSeed: undone.exercise?.seed };
  }

  summary(now: Date): SessionSummary {
    const ids = this.history.flatMap((h) => (h.kind === 'answer' ? [h.revlogId] : []));
    let reviewed = 0;
    let again = 0;
    let timeMs = 0;
    if (ids.length) {
      const r = this.col.db.prepare(`SELECT count(*) AS n, sum(rating = 1) AS again, sum(duration_ms) AS t FROM revlog WHERE id IN (${ids.map(() => '?').join(',')})`)
        .get(...ids) as { n: number; again: number; t: number };
      reviewed = r.n;
      again = r.again ?? 0;
      timeMs = r.t ?? 0;
    }
    const t = computeToday(this.col, { now, deckId: this.deckId });
    return {
      reviewed, again, againRate: reviewed ? again / reviewed : 0, timeMs, dueTomorrow: this.col.dueTomorrow(now, this.deckIds),
      today: { reviews: t.reviews, timeMs: t.timeMs, againRate: t.againRate, newCards: t.newCards },
    };
  }
}

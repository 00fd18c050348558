// Opening the collection database and migrating its schema.
// One migration per schema step, each in its own transaction; PRAGMA user_version records the step.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { UserError } from './errors.js';

export type DB = Database.Database;

/**
 * Whether an exercise answer was right: 1, 0, or NULL when unchecked or unreadable (never an error,
 * even on bad JSON). Indexed by migration 2: queries must use this exact text to use the index, and
 * it must never change (a released migration is never edited).
 */
export const REVLOG_EXERCISE_CORRECT = `CASE WHEN json_valid(exercise) THEN exercise ->> '$.correct' END`;

/**
 * FSRS's predicted recall at the answer, R = (1 + factor · t/S)^decay with t = elapsed_days and
 * S = stability_before, for the forgetting curve of the default FSRS parameters (decay −0.1542,
 * factor 0.98034649; see forgettingCurve() in stats.ts). Indexed by migration 3, so the statistics
 * read it from the index instead of calling pow() per review; SQLite computes it when a row is
 * written, so Collection.answer and the history import need no change. Like REVLOG_EXERCISE_CORRECT,
 * queries must use this exact text, and it must never change: with other curve constants the
 * statistics compute R per row from the same index (same figures, only slower).
 */
export const REVLOG_RECALL_R = 'pow(1 + 0.98034649 * (elapsed_days / stability_before), -0.1542)';

/** Schema migrations. Index i migrates from user_version i to i + 1. Never edit a released step. */
const MIGRATIONS: string[] = [
  // 1: decks, deck files, notes, cards, review log.
  `
  CREATE TABLE decks (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT,
    source TEXT,
    config TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE roots (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    added_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    root_id INTEGER NOT NULL REFERENCES roots(id) ON DELETE CASCADE,
    rel_path TEXT NOT NULL,
    deck_id INTEGER REFERENCES decks(id),
    mtime_ms INTEGER NOT NULL DEFAULT 0,
    size INTEGER NOT NULL DEFAULT 0,
    hash TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'error', 'missing')),
    error TEXT,
    meta TEXT NOT NULL DEFAULT '{}',
    synced_at INTEGER NOT NULL,
    UNIQUE (root_id, rel_path)
  ) STRICT;

  CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    guid TEXT NOT NULL UNIQUE,
    deck_id INTEGER NOT NULL REFERENCES decks(id),
    file_id INTEGER REFERENCES files(id) ON DELETE SET NULL,
    line INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL DEFAULT 0,
    kind TEXT NOT NULL,
    explicit_id TEXT UNIQUE,
    front TEXT NOT NULL,
    back TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '',
    content_hash TEXT NOT NULL,
    front_hash TEXT NOT NULL,
    back_hash TEXT NOT NULL,
    retired_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX notes_deck ON notes(deck_id);
  CREATE INDEX notes_file ON notes(file_id);

  CREATE TABLE cards (
    id INTEGER PRIMARY KEY,
    note_id INTEGER NOT NULL REFERENCES notes(id) ON DELETE CASCADE,
    deck_id INTEGER NOT NULL REFERENCES decks(id),
    ord TEXT NOT NULL,
    new_pos INTEGER NOT NULL DEFAULT 0,
    due INTEGER NOT NULL,
    stability REAL NOT NULL DEFAULT 0,
    difficulty REAL NOT NULL DEFAULT 0,
    elapsed_days INTEGER NOT NULL DEFAULT 0,
    scheduled_days INTEGER NOT NULL DEFAULT 0,
    learning_steps INTEGER NOT NULL DEFAULT 0,
    reps INTEGER NOT NULL DEFAULT 0,
    lapses INTEGER NOT NULL DEFAULT 0,
    state INTEGER NOT NULL DEFAULT 0,
    last_review INTEGER,
    suspended INTEGER NOT NULL DEFAULT 0,
    retired INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (note_id, ord)
  ) STRICT;
  CREATE INDEX cards_queue ON cards(deck_id, state, due) WHERE suspended = 0 AND retired = 0;
  CREATE INDEX cards_new ON cards(deck_id, new_pos) WHERE state = 0 AND suspended = 0 AND retired = 0;

  -- Append-only review log. One row per answer; enough to rebuild every card by replaying it.
  CREATE TABLE revlog (
    id INTEGER PRIMARY KEY,
    card_id INTEGER NOT NULL REFERENCES cards(id) ON DELETE CASCADE,
    reviewed_at INTEGER NOT NULL,
    rating INTEGER NOT NULL CHECK (rating BETWEEN 0 AND 4),
    state_before INTEGER NOT NULL,
    due_before INTEGER NOT NULL,
    stability_before REAL NOT NULL,
    difficulty_before REAL NOT NULL,
    elapsed_days REAL NOT NULL,
    last_review_before INTEGER,
    card_before TEXT NOT NULL,
    state_after INTEGER NOT NULL,
    due_after INTEGER NOT NULL,
    stability_after REAL NOT NULL,
    difficulty_after REAL NOT NULL,
    scheduled_days INTEGER NOT NULL,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL DEFAULT 'review',
    exercise TEXT
  ) STRICT;
  CREATE INDEX revlog_card ON revlog(card_id, reviewed_at);
  CREATE INDEX revlog_time ON revlog(reviewed_at);

  CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;
  `,
  // 2: indexes for the statistics (index-only scans of the review log). revlog_stats starts with
  // reviewed_at, so it also serves everything revlog_time served.
  `
  CREATE INDEX revlog_stats ON revlog(reviewed_at, rating, state_before, duration_ms, due_before, last_review_before, card_id);
  CREATE INDEX revlog_recall ON revlog(elapsed_days / stability_before, rating, state_before, elapsed_days, stability_before, reviewed_at, last_review_before, card_id)
    WHERE state_before != 0 AND stability_before > 0;
  CREATE INDEX revlog_exercise ON revlog(reviewed_at, rating, (${REVLOG_EXERCISE_CORRECT}), card_id) WHERE exercise IS NOT NULL;
  DROP INDEX revlog_time;
  `,
  // 3: revlog_recall again, now also holding the predicted recall (REVLOG_RECALL_R), and only for the
  // answers the calibration counts (rating ≥ 1). Still ordered by t/S first (the calibration bins are
  // t/S ranges, and rows of equal t/S have equal R, so its sums come out bit for bit as before);
  // state_before, elapsed_days and stability_before stay in it so that it remains a covering index.
  // The calibration read 0.9 M rows calling pow() on each: ~40 % of its time on the bench.
  `
  DROP INDEX revlog_recall;
  CREATE INDEX revlog_recall ON revlog(elapsed_days / stability_before, ${REVLOG_RECALL_R}, rating, reviewed_at, last_review_before, card_id,
    state_before, elapsed_days, stability_before)
    WHERE state_before != 0 AND stability_before > 0 AND rating >= 1;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export function openDatabase(path: string, opts: { readonly?: boolean } = {}): DB {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: DB;
  try {
    db = new Database(path, { readonly: opts.readonly ?? false });
  } catch (e) {
    throw new UserError(`cannot open the collection database ${path}: ${(e as Error).message}`,
      'check that the folder exists and is writable, or choose another with --data DIR');
  }
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  if (!opts.readonly) {
    if (path !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Answers are small writes that must feel instant: checkpoint the WAL into the database less often
    // (every 10,000 pages, ~40 MB, instead of 1,000), and when the collection is closed (Collection.close),
    // so a checkpoint rarely lands between two cards. A 16 MB page cache keeps the indexes an answer
    // touches in memory on large collections (the default is 2 MB).
    db.pragma('wal_autocheckpoint = 10000');
    db.pragma('cache_size = -16384');
    migrate(db, path);
  }
  return db;
}

export function migrate(db: DB, label = 'database'): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new UserError(
      `${label} was written by a newer version of srs (schema ${version}; this version knows up to ${SCHEMA_VERSION}).`,
      'upgrade srs, or point --data at another collection folder; the database was not changed',
    );
  }
  for (let v = version; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/**
 * Run `fn` (inside a transaction) with the review log's secondary indexes dropped, then build them
 * again from their stored definitions: for a bulk insert of many review rows, building an index once
 * is much faster than updating it row by row at random places. `keep` names indexes `fn` reads.
 */
export function withRevlogIndexesDeferred<T>(db: DB, keep: string[], fn: () => T): T {
  if (!db.inTransaction) throw new Error('withRevlogIndexesDeferred must run inside a transaction');
  const indexes = (db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'revlog' AND sql IS NOT NULL")
    .all() as { name: string; sql: string }[]).filter((i) => !keep.includes(i.name));
  for (const i of indexes) db.exec(`DROP INDEX "${i.name.replace(/"/g, '""')}"`);
  const result = fn();
  for (const i of indexes) db.exec(i.sql);
  return result;
}


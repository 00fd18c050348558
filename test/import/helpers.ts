import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Collection } from '../../src/core/collection.js';
import type { ImportOptions } from '../../src/core/import/index.js';
import { openTemp, T0 } from '../helpers/tmp.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The shared real-world fixtures (beside the repository, never inside it). */
export const FIXTURES = resolve(HERE, '../../../shared/fixtures');

/** Whether a fixture folder exists; warns visibly when it does not (the tests using it are skipped). */
export function haveFixtures(sub: string): boolean {
  const dir = join(FIXTURES, sub);
  const ok = existsSync(dir);
  if (!ok) console.warn(`[import tests] skipping tests on real exports: ${dir} not found (the fixtures live in ../shared/fixtures beside the repository)`);
  return ok;
}

export const fixture = (...parts: string[]) => join(FIXTURES, ...parts);

export function write(path: string, data: string | Uint8Array): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
  return path;
}

/** Every file below `dir` with a hash of its content (hidden files too). */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = createHash('sha1').update(readFileSync(p)).digest('hex').slice(0, 12);
    }
  };
  walk(dir);
  return out;
}

/** The collection's content, enough to see that nothing changed. */
export function dbState(col: Collection): unknown {
  const q = (sql: string) => col.db.prepare(sql).all();
  return {
    decks: q('SELECT name FROM decks ORDER BY name'),
    roots: q('SELECT path FROM roots ORDER BY path'),
    notes: q('SELECT guid, explicit_id, front, back, retired_at FROM notes ORDER BY guid'),
    cards: q('SELECT note_id, ord, state, due, stability, reps, retired FROM cards ORDER BY id'),
    revlog: q('SELECT card_id, reviewed_at, rating, source FROM revlog ORDER BY id'),
  };
}

export const count = (col: Collection, sql: string): number => (col.db.prepare(sql).get() as { n: number }).n;

/** A temporary collection and deck folder, and import options writing into <decks>/imported. */
export function setup() {
  const t = openTemp();
  const base = join(t.decks, '..');
  const into = join(t.decks, 'imported');
  const opts = (extra: Partial<ImportOptions> = {}): ImportOptions => ({ now: T0, targetDir: into, ...extra });
  return { ...t, base, into, opts };
}

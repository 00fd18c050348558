import { mkdtempSync, mkdirSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { Collection } from '../../src/core/collection.js';

const dirs: string[] = [];
const cols: Collection[] = [];

afterEach(() => {
  for (const c of cols.splice(0)) c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

export function tempDir(prefix = 'srs-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

let tick = 1_700_000_000;
/** Write a file and give it a fresh mtime, so the sync sees a change even within one millisecond. */
export function writeDeck(root: string, rel: string, text: string): string {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  tick += 10;
  utimesSync(p, tick, tick);
  return p;
}

export function openTemp(opts: { fuzz?: boolean; dayStartHour?: number } = {}): { col: Collection; data: string; decks: string } {
  const base = tempDir();
  const data = join(base, 'data');
  const decks = join(base, 'decks');
  mkdirSync(decks, { recursive: true });
  const col = Collection.open(data, { fuzz: false, ...opts });
  cols.push(col);
  return { col, data, decks };
}

/** A fixed moment: 2026-03-02 10:00 in the test time zone (TZ=Asia/Seoul, set in vitest.config.ts). */
export const T0 = new Date(2026, 2, 2, 10, 0, 0);
export const minutes = (d: Date, m: number) => new Date(d.getTime() + m * 60_000);
export const days = (d: Date, n: number) => new Date(d.getTime() + n * 86_400_000);

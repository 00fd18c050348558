// Statistics over a large synthetic collection: 100,000 cards and 1,000,000 review-log rows written
// directly with prepared statements in one transaction, then computeStats timed (target < 500 ms for
// all figures, peak RSS < 250 MB). bench/bench.ts imports this module and calls benchStats().
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Collection } from '../src/core/collection.js';
import { dayStart } from '../src/core/scheduler.js';
import { computeStats } from '../src/core/stats.js';

const DAY = 86_400_000;

/** A small deterministic PRNG (mulberry32), so every run writes the same collection. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DECK_NAMES = [
  '딥러닝', '딥러닝::배치 정규화', '딥러닝::잠재 공간', '딥러닝::손실 곡선', 'ml::down-up sampling', 'ml::few-data learning',
  'ml::deployment', 'ml::cross-entropy', '통계::확률', '통계::추정', 'languages::日本語', 'languages::español', 'math::linear algebra',
  'math::calculus', 'math::probability', 'cs::algorithms', 'cs::databases', 'cs::networks', 'cs::compilers', 'misc',
];

/** Fill an open, empty collection with `cards` cards and `reviews` review-log rows ending at `now`. */
export function fillCollection(col: Collection, now: Date, cards: number, reviews: number, seed = 1): void {
  const r = rng(seed);
  const db = col.db;
  const t0 = now.getTime();
  db.transaction(() => {
    const insDeck = db.prepare('INSERT INTO decks (name, config, created_at) VALUES (?, ?, ?)');
    const deckIds = DECK_NAMES.map((n, i) => Number(insDeck.run(n, JSON.stringify(i % 4 === 0 ? { retention: 0.85 } : {}), t0).lastInsertRowid));
    const insNote = db.prepare(`INSERT INTO notes (guid, deck_id, kind, front, back, content_hash, front_hash, back_hash, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, '', '', '', ?, ?)`);
    const insCard = db.prepare(`INSERT INTO cards (note_id, deck_id, ord, new_pos, due, stability, difficulty, elapsed_days, scheduled_days,
      reps, lapses, state, last_review, suspended, retired, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (let i = 0; i < cards; i++) {
      const deck = deckIds[i % deckIds.length];
      const kind = i % 20 === 0 ? 'exercise' : 'basic';
      const note = Number(insNote.run(`n${i}`, deck, kind, `${i}번 질문: 배치 정규화의 평균과 분산은?`, `answer ${i}`, t0, t0).lastInsertRowid);
      const x = r();
      const state = x < 0.25 ? 0 : x < 0.3 ? 1 : x < 0.95 ? 2 : 3;
      const stability = state === 0 ? 0 : Math.exp(r() * 6 - 1); // 0.37 … 150 days
      const difficulty = state === 0 ? 0 : 1 + r() * 9;
      const ivl = state === 2 ? Math.max(1, Math.round(stability * (0.5 + r()))) : 0;
      const last = state === 0 ? null : t0 - Math.floor(r() * Math.max(1, ivl) * DAY * 1.3);
      const due = state === 0 ? t0 : state === 2 ? (last as number) + ivl * DAY : t0 + Math.floor((r() - 0.5) * DAY);
      insCard.run(note, deck, kind === 'exercise' ? 'ex' : 'fwd', i, due, stability, difficulty, ivl, state === 0 ? 0 : 1 + Math.floor(r() * 12),
        Math.floor(r() * 3), state, last, r() < 0.01 ? 1 : 0, r() < 0.005 ? 1 : 0, t0);
    }
    // Reviews: two years, newest densest, with the odd day off; ids grow with time as in real use.
    const insRev = db.prepare(`INSERT INTO revlog (card_id, reviewed_at, rating, state_before, due_before, stability_before, difficulty_before,
      elapsed_days, last_review_before, card_before, state_after, due_after, stability_after, difficulty_after, scheduled_days, duration_ms, exercise)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    const span = 730 * DAY;
    const step = span / reviews;
    for (let i = 0; i < reviews; i++) {
      let t = Math.floor(t0 - span + i * step + r() * step);
      if (Math.floor(dayStart(new Date(t), 4).getTime() / DAY) % 61 === 17) t += DAY; // a day off now and then: its reviews move to the next
      const card = 1 + Math.floor(r() * cards);
      const x = r();
      const sb = x < 0.1 ? 0 : x < 0.2 ? 1 : x < 0.9 ? 2 : 3;
      const s = sb === 0 ? 0 : Math.exp(r() * 6 - 1);
      const d = sb === 0 ? 0 : 1 + r() * 9;
      const ivl = sb === 2 ? Math.max(1, Math.round(s)) : 0;
      const elapsed = sb === 0 ? 0 : sb === 2 ? ivl * (0.8 + r() * 0.6) : r() * 0.02;
      const last = sb === 0 ? null : Math.floor(t - elapsed * DAY);
      const dueBefore = sb === 0 ? t : (last as number) + Math.max(ivl, 0.007) * DAY;
      const pRecall = sb === 0 ? 0.7 : Math.pow(1 + (19 / 81) * elapsed / s, -0.5);
      const rating = r() < pRecall ? (r() < 0.1 ? 2 : r() < 0.9 ? 3 : 4) : 1;
      const cardBefore = JSON.stringify({ due: dueBefore, stability: s, difficulty: d, elapsed_days: Math.floor(elapsed), scheduled_days: ivl,
        learning_steps: 0, reps: 3, lapses: 0, state: sb, last_review: last });
      const ex = card % 20 === 1 ? JSON.stringify({ seed: i, given: '0.5', expected: '0.5', correct: rating > 1 }) : null;
      insRev.run(card, Math.min(t, t0 - 1000), rating, sb, Math.floor(dueBefore), s, d, elapsed, last, cardBefore, rating === 1 ? 3 : 2,
        Math.floor(t + Math.max(1, s) * DAY), s * 1.5, d, Math.round(s), 2000 + Math.floor(r() * 20000), ex);
    }
  })();
}

function time<T>(fn: () => T): [T, number] {
  const t = process.hrtime.bigint();
  const v = fn();
  return [v, Number(process.hrtime.bigint() - t) / 1e6];
}

const round = (x: number) => Math.round(x * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Measure the statistics on a filled collection (run in a child process: its peak RSS is the stats' own). */
function measure(dataDir: string, now: Date): Record<string, number> {
  const col = Collection.open(dataDir, { fuzz: false });
  const out: Record<string, number> = {};
  // First call (cold statements, warm OS cache), then the median of 5.
  const [first, firstMs] = time(() => computeStats(col, { now }));
  out['stats, all figures, first call ms'] = round(firstMs);
  const runs: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 5; i++) {
    const c = process.cpuUsage();
    runs.push(time(() => computeStats(col, { now }))[1]);
    const u = process.cpuUsage(c);
    cpu.push((u.user + u.system) / 1000);
  }
  out['stats, all figures ms (median of 5)'] = round(median(runs));
  out['  CPU time of the same, ms (median of 5)'] = round(median(cpu));
  const deckId = first.decks.find((d) => d.name === '딥러닝')!.id;
  const deckRuns: number[] = [];
  for (let i = 0; i < 5; i++) deckRuns.push(time(() => computeStats(col, { now, deckId }))[1]);
  out['stats, one deck with sub-decks ms (median of 5)'] = round(median(deckRuns));
  const longRuns: number[] = [];
  for (let i = 0; i < 3; i++) longRuns.push(time(() => computeStats(col, { now, days: 365 }))[1]);
  out['stats, --days 365 ms (median of 3)'] = round(median(longRuns));
  out['review-log rows in the last year'] = first.calendar.total;
  col.close();
  out['stats peak RSS MB'] = round(process.resourceUsage().maxRSS / 1024);
  return out;
}

// Child-process hook: `node dist/stats-bench.js --stats-bench-child DATA_DIR NOW_MS` measures and prints JSON.
if (process.argv[2] === '--stats-bench-child') {
  process.stdout.write(JSON.stringify(measure(process.argv[3], new Date(Number(process.argv[4])))) + '\n');
  process.exit(0);
}

export async function benchStats(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'srs-stats-bench-'));
  const now = new Date();
  try {
    const col = Collection.open(join(dir, 'data'), { fuzz: false });
    const [, fillMs] = time(() => fillCollection(col, now, 100_000, 1_000_000));
    col.db.pragma('wal_checkpoint(TRUNCATE)');
    col.close();
    const out: Record<string, number> = { 'write 100,000 cards + 1,000,000 reviews ms': round(fillMs) };
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--stats-bench-child', join(dir, 'data'), String(now.getTime())], { encoding: 'utf8', maxBuffer: 1 << 24 });
    if (r.status !== 0) throw new Error(`stats benchmark failed:\n${r.stderr}`);
    return { ...out, ...(JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

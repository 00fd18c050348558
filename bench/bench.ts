// `npm run bench`: synthetic collections in a temporary folder, each figure beside a baseline
// measured in the same run. Nothing here runs in the test suite; timings are never asserted by tests.
//
// Each scenario runs in a child process of its own so that peak RSS is the scenario's, not the sum.
import Database from 'better-sqlite3';
import matter from 'gray-matter';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Collection } from '../src/core/collection.js';
import { buildQueues } from '../src/core/queue.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SELF = fileURLToPath(import.meta.url);
const NOW = new Date();

type Figures = Record<string, number | string>;

// ---------------------------------------------------------------------------------------------
// Synthetic decks

const WORDS = ['배치', '정규화', 'layer', 'normalization', '평균', '분산', 'latent', 'space', '과대적합', '일반화', 'dropout', '검증', 'loss', '모델', 'feature', 'gradient'];
function sentence(seed: number, n: number): string {
  let s = '';
  let x = seed * 2654435761 >>> 0;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += (i ? ' ' : '') + WORDS[x % WORDS.length];
  }
  return s;
}

function writeDecks(dir: string, cards: number, files: number) {
  mkdirSync(dir, { recursive: true });
  const per = Math.ceil(cards / files);
  let k = 0;
  for (let f = 0; f < files; f++) {
    let text = `---\nname: bench::deck${String(f % 50).padStart(2, '0')}\ndescription: synthetic\n---\n\n# 섹션\n\n`;
    for (let i = 0; i < per && k < cards; i++, k++) {
      text += `Q: ${k}번 질문: ${sentence(k, 8)}?\nA: ${sentence(k + 7, 12)} \`code\` $\\gamma$\n\n`;
    }
    writeFileSync(join(dir, `file${String(f).padStart(4, '0')}.md`), text);
  }
}

function time<T>(fn: () => T): [T, number] {
  const t = process.hrtime.bigint();
  const r = fn();
  return [r, Number(process.hrtime.bigint() - t) / 1e6];
}

function pct(xs: number[], p: number) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

const round = (x: number) => Math.round(x * 100) / 100;

// ---------------------------------------------------------------------------------------------
// Scenarios (each runs in a child: `node dist/bench.js --scenario NAME DIR`)

function baselineImport(decks: string): number {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, file TEXT, front TEXT, back TEXT) STRICT');
  const [, ms] = time(() => {
    const ins = db.prepare('INSERT INTO t (file, front, back) VALUES (?, ?, ?)');
    const rows: [string, string, string][] = [];
    for (const f of readdirSync(decks)) {
      const { content } = matter(readFileSync(join(decks, f), 'utf8'), {});
      for (const block of content.split('\nQ: ').slice(1)) {
        const [q, a] = block.split('\nA: ');
        rows.push([f, q, a ?? '']);
      }
    }
    db.transaction(() => { for (const r of rows) ins.run(...r); })();
  });
  db.close();
  return ms;
}

function scenarioCollection(dir: string, cards: number, files: number, withLog: boolean): Figures {
  const decks = join(dir, 'decks');
  writeDecks(decks, cards, files);
  const base = baselineImport(decks);
  const col = Collection.open(join(dir, 'data'), { fuzz: true });
  const [rep, importMs] = time(() => col.sync([decks], NOW));
  if (rep.added !== cards) throw new Error(`expected ${cards} cards, got ${rep.added}`);
  const rssAfterImport = process.resourceUsage().maxRSS / 1024;
  const resync: number[] = [];
  for (let i = 0; i < 5; i++) resync.push(time(() => col.sync([decks], NOW))[1]);
  const out: Figures = {
    [`import ${cards} cards (${files} files) ms`]: round(importMs),
    [`  baseline gray-matter + one INSERT, ms`]: round(base),
    [`re-sync unchanged ${cards} ms (median of 5)`]: round(pct(resync, 50)),
    'peak RSS after import MB': round(rssAfterImport),
  };
  if (withLog) {
    // A year of history: make ~60 % of cards review cards and write 1,000,000 review-log rows.
    const ids = (col.db.prepare('SELECT id FROM cards').all() as { id: number }[]).map((r) => r.id);
    const [, logMs] = time(() => {
      const upd = col.db.prepare('UPDATE cards SET state = 2, stability = ?, difficulty = 5, due = ?, last_review = ?, reps = 3 WHERE id = ?');
      const ins = col.db.prepare(`INSERT INTO revlog (card_id, reviewed_at, rating, state_before, due_before, stability_before, difficulty_before,
        elapsed_days, card_before, state_after, due_after, stability_after, difficulty_after, scheduled_days, duration_ms)
        VALUES (?, ?, ?, 2, ?, 10, 5, 10, '{}', 2, ?, 12, 5, 12, 4000)`);
      col.db.transaction(() => {
        for (let i = 0; i < ids.length; i++) {
          if (i % 5 < 3) upd.run(5 + (i % 40), NOW.getTime() + ((i % 30) - 10) * 86_400_000, NOW.getTime() - 20 * 86_400_000, ids[i]);
        }
        for (let i = 0; i < 1_000_000; i++) {
          const t = NOW.getTime() - (i % 365) * 86_400_000 - (i % 1000) * 1000 - 86_400_000;
          ins.run(ids[i % ids.length], t, (i % 10) === 0 ? 1 : 3, t, t + 86_400_000 * 12);
        }
      })();
    });
    out['write 1,000,000 review-log rows ms'] = round(logMs);
    const q: number[] = [];
    for (let i = 0; i < 7; i++) q.push(time(() => buildQueues(col.db, { now: NOW, dayStartHour: 4 }))[1]);
    out[`today's queue on ${cards} cards ms (median of 7)`] = round(pct(q, 50));
    // Answer commits: p50 / p99 over 500 answers.
    const session = col.session({ now: NOW });
    const commits: number[] = [];
    const dueIds = (col.db.prepare('SELECT id FROM cards WHERE state = 2 AND due < ? LIMIT 500').all(NOW.getTime() + 86_400_000) as { id: number }[]).map((r) => r.id);
    for (const id of dueIds) commits.push(time(() => session.answer(id, 3, NOW, 3000))[1]);
    out['answer commit p50 ms'] = round(pct(commits, 50));
    out['answer commit p99 ms'] = round(pct(commits, 99));
    const [, deckMs] = time(() => col.decks(NOW));
    out['home screen deck counts ms'] = round(deckMs);
  }
  col.close();
  out['peak RSS MB'] = round(process.resourceUsage().maxRSS / 1024);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Start-up: process start to the first card on screen, in a pseudo-terminal (script(1)).

function firstCardMs(args: string[], env: NodeJS.ProcessEnv, marker: string, timeoutMs = 15000): Promise<number> {
  return new Promise((resolve, reject) => {
    const cmd = args.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    const t0 = process.hrtime.bigint();
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], { env: { ...env, COLUMNS: '100', LINES: '30', TERM: 'xterm-256color' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let buf = '';
    child.stdin.on('error', () => {}); // the baseline may have exited before we type 'q'
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no "${marker}" on screen after ${timeoutMs} ms; got: ${buf.slice(-500)}`)); }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString('utf8');
      if (buf.includes(marker)) {
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        clearTimeout(timer);
        child.stdin.write('q');
        setTimeout(() => child.kill('SIGKILL'), 300);
        resolve(ms);
      }
    });
  });
}

async function startupFigures(dir: string): Promise<Figures> {
  const decks = join(dir, 'decks');
  writeDecks(decks, 2000, 20);
  const data = join(dir, 'data');
  // Prepare the collection once so the measured start is a daily start (sync of unchanged decks).
  execFileSync('node', [join(ROOT, 'bin/srs.js'), '--data', data, '--decks', decks, 'decks'], { stdio: 'ignore' });
  const base: number[] = [];
  for (let i = 0; i < 5; i++) base.push(await firstCardMs(['node', '-e', 'process.stdout.write("ready\\n")'], process.env, 'ready'));
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    runs.push(await firstCardMs(['node', join(ROOT, 'bin/srs.js'), '--data', data, '--decks', decks, 'review'], { ...process.env, SRS_FUZZ: '1' }, '0번 질문'));
  }
  return {
    'first card on screen ms (median of 5, 2,000-card collection)': round(pct(runs, 50)),
    '  baseline node -e 0 in the same pty, ms': round(pct(base, 50)),
  };
}

// ---------------------------------------------------------------------------------------------

const TARGETS: [RegExp, number, string][] = [
  [/^import 10000 cards/, 1000, '< 1000'],
  [/^re-sync unchanged 10000/, 150, '< 150'],
  [/^today's queue on 100000/, 50, '< 50'],
  [/^answer commit p99/, 5, '< 5'],
  [/^first card on screen/, 400, '< 400'],
  [/^peak RSS MB$/, 200, '< 200 (100k scenario)'],
  [/^exercise draw\+render p99/, 5, '< 5'],
  [/^import s$/, 15, '< 15'],
  [/^import peak RSS MB$/, 400, '< 400'],
  [/^stats, all figures ms/, 500, '< 500'],
  [/^stats peak RSS MB$/, 250, '< 250'],
];

async function main() {
  const argv = process.argv.slice(2);
  if (argv[0] === '--scenario') {
    const [, name, dir] = argv;
    const figures = name === '10k' ? scenarioCollection(dir, 10_000, 100, false) : scenarioCollection(dir, 100_000, 1000, true);
    process.stdout.write(JSON.stringify(figures));
    return;
  }
  // `npm run bench -- startup exercise` runs only the named parts (10k, 100k, startup, exercise, import, stats).
  const only = new Set(argv);
  const want = (name: string) => only.size === 0 || only.has(name);
  const work = mkdtempSync(join(tmpdir(), 'srs-bench-'));
  const all: [string, Figures][] = [];
  try {
    for (const name of ['10k', '100k'].filter(want)) {
      const dir = join(work, name);
      mkdirSync(dir);
      const r = spawnSync(process.execPath, [SELF, '--scenario', name, dir], { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (r.status !== 0) throw new Error(`scenario ${name} failed:\n${r.stderr}`);
      all.push([`collection ${name}`, JSON.parse(r.stdout) as Figures]);
    }
    if (want('startup')) {
      const sdir = join(work, 'startup');
      mkdirSync(sdir);
      all.push(['start-up', await startupFigures(sdir)]);
    }
    for (const extra of ['exercise-bench', 'import-bench', 'stats-bench'].filter((e) => want(e.replace('-bench', '')))) {
      const url = new URL(`./${extra}.js`, import.meta.url).href; // built beside this file by scripts/build.mjs
      const mod = await import(url).catch(() => null);
      const fn = mod && (Object.values(mod).find((v) => typeof v === 'function') as (() => Promise<Figures>) | undefined);
      if (fn) all.push([extra, await fn()]);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  let failed = 0;
  for (const [title, figs] of all) {
    process.stdout.write(`\n${title}\n`);
    for (const [k, v] of Object.entries(figs)) {
      const t = TARGETS.find(([re]) => re.test(k));
      const verdict = t && typeof v === 'number' ? (v < t[1] ? `  target ${t[2]} ok` : `  target ${t[2]} MISSED`) : '';
      if (verdict.includes('MISSED')) failed++;
      process.stdout.write(`  ${k.padEnd(62)} ${String(v).padStart(10)}${verdict}\n`);
    }
  }
  process.stdout.write(`\n${failed ? `${failed} target(s) missed` : 'all targets met'}\n`);
}

await main();

// Import benchmark: a generated Anki package of 50,000 notes with 500,000 review-log rows (legacy
// collection.anki2 written with better-sqlite3, zipped with fflate), imported with its history into a
// fresh collection. Targets: < 15 s, peak RSS < 400 MB.
//
// `benchImport()` generates the package in a temporary folder, then runs the import in a child
// process (so that peak RSS is the import's alone): the child is this same script started again with
// `--import-bench-child DIR`, which the module-level hook below answers before anything else runs.
import { zipSync } from 'fflate';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Collection } from '../src/core/collection.js';
import { importPath } from '../src/core/import/index.js';
import { writeAnkiCollection, type SynthNote } from '../test/import/anki-fixture.js';

const NOTES = 50_000;
const REVIEWS_PER_CARD = 10;
const DAY = 86_400_000;
const CRT = 1_600_000_000;

const WORDS = ['gradient', 'batch', 'layer', 'norm', 'latent', 'space', 'dropout', 'loss', 'feature', 'vector', 'matrix', 'softmax', 'entropy', 'kernel'];
function words(seed: number, n: number): string {
  let x = (seed * 2654435761) >>> 0;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out.push(WORDS[x % WORDS.length]);
  }
  return out.join(' ');
}

function* notes(): Generator<SynthNote> {
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < NOTES; i++) {
    const t0 = start + (i % 300) * DAY;
    const revlog = [];
    let t = t0;
    let ivl = 1;
    for (let k = 0; k < REVIEWS_PER_CARD; k++) {
      const ease = k === 0 ? 3 : (i + k) % 9 === 0 ? 1 : 3;
      revlog.push({ id: t + i, ease, ivl: ease === 1 ? 1 : ivl, factor: 2500, type: k === 0 ? 0 : 1, time: 4000 + (i % 7) * 1000 });
      ivl = ease === 1 ? 1 : Math.max(1, Math.round(ivl * 2.3));
      t += ivl * DAY;
    }
    const due = Math.round((t / 1000 - CRT) / 86400);
    const html = i % 5 === 0
      ? [`Q${i}: what is the <b>${words(i, 2)}</b> of [$]x_{${i}}[/$]?`, `<div>${words(i + 1, 8)}</div><div><i>${words(i + 2, 4)}</i></div>`]
      : [`Q${i}: ${words(i, 8)}?`, `${words(i + 3, 12)}<br>${words(i + 4, 3)}`];
    yield {
      guid: `bench${i.toString(36)}`, type: 'basic', fields: html, tags: i % 3 ? ['bench'] : ['bench', 'hard'], deck: `Bench::Deck ${String(i % 50).padStart(2, '0')}`,
      cards: [{ ord: 0, type: 2, queue: 2, ivl, factor: 2500, reps: REVIEWS_PER_CARD, due, revlog }],
    };
  }
}

/** Generate the package; returns its path. */
export function generatePackage(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const col = join(dir, 'collection.anki2');
  writeAnkiCollection(col, { notes: notes(), crt: CRT });
  const pkg = join(dir, 'bench.apkg');
  writeFileSync(pkg, zipSync({ 'collection.anki2': new Uint8Array(readFileSync(col)), media: new TextEncoder().encode('{}') }, { level: 1 }));
  rmSync(col);
  return pkg;
}

/** Run one import of `pkg` into a fresh collection in `dir`, in this process. */
async function runImport(dir: string, pkg: string): Promise<Record<string, number>> {
  const col = Collection.open(join(dir, 'data'), { fuzz: false });
  try {
    const t = performance.now();
    const cpu0 = process.cpuUsage();
    const phases: Record<string, number> = {};
    let last = t;
    let phase = '';
    const r = await importPath(col, pkg, {
      now: new Date(), targetDir: join(dir, 'decks'),
      onProgress: (_d, _t, p) => {
        if (p !== phase) {
          const now = performance.now();
          if (phase) phases[`${phase} s`] = (phases[`${phase} s`] ?? 0) + (now - last) / 1000;
          phase = p;
          last = now;
        }
      },
    });
    const total = (performance.now() - t) / 1000;
    const cpu = process.cpuUsage(cpu0);
    if (phase) phases[`${phase} s`] = (phases[`${phase} s`] ?? 0) + (performance.now() - last) / 1000;
    const round = (x: number) => Math.round(x * 100) / 100;
    return {
      'import notes': r.notes, 'import cards': r.cards, 'import review rows': r.reviews,
      'import s': round(total), 'import CPU s': round((cpu.user + cpu.system) / 1e6), ...Object.fromEntries(Object.entries(phases).map(([k, v]) => [`import ${k}`, round(v)])),
      'import peak RSS MB': round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    col.close();
  }
}

// Child-process hook: `node <this script> --import-bench-child DIR` runs the import and prints JSON.
if (process.argv[2] === '--import-bench-child') {
  const dir = process.argv[3];
  const figures = await runImport(dir, join(dir, 'bench.apkg'));
  process.stdout.write(JSON.stringify(figures) + '\n');
  process.exit(0);
}

export async function benchImport(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'srs-import-bench-'));
  try {
    const t = performance.now();
    const pkg = generatePackage(dir);
    const gen = { 'import package MB': Math.round(statSync(pkg).size / 1024 / 1024 * 10) / 10, 'import generate s': Math.round((performance.now() - t) / 10) / 100 };
    // This module's own file (dist/import-bench.js), run as a child so its peak RSS is its own.
    const self = fileURLToPath(import.meta.url);
    if (existsSync(self)) {
      const r = spawnSync(process.execPath, [self, '--import-bench-child', dir], { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (r.status !== 0) throw new Error(`import benchmark failed:\n${r.stderr}`);
      return { ...gen, ...(JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, number>) };
    }
    return { ...gen, ...(await runImport(dir, pkg)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Argument parsing and dispatch. Interactive screens only when stdout is a terminal;
// plain text or --json otherwise. The Ink UI is loaded lazily so script commands start fast.
import { Command, Option } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Collection } from './core/collection.js';
import { checkPaths, formatIssue } from './core/check.js';
import { formatError, UserError } from './core/errors.js';
import type { ImportReport } from './core/import/index.js';
import type { SyncReport } from './core/types.js';
import stringWidth from 'string-width';

/** Pad by display width, so Korean (double-width) deck names line up. */
function padEnd(s: string, width: number): string {
  return s + ' '.repeat(Math.max(0, width - stringWidth(s)));
}

const PACKAGE_ROOT = findPackageRoot();
export const DEFAULT_DATA_DIR = join(PACKAGE_ROOT, 'data');
export const BUNDLED_DECKS_DIR = join(PACKAGE_ROOT, 'decks');

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

interface GlobalOpts {
  data: string;
  decks?: string;
  dayStart?: string;
}

/** Open the collection, run `fn`, and close it whatever happens. */
async function withCollection<T>(opts: GlobalOpts, fn: (col: Collection) => T | Promise<T>): Promise<T> {
  const col = openCollection(opts);
  try {
    return await fn(col);
  } finally {
    col.close();
  }
}

function openCollection(opts: GlobalOpts): Collection {
  const fuzz = process.env.SRS_FUZZ !== '0';
  const dayStartHour = opts.dayStart != null ? Number(opts.dayStart) : undefined;
  if (dayStartHour != null && (!Number.isInteger(dayStartHour) || dayStartHour < 0 || dayStartHour > 23)) {
    throw new UserError(`--day-start must be an hour from 0 to 23, got "${opts.dayStart}"`);
  }
  const col = Collection.open(resolve(opts.data), { fuzz, dayStartHour });
  if (dayStartHour != null) col.setMeta('day_start_hour', String(dayStartHour));
  return col;
}

/** Sync every deck folder the collection knows (plus --decks), registering the bundled decks on first use. */
function syncAll(col: Collection, opts: GlobalOpts, now: Date): SyncReport {
  const roots = new Set(col.roots());
  if (opts.decks) roots.add(resolve(opts.decks));
  if (roots.size === 0) roots.add(BUNDLED_DECKS_DIR);
  return col.sync([...roots], now);
}

function printIssues(report: { issues: ReturnType<typeof Array.prototype.slice> } | SyncReport, stream = process.stderr) {
  for (const i of (report as SyncReport).issues) stream.write(formatIssue(i) + '\n');
}

function syncLine(r: SyncReport): string {
  return `synced ${r.filesScanned} file(s): ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged, ${r.retired} retired` +
    (r.restored ? `, ${r.restored} restored` : '') + (r.filesFailed ? `, ${r.filesFailed} file(s) skipped because of errors` : '');
}

function printImport(r: ImportReport) {
  if (r.sync) printIssues(r.sync);
  const pre = r.dryRun ? '(dry run, nothing written) ' : '';
  process.stdout.write(`${pre}${r.format}: ${r.decks.length} deck(s), ${r.notes} note(s), ${r.cards} card(s), ${r.media} media file(s), ` +
    `${r.reviews} review row(s), ${r.scheduled ?? 0} card(s) scheduled${r.folder ? ` → ${r.folder}` : ''}\n`);
  for (const sk of r.skipped) process.stdout.write(`  skipped ${sk.count}: ${sk.reason}\n`);
  if (r.sync) process.stdout.write(pre + syncLine(r.sync) + '\n');
}

function deckNamed(col: Collection, name: string): number {
  const id = col.deckIdByName(name);
  if (id == null) throw new UserError(`no deck named "${name}"`, 'list the decks with `srs decks`');
  return id;
}

function requireTTY(what: string) {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    throw new UserError(`${what} is interactive and needs a terminal, but stdout/stdin is not a TTY.`,
      'run it in a terminal; for scripts use `srs decks --json`, `srs import PATH`, `srs check`');
  }
}

/**
 * Load an Ink screen module. yoga-layout (Ink's layout engine) is a web build of Emscripten: seeing a
 * global fetch, it fetch()es its own inlined wasm through Node's undici, which loads the whole fetch
 * stack first (about 40 ms of start-up here). Without fetch it decodes the inlined bytes directly.
 */
async function loadScreens<T>(load: () => Promise<T>): Promise<T> {
  const g = globalThis as { fetch?: unknown };
  const saved = g.fetch;
  g.fetch = undefined;
  try {
    return await load();
  } finally {
    g.fetch = saved;
  }
}

async function interactive(opts: GlobalOpts, startScreen: 'home' | 'review', deckName?: string) {
  requireTTY(startScreen === 'home' ? 'The review home screen' : '`srs review`');
  await withCollection(opts, async (col) => {
    const report = syncAll(col, opts, new Date());
    printIssues(report);
    const deckId = deckName ? deckNamed(col, deckName) : undefined;
    const { runApp } = await loadScreens(() => import('./ui/app.js'));
    await runApp({ collection: col, deckId, startScreen, syncReport: report });
  });
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('srs')
    .description('Spaced-repetition study in the terminal: Markdown decks, FSRS scheduling, SQLite history.')
    .addOption(new Option('--data <dir>', 'collection folder (holds collection.db)').env('SRS_DATA').default(DEFAULT_DATA_DIR, 'data/ of this package'))
    .addOption(new Option('--decks <dir>', 'deck folder or file to sync (added to the collection)').env('SRS_DECKS'))
    .addOption(new Option('--day-start <hour>', 'hour (0-23, local time) at which a study day starts; saved in the collection').env('SRS_DAY_START'))
    .showHelpAfterError()
    .action(async () => interactive(program.opts<GlobalOpts>(), 'home'));

  program.command('review')
    .description('review today\'s cards (all decks, or one deck and its sub-decks)')
    .argument('[deck]', 'deck name, e.g. "5장 예상문제"')
    .action(async (deck: string | undefined) => interactive(program.opts<GlobalOpts>(), 'review', deck));

  program.command('decks')
    .description('list decks with today\'s counts (new / learning / due)')
    .option('--json', 'print JSON')
    .action(async (o: { json?: boolean }) => {
      const opts = program.opts<GlobalOpts>();
      await withCollection(opts, async (col) => {
        const now = new Date();
        const report = syncAll(col, opts, now);
        printIssues(report);
        const decks = col.decks(now);
        if (o.json) {
          process.stdout.write(JSON.stringify({ decks, sync: { ...report, issues: report.issues.length } }, null, 2) + '\n');
          return;
        }
        if (!decks.length) {
          process.stdout.write('no decks yet: add some with `srs import PATH`\n');
          return;
        }
        const w = Math.max(4, ...decks.map((d) => stringWidth(d.name)));
        process.stdout.write(`${padEnd('deck', w)}   new  learn    due  total\n`);
        for (const d of decks) {
          process.stdout.write(`${padEnd(d.name, w)} ${String(d.newCount).padStart(5)} ${String(d.learningCount).padStart(6)} ${String(d.reviewCount).padStart(6)} ${String(d.total).padStart(6)}\n`);
        }
      });
    });

  program.command('stats')
    .description('progress statistics: today, streak, forecast, calendar, retention, calibration (all decks, or one deck)')
    .argument('[deck]', 'deck name (with its sub-decks)')
    .option('--days <n>', 'days of the review history and forecast charts', '30')
    .option('--json', 'print every figure as JSON')
    .action(async (deck: string | undefined, o: { days: string; json?: boolean }) => {
      const opts = program.opts<GlobalOpts>();
      const days = Number(o.days);
      if (!Number.isInteger(days) || days < 1 || days > 3650) throw new UserError(`--days must be a whole number from 1 to 3650, got "${o.days}"`);
      await withCollection(opts, async (col) => {
        const now = new Date();
        printIssues(syncAll(col, opts, now));
        const deckId = deck ? deckNamed(col, deck) : undefined;
        const { computeStats } = await import('./core/stats.js');
        if (o.json) {
          process.stdout.write(JSON.stringify(computeStats(col, { now, deckId, days }), null, 2) + '\n');
          return;
        }
        const ui = await loadScreens(() => import('./ui/stats/index.js'));
        if (process.stdout.isTTY && process.stdin.isTTY) await ui.runStats(col, { deckId, days });
        else process.stdout.write(ui.formatStatsText(computeStats(col, { now, deckId, days }), process.stdout.columns || 80));
      });
    });

  program.command('import')
    .description('import decks: Markdown (ours, Obsidian, hashcards), Anki .apkg/.colpkg/.anki2, CSV/TSV; re-importing updates, never duplicates')
    .argument('<path>', 'file or folder')
    .option('--dry-run', 'report what would be added, updated and skipped; write nothing')
    .option('--json', 'print the report as JSON')
    .option('--with-history', 'import review history and schedules (the default)')
    .option('--no-history', 'import content only: cards start new')
    .option('--columns <list>', 'CSV columns, e.g. front,back,tags (front, back, tags, deck, guid, notetype, ignore, or a field name)')
    .option('--separator <sep>', 'CSV separator: tab, comma, semicolon, pipe, or one character')
    .option('--deck <name>', 'deck for CSV rows that name none')
    .option('--html', 'CSV fields are HTML')
    .option('--no-html', 'CSV fields are plain text / Markdown')
    .option('--into <dir>', 'deck folder to write imported decks into (default: <deck folder>/imported)')
    .action(async (path: string, o: { dryRun?: boolean; json?: boolean; history?: boolean; columns?: string; separator?: string; deck?: string; html?: boolean; into?: string }) => {
      const opts = program.opts<GlobalOpts>();
      if (!existsSync(resolve(path))) throw new UserError(`no such file or folder: ${path}`);
      await withCollection(opts, async (col) => {
        const now = new Date();
        // Sync first (not on a dry run, which writes nothing) so the import lands beside known decks.
        if (!o.dryRun) printIssues(syncAll(col, opts, now));
        const base = opts.decks ? resolve(opts.decks) : col.roots().find((r) => existsSync(r) && statSync(r).isDirectory()) ?? BUNDLED_DECKS_DIR;
        const into = resolve(o.into ?? join(statSync(base).isDirectory() ? base : dirname(base), 'imported'));
        const tty = !!process.stderr.isTTY && !o.json;
        let lastPhase = '';
        // Loaded on demand: zip, zstd, CSV and HTML readers are not needed to review.
        const { importPath } = await import('./core/import/index.js');
        const report = await importPath(col, path, {
          now, targetDir: into, dryRun: o.dryRun, withHistory: o.history !== false,
          csv: { columns: o.columns?.split(',').map((c) => c.trim()), separator: o.separator, deck: o.deck, html: o.html },
          onProgress: (done, total, phase) => {
            if (tty) {
              const w = 30;
              const f = total ? Math.round((done / total) * w) : w;
              process.stderr.write(`\r${phase.padEnd(8)} [${'#'.repeat(f)}${'-'.repeat(w - f)}] ${done}/${total}   `);
            } else if (!o.json && phase !== lastPhase) process.stderr.write(`${phase}…\n`);
            lastPhase = phase;
          },
        });
        if (tty) process.stderr.write('\r\x1b[K');
        if (o.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
        else printImport(report);
        if (report.sync?.filesFailed) process.exitCode = 1;
      });
    });

  program.command('unsuspend')
    .description('bring suspended cards back into the reviews (all decks, or one deck and its sub-decks)')
    .argument('[deck]', 'deck name')
    .action(async (deck: string | undefined) => {
      await withCollection(program.opts<GlobalOpts>(), async (col) => {
        const deckIds = deck ? col.deckTree(deckNamed(col, deck)) : undefined;
        process.stdout.write(`unsuspended ${col.unsuspendAll(deckIds)} card(s)\n`);
      });
    });

  program.command('sync')
    .description('sync every deck folder of the collection and report what changed')
    .option('--json', 'print the report as JSON')
    .action(async (o: { json?: boolean }) => {
      const opts = program.opts<GlobalOpts>();
      await withCollection(opts, async (col) => {
        const report = syncAll(col, opts, new Date());
        if (o.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
        else {
          printIssues(report);
          process.stdout.write(syncLine(report) + '\n');
        }
        if (report.filesFailed) process.exitCode = 1;
      });
    });

  program.command('check')
    .description('validate deck files without touching the collection')
    .argument('[paths...]', 'files or folders (default: the bundled decks, or --decks)')
    .option('--json', 'print the issues as JSON')
    .option('--seeds <n>', 'random draws per exercise', '100')
    .action((paths: string[], o: { json?: boolean; seeds: string }) => {
      const opts = program.opts<GlobalOpts>();
      const targets = paths.length ? paths : [opts.decks ?? BUNDLED_DECKS_DIR];
      const result = checkPaths(targets.map((p) => resolve(p)), { seeds: Number(o.seeds) || 100 });
      if (o.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else {
        for (const i of result.issues) process.stdout.write(formatIssue(i) + '\n');
        process.stdout.write(`${result.files} file(s), ${result.notes} note(s), ${result.cards} card(s): ${result.errors} error(s), ${result.warnings} warning(s)\n`);
      }
      if (result.errors) process.exitCode = 1;
    });

  program.command('roots')
    .description('list the deck folders the collection syncs, or remove one')
    .option('--remove <path>', 'stop syncing this folder (its cards are kept, not deleted)')
    .action(async (o: { remove?: string }) => {
      await withCollection(program.opts<GlobalOpts>(), async (col) => {
        if (o.remove) {
          if (!col.removeRoot(resolve(o.remove))) throw new UserError(`not a deck folder of this collection: ${o.remove}`);
          process.stdout.write(`removed ${resolve(o.remove)}\n`);
        } else for (const r of col.roots()) process.stdout.write(r + '\n');
      });
    });
  return program;
}

async function main() {
  // `srs decks | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  try {
    await buildProgram().parseAsync(process.argv);
  } catch (e) {
    process.stderr.write(formatError(e) + '\n');
    process.exitCode = e instanceof UserError ? 2 : 70;
  }
}

await main();

// Importing decks from other tools. Imported content becomes Markdown deck files (native format,
// one file per deck, media beside them) under a target deck folder, which then syncs like any deck:
// content stays plain text, scheduling stays in SQLite. See docs/import.md.
//
// Safety: the source is read and converted completely before anything is written; files are
// written to a hidden staging folder and renamed into place; the sync and the review history are
// one transaction. If anything fails, the deck folder is put back and the transaction rolls back.
import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import type { Collection } from '../collection.js';
import type { DB } from '../db.js';
import { parseDeck } from '../deck.js';
import { UserError } from '../errors.js';
import { listDeckFiles, syncRoots } from '../sync.js';
import type { SyncReport } from '../types.js';
import { readAnki } from './anki.js';
import { Budget, DEFAULT_LIMITS, type Limits } from './archive.js';
import { readCsv } from './csv.js';
import { readHashcards } from './hashcards.js';
import { applySeeds } from './history.js';
import type { ImportSource, ScheduleSeed, TargetCard } from './model.js';
import { readObsidian } from './obsidian.js';
import { renderDeck, slug, type RenderedFile } from './render.js';

export type ImportFormat = 'markdown' | 'apkg' | 'colpkg' | 'anki-collection' | 'csv' | 'obsidian' | 'hashcards';

export interface ImportOptions {
  now: Date;
  /** Deck folder to write into, e.g. <repo>/decks/imported. Each source gets a folder inside it. */
  targetDir: string;
  /** Report what would be added, updated and skipped; write nothing. */
  dryRun?: boolean;
  /** Import review history / schedules (Anki review log, Obsidian `<!--SR:…-->`). Default: true. */
  withHistory?: boolean;
  csv?: { columns?: string[]; separator?: string; deck?: string; html?: boolean };
  /** Force a format instead of detecting it. */
  format?: ImportFormat;
  /** Decompression limits (default: 1 GiB in total and per entry, 1000-fold ratio above 16 MiB). */
  limits?: Partial<Limits>;
  /** Phases: 'read', 'write', 'sync', 'history'. */
  onProgress?: (done: number, total: number, phase: string) => void;
}

export interface ImportReport {
  format: string;
  /** Deck names written (or, for Markdown, synced). */
  decks: string[];
  notes: number;
  cards: number;
  /** Media files written (would be written, in a dry run). */
  media: number;
  /** Review-log rows imported (would be imported, in a dry run). */
  reviews: number;
  /** Cards that took a schedule from the source (review log replayed or a schedule carried over). */
  scheduled: number;
  skipped: { reason: string; count: number }[];
  /** Deck files written (would be written). */
  files: string[];
  /** The folder the source's deck files live in. */
  folder?: string;
  sync?: SyncReport;
  dryRun: boolean;
}

// ---------------------------------------------------------------------------------------------
// Format detection

const TOML_FRONT = /^---\n(?:\s*(?:#.*)?\n)*\s*[A-Za-z_][\w-]*\s*=\s*\S/;

/** What a Markdown text looks like: our format, Obsidian SR's, or hashcards'. */
export function detectMarkdownText(text: string): 'markdown' | 'obsidian' | 'hashcards' {
  const t = text.replace(/\r\n?/g, '\n');
  if (TOML_FRONT.test(t)) return 'hashcards';
  if (/(^|\s)#flashcards(\/|\s|$)/im.test(t) || /<!--SR:/.test(t)) return 'obsidian';
  const native = /^(Q|R|C|A):\s/m.test(t) || /^```exercise/m.test(t);
  if (/^C:/m.test(t) && !/\{\{c\d+::/.test(t) && /^C:.*\[[^\]\n]+\]/m.test(t)) return 'hashcards';
  if (native) return 'markdown';
  if (/^[^\n:]*[^\s:]\s*:{2,3}\s*\S/m.test(t) || /^\?{1,2}\s*$/m.test(t)) return 'obsidian';
  return 'markdown';
}

export function detectFormat(path: string): ImportFormat {
  const abs = resolve(path);
  if (!existsSync(abs)) throw new UserError(`no such file or folder: ${path}`);
  const st = statSync(abs);
  if (st.isDirectory()) {
    if (existsSync(join(abs, '.obsidian'))) return 'obsidian';
    const { files } = listDeckFiles(abs);
    const n = { markdown: 0, obsidian: 0, hashcards: 0 };
    for (const f of files.slice(0, 200)) {
      try {
        n[detectMarkdownText(readFileSync(join(abs, f), 'utf8').slice(0, 65536))]++;
      } catch {
        n.markdown++;
      }
    }
    // The majority decides; a folder that is mostly our own decks stays ours.
    if (n.hashcards > n.markdown && n.hashcards >= n.obsidian) return 'hashcards';
    if (n.obsidian > n.markdown) return 'obsidian';
    return 'markdown';
  }
  const ext = extname(abs).toLowerCase();
  if (ext === '.apkg') return 'apkg';
  if (ext === '.colpkg') return 'colpkg';
  if (ext === '.anki2' || ext === '.anki21' || ext === '.anki21b') return 'anki-collection';
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  const head = readHead(abs, 65536);
  if (ext === '.md' || ext === '.markdown') return detectMarkdownText(head.toString('utf8'));
  if (head[0] === 0x50 && head[1] === 0x4b) return 'apkg';
  if (head.subarray(0, 15).toString('latin1') === 'SQLite format 3' || (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd)) return 'anki-collection';
  if (!head.includes(0) && /[\t,;]/.test(head.toString('utf8'))) return 'csv';
  throw new UserError(`${basename(abs)}: unknown file type "${ext || '(no extension)'}"`,
    'import reads .apkg/.colpkg (Anki), .anki2/.anki21, .csv/.tsv/.txt, and Markdown (.md: native, Obsidian or hashcards)');
}

function readHead(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

// ---------------------------------------------------------------------------------------------
// Import

function loadSource(format: ImportFormat, abs: string, opts: ImportOptions, dayStartHour: number): ImportSource {
  const withHistory = opts.withHistory ?? true;
  switch (format) {
    case 'apkg': case 'colpkg': case 'anki-collection':
      return readAnki(abs, format, { withHistory, onProgress: opts.onProgress, budget: new Budget(basename(abs), { ...DEFAULT_LIMITS, ...opts.limits }) });
    case 'csv':
      return readCsv(abs, opts.csv);
    case 'obsidian': {
      const src = readObsidian(abs, { dayStartHour });
      if (!withHistory) for (const d of src.decks) for (const n of d.notes) delete n.cards;
      return src;
    }
    case 'hashcards':
      return readHashcards(abs);
    default:
      throw new Error(`no reader for ${format}`);
  }
}

/** The registered deck folder that holds `dir` (so imported files are not registered twice), else `dir`. */
function syncRootFor(db: DB, dir: string): string {
  const roots = db.prepare<[], { path: string }>('SELECT path FROM roots').all().map((r) => r.path);
  if (roots.includes(dir)) return dir;
  const holders = roots.filter((r) => dir.startsWith(r + sep) && existsSync(r) && statSync(r).isDirectory());
  holders.sort((a, b) => b.length - a.length);
  return holders[0] ?? dir;
}

/** Notes whose explicit id already belongs to a deck file elsewhere are left out: no duplicates. */
function dropForeignDuplicates(db: DB, src: ImportSource, folder: string): void {
  const ids = src.decks.flatMap((d) => d.notes.map((n) => n.id).filter((x): x is string => !!x));
  const elsewhere = new Map<string, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = db.prepare(`SELECT n.explicit_id AS id, r.path AS root, f.rel_path AS rel FROM notes n JOIN files f ON f.id = n.file_id
      JOIN roots r ON r.id = f.root_id WHERE n.retired_at IS NULL AND n.explicit_id IN (${chunk.map(() => '?').join(',')})`).all(...chunk) as { id: string; root: string; rel: string }[];
    for (const r of rows) {
      const file = join(r.root, r.rel);
      if (!file.startsWith(folder + sep)) elsewhere.set(r.id, file);
    }
  }
  if (!elsewhere.size) return;
  for (const d of src.decks) {
    d.notes = d.notes.filter((n) => {
      const file = n.id ? elsewhere.get(n.id) : undefined;
      if (file) src.skips.add('note already in the collection from another deck file (not duplicated)', relative(dirname(folder), file));
      return !file;
    });
  }
}

function renderAll(src: ImportSource): RenderedFile[] {
  const taken = new Set<string>();
  const header = `Imported from ${src.label} by \`srs import\`. Re-importing it rewrites this file.`;
  const out: RenderedFile[] = [];
  for (const deck of src.decks) {
    if (!deck.notes.length) continue;
    let base = slug(deck.name);
    if (/^readme$/i.test(base) || /^media$/i.test(base)) base += '-deck';
    let name = `${base}.md`;
    for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base}-${i}.md`;
    taken.add(name.toLowerCase());
    const file = renderDeck({ ...deck, source: deck.source ?? src.label }, name, header, src.skips);
    if (file.notes.length) out.push(file);
  }
  return out;
}

/** Write deck files and media into `dir`. Media names were made safe; this checks once more. */
function writeTree(dir: string, files: RenderedFile[], src: ImportSource, progress: (done: number, total: number) => void): number {
  mkdirSync(dir, { recursive: true });
  for (const f of files) {
    writeFileSync(join(dir, f.name), f.text);
    f.text = '';
  }
  if (!src.media.length) return 0;
  const mediaDir = join(dir, 'media');
  mkdirSync(mediaDir, { recursive: true });
  let n = 0;
  for (const m of src.media) {
    const p = resolve(mediaDir, m.name);
    if (!p.startsWith(mediaDir + sep)) { src.skips.add('media file with an unsafe name (not written)', m.name); continue; }
    writeFileSync(p, m.read());
    if (++n % 200 === 0) progress(n, src.media.length);
  }
  progress(n, src.media.length);
  return n;
}

/** After the sync: map foreign cards and seeds to our cards, then replay history (same transaction). */
function afterSync(db: DB, root: string, folder: string, files: RenderedFile[], src: ImportSource, opts: ImportOptions, dayStartHour: number): { reviews: number; scheduled: number } {
  const rootId = (db.prepare('SELECT id FROM roots WHERE path = ?').get(root) as { id: number } | undefined)?.id;
  if (rootId == null) return { reviews: 0, scheduled: 0 };
  const foreign = new Map<number, TargetCard>();
  const seeds: { cardId: number; seed: ScheduleSeed }[] = [];
  const notesOf = db.prepare<[number, string], { id: number; position: number }>(
    'SELECT n.id, n.position FROM notes n JOIN files f ON f.id = n.file_id WHERE f.root_id = ? AND f.rel_path = ? AND n.retired_at IS NULL');
  const cardsOf = db.prepare<[number, string], { id: number; note_id: number; ord: string; config: string; state: number; reps: number; has_log: number }>(
    `SELECT c.id, c.note_id, c.ord, d.config, c.state, c.reps, EXISTS (SELECT 1 FROM revlog r WHERE r.card_id = c.id) AS has_log
     FROM cards c JOIN notes n ON n.id = c.note_id JOIN files f ON f.id = n.file_id
     JOIN decks d ON d.id = c.deck_id WHERE f.root_id = ? AND f.rel_path = ? AND n.retired_at IS NULL AND c.retired = 0`);
  for (const file of files) {
    const rel = relative(root, join(folder, file.name)).split(sep).join('/');
    const byPos = new Map(notesOf.all(rootId, rel).map((r) => [r.position, r.id]));
    const cards = new Map(cardsOf.all(rootId, rel).map((c) => [`${c.note_id}|${c.ord}`, c]));
    file.notes.forEach((n, i) => {
      if (!n.cards) return;
      const noteId = byPos.get(i);
      for (const [ord, info] of Object.entries(n.cards)) {
        const card = noteId == null ? undefined : cards.get(`${noteId}|${ord}`);
        if (!card) {
          if (info.foreign != null) src.skips.add('card whose Anki template or cloze number has no card here (its history is not imported)', n.source);
          continue;
        }
        if (info.foreign != null) foreign.set(info.foreign, { cardId: card.id, config: card.config, state: card.state, reps: card.reps, hasLog: card.has_log === 1 });
        if (info.seed) seeds.push({ cardId: card.id, seed: info.seed });
      }
    });
  }
  let reviews = 0;
  let scheduled = 0;
  if (src.applyHistory && foreign.size) {
    const r = src.applyHistory(db, foreign, { now: opts.now, dayStartHour, progress: (d, t) => opts.onProgress?.(d, t, 'history') });
    reviews += r.reviews;
    scheduled += r.scheduled;
  }
  if (seeds.length) scheduled += applySeeds(db, seeds);
  return { reviews, scheduled };
}

/** Import a file or folder in any supported format. Throws UserError (and changes nothing) on bad input. */
export async function importPath(col: Collection, path: string, opts: ImportOptions): Promise<ImportReport> {
  const abs = resolve(path);
  const format = opts.format ?? detectFormat(abs);
  const dryRun = !!opts.dryRun;
  if (format === 'markdown') return importMarkdown(col, abs, opts);

  const targetDir = resolve(opts.targetDir);
  if (abs === targetDir || targetDir.startsWith(abs + sep)) {
    throw new UserError(`cannot import ${path} into ${opts.targetDir}: the target folder is inside the source`, 'choose another --into folder');
  }
  const src = loadSource(format, abs, opts, col.dayStartHour);
  try {
    const folder = join(targetDir, src.folder);
    dropForeignDuplicates(col.db, src, folder);
    const files = renderAll(src);
    const report: ImportReport = {
      format, decks: files.map((f) => f.deckName), notes: files.reduce((s, f) => s + f.noteCount, 0),
      cards: files.reduce((s, f) => s + f.cardCount, 0), media: 0, reviews: 0, scheduled: 0,
      skipped: [], files: files.map((f) => join(folder, f.name)), folder, dryRun,
    };
    const root = syncRootFor(col.db, targetDir);
    const progress = (phase: string) => (d: number, t: number) => opts.onProgress?.(d, t, phase);

    if (dryRun) {
      // Run the real sync and replay on a private in-memory copy of the collection, over a mirror
      // of the deck folder with the planned files in place: the report is exact; nothing is written.
      for (const m of src.media) m.read(); // fails here, as it would in a real import, on damaged media
      report.media = src.media.length;
      const mirror = mkdtempSync(join(tmpdir(), 'srs-import-dry-'));
      let copy: Database.Database | null = null;
      try {
        if (existsSync(root)) {
          for (const rel of listDeckFiles(root).files) {
            const from = join(root, rel);
            if (from.startsWith(folder + sep)) continue;
            mkdirSync(dirname(join(mirror, rel)), { recursive: true });
            copyFileSync(from, join(mirror, rel));
          }
        }
        const mirrorFolder = join(mirror, relative(root, folder));
        mkdirSync(mirrorFolder, { recursive: true });
        for (const f of files) writeFileSync(join(mirrorFolder, f.name), f.text);
        const image = col.db.serialize();
        image[18] = 1; // a WAL database serialises with the WAL flag set; the copy is a plain one
        image[19] = 1;
        copy = new Database(image);
        copy.pragma('foreign_keys = ON');
        copy.prepare('UPDATE roots SET path = ? WHERE path = ?').run(mirror, root);
        const c = copy;
        c.transaction(() => {
          opts.onProgress?.(0, 1, 'sync');
          report.sync = syncRoots(c, [mirror], { now: opts.now });
          opts.onProgress?.(1, 1, 'sync');
          const h = afterSync(c, mirror, mirrorFolder, files, src, opts, col.dayStartHour);
          report.reviews = h.reviews;
          report.scheduled = h.scheduled;
        })();
        for (const i of report.sync!.issues) if (i.file.startsWith(mirror)) i.file = root + i.file.slice(mirror.length);
      } finally {
        copy?.close();
        rmSync(mirror, { recursive: true, force: true });
      }
      report.skipped = src.skips.list();
      return report;
    }

    // Real import: stage, swap into place, then one transaction for the sync and the history.
    const created = firstMissingAncestor(targetDir);
    mkdirSync(targetDir, { recursive: true });
    recoverStale(targetDir);
    const staging = mkdtempSync(join(targetDir, '.srs-import-'));
    writeFileSync(join(staging, 'folder'), src.folder);
    const undoCreated = () => { if (created) rmSync(created, { recursive: true, force: true }); };
    let backup: string | null = null;
    try {
      opts.onProgress?.(0, src.media.length, 'write');
      report.media = writeTree(join(staging, 'new'), files, src, progress('write'));
      if (existsSync(folder)) {
        backup = join(staging, 'old');
        renameSync(folder, backup);
      }
      renameSync(join(staging, 'new'), folder);
    } catch (e) {
      if (backup && !existsSync(folder)) renameSync(backup, folder);
      rmSync(staging, { recursive: true, force: true });
      undoCreated();
      throw e;
    }
    // A large history touches every index of the review log at random places: give SQLite a bigger
    // page cache (32 MB at most, only as far as it is used) for the transaction, then the usual again.
    const cacheBefore = col.db.pragma('cache_size', { simple: true }) as number;
    col.db.pragma('cache_size = -32768');
    try {
      col.db.transaction(() => {
        opts.onProgress?.(0, 1, 'sync');
        report.sync = syncRoots(col.db, [root], { now: opts.now });
        opts.onProgress?.(1, 1, 'sync');
        const h = afterSync(col.db, root, folder, files, src, opts, col.dayStartHour);
        report.reviews = h.reviews;
        report.scheduled = h.scheduled;
      })();
    } catch (e) {
      rmSync(folder, { recursive: true, force: true });
      if (backup) renameSync(backup, folder);
      rmSync(staging, { recursive: true, force: true });
      undoCreated();
      throw e;
    } finally {
      col.db.pragma(`cache_size = ${cacheBefore}`);
    }
    rmSync(staging, { recursive: true, force: true });
    report.skipped = src.skips.list();
    return report;
  } finally {
    src.close();
  }
}

/**
 * Staging folders left by an import that was killed: if one holds a previous version of a deck
 * folder ("old") whose place is empty, that version is put back; then the leftover is removed.
 * Only folders older than ten minutes are touched, so a concurrent import is left alone.
 */
function recoverStale(targetDir: string): void {
  for (const name of readdirSync(targetDir)) {
    if (!name.startsWith('.srs-import-')) continue;
    const dir = join(targetDir, name);
    try {
      if (Date.now() - statSync(dir).mtimeMs < 10 * 60_000) continue;
      const folderFile = join(dir, 'folder');
      const folder = existsSync(folderFile) ? readFileSync(folderFile, 'utf8').trim() : '';
      if (folder && !folder.includes('/') && !folder.includes('\\') && existsSync(join(dir, 'old')) && !existsSync(join(targetDir, folder))) {
        renameSync(join(dir, 'old'), join(targetDir, folder));
      }
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Leave it for the next time.
    }
  }
}

/** The top-most folder of `dir` that does not exist yet (to remove it again if the import fails). */
function firstMissingAncestor(dir: string): string | null {
  let missing: string | null = null;
  let d = dir;
  while (!existsSync(d)) {
    missing = d;
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return missing;
}

/** Native Markdown decks: synced in place (as `srs import` always did). */
function importMarkdown(col: Collection, abs: string, opts: ImportOptions): ImportReport {
  const sync = col.sync([abs], opts.now, { dryRun: opts.dryRun });
  let notes = 0;
  let cards = 0;
  const files: string[] = [];
  if (existsSync(abs)) {
    const { base, files: rels } = listDeckFiles(abs);
    for (const rel of rels) {
      const p = join(base, rel);
      files.push(p);
      const res = parseDeck(readFileSync(p, 'utf8'), p, rel);
      if (!res.deck || res.issues.some((i) => i.severity === 'error')) continue;
      notes += res.deck.notes.length;
      cards += res.deck.notes.reduce((s, n) => s + n.ords.length, 0);
    }
  }
  return {
    format: 'markdown', decks: sync.decks, notes, cards, media: 0, reviews: 0, scheduled: 0,
    skipped: sync.filesFailed ? [{ reason: 'deck file with errors (see the sync issues)', count: sync.filesFailed }] : [],
    files, sync, dryRun: !!opts.dryRun,
  };
}

export { readAnki } from './anki.js';
export { readCsv } from './csv.js';
export { readHashcards, convertBracketCloze } from './hashcards.js';
export { readObsidian } from './obsidian.js';

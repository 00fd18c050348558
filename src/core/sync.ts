// Syncing deck folders into the collection, keeping every card's identity across everyday edits.
// Nothing is written into the Markdown. See docs/deck-format.md, "Identity".
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { DB } from './db.js';
import { parseDeck } from './deck.js';
import { newCardRow } from './scheduler.js';
import type { DeckConfig, DeckFileDraft, DeckIssue, NoteDraft, SyncReport } from './types.js';

interface FileRow {
  id: number;
  root_id: number;
  rel_path: string;
  mtime_ms: number;
  size: number;
  hash: string;
  status: 'ok' | 'error' | 'missing';
  deck_id: number | null;
}

interface NoteRow {
  id: number;
  guid: string;
  deck_id: number;
  file_id: number | null;
  line: number;
  kind: string;
  explicit_id: string | null;
  front: string;
  back: string;
  tags: string;
  content_hash: string;
  front_hash: string;
  back_hash: string;
  retired_at: number | null;
}

interface Incoming {
  draft: NoteDraft;
  fileId: number;
  relPath: string;
  position: number;
  deckName: string;
  contentHash: string;
  frontHash: string;
  backHash: string;
  match?: NoteRow;
}

const DECK_EXT = /\.(md|markdown)$/i;
const SKIP_DIRS = new Set(['node_modules', '.git', '.obsidian', '.trash']);

export function normalize(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
}

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

export function noteHashes(d: Pick<NoteDraft, 'kind' | 'front' | 'back'>) {
  const f = normalize(d.front);
  const b = normalize(d.back);
  return { contentHash: sha1(`${d.kind}\u0000${f}\u0000${b}`), frontHash: sha1(f), backHash: sha1(b) };
}

/** Markdown files below `dir` (absolute paths, in path order), skipping hidden entries, node_modules and the like. */
export function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (!SKIP_DIRS.has(e.name)) walk(p);
      } else if (e.isFile() && DECK_EXT.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** All deck files below a root (a folder or a single file), as paths relative to the root's folder. */
export function listDeckFiles(root: string): { base: string; files: string[] } {
  const st = statSync(root);
  if (st.isFile()) return { base: dirname(root), files: [basename(root)] };
  const files = markdownFiles(root)
    .filter((p) => !/^readme\.(md|markdown)$/i.test(basename(p)))
    .map((p) => relative(root, p).split(sep).join('/'));
  return { base: root, files };
}

/** Character-trigram Dice similarity of two normalised strings, 0..1. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 3 || b.length < 3) return a === b ? 1 : 0;
  const grams = (s: string) => {
    const m = new Map<string, number>();
    for (let i = 0; i + 3 <= s.length; i++) {
      const g = s.slice(i, i + 3);
      m.set(g, (m.get(g) ?? 0) + 1);
    }
    return m;
  };
  const ga = grams(a);
  const gb = grams(b);
  let common = 0;
  for (const [g, n] of ga) common += Math.min(n, gb.get(g) ?? 0);
  return (2 * common) / (a.length - 2 + b.length - 2);
}

export interface SyncOptions {
  now: Date;
  /** Parse and match, report what would change, write nothing. */
  dryRun?: boolean;
}

interface Changed {
  rel: string;
  abs: string;
  mtime: number;
  size: number;
  hash: string;
  row?: FileRow;
  draft?: DeckFileDraft;
  /** Set when the file failed to parse: its cards stay as they are. */
  errors?: DeckIssue[];
}

interface Scan {
  rootId: number | null;
  rootPath: string;
  base: string;
  changed: Changed[];
  touchedOnly: { row: FileRow; mtime: number; size: number }[];
  missing: FileRow[];
  missingRoot: boolean;
}

/**
 * Register (if needed) and sync the given roots. All database writes happen in one transaction:
 * an interrupted sync leaves the collection as it was.
 */
export function syncRoots(db: DB, rootPaths: string[], opts: SyncOptions): SyncReport {
  const now = opts.now.getTime();
  const report: SyncReport = { added: 0, updated: 0, unchanged: 0, retired: 0, restored: 0, filesScanned: 0, filesSkipped: 0, filesFailed: 0, decks: [], issues: [] };
  const rootRow = db.prepare<[string], { id: number }>('SELECT id FROM roots WHERE path = ?');
  const filesOfRoot = db.prepare<[number], FileRow>('SELECT id, root_id, rel_path, mtime_ms, size, hash, status, deck_id FROM files WHERE root_id = ?');

  // A path inside a deck folder the collection already syncs is synced as part of that folder, so a
  // file is never known under two roots (its cards would be counted twice).
  const known = db.prepare<[], { path: string }>('SELECT path FROM roots').all().map((r) => r.path);
  const outer = (p: string) => known.find((r) => p !== r && p.startsWith(r + sep)) ?? p;
  const paths = [...new Set(rootPaths.map((p) => outer(resolve(p))))];

  // 1. Find the files that changed: stat every file, read only those whose size or mtime moved.
  const scans: Scan[] = [];
  for (const rootPath of paths) {
    const existing = rootRow.get(rootPath);
    const scan: Scan = { rootId: existing?.id ?? null, rootPath, base: rootPath, changed: [], touchedOnly: [], missing: [], missingRoot: false };
    scans.push(scan);
    if (!existsSync(rootPath)) {
      scan.missingRoot = true;
      report.issues.push({ file: rootPath, line: 0, severity: existing ? 'warning' : 'error', message: existing ? 'deck folder not found; its cards are kept unchanged' : 'no such file or folder', hint: existing ? 'restore the folder, or remove it from the collection with `srs roots --remove PATH`' : 'check the path' });
      continue;
    }
    const { base, files } = listDeckFiles(rootPath);
    scan.base = base;
    const known = new Map<string, FileRow>();
    if (scan.rootId != null) for (const r of filesOfRoot.all(scan.rootId)) known.set(r.rel_path, r);
    // A new root that contains registered ones takes their files over (see adoptNestedRoots).
    else for (const n of nestedRoots(db, rootPath)) for (const r of filesOfRoot.all(n.id)) known.set(n.relPath(r.rel_path), r);
    const seen = new Set<string>();
    for (const rel of files) {
      seen.add(rel);
      report.filesScanned++;
      const abs = join(base, rel);
      const st = statSync(abs);
      const mtime = Math.trunc(st.mtimeMs);
      const row = known.get(rel);
      if (row && row.status === 'ok' && row.mtime_ms === mtime && row.size === st.size) {
        report.filesSkipped++;
        continue;
      }
      const hash = sha1(readFileSync(abs, 'utf8'));
      if (row && row.status === 'ok' && row.hash === hash) {
        scan.touchedOnly.push({ row, mtime, size: st.size });
        report.filesSkipped++;
        continue;
      }
      scan.changed.push({ rel, abs, mtime, size: st.size, hash, row });
    }
    for (const [rel, row] of known) if (!seen.has(rel) && row.status !== 'missing') scan.missing.push(row);
  }

  // 2. When no known note can have moved or changed (a first import, new files only), each file is
  // parsed and written on its own, so a 100,000-card import never holds every note in memory.
  // Otherwise all changed files are parsed first and matched together (cards move between files).
  const hasNotes = db.prepare<[number], { x: number }>('SELECT 1 AS x FROM notes WHERE file_id = ? LIMIT 1');
  const streaming = !db.prepare('SELECT 1 FROM notes WHERE retired_at IS NOT NULL LIMIT 1').get() &&
    !scans.some((s) => s.missing.some((r) => hasNotes.get(r.id)) || s.changed.some((c) => c.row && hasNotes.get(c.row.id)));
  const parse = (c: Changed) => {
    const text = readFileSync(c.abs, 'utf8');
    c.hash = sha1(text);
    const parsed = parseDeck(text, c.abs, c.rel);
    report.issues.push(...parsed.issues);
    if (!parsed.deck || parsed.issues.some((i) => i.severity === 'error')) {
      c.errors = parsed.issues;
      report.filesFailed++;
    } else c.draft = parsed.deck;
  };
  if (!streaming) for (const s of scans) for (const c of s.changed) parse(c);

  const run = () => applySync(db, scans, report, now);
  if (opts.dryRun) {
    // Run the real code path inside a transaction and roll it back: the report is exact.
    const tx = db.transaction(() => {
      run();
      throw new DryRunRollback();
    });
    try {
      tx();
    } catch (e) {
      if (!(e instanceof DryRunRollback)) throw e;
    }
  } else {
    db.transaction(run)();
  }
  return report;

  function applySync(db: DB, scans: Scan[], report: SyncReport, now: number) {
    const insRoot = db.prepare('INSERT INTO roots (path, added_at) VALUES (?, ?)');
    const insFile = db.prepare('INSERT INTO files (root_id, rel_path, deck_id, mtime_ms, size, hash, status, error, meta, synced_at) VALUES (@root_id, @rel_path, @deck_id, @mtime_ms, @size, @hash, @status, @error, @meta, @now)');
    const updFile = db.prepare('UPDATE files SET deck_id = @deck_id, mtime_ms = @mtime_ms, size = @size, hash = @hash, status = @status, error = @error, meta = @meta, synced_at = @now WHERE id = @id');
    const updFileStat = db.prepare('UPDATE files SET mtime_ms = ?, size = ?, synced_at = ? WHERE id = ?');
    const updFileFailed = db.prepare("UPDATE files SET status = 'error', error = ?, synced_at = ? WHERE id = ?");
    const markMissing = db.prepare("UPDATE files SET status = 'missing', synced_at = ? WHERE id = ?");

    const deckIds = new Map<string, number>();
    const writer = new NoteWriter(db, deckIds, report, now);
    const changedFileIds: number[] = [];
    const incoming: Incoming[] = [];

    for (const scan of scans) {
      if (scan.missingRoot) continue;
      if (scan.rootId == null) {
        scan.rootId = adoptNestedRoots(db, scan.rootPath, Number(insRoot.run(scan.rootPath, now).lastInsertRowid));
      }
      for (const t of scan.touchedOnly) updFileStat.run(t.mtime, t.size, now, t.row.id);
      for (const c of scan.changed) {
        if (streaming) parse(c);
        if (c.errors) {
          const msg = c.errors.filter((i) => i.severity === 'error').map((i) => `${i.line}: ${i.message}`).join('; ');
          if (c.row) updFileFailed.run(msg, now, c.row.id);
          // A new file that fails is recorded so it is looked at again next time; it has no cards yet.
          else insFile.run({ root_id: scan.rootId, rel_path: c.rel, deck_id: null, mtime_ms: 0, size: 0, hash: '', status: 'error', error: msg, meta: '{}', now });
          continue;
        }
        const draft = c.draft!;
        c.draft = undefined;
        const deckId = draft.notes.length || Object.keys(draft.config).length || draft.description ? ensureDeck(db, draft.deckName, now, deckIds) : null;
        const meta = JSON.stringify({ config: draft.config, description: draft.description, source: draft.source });
        const values = { deck_id: deckId, mtime_ms: c.mtime, size: c.size, hash: c.hash, status: 'ok', error: null, meta, now };
        let fileId: number;
        if (c.row) {
          updFile.run({ ...values, id: c.row.id });
          fileId = c.row.id;
        } else {
          fileId = Number(insFile.run({ root_id: scan.rootId, rel_path: c.rel, ...values }).lastInsertRowid);
        }
        changedFileIds.push(fileId);
        const notes = draft.notes.map((d, position): Incoming => ({ draft: d, fileId, relPath: c.rel, position, deckName: draft.deckName, ...noteHashes(d) }));
        if (streaming) writer.write(notes, []);
        else incoming.push(...notes);
      }
      for (const row of scan.missing) {
        markMissing.run(now, row.id);
        changedFileIds.push(row.id);
      }
    }

    if (!streaming) writer.write(incoming, writer.pool(changedFileIds));
    const rootIds = scans.map((s) => s.rootId).filter((id): id is number => id != null);
    if (rootIds.length) {
      const active = db.prepare(`SELECT count(*) AS n FROM cards c JOIN notes n ON n.id = c.note_id JOIN files f ON f.id = n.file_id
        WHERE c.retired = 0 AND f.root_id IN (${rootIds.map(() => '?').join(',')})`).get(...rootIds) as { n: number };
      report.unchanged = Math.max(0, active.n - report.added - report.updated - report.restored);
    }
    refreshDeckMeta(db, [...new Set([...deckIds.values()])]);
    report.decks = [...deckIds.keys()].sort();
  }
}

class DryRunRollback extends Error {}

/** Registered roots below `rootPath`, with how their files' paths read relative to it. */
function nestedRoots(db: DB, rootPath: string) {
  return db.prepare<[], { id: number; path: string }>('SELECT id, path FROM roots').all()
    .filter((r) => r.path.startsWith(rootPath + sep))
    .map((r) => {
      const prefix = relative(rootPath, r.path).split(sep).join('/');
      const isFile = existsSync(r.path) && statSync(r.path).isFile();
      return { id: r.id, relPath: (rel: string) => (isFile ? prefix : `${prefix}/${rel}`) };
    });
}

/** When a new root contains roots already registered, move their files under it so nothing is duplicated. */
function adoptNestedRoots(db: DB, rootPath: string, newId: number): number {
  const upd = db.prepare('UPDATE files SET root_id = ?, rel_path = ? WHERE id = ?');
  for (const n of nestedRoots(db, rootPath)) {
    if (n.id === newId) continue;
    const files = db.prepare<[number], { id: number; rel_path: string }>('SELECT id, rel_path FROM files WHERE root_id = ?').all(n.id);
    for (const f of files) upd.run(newId, n.relPath(f.rel_path), f.id);
    db.prepare('DELETE FROM roots WHERE id = ?').run(n.id);
  }
  return newId;
}

function ensureDeck(db: DB, name: string, now: number, cache: Map<string, number>): number {
  const hit = cache.get(name);
  if (hit != null) return hit;
  const row = db.prepare<[string], { id: number }>('SELECT id FROM decks WHERE name = ?').get(name);
  const id = row ? row.id : Number(db.prepare('INSERT INTO decks (name, created_at) VALUES (?, ?)').run(name, now).lastInsertRowid);
  cache.set(name, id);
  return id;
}

/** A deck's options, description and source come from its files, the first in path order winning. */
function refreshDeckMeta(db: DB, deckIds: number[]) {
  const files = db.prepare<[number], { meta: string }>(
    "SELECT f.meta FROM files f JOIN roots r ON r.id = f.root_id WHERE f.deck_id = ? AND f.status = 'ok' ORDER BY r.path, f.rel_path");
  const upd = db.prepare('UPDATE decks SET config = ?, description = ?, source = ? WHERE id = ?');
  for (const id of deckIds) {
    const config: Partial<DeckConfig> = {};
    let description: string | null = null;
    let source: string | null = null;
    for (const f of files.all(id)) {
      const m = JSON.parse(f.meta) as { config?: Partial<DeckConfig>; description?: string; source?: string };
      for (const [k, v] of Object.entries(m.config ?? {})) if (!(k in config)) (config as Record<string, unknown>)[k] = v;
      description ??= m.description ?? null;
      source ??= m.source ?? null;
    }
    upd.run(JSON.stringify(config), description, source, id);
  }
}

const FUZZY_THRESHOLD = 0.5;
const FUZZY_MAX_PAIRS = 4_000_000;

const NOTE_COLS = 'id, guid, deck_id, file_id, line, kind, explicit_id, front, back, tags, content_hash, front_hash, back_hash, retired_at';

/** Matches incoming notes to known ones and writes them; statements are prepared once per sync. */
class NoteWriter {
  private readonly usedIds = new Map<string, Incoming>();
  private readonly byExplicit;
  private readonly byFile;
  private readonly updNote;
  private readonly insNote;
  private readonly cardsOf;
  private readonly insCard;
  private readonly updCard;
  private readonly retireCard;
  private readonly retireNote;
  private readonly clearExplicit;
  private newPos: number;

  constructor(private readonly db: DB, private readonly deckIds: Map<string, number>, private readonly report: SyncReport, private readonly now: number) {
    this.byExplicit = db.prepare<[string], NoteRow>(`SELECT ${NOTE_COLS} FROM notes WHERE explicit_id = ?`);
    this.byFile = db.prepare<[number], NoteRow>(`SELECT ${NOTE_COLS} FROM notes WHERE file_id = ? AND retired_at IS NULL`);
    this.updNote = db.prepare(`UPDATE notes SET deck_id = @deck_id, file_id = @file_id, line = @line, position = @position, kind = @kind,
      explicit_id = @explicit_id, front = @front, back = @back, tags = @tags, content_hash = @content_hash, front_hash = @front_hash,
      back_hash = @back_hash, retired_at = NULL, updated_at = @now WHERE id = @id`);
    this.insNote = db.prepare(`INSERT INTO notes (guid, deck_id, file_id, line, position, kind, explicit_id, front, back, tags, content_hash,
      front_hash, back_hash, created_at, updated_at) VALUES (@guid, @deck_id, @file_id, @line, @position, @kind, @explicit_id, @front, @back,
      @tags, @content_hash, @front_hash, @back_hash, @now, @now)`);
    this.cardsOf = db.prepare<[number], { id: number; ord: string; retired: number }>('SELECT id, ord, retired FROM cards WHERE note_id = ?');
    this.insCard = db.prepare(`INSERT INTO cards (note_id, deck_id, ord, new_pos, due, state, created_at) VALUES (?, ?, ?, ?, ?, 0, ?)`);
    this.updCard = db.prepare('UPDATE cards SET deck_id = ?, retired = 0 WHERE id = ?');
    this.retireCard = db.prepare('UPDATE cards SET retired = 1 WHERE id = ?');
    this.retireNote = db.prepare('UPDATE notes SET retired_at = ?, file_id = NULL WHERE id = ?');
    this.clearExplicit = db.prepare('UPDATE notes SET explicit_id = NULL WHERE explicit_id = ? AND id != ?');
    this.newPos = (db.prepare('SELECT coalesce(max(new_pos), 0) AS m FROM cards').get() as { m: number }).m;
  }

  /** The notes that may have moved or changed: those of changed or removed files, and retired ones. */
  pool(changedFileIds: number[]): NoteRow[] {
    const pool: NoteRow[] = [];
    for (const id of changedFileIds) pool.push(...this.byFile.all(id));
    pool.push(...this.db.prepare<[], NoteRow>(`SELECT ${NOTE_COLS} FROM notes WHERE retired_at IS NOT NULL`).all());
    return pool;
  }

  /** Match `incoming` against `pool`, update matched notes in place, add the rest, retire unmatched pool notes. */
  write(incoming: Incoming[], pool: NoteRow[]) {
    const { db, deckIds, report, now, byExplicit, usedIds } = this;
    const { updNote, insNote, cardsOf, insCard, updCard, retireCard, retireNote, clearExplicit } = this;
    if (!incoming.length && !pool.length) return;
    const free = new Set(pool);
    const deckOf = (inc: Incoming) => deckIds.get(inc.deckName)!;
    const fileOfPool = new Map<number, number | null>(pool.map((n) => [n.id, n.file_id]));

    const claim = (inc: Incoming, n: NoteRow) => {
      inc.match = n;
      free.delete(n);
    };
    const best = (inc: Incoming, cands: NoteRow[]) => {
      // Prefer the same deck, then the same file, then the nearest line.
      return cands.sort((a, b) => rank(a) - rank(b))[0];
      function rank(n: NoteRow) {
        return (n.deck_id === deckOf(inc) ? 0 : 1e9) + (fileOfPool.get(n.id) === inc.fileId ? 0 : 1e6) + Math.abs(n.line - inc.draft.loc.line);
      }
    };

    // Pass 1: explicit ids always win.
    for (const inc of incoming) {
      const id = inc.draft.explicitId;
      if (!id) continue;
      const first = usedIds.get(id);
      if (first) {
        report.issues.push({ file: inc.draft.loc.file, line: inc.draft.loc.line, severity: 'error', message: `id "${id}" is also used at ${first.draft.loc.file}:${first.draft.loc.line}`, hint: 'ids must be unique in the collection; rename one of them' });
        inc.draft = { ...inc.draft, explicitId: undefined };
        continue;
      }
      usedIds.set(id, inc);
      const n = byExplicit.get(id);
      if (!n) continue;
      const pooled = pool.find((p) => p.id === n.id);
      if (pooled && free.has(pooled)) claim(inc, pooled);
      else if (!pooled) {
        report.issues.push({ file: inc.draft.loc.file, line: inc.draft.loc.line, severity: 'error', message: `id "${id}" is already used by another card (note ${n.guid})`, hint: 'ids must be unique in the collection; rename one of them' });
        inc.draft = { ...inc.draft, explicitId: undefined };
      }
    }
    // Pass 2–4: identical content, identical question, identical answer.
    const index = (key: (n: NoteRow) => string | null) => {
      const m = new Map<string, NoteRow[]>();
      for (const n of free) {
        const k = key(n);
        if (k) (m.get(k) ?? m.set(k, []).get(k)!).push(n);
      }
      return m;
    };
    const exactPass = (key: (n: NoteRow) => string | null, incKey: (i: Incoming) => string | null, unique: boolean) => {
      const idx = index(key);
      const counts = new Map<string, number>();
      if (unique) for (const inc of incoming) if (!inc.match) { const k = incKey(inc); if (k) counts.set(k, (counts.get(k) ?? 0) + 1); }
      for (const inc of incoming) {
        if (inc.match || (inc.draft.explicitId && byExplicit.get(inc.draft.explicitId))) continue;
        const k = incKey(inc);
        if (!k) continue;
        const cands = (idx.get(k) ?? []).filter((n) => free.has(n) && compatible(n.kind, inc.draft.kind) && (!unique || n.deck_id === deckOf(inc)));
        if (!cands.length || (unique && (cands.length > 1 || (counts.get(k) ?? 0) > 1))) continue;
        claim(inc, best(inc, cands));
      }
    };
    exactPass((n) => n.content_hash, (i) => i.contentHash, false);
    exactPass((n) => n.front_hash, (i) => i.frontHash, false);
    exactPass((n) => (n.kind === 'cloze' || n.kind === 'exercise' || normalize(n.back).length < 8 ? null : n.back_hash),
      (i) => (i.draft.kind === 'cloze' || i.draft.kind === 'exercise' ? null : i.backHash), true);

    // Pass 5: the most similar remaining note of the same deck.
    const rest = incoming.filter((i) => !i.match);
    const restPool = [...free];
    if (rest.length && restPool.length && rest.length * restPool.length <= FUZZY_MAX_PAIRS) {
      const pairs: { inc: Incoming; n: NoteRow; score: number; tie: number }[] = [];
      const normPool = new Map(restPool.map((n) => [n.id, { f: normalize(n.front), all: normalize(`${n.front} ${n.back}`) }]));
      for (const inc of rest) {
        if (inc.draft.explicitId && byExplicit.get(inc.draft.explicitId)) continue;
        const f = normalize(inc.draft.front);
        const all = normalize(`${inc.draft.front} ${inc.draft.back}`);
        for (const n of restPool) {
          if (n.deck_id !== deckOf(inc) || !compatible(n.kind, inc.draft.kind)) continue;
          const p = normPool.get(n.id)!;
          const score = Math.max(similarity(f, p.f), similarity(all, p.all));
          if (score >= FUZZY_THRESHOLD) {
            pairs.push({ inc, n, score, tie: (fileOfPool.get(n.id) === inc.fileId ? 0 : 1e6) + Math.abs(n.line - inc.draft.loc.line) });
          }
        }
      }
      pairs.sort((a, b) => b.score - a.score || a.tie - b.tie);
      for (const p of pairs) if (!p.inc.match && free.has(p.n)) claim(p.inc, p.n);
    }

    // Write: matched notes are updated in place (same id, same cards), the rest are added or retired.
    const due = newCardRow(now).due;

    // Retire what is gone first, so explicit ids it held are free for the notes that take them.
    for (const n of free) {
      if (n.retired_at != null) continue;
      retireNote.run(now, n.id);
      for (const c of cardsOf.all(n.id)) if (!c.retired) { retireCard.run(c.id); report.retired++; }
    }

    for (let i = 0; i < incoming.length; i++) {
      const inc = incoming[i];
      const d = inc.draft;
      const deckId = deckOf(inc);
      const values = {
        deck_id: deckId, file_id: inc.fileId, line: d.loc.line, position: inc.position, kind: d.kind, explicit_id: d.explicitId ?? null,
        front: d.front, back: d.back, tags: d.tags.join(' '), content_hash: inc.contentHash, front_hash: inc.frontHash, back_hash: inc.backHash, now,
      };
      if (d.explicitId) clearExplicit.run(d.explicitId, inc.match?.id ?? -1);
      if (inc.match) {
        const n = inc.match;
        updNote.run({ ...values, id: n.id });
        const changed = n.content_hash !== inc.contentHash || n.tags !== values.tags || n.kind !== d.kind;
        const existing = new Map(cardsOf.all(n.id).map((c) => [c.ord, c]));
        for (const ord of d.ords) {
          const c = existing.get(ord);
          if (!c) {
            insCard.run(n.id, deckId, ord, ++this.newPos, due, now);
            report.added++;
          } else {
            updCard.run(deckId, c.id);
            if (n.retired_at != null || c.retired) report.restored++;
            else if (changed || n.deck_id !== deckId) report.updated++;
            else report.unchanged++;
          }
        }
        for (const [ord, c] of existing) if (!d.ords.includes(ord) && !c.retired) { retireCard.run(c.id); report.retired++; }
      } else {
        const id = Number(insNote.run({ ...values, guid: randomUUID() }).lastInsertRowid);
        for (const ord of d.ords) { insCard.run(id, deckId, ord, ++this.newPos, due, now); report.added++; }
      }
    }
  }
}

/** Basic and reversible notes share the forward card, so a note may switch between them. */
function compatible(a: string, b: string): boolean {
  if (a === b) return true;
  const qa = a === 'basic' || a === 'reversible';
  const qb = b === 'basic' || b === 'reversible';
  return qa && qb;
}

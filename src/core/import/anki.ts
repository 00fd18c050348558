// Anki packages (.apkg, .colpkg) and bare collections (collection.anki2 / .anki21 / .anki21b).
//
// The collection is written to a private temporary file and opened there (never the user's file):
// schema 18 (`collection.anki21b`, zstd) declares Anki's `unicase` collation, which better-sqlite3
// cannot register, so the private copy has the collation removed from its schema first.
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { UserError } from '../errors.js';
import { Budget, GiB, isZstd, protoString, protoVarint, readProto, ZipReader, zstdDecompress } from './archive.js';
import { replayHistory, type ForeignCard, type ForeignReview } from './history.js';
import { htmlToMarkdown, htmlToPlain } from './html.js';
import { Skips, type DraftDeck, type DraftNote, type ImportSource, type MediaItem } from './model.js';
import { foreignId, slug } from './render.js';
import { safeMediaName, uniqueName } from './media.js';

export interface AnkiOptions {
  withHistory: boolean;
  onProgress?: (done: number, total: number, phase: string) => void;
  budget?: Budget;
}

interface NoteType {
  name: string;
  cloze: boolean;
  fields: string[];
  templates: { qfmt: string; afmt: string }[];
}

interface TypePlan {
  cloze: boolean;
  occlusion: boolean;
  front: number;
  back: number[];
  labels: boolean;
}

const SPECIAL_REFS = new Set(['frontside', 'tags', 'deck', 'subdeck', 'card', 'cardflag', 'type', 'cardid']);
const DUMMY_TEXT = /update to the latest anki version/i;

/** Field references of a card template: {{Field}}, {{type:Field}}, {{cloze:Field}}, {{hint:Field}}… */
function templateRefs(tmpl: string): { name: string; type: boolean; cloze: boolean }[] {
  const out: { name: string; type: boolean; cloze: boolean }[] = [];
  for (const m of tmpl.matchAll(/\{\{([^{}]+)\}\}/g)) {
    const inner = m[1].trim();
    if (/^[#^/!]/.test(inner)) continue;
    const parts = inner.split(':');
    const name = parts.pop()!.trim();
    if (!name || SPECIAL_REFS.has(name.toLowerCase())) continue;
    const filters = parts.map((p) => p.trim().toLowerCase());
    out.push({ name, type: filters.includes('type'), cloze: filters.includes('cloze') });
  }
  return out;
}

/** How a note type's fields become a question and an answer. */
export function planNoteType(t: NoteType): TypePlan {
  const idx = (name: string) => t.fields.findIndex((f) => f.toLowerCase() === name.toLowerCase());
  const q0 = templateRefs(t.templates[0]?.qfmt ?? '');
  const a0 = templateRefs(t.templates[0]?.afmt ?? '');
  const occlusion = /image-occlusion/i.test(t.templates[0]?.qfmt ?? '') || (idx('Occlusion') >= 0 && idx('Image') >= 0);
  const uniq = (xs: number[]) => [...new Set(xs.filter((i) => i >= 0))];
  if (t.cloze) {
    const front = Math.max(0, idx(q0.find((r) => r.cloze)?.name ?? ''));
    let back = uniq(a0.filter((r) => !r.cloze).map((r) => idx(r.name))).filter((i) => i !== front);
    if (!back.length) back = t.fields.map((_f, i) => i).filter((i) => i !== front);
    return { cloze: true, occlusion, front, back, labels: back.length > 1 };
  }
  const q = uniq(q0.filter((r) => !r.type).map((r) => idx(r.name)));
  // The answer: what the first template's back shows, then what the other templates show (so no
  // displayed field is lost); fields used only as conditions ({{#Add Reverse}}) are left out.
  const others = t.templates.slice(1).flatMap((tp) => [...templateRefs(tp.qfmt), ...templateRefs(tp.afmt)]);
  const a = uniq([...q0.filter((r) => r.type), ...a0, ...others].map((r) => idx(r.name))).filter((i) => !q.includes(i));
  if (q.length === 1 && a.length >= 1) return { cloze: false, occlusion, front: q[0], back: a, labels: a.length > 1 };
  return { cloze: false, occlusion, front: 0, back: t.fields.map((_f, i) => i).slice(1), labels: t.fields.length > 2 };
}

function sqliteError(file: string, what: string, e: unknown): UserError {
  return new UserError(`${file}: ${what} is not a readable Anki collection (${(e as Error).message})`,
    'the file is damaged, or it is not an Anki collection; nothing was imported');
}

interface Opened {
  db: Database.Database;
  tmp: string;
  collectionName: string;
  mediaNames: Map<string, string>; // zip member → original file name
  zip?: ZipReader;
  zstdMedia: boolean;
  mediaDir?: string; // bare collection: its collection.media folder
}

/** Open the package (or bare collection) and its collection database, privately. */
function openCollection(path: string, format: string, budget: Budget): Opened {
  const file = basename(path);
  const size = statSync(path).size;
  if (size > 2 * GiB) throw new UserError(`${file}: ${Math.round(size / GiB)} GiB is too large to import`, 'export the decks in smaller parts');
  const tmp = mkdtempSync(join(tmpdir(), 'srs-anki-'));
  try {
    let bytes: Uint8Array;
    let collectionName: string;
    const mediaNames = new Map<string, string>();
    let zip: ZipReader | undefined;
    let zstdMedia = false;
    let mediaDir: string | undefined;
    if (format === 'apkg' || format === 'colpkg') {
      zip = new ZipReader(readFileSync(path), file, budget);
      if (zip.entries.size === 0) throw new UserError(`${file}: the package is empty (a zip with no files in it)`, 'export the deck again from Anki');
      let version = 0;
      if (zip.has('meta')) {
        try {
          version = protoVarint(readProto(zip.read('meta')), 1) ?? 0;
        } catch (e) {
          if (e instanceof UserError) throw e;
          throw new UserError(`${file}: the package's "meta" entry is damaged`, 'export the deck again from Anki');
        }
        if (version > 3) {
          throw new UserError(`${file}: unknown Anki package version ${version} (this version of srs reads versions 1–3)`,
            'export again from Anki with "Support older Anki versions" ticked, or upgrade srs');
        }
      }
      const name = ['collection.anki21b', 'collection.anki21', 'collection.anki2'].find((n) => zip!.has(n));
      if (!name) {
        throw new UserError(`${file}: the package holds no Anki collection (no collection.anki21b, collection.anki21 or collection.anki2)`,
          'is it an Anki package? export the deck again from Anki');
      }
      collectionName = name;
      bytes = zip.read(name);
      if (name.endsWith('b')) bytes = zstdDecompress(bytes, name, budget);
      zstdMedia = version >= 3 || name.endsWith('b');
      if (zip.has('media')) {
        let raw = zip.read('media');
        try {
          if (isZstd(raw)) raw = zstdDecompress(raw, 'the media list', budget);
          const text = new TextDecoder().decode(raw.subarray(0, 1));
          if (text === '{') {
            const map = JSON.parse(new TextDecoder().decode(raw)) as Record<string, string>;
            for (const [k, v] of Object.entries(map)) if (typeof v === 'string') mediaNames.set(k, v);
          } else if (raw.length) {
            // MediaEntries { repeated MediaEntry entries = 1 } ; MediaEntry { name = 1; size = 2; sha1 = 3; legacy_zip_filename = 255 }
            let i = 0;
            for (const f of readProto(raw)) {
              if (f.field !== 1 || !f.bytes) continue;
              const entry = readProto(f.bytes);
              const n = protoString(entry, 1);
              const legacy = protoVarint(entry, 255);
              if (n) mediaNames.set(String(legacy ?? i), n);
              i++;
            }
          }
        } catch (e) {
          if (e instanceof UserError) throw e;
          throw new UserError(`${file}: the package's media list is damaged (${(e as Error).message})`, 'export the deck again from Anki');
        }
      }
    } else {
      collectionName = file;
      const raw = readFileSync(path);
      bytes = isZstd(raw) ? zstdDecompress(raw, file, budget) : raw;
      const dir = join(dirname(path), 'collection.media');
      if (existsSync(dir) && statSync(dir).isDirectory()) {
        mediaDir = dir;
        for (const n of readdirSync(dir)) mediaNames.set(n, n);
      }
    }
    const magic = new TextDecoder().decode(bytes.subarray(0, 15));
    if (magic !== 'SQLite format 3') {
      throw new UserError(`${file}: ${collectionName} is not an SQLite database${bytes.length === 0 ? ' (it is empty)' : ''}`,
        'the package is damaged, or it is not an Anki package; nothing was imported');
    }
    // Opened from a private copy: the WAL flag (bytes 18–19 = 2) of new exports is reset to rollback mode.
    if (bytes[18] === 2 || bytes[19] === 2) {
      bytes[18] = 1;
      bytes[19] = 1;
    }
    const dbPath = join(tmp, 'collection.db');
    writeFileSync(dbPath, bytes);
    bytes = new Uint8Array(0);
    let db: Database.Database;
    try {
      db = new Database(dbPath);
      const hasUnicase = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE sql LIKE '%unicase%'").get() as { n: number };
      if (hasUnicase.n) {
        // Drop Anki's collation from the private copy's schema so its tables can be read.
        db.unsafeMode(true);
        db.pragma('writable_schema = ON');
        db.prepare("UPDATE sqlite_master SET sql = replace(replace(sql, 'COLLATE unicase', ''), 'collate unicase', '') WHERE sql LIKE '%unicase%'").run();
        db.pragma('writable_schema = OFF');
        db.close();
        db = new Database(dbPath);
      }
      db.pragma('query_only = ON');
    } catch (e) {
      throw sqliteError(file, collectionName, e);
    }
    return { db, tmp, collectionName, mediaNames, zip, zstdMedia, mediaDir };
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

interface AnkiCardRow {
  id: number;
  nid: number;
  did: number;
  ord: number;
  type: number;
  queue: number;
  due: number;
  ivl: number;
  factor: number;
  reps: number;
  lapses: number;
  odue: number;
  odid: number;
  data: string;
}

/** Read an Anki package or collection into deck drafts, media and (optionally) review history. */
export function readAnki(path: string, format: 'apkg' | 'colpkg' | 'anki-collection', opts: AnkiOptions): ImportSource {
  const file = basename(path);
  const budget = opts.budget ?? new Budget(file);
  const o = openCollection(path, format, budget);
  const { db } = o;
  const skips = new Skips();
  const close = () => {
    if (db.open) db.close();
    rmSync(o.tmp, { recursive: true, force: true });
  };
  try {
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
    for (const t of ['col', 'notes', 'cards']) {
      if (!tables.has(t)) throw new UserError(`${file}: ${o.collectionName} has no "${t}" table; it is not an Anki collection`);
    }
    let col: { ver: number; crt: number; models: string; decks: string; conf: string };
    try {
      col = db.prepare('SELECT ver, crt, models, decks, conf FROM col').get() as typeof col;
    } catch (e) {
      throw sqliteError(file, o.collectionName, e);
    }
    if (!col) throw new UserError(`${file}: ${o.collectionName} has an empty "col" table; it is not an Anki collection`);
    if (!(col.ver >= 11 && col.ver <= 18)) {
      throw new UserError(`${file}: unknown Anki collection version ${col.ver} (this version of srs reads versions 11–18)`,
        'export again from a current Anki with "Support older Anki versions" ticked, or upgrade srs');
    }

    // Note types and decks: JSON in `col` (legacy) or their own tables (schema 15+).
    const types = new Map<number, NoteType>();
    const decks = new Map<number, { name: string; desc: string }>();
    let schedV1 = false;
    try {
      if (tables.has('notetypes')) {
        const fields = db.prepare('SELECT ntid, ord, name FROM fields ORDER BY ntid, ord').all() as { ntid: number; ord: number; name: string }[];
        const tmpls = db.prepare('SELECT ntid, ord, config FROM templates ORDER BY ntid, ord').all() as { ntid: number; ord: number; config: Uint8Array }[];
        for (const nt of db.prepare('SELECT id, name, config FROM notetypes').all() as { id: number; name: string; config: Uint8Array }[]) {
          const kind = protoVarint(readProto(nt.config), 1) ?? 0;
          types.set(nt.id, {
            name: nt.name, cloze: kind === 1,
            fields: fields.filter((f) => f.ntid === nt.id).map((f) => f.name),
            templates: tmpls.filter((t) => t.ntid === nt.id).map((t) => {
              const p = readProto(t.config);
              return { qfmt: protoString(p, 1) ?? '', afmt: protoString(p, 2) ?? '' };
            }),
          });
        }
        for (const d of db.prepare('SELECT id, name, common, kind FROM decks').all() as { id: number; name: string; kind: Uint8Array }[]) {
          // DeckKind { Normal normal = 1 { …; string description = 4 } | Filtered filtered = 2 }
          let desc = '';
          try {
            const normal = readProto(d.kind).find((f) => f.field === 1 && f.bytes);
            desc = normal?.bytes ? protoString(readProto(normal.bytes), 4) ?? '' : '';
          } catch { desc = ''; }
          decks.set(d.id, { name: d.name.split('\x1f').join('::'), desc });
        }
      } else {
        const models = JSON.parse(col.models || '{}') as Record<string, { name: string; type: number; flds: { name: string; ord: number }[]; tmpls: { qfmt: string; afmt: string; ord: number }[] }>;
        for (const [id, m] of Object.entries(models)) {
          types.set(Number(id), {
            name: m.name, cloze: m.type === 1,
            fields: [...(m.flds ?? [])].sort((a, b) => a.ord - b.ord).map((f) => f.name),
            templates: [...(m.tmpls ?? [])].sort((a, b) => a.ord - b.ord).map((t) => ({ qfmt: t.qfmt ?? '', afmt: t.afmt ?? '' })),
          });
        }
        const dj = JSON.parse(col.decks || '{}') as Record<string, { name: string; desc?: string }>;
        for (const [id, d] of Object.entries(dj)) decks.set(Number(id), { name: String(d.name), desc: d.desc ?? '' });
        try {
          const conf = JSON.parse(col.conf || '{}') as { schedVer?: number };
          schedV1 = (conf.schedVer ?? 1) === 1;
        } catch { schedV1 = false; }
      }
    } catch (e) {
      if (e instanceof UserError) throw e;
      throw sqliteError(file, o.collectionName, e);
    }

    // The dummy collection.anki2 of new exports: one note asking to update Anki.
    const noteCount = (db.prepare('SELECT count(*) AS n FROM notes').get() as { n: number }).n;
    if (noteCount <= 1 && o.collectionName === 'collection.anki2') {
      const only = db.prepare('SELECT flds FROM notes LIMIT 1').get() as { flds: string } | undefined;
      if (only && DUMMY_TEXT.test(only.flds)) {
        throw new UserError(`${file}: the package holds only the placeholder collection.anki2 that new Anki versions add for old ones; the real collection is missing`,
          'export the deck again from Anki; nothing was imported');
      }
    }

    // Media: original names → safe names inside the media folder.
    const media: MediaItem[] = [];
    const mediaLink = new Map<string, string>();
    const taken = new Set<string>();
    for (const [member, original] of o.mediaNames) {
      const safe = safeMediaName(original);
      if (!safe) { skips.add('media file with an unsafe name (not written)', JSON.stringify(original)); continue; }
      if (o.zip && !o.zip.has(member)) { skips.add('media file listed but missing from the package', original); continue; }
      const name = uniqueName(safe, taken);
      mediaLink.set(original, name);
      media.push({
        name,
        read: () => {
          if (o.mediaDir) return readFileSync(join(o.mediaDir, member));
          const bytes = o.zip!.read(member);
          return o.zstdMedia && isZstd(bytes) ? zstdDecompress(bytes, `media file ${original}`, budget) : bytes;
        },
      });
    }
    const missingMedia = new Set<string>();
    const htmlOpts = {
      media: (src: string) => {
        let name = mediaLink.get(src);
        if (!name) { try { name = mediaLink.get(decodeURIComponent(src)); } catch { /* not URI-encoded */ } }
        if (!name) {
          missingMedia.add(src);
          name = safeMediaName(src) ?? 'missing';
        }
        return `media/${name}`;
      },
      onDropped: (what: string) => skips.add(`${what} dropped`),
    };

    // Cards, grouped by note.
    const cardsByNote = new Map<number, AnkiCardRow[]>();
    const cardInfo = new Map<number, ForeignCard>();
    const dayMs = (day: number) => (col.crt + day * 86400) * 1000;
    for (const c of db.prepare('SELECT id, nid, did, ord, type, queue, due, ivl, factor, reps, lapses, odue, odid, data FROM cards ORDER BY nid, ord').iterate() as IterableIterator<AnkiCardRow>) {
      (cardsByNote.get(c.nid) ?? cardsByNote.set(c.nid, []).get(c.nid)!).push(c);
      const due = c.odid ? c.odue : c.due;
      let memory: { s: number; d: number } | undefined;
      if (c.data && c.data.length > 2) {
        try {
          const d = JSON.parse(c.data) as { s?: number; d?: number };
          if (typeof d.s === 'number' && typeof d.d === 'number' && d.s > 0) memory = { s: d.s, d: d.d };
        } catch { /* not JSON */ }
      }
      cardInfo.set(c.id, {
        type: c.type, queue: c.queue, ivl: c.ivl, factor: c.factor, reps: c.reps, lapses: c.lapses, memory,
        dueMs: c.type === 2 ? dayMs(due) : c.type === 1 || c.type === 3 ? (c.queue === 3 ? dayMs(due) : due * 1000) : null,
      });
    }

    // Notes → drafts.
    const plans = new Map<number, TypePlan>();
    const byDeck = new Map<string, DraftDeck>();
    const total = noteCount;
    let done = 0;
    const conv = (html: string) => htmlToMarkdown(html, htmlOpts);
    const FIELD_LIMIT = 1024 * 1024;
    for (const n of db.prepare('SELECT id, guid, mid, tags, flds FROM notes ORDER BY id').iterate() as IterableIterator<{ id: number; guid: string; mid: number; tags: string; flds: string }>) {
      if (++done % 1000 === 0) opts.onProgress?.(done, total, 'read');
      const where = `note ${n.id}`;
      const cards = cardsByNote.get(n.id) ?? [];
      if (!cards.length) { skips.add('note without cards', where); continue; }
      const t = types.get(n.mid);
      if (!t) { skips.add('note of an unknown note type', where); continue; }
      let plan = plans.get(n.mid);
      if (!plan) plans.set(n.mid, (plan = planNoteType(t)));
      if (plan.occlusion) { skips.add('image occlusion note (not supported)', where, 1); continue; }
      const fields = (n.flds ?? '').split('\x1f');
      if (fields.some((f) => f.length > FIELD_LIMIT)) { skips.add('note with a field larger than 1 MiB', where); continue; }
      const first = cards[0];
      const deckName = decks.get(first.odid || first.did)?.name ?? 'Default';
      const back = joinFields(plan.back.map((i) => ({ name: t.fields[i] ?? `Field ${i + 1}`, md: conv(fields[i] ?? '') })), plan.labels);
      const tags = (n.tags ?? '').split(/\s+/).filter(Boolean);
      const id = foreignId('anki', n.guid);
      let draft: DraftNote;
      if (plan.cloze) {
        const text = conv(fields[plan.front] ?? '');
        if (!/\{\{c\d+::/.test(text)) { skips.add('cloze note without a cloze deletion', where); continue; }
        const map: DraftNote['cards'] = {};
        for (const c of cards) map[`c${c.ord + 1}`] = { foreign: c.id };
        draft = { kind: 'cloze', front: text, back, tags, id, source: where, cards: map };
      } else {
        const front = conv(fields[plan.front] ?? '');
        if (!front) { skips.add('note with an empty question field', where); continue; }
        if (cards.length > 2) skips.add('cards of a third or later card template (a note keeps two directions)', where, cards.length - 2);
        draft = cards.length === 1
          ? { kind: 'basic', front, back, tags, id, source: where, cards: { fwd: { foreign: cards[0].id } } }
          : { kind: 'reversible', front, back, tags, id, source: where, cards: { fwd: { foreign: cards[0].id }, rev: { foreign: cards[1].id } } };
      }
      let deck = byDeck.get(deckName);
      if (!deck) {
        const info = [...decks.values()].find((d) => d.name === deckName);
        const desc = info?.desc ? htmlToPlain(info.desc).slice(0, 300) : undefined;
        byDeck.set(deckName, (deck = { name: deckName, description: desc || undefined, notes: [] }));
      }
      deck.notes.push(draft);
    }
    opts.onProgress?.(total, total, 'read');
    if (missingMedia.size) skips.add('media file referenced by a note but not in the package (link kept)', [...missingMedia].slice(0, 3).join(', '), missingMedia.size);

    const stem = basename(path, extname(path));
    return {
      format: format === 'anki-collection' ? 'anki-collection' : format,
      folder: slug(stem, 'anki'),
      label: `Anki ${format === 'anki-collection' ? 'collection' : 'package'} ${file}`,
      decks: [...byDeck.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      media,
      skips,
      close,
      applyHistory: (target, cards, ctx) => {
        if (!opts.withHistory) return { reviews: 0, scheduled: 0 };
        if (!tables.has('revlog')) return { reviews: 0, scheduled: 0 };
        const total = (db.prepare('SELECT count(*) AS n FROM revlog').get() as { n: number }).n;
        // Raw rows [id, cid, ease, ivl, factor, time, type] in card, then time order, read in pages
        // (keyset pagination on the cid index): bounded memory, few round trips.
        const page = db.prepare('SELECT id, cid, ease, ivl, factor, time, type FROM revlog WHERE (cid, id) > (?, ?) ORDER BY cid, id LIMIT 2000').raw(true);
        function* rows(): Generator<number[]> {
          let last: [number, number] = [-Infinity, -Infinity];
          for (;;) {
            const batch = page.all(last[0], last[1]) as number[][];
            if (!batch.length) return;
            yield* batch;
            const end = batch[batch.length - 1];
            last = [end[1], end[0]];
          }
        }
        function* grouped(): Generator<{ foreign: number; reviews: ForeignReview[] }> {
          let cur: { foreign: number; reviews: ForeignReview[] } | null = null;
          for (const [id, cid, ease0, ivl, factor, time, type] of rows()) {
            if (!cur || cur.foreign !== cid) {
              if (cur) yield cur;
              cur = { foreign: cid, reviews: [] };
            }
            let ease = ease0;
            // The v1 scheduler had three learning buttons; Anki remaps them when it upgrades to v2.
            if (schedV1 && (type === 0 || type === 2) && (ease === 2 || ease === 3)) ease++;
            cur.reviews.push({ time: id, ease, ivl, factor, duration: time, type });
          }
          if (cur) yield cur;
        }
        // Cards with no review log but an Anki schedule still keep it (seeded from SM-2 state).
        const res = replayHistory(target, cards, grouped(), cardInfo, { ...ctx, total, skips });
        return res;
      },
    };
  } catch (e) {
    close();
    throw e;
  }
}

function joinFields(parts: { name: string; md: string }[], labels: boolean): string {
  const kept = parts.filter((p) => p.md.trim());
  if (!labels) return kept.map((p) => p.md).join('\n\n');
  return kept.map((p) => {
    const label = `**${p.name.replace(/([*_[\]\\`])/g, '\\$1')}:**`;
    return p.md.includes('\n') ? `${label}\n\n${p.md}` : `${label} ${p.md}`;
  }).join('\n\n');
}

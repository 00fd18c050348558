// Synthetic Anki packages for tests and the benchmark: a legacy-schema (11) collection written with
// better-sqlite3 exactly as Anki lays it out, zipped with fflate. Also hand-made zstd frames (raw and
// RLE blocks), so that `collection.anki21b` packages and zstd bombs can be built without a compressor.
import Database from 'better-sqlite3';
import { zipSync, type Zippable } from 'fflate';

export const LEGACY_SCHEMA = `
CREATE TABLE col (id integer primary key, crt integer not null, mod integer not null, scm integer not null, ver integer not null,
  dty integer not null, usn integer not null, ls integer not null, conf text not null, models text not null, decks text not null,
  dconf text not null, tags text not null);
CREATE TABLE notes (id integer primary key, guid text not null, mid integer not null, mod integer not null, usn integer not null,
  tags text not null, flds text not null, sfld integer not null, csum integer not null, flags integer not null, data text not null);
CREATE TABLE cards (id integer primary key, nid integer not null, did integer not null, ord integer not null, mod integer not null,
  usn integer not null, type integer not null, queue integer not null, due integer not null, ivl integer not null,
  factor integer not null, reps integer not null, lapses integer not null, left integer not null, odue integer not null,
  odid integer not null, flags integer not null, data text not null);
CREATE TABLE revlog (id integer primary key, cid integer not null, usn integer not null, ease integer not null, ivl integer not null,
  lastIvl integer not null, factor integer not null, time integer not null, type integer not null);
CREATE TABLE graves (usn integer not null, oid integer not null, type integer not null);
CREATE INDEX ix_cards_nid on cards (nid);
CREATE INDEX ix_revlog_cid on revlog (cid);
`;

export type SynthType = 'basic' | 'reversed' | 'optional-reversed' | 'typein' | 'cloze' | 'three-templates';

export interface SynthRev { id: number; ease: number; ivl: number; factor: number; time?: number; type: number; lastIvl?: number }
export interface SynthCard {
  ord: number; type?: number; queue?: number; due?: number; ivl?: number; factor?: number; reps?: number; lapses?: number;
  odid?: number; odue?: number; data?: string; revlog?: SynthRev[];
}
export interface SynthNote {
  guid: string;
  type: SynthType;
  fields: string[];
  tags?: string[];
  deck?: string;
  /** Default: one new card per template the note makes. */
  cards?: SynthCard[];
}

export interface SynthCollection {
  notes: Iterable<SynthNote>;
  ver?: number;
  schedVer?: number;
  /** Collection creation, epoch seconds (day numbers of review cards count from here). */
  crt?: number;
}

const MODELS: Record<SynthType, { id: number; name: string; type: number; flds: string[]; tmpls: [string, string][] }> = {
  basic: { id: 1001, name: 'Basic', type: 0, flds: ['Front', 'Back'], tmpls: [['{{Front}}', '{{FrontSide}}<hr id=answer>{{Back}}']] },
  reversed: { id: 1002, name: 'Basic (and reversed card)', type: 0, flds: ['Front', 'Back'], tmpls: [['{{Front}}', '{{FrontSide}}<hr id=answer>{{Back}}'], ['{{Back}}', '{{FrontSide}}<hr id=answer>{{Front}}']] },
  'optional-reversed': { id: 1003, name: 'Basic (optional reversed card)', type: 0, flds: ['Front', 'Back', 'Add Reverse'], tmpls: [['{{Front}}', '{{FrontSide}}<hr id=answer>{{Back}}'], ['{{#Add Reverse}}{{Back}}{{/Add Reverse}}', '{{FrontSide}}<hr id=answer>{{Front}}']] },
  typein: { id: 1004, name: 'Basic (type in the answer)', type: 0, flds: ['Front', 'Back'], tmpls: [['{{Front}}\n\n{{type:Back}}', '{{Front}}<hr id=answer>{{type:Back}}']] },
  cloze: { id: 1005, name: 'Cloze', type: 1, flds: ['Text', 'Back Extra'], tmpls: [['{{cloze:Text}}', '{{cloze:Text}}<br>\n{{Back Extra}}']] },
  'three-templates': { id: 1006, name: 'Vocab', type: 0, flds: ['Word', 'Meaning', 'Example'], tmpls: [['{{Word}}', '{{Meaning}}'], ['{{Meaning}}', '{{Word}}'], ['{{Example}}', '{{Word}}']] },
};

function defaultOrds(n: SynthNote): number[] {
  if (n.type === 'cloze') return [...new Set([...n.fields[0].matchAll(/\{\{c(\d+)::/g)].map((m) => Number(m[1]) - 1))].sort((a, b) => a - b);
  if (n.type === 'reversed') return [0, 1];
  if (n.type === 'optional-reversed') return n.fields[2]?.trim() ? [0, 1] : [0];
  if (n.type === 'three-templates') return [0, 1, 2];
  return [0];
}

/** Write a legacy (schema 11) Anki collection to `path`. */
export function writeAnkiCollection(path: string, c: SynthCollection): void {
  const db = new Database(path);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  fillAnkiCollection(db, c);
  db.close();
}

function fillAnkiCollection(db: Database.Database, c: SynthCollection): void {
  db.exec(LEGACY_SCHEMA);
  const decks: Record<string, { id: number; name: string; desc: string; dyn: number }> = { 1: { id: 1, name: 'Default', desc: '', dyn: 0 } };
  const deckIds = new Map<string, number>([['Default', 1]]);
  const deckId = (name: string) => {
    let id = deckIds.get(name);
    if (id == null) {
      id = 1_600_000_000_000 + deckIds.size;
      deckIds.set(name, id);
      decks[id] = { id, name, desc: '', dyn: 0 };
    }
    return id;
  };
  const models: Record<string, unknown> = {};
  for (const m of Object.values(MODELS)) {
    models[m.id] = {
      id: m.id, name: m.name, type: m.type, flds: m.flds.map((name, ord) => ({ name, ord })),
      tmpls: m.tmpls.map(([qfmt, afmt], ord) => ({ name: `Card ${ord + 1}`, ord, qfmt, afmt })),
    };
  }
  const insNote = db.prepare('INSERT INTO notes VALUES (?, ?, ?, 0, -1, ?, ?, ?, 0, 0, \'\')');
  const insCard = db.prepare('INSERT INTO cards VALUES (?, ?, ?, ?, 0, -1, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 0, ?)');
  const insRev = db.prepare('INSERT INTO revlog VALUES (?, ?, -1, ?, ?, ?, ?, ?, ?)');
  let nid = 1_500_000_000_000;
  let cid = 1_500_000_000_000;
  db.transaction(() => {
    for (const n of c.notes) {
      const id = nid++;
      const m = MODELS[n.type];
      const tags = n.tags?.length ? ` ${n.tags.join(' ')} ` : '';
      insNote.run(id, n.guid, m.id, tags, n.fields.join('\x1f'), n.fields[0]);
      const did = deckId(n.deck ?? 'Default');
      const cards: SynthCard[] = n.cards ?? defaultOrds(n).map((ord) => ({ ord }));
      for (const card of cards) {
        const cardId = cid++;
        insCard.run(cardId, id, did, card.ord, card.type ?? 0, card.queue ?? card.type ?? 0, card.due ?? 0, card.ivl ?? 0, card.factor ?? 0,
          card.reps ?? 0, card.lapses ?? 0, card.odue ?? 0, card.odid ?? 0, card.data ?? '');
        for (const r of card.revlog ?? []) insRev.run(r.id, cardId, r.ease, r.ivl, r.lastIvl ?? 0, r.factor, r.time ?? 5000, r.type);
      }
    }
    db.prepare('INSERT INTO col VALUES (1, ?, 0, 0, ?, 0, 0, 0, ?, ?, ?, \'{}\', \'{}\')').run(
      c.crt ?? 1_600_000_000, c.ver ?? 11, JSON.stringify({ schedVer: c.schedVer ?? 2 }), JSON.stringify(models), JSON.stringify(decks));
  })();
}

/** The bytes of a legacy collection. */
export function ankiCollectionBytes(c: SynthCollection): Uint8Array {
  const db = new Database(':memory:');
  try {
    fillAnkiCollection(db, c);
    return new Uint8Array(db.serialize());
  } finally {
    db.close();
  }
}

export interface SynthPackage extends SynthCollection {
  /** Where the collection goes. anki21b wraps it in a zstd frame (and media too). */
  member?: 'collection.anki2' | 'collection.anki21' | 'collection.anki21b';
  media?: Record<string, Uint8Array | string>;
  /** Override the `media` member (e.g. to name files "../evil"). */
  mediaMap?: Record<string, string>;
  /** `meta` member version (1–3); omitted when undefined. */
  meta?: number;
  extra?: Record<string, Uint8Array>;
}

const enc = new TextEncoder();

/** An .apkg (zip) of a synthetic collection. */
export function buildApkg(p: SynthPackage): Uint8Array {
  const member = p.member ?? 'collection.anki2';
  const files: Zippable = {};
  const col = ankiCollectionBytes(p);
  files[member] = member.endsWith('b') ? zstdStore(col) : col;
  const map: Record<string, string> = { ...(p.mediaMap ?? {}) };
  let i = Object.keys(map).length;
  for (const [name, data] of Object.entries(p.media ?? {})) {
    const bytes = typeof data === 'string' ? enc.encode(data) : data;
    files[String(i)] = member.endsWith('b') ? zstdStore(bytes) : bytes;
    map[String(i++)] = name;
  }
  files.media = enc.encode(JSON.stringify(map));
  if (p.meta != null) files.meta = new Uint8Array([0x08, p.meta]);
  Object.assign(files, p.extra ?? {});
  return zipSync(files, { level: 6 });
}

/** A zstd frame holding `data` in raw blocks, with its content size declared. */
export function zstdStore(data: Uint8Array): Uint8Array {
  const parts: number[] = [0x28, 0xb5, 0x2f, 0xfd, 0xe0]; // FCS 8 bytes, single segment
  let n = data.length;
  for (let i = 0; i < 8; i++) { parts.push(n % 256); n = Math.floor(n / 256); }
  const head = new Uint8Array(parts);
  const blocks: Uint8Array[] = [head];
  const MAX = 128 * 1024;
  if (data.length === 0) blocks.push(new Uint8Array([1, 0, 0]));
  for (let off = 0; off < data.length; off += MAX) {
    const size = Math.min(MAX, data.length - off);
    const last = off + size >= data.length ? 1 : 0;
    const h = (size << 3) | last; // type 0 = raw
    blocks.push(new Uint8Array([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff]), data.subarray(off, off + size));
  }
  return concat(blocks);
}

/** A zstd frame of `blocks` RLE blocks of 128 KiB each, with no declared content size: a small bomb. */
export function zstdRleBomb(blocks: number): Uint8Array {
  const out: Uint8Array[] = [new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0x00, (17 - 10) << 3])];
  for (let i = 0; i < blocks; i++) {
    const h = ((128 * 1024) << 3) | (1 << 1) | (i === blocks - 1 ? 1 : 0); // type 1 = RLE
    out.push(new Uint8Array([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff, 0x41]));
  }
  return concat(out);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

/** A tiny valid PNG (1×1), for media. */
export const PNG = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4,
  0x89, 0, 0, 0, 13, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0d, 0x0a, 0x2d, 0xb4, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44,
  0xae, 0x42, 0x60, 0x82,
]);

// Bounded readers for the containers Anki uses: zip (deflate via fflate), zstd (fzstd), protobuf.
// Nothing here trusts a declared size: every expansion is charged to a Budget that refuses
// (with a UserError naming the file) before memory runs out, so a zip or zstd bomb is refused,
// not expanded. Entry names are never used as paths here; callers decide where bytes go.
import { inflateSync } from 'fflate';
import { Decompress } from 'fzstd';
import * as zlib from 'node:zlib';
import { UserError } from '../errors.js';

export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;

export interface Limits {
  /** Total bytes all decompression of one import may produce. */
  maxTotal: number;
  /** Largest single entry. */
  maxEntry: number;
  /** Largest expansion ratio allowed for an entry bigger than `ratioFloor`. */
  maxRatio: number;
  ratioFloor: number;
}

export const DEFAULT_LIMITS: Limits = { maxTotal: GiB, maxEntry: GiB, maxRatio: 1000, ratioFloor: 16 * MiB };

/** Counts bytes produced by decompression across one import. */
export class Budget {
  used = 0;
  constructor(readonly file: string, readonly limits: Limits = DEFAULT_LIMITS) {}

  check(n: number, what: string): void {
    if (n > this.limits.maxEntry) {
      throw new UserError(`${this.file}: ${what} would expand to ${fmtBytes(n)}, more than the ${fmtBytes(this.limits.maxEntry)} limit; refusing it (a zip bomb or a damaged file)`,
        'nothing was imported; if the package is genuine, split it into smaller decks in Anki');
    }
    if (this.used + n > this.limits.maxTotal) {
      throw new UserError(`${this.file}: the package would expand to more than ${fmtBytes(this.limits.maxTotal)}; refusing it (a zip bomb or a damaged file)`,
        'nothing was imported; if the package is genuine, export the decks in smaller parts');
    }
  }

  take(n: number, what: string): void {
    this.check(n, what);
    this.used += n;
  }
}

export function fmtBytes(n: number): string {
  if (n >= GiB) return `${(n / GiB).toFixed(1)} GiB`;
  if (n >= MiB) return `${(n / MiB).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

// ---------------------------------------------------------------------------------------------
// zip

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  crc: number;
  localOffset: number;
}

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16)) + b[o + 3] * 0x1000000;
const u64 = (b: Uint8Array, o: number) => u32(b, o) + u32(b, o + 4) * 0x100000000;

/** A zip archive read from a buffer: the central directory is parsed up front, entries on demand. */
export class ZipReader {
  readonly entries = new Map<string, ZipEntry>();

  constructor(private readonly buf: Uint8Array, readonly file: string, private readonly budget: Budget) {
    const bad = (what: string) => new UserError(`${file}: not a valid zip archive (${what}); an .apkg/.colpkg is a zip file`,
      'the file may be truncated or damaged, or it is not an Anki package; nothing was imported');
    if (buf.length < 22) throw bad(buf.length === 0 ? 'the file is empty' : 'the file is too short');
    // End of central directory: the last 22 bytes, or earlier when there is an archive comment.
    let e = -1;
    for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
      if (buf[i] === 0x50 && buf[i + 1] === 0x4b && buf[i + 2] === 0x05 && buf[i + 3] === 0x06) { e = i; break; }
    }
    if (e < 0) throw bad(u32(buf, 0) === 0x04034b50 ? 'no end-of-archive record: the file is truncated' : 'no zip signature');
    let count = u16(buf, e + 10);
    let cdSize = u32(buf, e + 12);
    let cdOffset = u32(buf, e + 16);
    if (count === 0xffff || cdOffset === 0xffffffff || cdSize === 0xffffffff) {
      // zip64 locator right before the EOCD.
      const loc = e - 20;
      if (loc >= 0 && u32(buf, loc) === 0x07064b50) {
        const z = u64(buf, loc + 8);
        if (z + 56 <= buf.length && u32(buf, z) === 0x06064b50) {
          count = u64(buf, z + 32);
          cdSize = u64(buf, z + 40);
          cdOffset = u64(buf, z + 48);
        }
      }
    }
    if (cdOffset + cdSize > buf.length) throw bad('the central directory lies past the end of the file: the file is truncated');
    let p = cdOffset;
    let declared = 0;
    for (let i = 0; i < count; i++) {
      if (p + 46 > buf.length || u32(buf, p) !== 0x02014b50) throw bad(`central directory entry ${i + 1} is damaged`);
      const flags = u16(buf, p + 8);
      const method = u16(buf, p + 10);
      const crc = u32(buf, p + 16) >>> 0;
      let compressedSize = u32(buf, p + 20);
      let size = u32(buf, p + 24);
      const nameLen = u16(buf, p + 28);
      const extraLen = u16(buf, p + 30);
      const commentLen = u16(buf, p + 32);
      let localOffset = u32(buf, p + 42);
      const name = new TextDecoder('utf-8', { fatal: false }).decode(buf.subarray(p + 46, p + 46 + nameLen));
      // zip64 extra field: the 0xffffffff values follow in order.
      let x = p + 46 + nameLen;
      const xEnd = x + extraLen;
      while (x + 4 <= xEnd) {
        const id = u16(buf, x);
        const len = u16(buf, x + 2);
        if (id === 0x0001) {
          let q = x + 4;
          if (size === 0xffffffff) { size = u64(buf, q); q += 8; }
          if (compressedSize === 0xffffffff) { compressedSize = u64(buf, q); q += 8; }
          if (localOffset === 0xffffffff) { localOffset = u64(buf, q); q += 8; }
        }
        x += 4 + len;
      }
      p = xEnd + commentLen;
      if (name.endsWith('/')) continue; // folders
      declared += size;
      this.entries.set(name, { name, method, flags, compressedSize, size, crc, localOffset });
    }
    // Refuse bombs by their declared sizes before expanding anything.
    budget.check(declared, 'the archive');
    for (const en of this.entries.values()) {
      budget.check(en.size, `entry "${en.name}"`);
      if (en.size > budget.limits.ratioFloor && en.size / Math.max(1, en.compressedSize) > budget.limits.maxRatio) {
        throw new UserError(`${file}: entry "${en.name}" claims to expand ${Math.round(en.size / Math.max(1, en.compressedSize))}-fold (${fmtBytes(en.compressedSize)} → ${fmtBytes(en.size)}); refusing it as a zip bomb`,
          'nothing was imported');
      }
    }
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The entry's bytes, decompressed, size- and CRC-checked. */
  read(name: string): Uint8Array {
    const en = this.entries.get(name);
    if (!en) throw new UserError(`${this.file}: the package has no "${name}" entry`);
    const damaged = (what: string) => new UserError(`${this.file}: entry "${name}" is damaged (${what})`,
      'the package is corrupt or truncated; export it again; nothing was imported');
    if (en.flags & 1) throw new UserError(`${this.file}: entry "${name}" is encrypted; encrypted packages cannot be imported`);
    const h = en.localOffset;
    if (h + 30 > this.buf.length || u32(this.buf, h) !== 0x04034b50) throw damaged('bad local header');
    const start = h + 30 + u16(this.buf, h + 26) + u16(this.buf, h + 28);
    const end = start + en.compressedSize;
    if (end > this.buf.length) throw damaged('its data runs past the end of the file: the file is truncated');
    const data = this.buf.subarray(start, end);
    this.budget.take(en.size, `entry "${name}"`);
    let out: Uint8Array;
    if (en.method === 0) {
      if (en.compressedSize !== en.size) throw damaged('stored size mismatch');
      out = data;
    } else if (en.method === 8) {
      try {
        // A fixed output buffer of the declared size: fflate never grows it, so a lying header
        // cannot make it allocate more than the budget already allowed.
        out = inflateSync(data, { out: new Uint8Array(en.size) });
      } catch (e) {
        throw damaged(`deflate error: ${(e as Error).message}`);
      }
      if (out.length !== en.size) throw damaged(`expanded to ${out.length} bytes, ${en.size} declared`);
    } else {
      throw new UserError(`${this.file}: entry "${name}" uses compression method ${en.method}, which is not supported (only stored and deflate)`);
    }
    if (crc32(out) !== en.crc) throw damaged('checksum mismatch');
    return out;
  }
}

let crcTable: Uint32Array | null = null;
export function crc32(data: Uint8Array): number {
  const native = (zlib as unknown as { crc32?: (d: Uint8Array) => number }).crc32;
  if (typeof native === 'function') return native(data) >>> 0;
  if (!crcTable) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// ---------------------------------------------------------------------------------------------
// zstd

export const isZstd = (b: Uint8Array) => b.length >= 4 && b[0] === 0x28 && b[1] === 0xb5 && b[2] === 0x2f && b[3] === 0xfd;

/** Window size and content size a zstd frame header declares (undefined when absent). */
function zstdFrameHeader(b: Uint8Array): { window?: number; content?: number } {
  if (b.length < 6) return {};
  const fhd = b[4];
  const fcsFlag = fhd >> 6;
  const single = (fhd >> 5) & 1;
  const dictFlag = fhd & 3;
  let p = 5;
  let window: number | undefined;
  if (!single) {
    const wd = b[p++];
    const log = 10 + (wd >> 3);
    const base = 2 ** log;
    window = base + (base / 8) * (wd & 7);
  }
  p += [0, 1, 2, 4][dictFlag];
  const size = fcsFlag === 0 ? (single ? 1 : 0) : [1, 2, 4, 8][fcsFlag];
  let content: number | undefined;
  if (size && p + size <= b.length) {
    content = 0;
    for (let i = size - 1; i >= 0; i--) content = content * 256 + b[p + i];
    if (size === 2) content += 256;
  }
  if (single) window = content;
  return { window, content };
}

/** Decompress zstd data, charging the output to the budget and stopping as soon as it overflows. */
export function zstdDecompress(data: Uint8Array, what: string, budget: Budget): Uint8Array {
  const damaged = (why: string) => new UserError(`${budget.file}: ${what} is damaged (${why})`, 'the package is corrupt or truncated; export it again; nothing was imported');
  if (!isZstd(data)) throw damaged('not zstd data');
  const { window, content } = zstdFrameHeader(data);
  if (content != null) budget.check(content, what);
  if (window != null) budget.check(window, `${what} (zstd window)`);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const d = new Decompress((chunk) => {
    total += chunk.length;
    budget.check(total, what);
    chunks.push(chunk.slice());
  });
  try {
    d.push(data, true);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw damaged(`zstd error: ${(e as Error).message}`);
  }
  if (content != null && total !== content) throw damaged(`expanded to ${total} bytes, ${content} declared`);
  budget.take(total, what);
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) { out.set(c, o); o += c.length; }
  return out;
}

// ---------------------------------------------------------------------------------------------
// protobuf: just enough to read Anki's `meta`, media map, and note type / template configs.

export type ProtoField = { field: number; wire: number; varint?: number; bytes?: Uint8Array };

export function readProto(b: Uint8Array): ProtoField[] {
  const out: ProtoField[] = [];
  let p = 0;
  const varint = (): number => {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (p >= b.length) throw new Error('truncated varint');
      const byte = b[p++];
      result += (byte & 0x7f) * mul;
      if (!(byte & 0x80)) return result;
      mul *= 128;
    }
    throw new Error('varint too long');
  };
  while (p < b.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) out.push({ field, wire, varint: varint() });
    else if (wire === 2) {
      const len = varint();
      if (p + len > b.length) throw new Error('truncated field');
      out.push({ field, wire, bytes: b.subarray(p, p + len) });
      p += len;
    } else if (wire === 1) p += 8;
    else if (wire === 5) p += 4;
    else throw new Error(`unsupported wire type ${wire}`);
  }
  return out;
}

const utf8 = new TextDecoder();
export const protoString = (fields: ProtoField[], n: number): string | undefined => {
  const f = fields.find((x) => x.field === n && x.bytes);
  return f?.bytes ? utf8.decode(f.bytes) : undefined;
};
export const protoVarint = (fields: ProtoField[], n: number): number | undefined => fields.find((x) => x.field === n && x.wire === 0)?.varint;

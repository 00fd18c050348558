// CSV/TSV, including Anki's "Notes/Cards in Plain Text" exports with their header lines
// (#separator:, #html:, #tags:, #columns:, #deck:, #notetype:, #deck column:, #tags column:,
// #guid column:, #notetype column:). Parsed with csv-parse; a row that cannot be read is reported
// with its line number and reading goes on with the next line.
import { createHash } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { UserError } from '../errors.js';
import { htmlToMarkdown } from './html.js';
import { safeMediaName, uniqueName } from './media.js';
import { Skips, type DraftDeck, type DraftNote, type ImportSource, type MediaItem } from './model.js';
import { cleanText, foreignId, slug } from './render.js';
import { readText } from './text.js';

export interface CsvOptions {
  /** Column roles when the file has no #columns header: front, back, tags, deck, guid, notetype, ignore, or a field name. */
  columns?: string[];
  /** tab, comma, semicolon, space, pipe, colon, or the character itself. */
  separator?: string;
  /** Deck name for rows that name none (default: the file name). */
  deck?: string;
  /** Fields are HTML (default: the #html: header, else detected per field). */
  html?: boolean;
}

type Role = 'front' | 'back' | 'tags' | 'deck' | 'guid' | 'notetype' | 'ignore' | { extra: string };

const SEPARATORS: Record<string, string> = { tab: '\t', comma: ',', semicolon: ';', space: ' ', pipe: '|', colon: ':' };

function separatorFrom(v: string, where: string): string {
  const s = v.trim();
  const named = SEPARATORS[s.toLowerCase()];
  if (named) return named;
  if (s === '\\t') return '\t';
  if ([...s].length === 1) return s;
  throw new UserError(`${where}: unknown separator "${v}"`, 'use tab, comma, semicolon, space, pipe, colon, or a single character');
}

function roleOf(name: string): Role {
  const n = name.trim().toLowerCase();
  if (['front', 'question', 'q', 'text', 'expression', 'word'].includes(n)) return 'front';
  if (['back', 'answer', 'a', 'meaning', 'definition'].includes(n)) return 'back';
  if (n === 'tags' || n === 'tag') return 'tags';
  if (n === 'deck') return 'deck';
  if (n === 'guid' || n === 'id') return 'guid';
  if (n === 'notetype' || n === 'note type' || n === 'type') return 'notetype';
  if (['', '_', '-', 'ignore', 'skip'].includes(n)) return 'ignore';
  return { extra: name.trim() };
}

/** Guess the separator from the first lines: tab if any, else whichever of , ; | is most frequent. */
function sniff(body: string): string {
  const sample = body.split('\n').slice(0, 20).join('\n');
  if (sample.includes('\t')) return '\t';
  const count = (c: string) => sample.split(c).length - 1;
  const best = [',', ';', '|'].map((c) => [c, count(c)] as const).sort((a, b) => b[1] - a[1])[0];
  return best[1] > 0 ? best[0] : ',';
}

const looksHtml = (s: string) => /<[a-z][^>]*>|&(#\d+|#x[0-9a-f]+|[a-z]+);/i.test(s);
const ANSWER_RULE = /<hr\s+id\s*=\s*["']?answer["']?\s*\/?>/gi;

interface Row { line: number; fields: string[] }

/** Parse records, recovering from a broken row by skipping its first line and reading on. */
function parseRows(body: string, firstLine: number, delimiter: string, skips: Skips): Row[] {
  const rows: Row[] = [];
  const lines = body.split('\n');
  let startLine = 0; // index into `lines` where this pass starts
  for (let guard = 0; startLine < lines.length && guard < 100_000; guard++) {
    const chunk = startLine === 0 ? body : lines.slice(startLine).join('\n');
    let lastEnd = 0; // lines of the chunk consumed by complete records
    let unclosed = false;
    const fail = (msg: string) => {
      // The broken row starts at the first non-blank line after the last good record.
      let i = startLine + lastEnd;
      while (i < lines.length - 1 && !lines[i].trim()) i++;
      skips.add(`row that could not be read (${msg}): skipped, reading went on with the next line`, `line ${firstLine + i}`);
      return i;
    };
    try {
      parse(chunk, {
        delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true, raw: true, bom: true,
        skip_records_with_error: true,
        on_skip: (err) => {
          const e = err as unknown as { code?: string; message?: string; lines?: number } | undefined;
          if (e?.code === 'CSV_QUOTE_NOT_CLOSED') { unclosed = true; return undefined; }
          const line = firstLine + startLine + Number(e?.lines ?? lastEnd + 1) - 1;
          skips.add(`row that could not be read (${(e?.message ?? 'invalid').replace(/\s*at line \d+.*$/, '')}): skipped`, `line ${line}`);
          return undefined;
        },
        on_record: (rec: unknown) => {
          const r = rec as { record: string[]; info: { lines: number }; raw: string };
          const endLine = r.info.lines;
          const startOfRecord = endLine - (r.raw.replace(/\n$/, '').split('\n').length - 1);
          rows.push({ line: firstLine + startLine + startOfRecord - 1, fields: r.record });
          lastEnd = endLine;
          return null;
        },
      });
      if (!unclosed) break;
      startLine = fail('a quoted field is never closed') + 1;
    } catch (e) {
      const code = (e as { code?: string }).code;
      startLine = fail(code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed' : (e as Error).message.replace(/\s*at line \d+.*$/, '')) + 1;
    }
  }
  return rows;
}

export function readCsv(path: string, opts: CsvOptions = {}): ImportSource {
  const file = basename(path);
  const text = readText(path, 'CSV/TSV text');
  const skips = new Skips();
  const allLines = text.split('\n');
  const header: Record<string, string> = {};
  let h = 0;
  while (h < allLines.length) {
    const m = /^#([a-z][a-z ]*):(.*)$/i.exec(allLines[h]);
    if (!m) break;
    header[m[1].trim().toLowerCase()] = m[2];
    h++;
  }
  const body = allLines.slice(h).join('\n');
  if (!body.trim()) throw new UserError(`${file}: no rows to import`, 'the file is empty apart from its header lines');
  const delimiter = header.separator != null ? separatorFrom(header.separator, file)
    : opts.separator ? separatorFrom(opts.separator, '--separator')
      : extname(path).toLowerCase() === '.tsv' ? '\t' : sniff(body);
  const html = header.html != null ? /^(true|1|yes)$/i.test(header.html.trim()) : opts.html;

  // Column roles: --columns, else #columns:, then the #… column: headers, then front/back by position.
  const roles: Role[] = [];
  const names = opts.columns?.length ? opts.columns : header.columns != null ? header.columns.split(delimiter) : [];
  names.forEach((n, i) => { roles[i] = roleOf(n); });
  const colHeader = (key: string, role: Role) => {
    if (header[key] == null) return;
    const n = Number(header[key].trim());
    if (!Number.isInteger(n) || n < 1) throw new UserError(`${file}: header "#${key}:${header[key]}" must name a column number from 1`);
    roles[n - 1] = role;
  };
  colHeader('deck column', 'deck');
  colHeader('tags column', 'tags');
  colHeader('guid column', 'guid');
  colHeader('notetype column', 'notetype');

  const rows = parseRows(body, h + 1, delimiter, skips);
  // A first row that only names columns (front,back,tags…) is a header, not a card.
  const KNOWN = /^(front|back|question|answer|tags?|deck|guid|id|notetype|note type|text|extra|back extra)$/i;
  if (header.columns == null && rows.length && rows[0].fields.length > 1 && rows[0].fields.every((c) => KNOWN.test(c.trim()))) {
    const names = rows.shift()!.fields;
    if (!opts.columns?.length) names.forEach((n, i) => { if (roles[i] == null) roles[i] = roleOf(n); });
  }
  const maxCols = Math.max(0, ...rows.map((r) => r.fields.length));
  for (let i = 0, seenFront = roles.includes('front'), seenBack = roles.includes('back'); i < maxCols; i++) {
    if (roles[i] != null) continue;
    if (!seenFront) { roles[i] = 'front'; seenFront = true; } else if (!seenBack) { roles[i] = 'back'; seenBack = true; } else roles[i] = { extra: `Field ${i + 1}` };
  }
  const frontIdx = roles.indexOf('front');
  if (frontIdx < 0) throw new UserError(`${file}: no column holds the question`, 'name one column "front" with --columns, e.g. --columns front,back,tags');

  // Media referenced by <img src>: copied when the file is found beside the CSV (or in collection.media/).
  const media: MediaItem[] = [];
  const mediaLink = new Map<string, string>();
  const taken = new Set<string>();
  const missing = new Set<string>();
  const dir = dirname(path);
  const mediaFor = (src: string) => {
    const known = mediaLink.get(src);
    if (known) return `media/${known}`;
    let decoded = src;
    try { decoded = decodeURIComponent(src); } catch { /* keep */ }
    const safe = safeMediaName(decoded);
    if (!safe) { skips.add('media reference with an unsafe name (link kept, nothing copied)', JSON.stringify(src)); return `media/${encodeURIComponent(decoded)}`; }
    const found = [join(dir, 'collection.media', decoded), join(dir, 'media', decoded), join(dir, decoded)].find((p) => existsSync(p) && statSync(p).isFile());
    const name = uniqueName(safe, taken);
    mediaLink.set(src, name);
    if (found) media.push({ name, read: () => readFileSync(found) });
    else missing.add(decoded);
    return `media/${name}`;
  };
  const htmlOpts = { media: mediaFor, onDropped: (what: string) => skips.add(`${what} dropped`) };
  const conv = (s: string) => (html ?? looksHtml(s) ? htmlToMarkdown(s, htmlOpts) : cleanText(s).trim());

  const headerTags = (header.tags ?? '').split(/\s+/).filter(Boolean);
  const defaultDeck = (header.deck?.trim() || opts.deck?.trim() || basename(path, extname(path))).split('::').map((p) => p.trim()).filter(Boolean).join('::') || 'Imported';
  const decks = new Map<string, DraftDeck>();
  const usedIds = new Map<string, number>();
  const FIELD_LIMIT = 1024 * 1024;

  for (const row of rows) {
    const where = `line ${row.line}`;
    const f = row.fields;
    if (f.every((x) => !x.trim())) continue;
    if (f.some((x) => x.length > FIELD_LIMIT)) { skips.add('row with a field larger than 1 MiB', where); continue; }
    const frontRaw = f[frontIdx] ?? '';
    if (!frontRaw.trim()) { skips.add('row with an empty question column', where); continue; }
    let backRaw = '';
    const extras: { name: string; value: string }[] = [];
    let tags = [...headerTags];
    let deckName = defaultDeck;
    let guid = '';
    let notetype = header.notetype ?? '';
    f.forEach((value, i) => {
      const role = roles[i];
      if (role === 'back') backRaw = backRaw ? `${backRaw}<br>${value}` : value;
      else if (role === 'tags') tags.push(...value.split(/\s+/).filter(Boolean));
      else if (role === 'deck') { if (value.trim()) deckName = value.trim(); }
      else if (role === 'guid') guid = value.trim();
      else if (role === 'notetype') notetype = value;
      else if (role && typeof role === 'object' && value.trim()) extras.push({ name: role.extra, value });
    });
    tags = [...new Set(tags)];
    if (f.length < 2 && !extras.length) { skips.add('row with only one column (no answer)', where); continue; }
    // "Cards in Plain Text" exports: the back holds the rendered front, a rule, then the answer.
    const rules = [...backRaw.matchAll(ANSWER_RULE)];
    if (rules.length) {
      const last = rules[rules.length - 1];
      backRaw = backRaw.slice(last.index! + last[0].length);
    }
    const front = conv(frontRaw);
    const backParts = [conv(backRaw), ...extras.map((x) => {
      const md = conv(x.value);
      return md ? `**${x.name}:** ${md}` : '';
    })].filter(Boolean);
    const back = backParts.join('\n\n');
    const kind: DraftNote['kind'] = /cloze/i.test(notetype) || /\{\{c\d+::/.test(front) ? 'cloze' : /revers/i.test(notetype) ? 'reversible' : 'basic';
    if (kind === 'cloze' && !/\{\{c\d+::/.test(front)) { skips.add('cloze row without a cloze deletion', where); continue; }
    if (kind !== 'cloze' && !back) { skips.add('row with an empty answer', where); continue; }
    let id = guid ? foreignId('anki', guid) : `csv-${createHash('sha1').update(normalizeKey(frontRaw)).digest('hex').slice(0, 16)}`;
    const n = (usedIds.get(id) ?? 0) + 1;
    usedIds.set(id, n);
    if (n > 1) id = `${id}-${n}`;
    let deck = decks.get(deckName);
    if (!deck) decks.set(deckName, (deck = { name: deckName, notes: [] }));
    deck.notes.push({ kind, front, back, tags, id, source: where });
  }
  if (!decks.size && !skips.total) throw new UserError(`${file}: no rows to import`);
  if (missing.size) skips.add('media file not found beside the CSV (link kept; copy it into the media folder)', [...missing].slice(0, 3).join(', '), missing.size);
  return {
    format: 'csv',
    folder: slug(basename(path, extname(path)), 'csv'),
    label: `${extname(path).toLowerCase() === '.tsv' || delimiter === '\t' ? 'TSV' : 'CSV'} file ${file}`,
    decks: [...decks.values()],
    media,
    skips,
    close: () => {},
  };
}

/** The identity key of a row: its first field, without markup, whitespace collapsed (NFC). */
function normalizeKey(s: string): string {
  return s.replace(/<img\b[^>]*?\bsrc\s*=\s*["']?([^"'\s>]+)[^>]*>/gi, ' img:$1 ').replace(/<[^>]*>/g, ' ').replace(/&nbsp;/gi, ' ').normalize('NFC').replace(/\s+/g, ' ').trim();
}

// Writing imported notes as deck files in the native Markdown format (docs/deck-format.md).
// Every file is checked by the real deck parser before it is written: a note the parser would
// reject is left out and reported, so an import never leaves a deck file that fails to sync.
import { createHash } from 'node:crypto';
import { parseDeck } from '../deck.js';
import type { NoteDraft } from '../types.js';
import type { DraftDeck, DraftNote, Skips } from './model.js';

const MARKER_LINE = /^(Q|R|C|A):(\s|$)/;
const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*([^\s`]*)?.*$/;
const HEADING = /^#{1,6}(\s|$)/;
const RULE = /^\s{0,3}(-{3,}|\*{3,}|_{3,})\s*$/;

/** Clean text: normalise line ends, drop control characters other than tab and newline. */
export function cleanText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').normalize('NFC');
}

/**
 * Make a Markdown block safe inside a card: lines that the deck parser would read as structure
 * (a marker, a heading, a `---` rule, a card comment) are escaped; a code fence left open is closed;
 * a fence named `exercise` (which would start an exercise) is renamed.
 */
export function escapeBlock(text: string): string {
  const lines = cleanText(text).split('\n');
  const out: string[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    const f = line.match(FENCE);
    if (fence) {
      out.push(line);
      if (f && f[1][0] === fence[0] && f[1].length >= fence.length && line.trim() === f[1]) fence = null;
      continue;
    }
    if (f) {
      fence = f[1];
      out.push((f[2] ?? '').toLowerCase() === 'exercise' ? line.replace(/exercise/i, 'text') : line);
      continue;
    }
    if (MARKER_LINE.test(line)) out.push(`\\${line}`);
    else if (HEADING.test(line)) out.push(`\\${line}`);
    else if (RULE.test(line)) out.push(line.replace(/^(\s*)(\S)/, '$1\\$2'));
    else if (/^\s*<!--/.test(line)) out.push(line.replace(/<!--/, '\\<!--'));
    else out.push(line);
  }
  if (fence) out.push(fence);
  return out.join('\n');
}

/** Tags as the deck format reads them: no spaces, commas or semicolons inside one tag. */
export function cleanTags(tags: string[]): string[] {
  const out = tags.map((t) => t.trim().replace(/^#+/, '').replace(/-->/g, '').replace(/[\s,;]+/g, '_')).filter(Boolean);
  return [...new Set(out)];
}

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * An explicit id from a foreign identifier: letters and digits are kept, every other character
 * becomes `_` and its hex code (so the mapping is one-to-one and case is preserved); long or
 * non-ASCII identifiers become a hash.
 */
export function foreignId(prefix: string, raw: string): string {
  let s = '';
  for (const ch of raw) {
    const c = ch.codePointAt(0)!;
    if (/[A-Za-z0-9]/.test(ch)) s += ch;
    else if (c < 256) s += `_${c.toString(16).padStart(2, '0')}`;
    else { s = ''; break; }
  }
  const id = `${prefix}-${s}`;
  if (s && ID_RE.test(id) && id.length <= 100) return id;
  return `${prefix}-h${createHash('sha1').update(raw).digest('hex').slice(0, 24)}`;
}

/** A file name from a deck name: letters and digits of any script kept, levels joined by `__`. */
export function slug(name: string, fallback = 'deck'): string {
  const s = name.split('::').map((part) => part.normalize('NFC').replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^[-.]+|[-.]+$/g, '')).filter(Boolean).join('__');
  return (s || fallback).slice(0, 100);
}

const yamlString = (s: string) => JSON.stringify(s);

function side(marker: string, text: string): string {
  const t = cleanText(text).replace(/^\s*\n/, '').replace(/\s+$/, '');
  if (!t.includes('\n')) return `${marker}: ${t}`;
  return `${marker}:\n${escapeBlock(t)}`;
}

function renderNote(n: DraftNote): string {
  const lines: string[] = [];
  if (n.kind === 'cloze') {
    lines.push(side('C', n.front));
    if (n.back.trim()) lines.push(side('A', n.back));
  } else {
    lines.push(side(n.kind === 'reversible' ? 'R' : 'Q', n.front));
    lines.push(side('A', n.back.trim() ? n.back : '*(empty)*'));
  }
  const meta: string[] = [];
  if (n.id) meta.push(`id: ${n.id}`);
  const tags = cleanTags(n.tags);
  if (tags.length) meta.push(`tags: ${tags.join(' ')}`);
  if (meta.length) lines.push(`<!-- ${meta.join('; ')} -->`);
  return lines.join('\n');
}

export interface RenderedFile {
  /** File name inside the source folder. */
  name: string;
  deckName: string;
  text: string;
  /** The notes kept, in file order (= the position the sync gives them); their text is dropped once rendered. */
  notes: DraftNote[];
  /** Notes and cards the parser reads from the file. */
  noteCount: number;
  cardCount: number;
}

function done(deck: DraftDeck, fileName: string, text: string, notes: DraftNote[], parsed: NoteDraft[]): RenderedFile {
  // The text lives in the rendered file now: keep only what the history needs, to save memory.
  for (const n of notes) { n.front = ''; n.back = ''; n.tags = []; }
  return { name: fileName, deckName: deck.name, text, notes, noteCount: parsed.length, cardCount: parsed.reduce((s, n) => s + n.ords.length, 0) };
}

function renderText(deck: DraftDeck, notes: DraftNote[], header: string): { text: string; starts: number[] } {
  const fm = ['---', `name: ${yamlString(deck.name)}`];
  if (deck.description) fm.push(`description: ${yamlString(deck.description)}`);
  if (deck.source) fm.push(`source: ${yamlString(deck.source)}`);
  fm.push('---', '', `<!-- ${header.replace(/-->/g, '')} -->`, '');
  const parts: string[] = [fm.join('\n')];
  const starts: number[] = [];
  let line = fm.length + 1;
  for (const n of notes) {
    const block = renderNote(n);
    starts.push(line);
    parts.push(block + '\n');
    line += block.split('\n').length + 1;
  }
  return { text: parts.join('\n'), starts };
}

/**
 * Render a deck to a file and check it with the deck parser: notes the parser rejects are left
 * out (counted in `skips` with the parser's message), and the file is rendered again.
 */
export function renderDeck(deck: DraftDeck, fileName: string, header: string, skips: Skips): RenderedFile {
  let notes = deck.notes;
  for (let attempt = 0; attempt < 4; attempt++) {
    const { text, starts } = renderText(deck, notes, header);
    const res = parseDeck(text, fileName);
    const errors = res.issues.filter((i) => i.severity === 'error');
    if (!errors.length && res.deck && res.deck.notes.length === notes.length) {
      return done(deck, fileName, text, notes, res.deck.notes);
    }
    // Map each error line to the note that contains it and drop those notes.
    const bad = new Set<number>();
    for (const e of errors) {
      let idx = -1;
      for (let i = 0; i < starts.length && starts[i] <= e.line; i++) idx = i;
      if (idx >= 0) {
        bad.add(idx);
        skips.add(`could not be written as a valid card: ${e.message}`, notes[idx].source);
      }
    }
    if (!bad.size) {
      // The parser disagrees on the number of notes without an error: find the first mismatch.
      const got = res.deck?.notes ?? [];
      let i = 0;
      while (i < notes.length && i < got.length && got[i].loc.line === starts[i]) i++;
      if (i < notes.length) {
        bad.add(i);
        skips.add('could not be written as a valid card', notes[i].source);
      } else break;
    }
    notes = notes.filter((_n, i) => !bad.has(i));
  }
  const { text } = renderText(deck, notes, header);
  const res = parseDeck(text, fileName);
  return done(deck, fileName, text, notes, res.deck?.notes ?? []);
}

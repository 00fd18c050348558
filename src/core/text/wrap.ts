// Wrap styled segments into lines no wider than a given number of terminal columns.
// Widths are display widths (string-width): Hangul, CJK and emoji take two columns, combining
// marks none. Breaks go at spaces; Han and Kana may break between any two characters (Hangul keeps
// its words whole, as Korean text is set); a word longer than the line is broken where it must be.
import stringWidth from 'string-width';
import { normalizeLine, styleKey, type Line, type Segment, type Style } from './styled.js';

interface Glyph {
  g: string;
  w: number;
  style?: Style;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Han ideographs, Kana, CJK punctuation, full-width forms: a break is allowed on either side. */
const BREAK_ANYWHERE = /[\u2E80-\u2FFF\u3000-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF00-\uFF60\u{20000}-\u{3FFFF}]/u;

function toGlyphs(segments: Segment[]): Glyph[] {
  const out: Glyph[] = [];
  for (const s of segments) {
    const text = s.text.replace(/\t/g, '    ').replace(/\r/g, '');
    for (const { segment } of graphemes.segment(text)) {
      out.push({ g: segment, w: segment === '\n' ? 0 : stringWidth(segment), style: s.style });
    }
  }
  return out;
}

function glyphsToLine(glyphs: Glyph[]): Line {
  const line: Line = [];
  let cur: Segment | null = null;
  let curKey = '';
  for (const gl of glyphs) {
    const key = styleKey(gl.style);
    if (cur && key === curKey) {
      cur.text += gl.g;
    } else {
      cur = gl.style ? { text: gl.g, style: gl.style } : { text: gl.g };
      curKey = key;
      line.push(cur);
    }
  }
  return normalizeLine(line);
}

type Unit = { kind: 'newline' } | { kind: 'space'; glyphs: Glyph[] } | { kind: 'word'; glyphs: Glyph[] };

function toUnits(glyphs: Glyph[]): Unit[] {
  const units: Unit[] = [];
  let word: Glyph[] = [];
  let space: Glyph[] = [];
  const flushWord = () => {
    if (word.length) units.push({ kind: 'word', glyphs: word });
    word = [];
  };
  const flushSpace = () => {
    if (space.length) units.push({ kind: 'space', glyphs: space });
    space = [];
  };
  for (const gl of glyphs) {
    if (gl.g === '\n') {
      flushWord();
      flushSpace();
      units.push({ kind: 'newline' });
    } else if (gl.g === ' ' || gl.g === '\u3000') {
      flushWord();
      space.push(gl);
    } else if (BREAK_ANYWHERE.test(gl.g)) {
      flushSpace();
      flushWord();
      units.push({ kind: 'word', glyphs: [gl] });
    } else {
      flushSpace();
      word.push(gl);
    }
  }
  flushWord();
  flushSpace();
  return units;
}

const sum = (gs: Glyph[]) => gs.reduce((a, g) => a + g.w, 0);

export interface WrapOptions {
  /** Keep every space (code blocks): lines break at the width only, never at spaces. */
  preserveSpaces?: boolean;
}

/**
 * Wrap `segments` (which may hold '\n' for hard breaks) to lines of at most `width` columns.
 * Always returns at least one line (an empty one for empty input).
 */
export function wrapSegments(segments: Segment[], width: number, opts: WrapOptions = {}): Line[] {
  const max = Math.max(1, Math.floor(width));
  const glyphs = toGlyphs(segments);
  const lines: Glyph[][] = [[]];
  let curW = 0;
  const newLine = () => {
    lines.push([]);
    curW = 0;
  };
  const cur = () => lines[lines.length - 1];

  if (opts.preserveSpaces) {
    for (const gl of glyphs) {
      if (gl.g === '\n') {
        newLine();
        continue;
      }
      if (curW + gl.w > max && curW > 0) newLine();
      cur().push(gl);
      curW += gl.w;
    }
    return lines.map(glyphsToLine);
  }

  let pending: Glyph[] = [];
  for (const unit of toUnits(glyphs)) {
    if (unit.kind === 'newline') {
      newLine();
      pending = [];
      continue;
    }
    if (unit.kind === 'space') {
      if (curW > 0) pending = unit.glyphs;
      continue;
    }
    const ww = sum(unit.glyphs);
    const sw = sum(pending);
    if (curW + sw + ww <= max) {
      cur().push(...pending, ...unit.glyphs);
      curW += sw + ww;
      pending = [];
      continue;
    }
    pending = [];
    if (curW > 0) newLine();
    if (ww <= max) {
      cur().push(...unit.glyphs);
      curW += ww;
      continue;
    }
    // A word longer than the line: break it between graphemes.
    for (const gl of unit.glyphs) {
      if (curW + gl.w > max && curW > 0) newLine();
      cur().push(gl);
      curW += gl.w;
    }
  }
  return lines.map(glyphsToLine);
}

/** Wrap a plain string. */
export function wrapText(text: string, width: number, style?: Style, opts?: WrapOptions): Line[] {
  return wrapSegments([style ? { text, style } : { text }], width, opts);
}

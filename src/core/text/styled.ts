// Styled text as plain data: what the Markdown renderer produces and the Ink layer draws.
// No Ink, no ANSI codes here: a style names a semantic tone, and the UI theme picks the colour.
import stringWidth from 'string-width';

/** Semantic tones; the UI theme maps them to colours (or to nothing under NO_COLOR). */
export type Tone =
  | 'accent'
  | 'muted'
  | 'new'
  | 'learning'
  | 'review'
  | 'again'
  | 'hard'
  | 'good'
  | 'easy'
  | 'error'
  | 'code'
  | 'link'
  | 'heading'
  | 'math'
  | 'cloze';

export interface Style {
  tone?: Tone;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strikethrough?: boolean;
  dim?: boolean;
  inverse?: boolean;
}

export interface Segment {
  text: string;
  style?: Style;
}

/** One terminal row: segments whose display widths add up to the row's width. */
export type Line = Segment[];

export function styleKey(s: Style | undefined): string {
  if (!s) return '';
  return [
    s.tone ?? '',
    s.bold ? 'b' : '',
    s.italic ? 'i' : '',
    s.underline ? 'u' : '',
    s.strikethrough ? 's' : '',
    s.dim ? 'd' : '',
    s.inverse ? 'v' : '',
  ].join('|');
}

export function mergeStyles(base: Style | undefined, extra: Style | undefined): Style | undefined {
  if (!base) return extra;
  if (!extra) return base;
  return { ...base, ...extra, tone: extra.tone ?? base.tone };
}

/** Display width of a string (Korean/CJK and emoji count 2, combining marks 0). */
export function textWidth(s: string): number {
  return stringWidth(s);
}

export function lineWidth(line: Line): number {
  let w = 0;
  for (const seg of line) w += stringWidth(seg.text);
  return w;
}

export function lineText(line: Line): string {
  return line.map((s) => s.text).join('');
}

export function linesText(lines: Line[]): string {
  return lines.map(lineText).join('\n');
}

/** Join neighbouring segments with the same style; drop empty ones. */
export function normalizeLine(line: Line): Line {
  const out: Line = [];
  for (const seg of line) {
    if (seg.text === '') continue;
    const last = out[out.length - 1];
    if (last && styleKey(last.style) === styleKey(seg.style)) {
      out[out.length - 1] = { text: last.text + seg.text, style: last.style };
    } else {
      out.push(seg);
    }
  }
  return out;
}

export function seg(text: string, style?: Style): Segment {
  return style ? { text, style } : { text };
}

/** Pad a line with spaces on the right (or left/centre) to `width` display columns. */
export function padLine(line: Line, width: number, align: 'left' | 'right' | 'center' = 'left'): Line {
  const w = lineWidth(line);
  const gap = Math.max(0, width - w);
  if (gap === 0) return line;
  if (align === 'right') return [seg(' '.repeat(gap)), ...line];
  if (align === 'center') {
    const left = Math.floor(gap / 2);
    return [seg(' '.repeat(left)), ...line, seg(' '.repeat(gap - left))];
  }
  return [...line, seg(' '.repeat(gap))];
}

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Cut a line to `width` columns, ending with `ellipsis` when something was cut. */
export function truncateLine(line: Line, width: number, ellipsis = '…'): Line {
  if (lineWidth(line) <= width) return line;
  const ew = stringWidth(ellipsis);
  const room = Math.max(0, width - ew);
  const out: Line = [];
  let used = 0;
  let lastStyle: Style | undefined;
  outer: for (const s of line) {
    let text = '';
    for (const { segment } of graphemeSegmenter.segment(s.text)) {
      const w = stringWidth(segment);
      if (used + w > room) {
        if (text) out.push({ text, style: s.style });
        lastStyle = s.style;
        break outer;
      }
      text += segment;
      used += w;
    }
    if (text) out.push({ text, style: s.style });
    lastStyle = s.style;
  }
  if (width >= ew) out.push({ text: ellipsis, style: lastStyle });
  return normalizeLine(out);
}

export function truncateText(text: string, width: number): string {
  return lineText(truncateLine([{ text }], width));
}

// Terminal charts as styled lines (plain data: no Ink here). Every chart fits the width it is given,
// reads without colour (series differ by glyph, not only by tone) and is coloured by tone when the
// theme has colours.
import { lineWidth, padLine, seg, textWidth, truncateText, type Line, type Style, type Tone } from '../../core/text/styled.js';

export const EIGHTHS_UP = ['', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
export const EIGHTHS_RIGHT = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
export const SHADES = ['·', '░', '▒', '▓', '█'];

/** One stacked series: its name, tone, and the glyph that tells it apart without colour. */
export interface Series {
  name: string;
  tone: Tone;
  /** 'block' draws eighths of a cell at the top of the bar; a shade glyph fills whole cells. */
  glyph: 'block' | '▓' | '▒' | '░';
}

export const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');

/** Short count for axes: 999, 1.2k, 12k, 1.2M. */
export function fmtShort(n: number): string {
  const a = Math.abs(n);
  if (a < 1000) return String(Math.round(n));
  if (a < 10_000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}k`;
  if (a < 1_000_000) return `${Math.round(n / 1000)}k`;
  return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`;
}

export function fmtPct(x: number | null, digits = 1): string {
  return x == null ? '—' : `${(x * 100).toFixed(digits)}%`;
}

/** 42s, 3m 05s, 1h 02m: time spent, on the statistics and the session summary. */
export function fmtDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** Pad (or cut) text to a display width, counting wide characters as two columns. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const t = textWidth(text) > width ? truncateText(text, width) : text;
  const gap = Math.max(0, width - textWidth(t));
  return align === 'right' ? ' '.repeat(gap) + t : t + ' '.repeat(gap);
}

/** A horizontal bar of `value / max` over `width` cells, in eighths. */
export function hbar(value: number, max: number, width: number): string {
  if (width <= 0 || max <= 0 || value <= 0) return '';
  const eighths = Math.max(1, Math.round((Math.min(value, max) / max) * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS_RIGHT[eighths % 8];
}

export interface VBarOptions {
  /** Stacked values per column, one entry per series (bottom first). */
  columns: number[][];
  series: Series[];
  width: number;
  height: number;
  /** Label of column i on the x axis (shown where there is room). */
  xLabel: (i: number) => string;
  /** Columns whose label must be tried first (e.g. today). */
  xKey?: number[];
  /** Value at the x axis (default 0): zooms in on values that all lie high up. */
  base?: number;
  /** Format of the y-axis labels (default: short counts). */
  yFormat?: (n: number) => string;
}

/** Sum columns into groups of `g` (for more days than cells). */
function group(columns: number[][], g: number): { cols: number[][]; first: number[] } {
  if (g <= 1) return { cols: columns, first: columns.map((_, i) => i) };
  const cols: number[][] = [];
  const first: number[] = [];
  // Group from the end so the last column (today) stands alone at the right edge of its group.
  for (let end = columns.length; end > 0; end -= g) {
    const start = Math.max(0, end - g);
    const acc = columns[start].map(() => 0);
    for (let i = start; i < end; i++) columns[i].forEach((v, s) => (acc[s] += v));
    cols.unshift(acc);
    first.unshift(start);
  }
  return { cols, first };
}

/**
 * A vertical bar chart, stacked by series, with a y axis (0 and the maximum) on the left and
 * labels under the x axis. More columns than cells are summed into groups.
 */
export function vbars(o: VBarOptions): Line[] {
  const yFmt = o.yFormat ?? fmtShort;
  const base = o.base ?? 0;
  const totals0 = o.columns.map((c) => c.reduce((a, b) => a + b, 0));
  const yw = Math.max(textWidth(yFmt(Math.max(0, ...totals0))), textWidth(yFmt(base)), 1) + 1;
  const plot = Math.max(4, o.width - yw - 1);
  const g = Math.max(1, Math.ceil(o.columns.length / plot));
  const { cols, first } = group(o.columns, g);
  const n = cols.length;
  const cw = Math.max(1, Math.min(6, Math.floor(plot / n)));
  const bw = cw >= 3 ? cw - 1 : cw; // leave a gap between wide bars
  const totals = cols.map((c) => c.reduce((a, b) => a + b, 0));
  const max = Math.max(0, ...totals);
  const H = Math.max(2, o.height);
  const top = yFmt(max);
  const lines: Line[] = [];
  const unit = max > base ? (H * 8) / (max - base) : 0;
  // Heights in eighths, stacked: boundaries[s] = top of series s (above the base).
  const bounds = cols.map((c) => {
    let acc = 0;
    return c.map((v) => (acc += v)).map((b) => Math.max(0, Math.round((b - base) * unit)));
  });
  for (let r = H - 1; r >= 0; r--) {
    const label = r === H - 1 ? top : r === 0 ? yFmt(base) : '';
    const line: Line = [seg(fit(label, yw - 1, 'right') + ' ', { tone: 'muted' }), seg('│', { tone: 'muted' })];
    for (let i = 0; i < n; i++) {
      const b = bounds[i];
      const total = b.length ? b[b.length - 1] : 0;
      const fill = Math.max(0, Math.min(8, total - r * 8));
      let cell = ' ';
      let style: Style | undefined;
      if (fill > 0) {
        const mid = r * 8 + Math.max(1, fill) / 2;
        let s = b.findIndex((x) => x >= mid);
        if (s < 0) s = b.length - 1;
        const ser = o.series[s];
        if (ser.glyph === 'block') cell = EIGHTHS_UP[fill];
        else cell = fill >= 4 ? ser.glyph : ' ';
        style = { tone: ser.tone };
      }
      line.push(seg(cell.repeat(bw), style));
      if (cw > bw) line.push(seg(' '.repeat(cw - bw)));
    }
    lines.push(line);
  }
  // x axis and labels
  lines.push([seg(' '.repeat(yw) + '└' + '─'.repeat(n * cw), { tone: 'muted' })]);
  const labelRow = Array<string>(yw + 1 + n * cw).fill(' ');
  const taken = Array<boolean>(labelRow.length).fill(false);
  const place = (i: number) => {
    const text = o.xLabel(first[i]);
    if (!text) return;
    const w = textWidth(text);
    let at = yw + 1 + i * cw;
    if (at + w > labelRow.length) at = labelRow.length - w;
    if (at < 0) return;
    for (let x = Math.max(0, at - 1); x < Math.min(labelRow.length, at + w + 1); x++) if (taken[x]) return;
    [...text].forEach((ch, k) => (labelRow[at + k] = ch));
    for (let x = at; x < at + w; x++) taken[x] = true;
  };
  const keys = (o.xKey ?? []).map((k) => first.findIndex((f, i) => f <= k && (i === n - 1 || first[i + 1] > k))).filter((i) => i >= 0);
  for (const i of keys) place(i);
  for (let i = 0; i < n; i++) place(i);
  lines.push([seg(labelRow.join('').trimEnd(), { tone: 'muted' })]);
  if (g > 1) lines.push([seg(`(${g} days a column)`, { tone: 'muted' })]);
  return lines;
}

/** "▇ review  ▒ learning" */
export function legend(series: Series[]): Line {
  const out: Line = [];
  series.forEach((s, i) => {
    if (i) out.push(seg('   '));
    out.push(seg(s.glyph === 'block' ? '█' : s.glyph, { tone: s.tone }), seg(` ${s.name}`));
  });
  return out;
}

export interface HBarRow {
  label: string;
  value: number;
  /** Text after the bar (count, share). */
  note: string;
  tone?: Tone;
}

/** Horizontal bars, one row each: label | bar | note, fitted to `width`. */
export function hbars(rows: HBarRow[], width: number, opts: { max?: number } = {}): Line[] {
  const lw = Math.max(0, ...rows.map((r) => textWidth(r.label)));
  const nw = Math.max(0, ...rows.map((r) => textWidth(r.note)));
  const bw = Math.max(4, width - lw - nw - 4);
  const max = opts.max ?? Math.max(0, ...rows.map((r) => r.value));
  return rows.map((r) => [
    seg(fit(r.label, lw) + ' ', { tone: 'muted' }),
    seg('│', { tone: 'muted' }),
    seg(fit(hbar(r.value, max, bw), bw), { tone: r.tone ?? 'review' }),
    seg(' ' + fit(r.note, nw, 'right')),
  ]);
}

/** A table: header and rows of cells, column widths from content; column 0 shrinks first. */
export function table(header: string[], rows: string[][], width: number, opts: { align?: ('left' | 'right')[]; tones?: (Tone | undefined)[][]; minFirst?: number } = {}): Line[] {
  const cols = header.length;
  const widths = header.map((h, c) => Math.max(textWidth(h), ...rows.map((r) => textWidth(r[c] ?? ''))));
  const gap = 2;
  const total = () => widths.reduce((a, b) => a + b, 0) + gap * (cols - 1);
  if (total() > width) widths[0] = Math.max(opts.minFirst ?? 6, widths[0] - (total() - width));
  const align = opts.align ?? header.map((_, c) => (c === 0 ? 'left' : 'right'));
  const mk = (cells: string[], style?: Style, tones?: (Tone | undefined)[]): Line => {
    const line: Line = [];
    cells.forEach((cell, c) => {
      if (c) line.push(seg(' '.repeat(gap)));
      const tone = tones?.[c];
      line.push(seg(fit(cell, widths[c], align[c]), tone ? { ...style, tone } : style));
    });
    return line;
  };
  return [mk(header, { tone: 'muted', bold: true }), ...rows.map((r, i) => mk(r, undefined, opts.tones?.[i]))];
}

/** Cut every line to `width` columns (a last safety net; charts are laid out to fit already). */
export function clip(lines: Line[], width: number): Line[] {
  return lines.map((l) => (lineWidth(l) > width ? truncLine(l, width) : l));
}

function truncLine(l: Line, width: number): Line {
  const out: Line = [];
  let used = 0;
  for (const s of l) {
    const w = textWidth(s.text);
    if (used + w <= width) {
      out.push(s);
      used += w;
      continue;
    }
    const t = truncateText(s.text, width - used);
    if (t) out.push({ text: t, style: s.style });
    break;
  }
  return out;
}

/** Two blocks of lines side by side: `a` padded to `widthA`, then `gap` spaces, then `b`. */
export function beside(a: Line[], b: Line[], widthA: number, gap = 3): Line[] {
  const n = Math.max(a.length, b.length);
  const out: Line[] = [];
  for (let i = 0; i < n; i++) {
    const left = padLine(a[i] ?? [], widthA);
    out.push(b[i]?.length ? [...left, seg(' '.repeat(gap)), ...b[i]] : (a[i] ?? []));
  }
  return out;
}

export { padLine };

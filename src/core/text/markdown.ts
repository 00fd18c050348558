// Markdown → styled terminal lines, pre-wrapped to a width.
// `marked`'s lexer gives the tokens (with two small extensions for $…$ and $$…$$ math, so that
// LaTeX is never mangled as emphasis); everything else is rendered here, as plain data.
import { Marked, type Token, type Tokens } from 'marked';
import { latexToUnicode } from './latex.js';
import {
  lineWidth,
  mergeStyles,
  padLine,
  seg,
  textWidth,
  type Line,
  type Segment,
  type Style,
} from './styled.js';
import { wrapSegments } from './wrap.js';

// ---------------------------------------------------------------------------------------------
// Lexer with math

interface MathToken {
  type: 'math';
  raw: string;
  text: string;
  display: boolean;
}

const lexerInstance = new Marked({
  gfm: true,
  extensions: [
    {
      name: 'blockMath',
      level: 'block',
      start(src: string) {
        const m = /(^|\n) {0,3}\$\$/.exec(src);
        return m ? m.index + m[1].length : undefined;
      },
      tokenizer(src: string) {
        const m = /^ {0,3}\$\$([\s\S]+?)\$\$[ \t]*(?:\n+|$)/.exec(src);
        if (!m) return undefined;
        return { type: 'math', raw: m[0], text: m[1].trim(), display: true };
      },
    },
    {
      // `**…**` by a relaxed rule. CommonMark will not close `**` that follows punctuation and is
      // followed by a letter, which Korean text does all the time (`**정규화(BN)**는`, and the cloze
      // marks of the core: `**[답]**이`). Here any `**` with no space just inside closes.
      name: 'strongCjk',
      level: 'inline',
      start(src: string) {
        const i = src.indexOf('**');
        return i >= 0 ? i : undefined;
      },
      tokenizer(this: { lexer: { inlineTokens(src: string): Token[] } }, src: string) {
        const end = findStrongEnd(src);
        if (end < 0) return undefined;
        const text = src.slice(2, end);
        return { type: 'strong', raw: src.slice(0, end + 2), text, tokens: this.lexer.inlineTokens(text) };
      },
    },
    {
      name: 'inlineMath',
      level: 'inline',
      start(src: string) {
        const i = src.indexOf('$');
        return i >= 0 ? i : undefined;
      },
      tokenizer(src: string) {
        const display = /^\$\$((?:\\[\s\S]|[^\\$])+?)\$\$/.exec(src);
        if (display) return { type: 'math', raw: display[0], text: display[1].trim(), display: true };
        // Pandoc's rule: no space just inside the dollars, no digit right after the closing one,
        // so "costs $5 and $10" stays text.
        const m = /^\$(?!\s)((?:\\[\s\S]|[^\\$\n]|\n(?!\s*\n))+?)(?<!\s)\$(?!\d)/.exec(src);
        if (!m) return undefined;
        return { type: 'math', raw: m[0], text: m[1], display: false };
      },
    },
  ],
});

/** Index of the closing `**` of a strong span starting at 0, or -1. Code spans and math are skipped. */
function findStrongEnd(src: string): number {
  if (!src.startsWith('**') || src[2] === '*' || src[2] === undefined || /\s/.test(src[2])) return -1;
  for (let i = 2; i < src.length; i++) {
    const ch = src[i];
    if (ch === '\\') {
      i++;
    } else if (ch === '`') {
      const run = /^`+/.exec(src.slice(i))![0];
      const close = src.indexOf(run, i + run.length);
      if (close < 0) return -1;
      i = close + run.length - 1;
    } else if (ch === '$' && /[^\s\d$]/.test(src[i + 1] ?? ' ')) {
      const close = src.indexOf('$', i + 1);
      if (close > 0) i = close;
    } else if (ch === '\n' && /^\n[ \t]*\n/.test(src.slice(i))) {
      return -1; // a blank line ends the paragraph
    } else if (ch === '*' && src[i + 1] === '*' && i > 2 && !/\s/.test(src[i - 1])) {
      if (src[i + 2] === '*') {
        // `***`: let the closing pair be the last two stars (for **a *b***).
        let j = i;
        while (src[j] === '*') j++;
        return j - 2;
      }
      return i;
    }
  }
  return -1;
}

export function lexMarkdown(src: string): Token[] {
  return lexerInstance.lexer(src);
}

// ---------------------------------------------------------------------------------------------
// Helpers

const ENTITIES: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ndash: '–', mdash: '—',
  hellip: '…', middot: '·', times: '×', larr: '←', rarr: '→', copy: '©', deg: '°',
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, name: string) => {
    if (name[0] === '#') {
      const cp = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(cp) && cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : m;
    }
    return ENTITIES[name] ?? m;
  });
}

function repeat(ch: string, n: number): string {
  return n > 0 ? ch.repeat(n) : '';
}

const MUTED: Style = { tone: 'muted' };

function prefixLines(lines: Line[], first: Line, rest: Line): Line[] {
  return lines.map((l, i) => [...(i === 0 ? first : rest), ...l]);
}

// ---------------------------------------------------------------------------------------------
// Inline rendering

function renderInline(tokens: Token[] | undefined, style: Style | undefined): Segment[] {
  const out: Segment[] = [];
  for (const t of tokens ?? []) out.push(...renderInlineToken(t, style));
  return out;
}

function renderInlineToken(t: Token, style: Style | undefined): Segment[] {
  switch (t.type) {
    case 'text': {
      const tt = t as Tokens.Text;
      if (tt.tokens && tt.tokens.length) return renderInline(tt.tokens, style);
      return [seg(decodeEntities(tt.text).replace(/\n/g, ' '), style)];
    }
    case 'escape':
      return [seg((t as Tokens.Escape).text, style)];
    case 'strong': {
      const st = t as Tokens.Strong;
      // The core marks cloze deletions as **[…]** / **[answer]**: give them their own tone.
      const cloze = /^\[[\s\S]*\]$/.test(st.text.trim());
      return renderInline(st.tokens, mergeStyles(style, cloze ? { bold: true, tone: 'cloze' } : { bold: true }));
    }
    case 'em':
      return renderInline((t as Tokens.Em).tokens, mergeStyles(style, { italic: true }));
    case 'del':
      return renderInline((t as Tokens.Del).tokens, mergeStyles(style, { strikethrough: true }));
    case 'codespan':
      return [seg((t as Tokens.Codespan).text.replace(/\n/g, ' '), mergeStyles(style, { tone: 'code' }))];
    case 'br':
      return [seg('\n', style)];
    case 'link': {
      const lt = t as Tokens.Link;
      const href = lt.href.replace(/^mailto:/, '');
      const linkStyle = mergeStyles(style, { tone: 'link', underline: true });
      const text = renderInline(lt.tokens, linkStyle);
      const plain = text.map((s) => s.text).join('');
      if (lt.autolink || plain === lt.href || plain === href || !href) return text;
      return [...text, seg(` (${href})`, mergeStyles(style, MUTED))];
    }
    case 'image': {
      const it = t as Tokens.Image;
      const alt = it.text ? `: ${it.text}` : '';
      return [seg(`[image${alt}]`, mergeStyles(style, MUTED))];
    }
    case 'html': {
      const raw = (t as Tokens.HTML).text;
      if (/^<br\s*\/?>$/i.test(raw.trim())) return [seg('\n', style)];
      const stripped = decodeEntities(raw.replace(/<!--[\s\S]*?-->/g, '').replace(/<[^>]*>/g, ''));
      return stripped ? [seg(stripped, style)] : [];
    }
    case 'checkbox':
      return [seg((t as Tokens.Checkbox).checked ? '[x] ' : '[ ] ', style)];
    case 'math': {
      const mt = t as unknown as MathToken;
      return [seg(latexToUnicode(mt.text), mergeStyles(style, { tone: style?.tone ?? 'math' }))];
    }
    default: {
      const g = t as Tokens.Generic;
      if (g.tokens) return renderInline(g.tokens, style);
      return typeof g.text === 'string' ? [seg(decodeEntities(g.text), style)] : [];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Block rendering

interface BlockContext {
  /** Inside a tight list item: no blank lines between the blocks. */
  tight?: boolean;
}

function renderBlocks(tokens: Token[], width: number, ctx: BlockContext = {}): Line[] {
  const out: Line[] = [];
  for (const t of tokens) {
    const lines = renderBlock(t, width);
    if (lines.length === 0) continue;
    if (out.length > 0 && !ctx.tight) out.push([]);
    out.push(...lines);
  }
  return out;
}

function renderBlock(t: Token, width: number): Line[] {
  switch (t.type) {
    case 'space':
    case 'def':
      return [];
    case 'paragraph':
      return wrapSegments(renderInline((t as Tokens.Paragraph).tokens, undefined), width);
    case 'text': {
      const tt = t as Tokens.Text;
      const segs = tt.tokens ? renderInline(tt.tokens, undefined) : [seg(decodeEntities(tt.text))];
      return wrapSegments(segs, width);
    }
    case 'heading': {
      const h = t as Tokens.Heading;
      const style: Style = { tone: 'heading', bold: true, underline: h.depth === 1 };
      return wrapSegments(renderInline(h.tokens, style), width);
    }
    case 'hr':
      return [[seg(repeat('─', Math.min(width, 40)), MUTED)]];
    case 'code':
      return renderCode(t as Tokens.Code, width);
    case 'blockquote': {
      const inner = renderBlocks((t as Tokens.Blockquote).tokens, Math.max(1, width - 2));
      const bar = [seg('│ ', MUTED)];
      return prefixLines(inner, bar, bar).map((l) => (lineWidth(l) === 2 ? [seg('│', MUTED)] : l));
    }
    case 'list':
      return renderList(t as Tokens.List, width);
    case 'table':
      return renderTable(t as Tokens.Table, width);
    case 'html': {
      const raw = (t as Tokens.HTML).text.replace(/<!--[\s\S]*?-->/g, '');
      const text = decodeEntities(raw.replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]*>/g, '')).trim();
      return text ? wrapSegments([seg(text)], width) : [];
    }
    case 'math': {
      const mt = t as unknown as MathToken;
      const text = latexToUnicode(mt.text, { display: true });
      const lines = text.split('\n').flatMap((l) => wrapSegments([seg(l, { tone: 'math' })], Math.max(1, width - 2)));
      return prefixLines(lines, [seg('  ')], [seg('  ')]);
    }
    default: {
      const g = t as Tokens.Generic;
      if (g.tokens) return wrapSegments(renderInline(g.tokens, undefined), width);
      return typeof g.text === 'string' ? wrapSegments([seg(decodeEntities(g.text))], width) : [];
    }
  }
}

const BULLETS = ['•', '◦', '▪'];

function renderList(list: Tokens.List, width: number, depth = 0): Line[] {
  const start = typeof list.start === 'number' ? list.start : 1;
  const markers = list.items.map((_, i) => (list.ordered ? `${start + i}.` : BULLETS[depth % BULLETS.length]));
  const markerWidth = Math.max(...markers.map(textWidth)) + 1;
  const innerWidth = Math.max(1, width - markerWidth);
  const out: Line[] = [];
  list.items.forEach((item, i) => {
    const tokens = item.tokens.filter((tok) => tok.type !== 'checkbox');
    const blocks: Line[] = [];
    for (const tok of tokens) {
      const lines =
        tok.type === 'list' ? renderList(tok as Tokens.List, innerWidth, depth + 1) : renderBlock(tok, innerWidth);
      if (lines.length === 0) continue;
      if (blocks.length > 0 && list.loose && tok.type !== 'list') blocks.push([]);
      blocks.push(...lines);
    }
    if (item.task) {
      const box = seg(item.checked ? '[x] ' : '[ ] ', item.checked ? { tone: 'good' } : MUTED);
      if (blocks.length === 0) blocks.push([]);
      blocks[0] = [box, ...blocks[0]];
    }
    if (blocks.length === 0) blocks.push([]);
    const marker = markers[i];
    const pad = repeat(' ', markerWidth - textWidth(marker));
    const first: Line = list.ordered
      ? [seg(pad.slice(1) + marker + ' ', MUTED)]
      : [seg(marker + pad, MUTED)];
    if (out.length > 0 && list.loose) out.push([]);
    out.push(...prefixLines(blocks, first, [seg(repeat(' ', markerWidth))]));
  });
  return out;
}

function renderCode(code: Tokens.Code, width: number): Line[] {
  const text = code.text.replace(/\t/g, '    ');
  const lang = (code.lang ?? '').trim().split(/\s+/)[0] ?? '';
  const codeStyle: Style = { tone: 'code' };
  if (width < 8) {
    return wrapSegments([seg(text, codeStyle)], width, { preserveSpaces: true });
  }
  const maxInner = width - 4;
  const natural = Math.max(0, ...text.split('\n').map(textWidth));
  const label = lang ? ` ${lang} ` : '';
  const inner = Math.min(maxInner, Math.max(natural, textWidth(label) + 2, 10));
  const body = wrapSegments([seg(text, codeStyle)], inner, { preserveSpaces: true });
  const top: Line = lang
    ? [seg('╭─', MUTED), seg(label, { tone: 'muted', italic: true }), seg(repeat('─', inner + 1 - textWidth(label)) + '╮', MUTED)]
    : [seg('╭' + repeat('─', inner + 2) + '╮', MUTED)];
  const bottom: Line = [seg('╰' + repeat('─', inner + 2) + '╯', MUTED)];
  return [
    top,
    ...body.map((l) => [seg('│ ', MUTED), ...padLine(l, inner), seg(' │', MUTED)]),
    bottom,
  ];
}

// ---------------------------------------------------------------------------------------------
// Tables: columns aligned by display width; shrunk and wrapped when too wide; shown as records when
// even that cannot fit.

function renderTable(table: Tokens.Table, width: number): Line[] {
  const n = table.header.length;
  if (n === 0) return [];
  const cell = (c: Tokens.TableCell, header: boolean): Segment[] =>
    renderInline(c.tokens, header ? { bold: true } : undefined).map((s) => ({ ...s, text: s.text.replace(/\n/g, ' ') }));
  const header = table.header.map((c) => cell(c, true));
  const rows = table.rows.map((r) => r.map((c) => cell(c, false)));
  const segsWidth = (segs: Segment[]) => segs.reduce((a, s) => a + textWidth(s.text), 0);
  const natural = Array.from({ length: n }, (_, c) =>
    Math.max(1, segsWidth(header[c]), ...rows.map((r) => (r[c] ? segsWidth(r[c]) : 0))),
  );
  const overhead = 3 * n + 1;
  const available = width - overhead;
  const minCol = 4;
  if (available < n * Math.min(minCol, ...natural.map((w) => Math.max(w, 2)))) {
    return renderTableAsRecords(header, rows, width);
  }
  const cols = [...natural];
  let total = cols.reduce((a, b) => a + b, 0);
  while (total > available) {
    let widest = 0;
    for (let c = 1; c < n; c++) if (cols[c] > cols[widest]) widest = c;
    if (cols[widest] <= Math.min(minCol, natural[widest])) break;
    cols[widest]--;
    total--;
  }
  if (total > available) return renderTableAsRecords(header, rows, width);

  const border = (l: string, m: string, r: string): Line => [
    seg(l + cols.map((w) => repeat('─', w + 2)).join(m) + r, MUTED),
  ];
  const renderRow = (cells: Segment[][]): Line[] => {
    const wrapped = cols.map((w, c) => wrapSegments(cells[c] ?? [], w));
    const height = Math.max(...wrapped.map((w) => w.length));
    const lines: Line[] = [];
    for (let k = 0; k < height; k++) {
      const line: Line = [seg('│', MUTED)];
      cols.forEach((w, c) => {
        const align = table.align[c] ?? 'left';
        line.push(seg(' '), ...padLine(wrapped[c][k] ?? [], w, align), seg(' '), seg('│', MUTED));
      });
      lines.push(line);
    }
    return lines;
  };
  return [
    border('┌', '┬', '┐'),
    ...renderRow(header),
    border('├', '┼', '┤'),
    ...rows.flatMap(renderRow),
    border('└', '┴', '┘'),
  ];
}

function renderTableAsRecords(header: Segment[][], rows: Segment[][][], width: number): Line[] {
  const out: Line[] = [];
  rows.forEach((row, r) => {
    if (r > 0) out.push([seg(repeat('─', Math.min(width, 20)), MUTED)]);
    header.forEach((h, c) => {
      const label = h.map((s) => ({ ...s, style: { tone: 'muted' as const, bold: true } }));
      out.push(...wrapSegments([...label, seg(': ', MUTED), ...(row[c] ?? [])], width));
    });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------

/** Render Markdown (with $…$ math) into styled lines no wider than `width` columns. */
export function renderMarkdown(src: string, width: number): Line[] {
  const w = Math.max(1, Math.floor(width));
  const tokens = lexMarkdown(src.replace(/\r\n?/g, '\n'));
  return renderBlocks(tokens, w);
}

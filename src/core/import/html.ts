// HTML (Anki fields, CSV exports) → Markdown of the native deck format.
// Math is lifted out first so that neither the converter nor Markdown escaping touches LaTeX:
// `[$]…[/$]` and `\(…\)` become `$…$`, `[$$]…[/$$]`, `\[…\]` and `[latex]…[/latex]` become `$$…$$`.
// Simple HTML (what Anki's editor writes: div, br, b, i, u, span, font, img, a, sub, sup) goes
// through a small fast converter; anything else (lists, tables, code, headings) through turndown.
import TurndownService from 'turndown';

export interface HtmlOptions {
  /** Link target for a media file referenced by the field (`<img src>`, `[sound:…]`). */
  media: (src: string) => string;
  /** Called for an inline `data:` image, which is dropped. */
  onDropped?: (what: string) => void;
}

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ensp: ' ', emsp: ' ', thinsp: ' ', shy: '',
  zwj: '\u200d', zwnj: '\u200c', ndash: '–', mdash: '—', hellip: '…', laquo: '«', raquo: '»', ldquo: '“', rdquo: '”',
  lsquo: '‘', rsquo: '’', sbquo: '‚', bdquo: '„', times: '×', divide: '÷', deg: '°', plusmn: '±', middot: '·', bull: '•',
  copy: '©', reg: '®', trade: '™', euro: '€', pound: '£', yen: '¥', cent: '¢', sect: '§', para: '¶', minus: '−',
  le: '≤', ge: '≥', ne: '≠', asymp: '≈', equiv: '≡', infin: '∞', larr: '←', rarr: '→', uarr: '↑', darr: '↓', harr: '↔',
  lArr: '⇐', rArr: '⇒', hArr: '⇔', forall: '∀', exist: '∃', isin: '∈', notin: '∉', sum: '∑', prod: '∏', radic: '√',
  part: '∂', nabla: '∇', cap: '∩', cup: '∪', sub: '⊂', sup: '⊃', and: '∧', or: '∨', not: '¬', micro: 'µ', frac12: '½',
  frac14: '¼', frac34: '¾', sup2: '²', sup3: '³', iexcl: '¡', iquest: '¿', szlig: 'ß',
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', zeta: 'ζ', eta: 'η', theta: 'θ', iota: 'ι', kappa: 'κ',
  lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', omicron: 'ο', pi: 'π', rho: 'ρ', sigma: 'σ', tau: 'τ', upsilon: 'υ', phi: 'φ',
  chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ', Pi: 'Π', Sigma: 'Σ',
  Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω',
};

/** Decode HTML entities; an unknown named entity is left as it is. nbsp becomes a plain space. */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return m;
      return code === 0xa0 ? ' ' : String.fromCodePoint(code);
    }
    return NAMED[e] ?? NAMED[e.toLowerCase()] ?? m;
  });
}

const hasUnknownEntity = (s: string) => /&([a-z][a-z0-9]*);/gi.test(s) && [...s.matchAll(/&([a-z][a-z0-9]*);/gi)].some((m) => !(m[1] in NAMED) && !(m[1].toLowerCase() in NAMED));

const PH_OPEN = '\uE000';
const PH_CLOSE = '\uE001';
const PH = /\uE000(\d+)\uE001/g;

function cleanMath(inner: string): string {
  return decodeEntities(inner.replace(/<br\s*\/?>/gi, ' ').replace(/<\/?(div|p)\b[^>]*>/gi, ' ').replace(/<[^>]*>/g, ''))
    .replace(/\u00a0/g, ' ').replace(/[ \t]*\n[ \t]*/g, ' ').trim();
}

/** Replace math and sound tags by placeholders; returns the text and the replacements. */
function liftSpecials(html: string, opts: HtmlOptions): { text: string; parts: string[] } {
  const parts: string[] = [];
  const put = (md: string) => `${PH_OPEN}${parts.push(md) - 1}${PH_CLOSE}`;
  const inline = (_m: string, inner: string) => { const t = cleanMath(inner); return t ? put(`$${t}$`) : ''; };
  const display = (_m: string, inner: string) => { const t = cleanMath(inner); return t ? put(`$$${t}$$`) : ''; };
  let text = html;
  if (text.includes('[$$]')) text = text.replace(/\[\$\$\]([\s\S]*?)\[\/\$\$\]/g, display);
  if (text.includes('[$]')) text = text.replace(/\[\$\]([\s\S]*?)\[\/\$\]/g, inline);
  if (/\[latex\]/i.test(text)) text = text.replace(/\[latex\]([\s\S]*?)\[\/latex\]/gi, display);
  if (text.includes('\\[')) text = text.replace(/\\\[([\s\S]*?)\\\]/g, display);
  if (text.includes('\\(')) text = text.replace(/\\\(([\s\S]*?)\\\)/g, inline);
  if (text.includes('[sound:')) text = text.replace(/\[sound:([^\]\n]+)\]/g, (_m, name: string) => put(`[🔊 ${escapeInline(name.trim())}](${linkTarget(opts.media(name.trim()))})`));
  return { text, parts };
}

function restore(md: string, parts: string[]): string {
  return md.replace(PH, (_m, i: string) => parts[Number(i)] ?? '');
}

/** A Markdown link destination: wrapped in <…> when it holds spaces or parentheses. */
export function linkTarget(path: string): string {
  if (/[\s()<>]/.test(path)) return `<${path.replace(/</g, '%3C').replace(/>/g, '%3E')}>`;
  return path;
}

const escapeInline = (s: string) => s.replace(/([\\`*_[\]])/g, '\\$1');

/** Escape text so that Markdown shows it literally (the characters turndown escapes, plus `<tag`). */
function escapeText(s: string): string {
  return s.replace(/([\\`*_[\]])/g, '\\$1').replace(/<(?=[A-Za-z/!?])/g, '\\<');
}

/** Escape what starts a Markdown block at the beginning of a line (list, quote, heading). */
function escapeLineStarts(md: string): string {
  return md.split('\n').map((l) => l
    .replace(/^(\s*)([-+*>])(\s|$)/, '$1\\$2$3')
    .replace(/^(\s*)(#{1,6})(\s|$)/, '$1\\$2$3')
    .replace(/^(\s*\d+)([.)])(\s|$)/, '$1\\$2$3')
    .replace(/^(\s*)(={3,}|-{3,})\s*$/, '$1\\$2')).join('\n');
}

/** `$` that is not math must not open math in the native format: escape it outside code. */
function escapeDollars(md: string): string {
  if (!md.includes('$')) return md;
  let out = '';
  let inFence = false;
  for (const line of md.split('\n')) {
    if (/^\s{0,3}(```|~~~)/.test(line)) { inFence = !inFence; out += line + '\n'; continue; }
    if (inFence) { out += line + '\n'; continue; }
    // Outside fences: skip inline code spans.
    out += line.split(/(`+[^`]*`+)/).map((part, i) => (i % 2 ? part : part.replace(/(?<!\\)\$/g, '\\$'))).join('') + '\n';
  }
  return out.slice(0, -1);
}

// ---------------------------------------------------------------------------------------------
// Fast path

const SIMPLE_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'span', 'font', 'div', 'p', 'br', 'img', 'a', 'sub', 'sup', 's', 'strike', 'del', 'mark', 'small', 'big', 'wbr', 'center']);
const TAG = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9]*)\b((?:[^>"']|"[^"]*"|'[^']*')*)>|([^<]+)|(<)/g;

function attr(attrs: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(attrs);
  return m ? decodeEntities(m[1] ?? m[2] ?? m[3] ?? '') : undefined;
}

function imageMarkdown(src: string | undefined, alt: string | undefined, opts: HtmlOptions): string {
  if (!src) return '';
  if (/^data:/i.test(src)) {
    opts.onDropped?.('inline data: image');
    return alt ? `*[image: ${escapeInline(alt)}]*` : '*[image]*';
  }
  const target = /^(https?:)?\/\//i.test(src) ? src : opts.media(src);
  return `![${escapeInline((alt ?? '').replace(/\s+/g, ' ').trim())}](${linkTarget(target)})`;
}

/** Convert simple HTML; returns null when the HTML holds anything the fast path does not know. */
function fastConvert(html: string, opts: HtmlOptions): string | null {
  if (hasUnknownEntity(html)) return null;
  let out = '';
  const stack: { tag: string; start: number; mark: string; href?: string }[] = [];
  const block = () => {
    if (out && !out.endsWith('\n\n')) out = out.replace(/[ \t]+$/, '') + (out.endsWith('\n') ? '\n' : '\n\n');
  };
  TAG.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TAG.exec(html))) {
    if (m[0].startsWith('<!--')) continue;
    if (m[5]) { out += '\\<'; continue; }
    if (m[4] != null) {
      const text = escapeText(decodeEntities(m[4]).replace(/\u00a0/g, ' ')).replace(/\s+/g, ' ');
      // Collapse whitespace across tags, as HTML does.
      out += out.endsWith(' ') || out.endsWith('\n') || !out ? text.replace(/^ /, '') : text;
      continue;
    }
    const closing = m[1] === '/';
    const tag = m[2].toLowerCase();
    if (tag === 'script' || tag === 'style') {
      if (closing) continue;
      const end = html.toLowerCase().indexOf(`</${tag}`, TAG.lastIndex);
      TAG.lastIndex = end < 0 ? html.length : html.indexOf('>', end) + 1 || html.length;
      continue;
    }
    if (!SIMPLE_TAGS.has(tag)) return null;
    switch (tag) {
      case 'br':
        out = out.replace(/[ \t]+$/, '') + '\\\n';
        break;
      case 'wbr':
        break;
      case 'div': case 'p': case 'center':
        block();
        break;
      case 'img':
        if (!closing) out += imageMarkdown(attr(m[3], 'src'), attr(m[3], 'alt'), opts);
        break;
      case 'sub': case 'sup':
        out += closing ? `</${tag}>` : `<${tag}>`;
        break;
      default: {
        const mark = tag === 'b' || tag === 'strong' ? '**' : tag === 'i' || tag === 'em' ? '*' : tag === 's' || tag === 'strike' || tag === 'del' ? '~~' : tag === 'a' ? 'a' : '';
        if (!mark) break;
        if (!closing) {
          stack.push({ tag, start: out.length, mark, href: tag === 'a' ? attr(m[3], 'href') : undefined });
          break;
        }
        let i = stack.length - 1;
        while (i >= 0 && stack[i].tag !== tag) i--;
        if (i < 0) break;
        const open = stack[i];
        stack.splice(i);
        const inner = out.slice(open.start);
        const lead = /^\s*/.exec(inner)![0];
        const trail = /\s*$/.exec(inner)![0];
        const core = inner.slice(lead.length, inner.length - trail.length);
        if (!core) break;
        if (open.mark === 'a') out = out.slice(0, open.start) + lead + (open.href && !/^javascript:/i.test(open.href) ? `[${core}](${linkTarget(open.href)})` : core) + trail;
        else out = out.slice(0, open.start) + lead + open.mark + core + open.mark + trail;
      }
    }
  }
  return escapeLineStarts(out);
}

// ---------------------------------------------------------------------------------------------
// turndown for the rest

let td: TurndownService | null = null;
let tdOpts: HtmlOptions | null = null;

function turndown(): TurndownService {
  if (td) return td;
  td = new TurndownService({
    headingStyle: 'atx', hr: '* * *', bulletListMarker: '-', codeBlockStyle: 'fenced', emDelimiter: '*', strongDelimiter: '**', br: '\\',
  });
  td.remove(['script', 'style', 'title', 'head']);
  td.keep(['sub', 'sup']);
  td.addRule('media-image', {
    filter: 'img',
    replacement: (_c, node) => {
      const el = node as unknown as { getAttribute(n: string): string | null };
      return imageMarkdown(el.getAttribute('src') ?? undefined, el.getAttribute('alt') ?? undefined, tdOpts!);
    },
  });
  // A heading inside a card would end the card in the native format: make it bold text.
  td.addRule('heading-as-bold', {
    filter: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'],
    replacement: (content) => (content.trim() ? `\n\n**${content.trim()}**\n\n` : ''),
  });
  return td;
}

/** Convert one HTML field to Markdown (native deck format), with math kept as `$…$`/`$$…$$`. */
export function htmlToMarkdown(html: string, opts: HtmlOptions): string {
  if (!html) return '';
  const { text, parts } = liftSpecials(html.replace(/\r\n?/g, '\n'), opts);
  let md: string;
  if (!/[<&]/.test(text)) {
    md = escapeLineStarts(escapeText(text).replace(/\s+/g, ' ').trim());
  } else {
    const fast = fastConvert(text, opts);
    if (fast != null) md = fast;
    else {
      tdOpts = opts;
      md = turndown().turndown(text).replace(/\u00a0/g, ' ').replace(/^(\s*)([-*+]|\d+\.)[ ]{2,}/gm, '$1$2 ');
    }
  }
  md = md
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\\\n(?=\s*(\n|$))/g, '\n') // a hard break before a blank line or the end means nothing
    .replace(/\n{3,}/g, '\n\n')
    .trim()
    .replace(/\\$/, '')
    .trim();
  return restore(escapeDollars(md), parts);
}

/** Plain text from HTML (deck descriptions): tags dropped, entities decoded, whitespace collapsed. */
export function htmlToPlain(html: string): string {
  return decodeEntities(html.replace(/<br\s*\/?>/gi, ' ').replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ').trim();
}

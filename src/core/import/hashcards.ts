// hashcards decks (https://github.com/eudoxia0/hashcards): Markdown files with optional TOML front
// matter (`name = "…"`), `Q:`/`A:` basic cards and `C:` cloze cards whose deletions are `[brackets]`.
// As in hashcards, every `[…]` of a cloze card is a deletion (also inside `$…$`: authors cloze parts
// of formulas), except images `![…](…)`, inline code, and LaTeX's own brackets: `\[ \]`, `\left[`,
// `\right]`, `\big[`…, and optional arguments right after a command (`\sqrt[3]{x}`).
import { parse as parseToml } from 'smol-toml';
import { statSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import { UserError } from '../errors.js';
import { linkTarget } from './html.js';
import { MediaCollector } from './media.js';
import { Skips, type DraftDeck, type DraftNote, type ImportSource } from './model.js';
import { cleanText, slug } from './render.js';
import { readText } from './text.js';
import { markdownFiles } from '../sync.js';

/** Convert hashcards `[deletion]` syntax to `{{cN::deletion}}`. Returns the text and the count. */
export function convertBracketCloze(text: string): { text: string; count: number } {
  let out = '';
  let n = 0;
  let i = 0;
  let inMath = false;
  while (i < text.length) {
    const ch = text[i];
    // Inline code: copied as is.
    if (ch === '`') {
      const run = /^`+/.exec(text.slice(i))![0];
      const end = text.indexOf(run, i + run.length);
      if (end > 0) { out += text.slice(i, end + run.length); i = end + run.length; continue; }
    }
    if (ch === '\\') {
      // An escaped character or a LaTeX command: copy the command; an optional argument right after
      // it (`\sqrt[3]`) and delimiter sizes (`\left[`) are LaTeX, not deletions.
      const cmd = /^\\([A-Za-z]+|.)/.exec(text.slice(i));
      const c = cmd ? cmd[0] : ch;
      out += c;
      i += c.length;
      if (cmd && /^[A-Za-z]/.test(cmd[1]) && (text[i] === '[' || text[i] === ']') && inMath) {
        const close = text[i] === '[' ? matchBracket(text, i) : -1;
        if (/^(left|right|big|Big|bigg|Bigg|bigl|bigr|Bigl|Bigr|biggl|biggr|Biggl|Biggr)$/.test(cmd[1]) || close < 0) { out += text[i]; i++; }
        else { out += text.slice(i, close + 1); i = close + 1; }
      }
      continue;
    }
    if (ch === '$') {
      const run = text[i + 1] === '$' ? '$$' : '$';
      inMath = !inMath;
      out += run;
      i += run.length;
      continue;
    }
    if (ch === '!' && text[i + 1] === '[') {
      const close = matchBracket(text, i + 1);
      if (close > 0) { out += text.slice(i, close + 1); i = close + 1; continue; }
    }
    if (ch === '[') {
      const close = matchBracket(text, i);
      if (close > 0) {
        n++;
        out += `{{c${n}::${text.slice(i + 1, close)}}}`;
        i = close + 1;
        continue;
      }
    }
    out += ch;
    i++;
  }
  return { text: out, count: n };
}

/** Index of the `]` matching the `[` at `open` (nesting counted, escapes skipped), or -1. */
function matchBracket(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') { i++; continue; }
    if (c === '\n' && s[i + 1] === '\n') return -1;
    if (c === '[') depth++;
    else if (c === ']' && --depth === 0) return i;
  }
  return -1;
}

/** Copy images of a Markdown text into the media folder and point the links there. */
export function relinkImages(md: string, fromDir: string, media: MediaCollector): string {
  return md
    .replace(/!\[\[([^\]|]+)(?:\|[^\]]*)?\]\]/g, (_m, ref: string) => `![](${linkTarget(media.link(ref, fromDir))})`)
    .replace(/!\[([^\]]*)\]\((<[^>]+>|[^)\s]+)(\s+"[^"]*")?\)/g, (m, alt: string, ref: string) => {
      const r = ref.startsWith('<') ? ref.slice(1, -1) : ref;
      if (/^(https?:)?\/\//i.test(r) || /^data:/i.test(r)) return m;
      return `![${alt}](${linkTarget(media.link(r, fromDir))})`;
    });
}

const COMMENT_LINE = /^\s*<!--[\s\S]*?-->\s*$/;

function parseHashcardsFile(text: string, fileLabel: string, stem: string, dir: string, media: MediaCollector, skips: Skips): DraftDeck {
  let name: string | undefined;
  let body = text;
  let offset = 0;
  const lines0 = text.split('\n');
  if (lines0[0]?.trim() === '---') {
    const end = lines0.findIndex((l, i) => i > 0 && l.trim() === '---');
    if (end < 0) throw new UserError(`${fileLabel}:1: front matter opened with "---" is never closed`);
    try {
      const data = parseToml(lines0.slice(1, end).join('\n')) as { name?: unknown };
      if (data.name != null) name = String(data.name);
    } catch (e) {
      throw new UserError(`${fileLabel}: invalid TOML front matter: ${(e as Error).message.split('\n')[0]}`, 'hashcards front matter is TOML, e.g. name = "Linear Algebra"');
    }
    body = lines0.slice(end + 1).join('\n');
    offset = end + 1;
  }
  const deck: DraftDeck = { name: (name ?? stem).trim() || stem, notes: [] };
  const seen = new Set<string>();
  type State = { kind: 'q' | 'a' | 'c'; q: string[]; a: string[]; line: number } | null;
  let st: State = null;
  const clean = (ls: string[]) => relinkImages(cleanText(ls.filter((l) => !COMMENT_LINE.test(l)).join('\n')).trim(), dir, media);
  const finish = (endLine: number) => {
    if (!st) return;
    const s = st;
    st = null;
    const where = `${fileLabel}:${s.line}`;
    if (s.kind === 'q') { skips.add('question without an answer', where); return; }
    let note: DraftNote;
    if (s.kind === 'c') {
      const { text: t, count } = convertBracketCloze(clean(s.q));
      if (!count) { skips.add('cloze card without a [deletion]', where); return; }
      note = { kind: 'cloze', front: t, back: '', tags: [], source: where };
    } else {
      const front = clean(s.q);
      const back = clean(s.a);
      if (!front || !back) { skips.add(front ? 'card with an empty answer' : 'card with an empty question', where); return; }
      note = { kind: 'basic', front, back, tags: [], source: where };
    }
    const key = `${note.kind}\u0000${note.front}\u0000${note.back}`;
    if (seen.has(key)) { skips.add('duplicate card (hashcards keeps one)', where); return; }
    seen.add(key);
    deck.notes.push(note);
    void endLine;
  };
  const lines = body.split('\n');
  let fence: string | null = null;
  lines.forEach((line, i) => {
    const lineNo = offset + i + 1;
    const f = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence) {
      if (f && f[1][0] === fence[0] && line.trim() === f[1]) fence = null;
    } else if (f) fence = f[1];
    else if (line.startsWith('Q:')) {
      if (st?.kind === 'q') skips.add('question without an answer', `${fileLabel}:${st.line}`);
      if (st?.kind !== 'q') finish(lineNo);
      st = { kind: 'q', q: [line.slice(2).trim()], a: [], line: lineNo };
      return;
    } else if (line.startsWith('A:')) {
      if (st?.kind === 'q') { st.kind = 'a'; st.a = [line.slice(2).trim()]; }
      else { finish(lineNo); skips.add('answer without a question', `${fileLabel}:${lineNo}`); }
      return;
    } else if (line.startsWith('C:')) {
      if (st?.kind === 'q') skips.add('question without an answer', `${fileLabel}:${st.line}`);
      if (st?.kind !== 'q') finish(lineNo);
      st = { kind: 'c', q: [line.slice(2).trim()], a: [], line: lineNo };
      return;
    }
    if (!st) return;
    if (st.kind === 'a') st.a.push(line);
    else st.q.push(line);
  });
  finish(offset + lines.length);
  return deck;
}

export function readHashcards(path: string): ImportSource {
  const skips = new Skips();
  const isDir = statSync(path).isDirectory();
  const root = isDir ? path : dirname(path);
  const media = new MediaCollector(root, skips);
  const files = isDir ? markdownFiles(path) : [path];
  const decks = new Map<string, DraftDeck>();
  for (const f of files) {
    const label = relative(root, f) || basename(f);
    let deck: DraftDeck;
    try {
      deck = parseHashcardsFile(readText(f, 'a hashcards deck'), label, basename(f, extname(f)), dirname(f), media, skips);
    } catch (e) {
      if (!isDir || !(e instanceof UserError)) throw e;
      skips.add(`file skipped: ${e.message}`, label);
      continue;
    }
    const prev = decks.get(deck.name);
    if (prev) prev.notes.push(...deck.notes);
    else if (deck.notes.length) decks.set(deck.name, deck);
  }
  media.finish();
  if (!decks.size && !skips.total) throw new UserError(`${basename(path)}: no hashcards cards found (Q:/A: or C: lines)`);
  return {
    format: 'hashcards',
    folder: slug(basename(path, isDir ? '' : extname(path)), 'hashcards'),
    label: `hashcards ${isDir ? 'deck folder' : 'deck'} ${basename(path)}`,
    decks: [...decks.values()],
    media: media.items,
    skips,
    close: () => {},
  };
}

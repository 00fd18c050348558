// Obsidian Spaced Repetition notes (https://github.com/st3v3nmw/obsidian-spaced-repetition).
// Cards as the plugin reads them: `front::back` and `front:::back` (reversed) on one line; several lines,
// then a line `?` (or `??`, reversed), then the answer, up to a blank line; a paragraph with `==highlights==`
// or `{{curly}}` deletions is a cloze card. `#flashcards/a/b` tags choose the deck (a::b). The plugin's
// schedule comments `<!--SR:!2024-01-02,3,250-->` are carried over into the collection (never copied
// into the new deck file).
import matter from 'gray-matter';
import { statSync } from 'node:fs';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import { UserError } from '../errors.js';
import { relinkImages } from './hashcards.js';
import { MediaCollector } from './media.js';
import { Skips, type DraftDeck, type DraftNote, type ImportSource, type ScheduleSeed } from './model.js';
import { cleanText, slug } from './render.js';
import { readText } from './text.js';
import { markdownFiles } from '../sync.js';

type CardType = 'single' | 'single-rev' | 'multi' | 'multi-rev' | 'cloze';

export interface ObsidianOptions {
  dayStartHour: number;
}

const TAG = /(^|\s)#(flashcards(?:\/[^\s#]+)?)(?=\s|$)/giu;
const SR = /<!--SR:([\s\S]*?)-->/g;

/** Split a note into raw cards the way the plugin does (blank lines end multi-line cards). */
export function splitCards(text: string): { type: CardType; text: string; line: number }[] {
  const cards: { type: CardType; text: string; line: number }[] = [];
  const lines = text.split('\n');
  let cardText = '';
  let type: CardType | null = null;
  let lineNo = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim().length === 0) {
      if (type) cards.push({ type, text: cardText, line: lineNo + 1 });
      type = null;
      cardText = '';
      continue;
    }
    if (line.startsWith('<!--') && !line.startsWith('<!--SR:')) {
      while (i < lines.length && !lines[i].includes('-->')) i++;
      continue;
    }
    if (cardText.length > 0) cardText += '\n';
    cardText += line;
    const code = line.replace(/`[^`]*`/g, '');
    if (!/\{\{c\d+::/.test(code) && (code.includes(':::') || code.includes('::'))) {
      const t: CardType = code.includes(':::') ? 'single-rev' : 'single';
      let text1 = line;
      if (i + 1 < lines.length && lines[i + 1].startsWith('<!--SR:')) text1 += '\n' + lines[++i];
      cards.push({ type: t, text: text1, line: i + 1 });
      type = null;
      cardText = '';
    } else if (type === null && (/==[^=]+?==/.test(code) || /\{\{[^{}]+?\}\}/.test(code))) {
      type = 'cloze';
      lineNo = i;
    } else if (line.trim() === '??') {
      type = 'multi-rev';
      lineNo = i;
    } else if (line.trim() === '?') {
      type = 'multi';
      lineNo = i;
    } else if (/^\s{0,3}(```|~~~)/.test(line)) {
      const fence = line.trim().slice(0, 3);
      while (i + 1 < lines.length && !lines[i + 1].trim().startsWith(fence)) cardText += '\n' + lines[++i];
      if (i + 1 < lines.length) cardText += '\n' + lines[++i];
    }
  }
  if (type && cardText) cards.push({ type, text: cardText, line: lineNo + 1 });
  return cards;
}

/** `==x==` and `{{x}}` → `{{c1::x}}`, `{{c2::…}}`… (Anki-style `{{cN::…}}` is kept as it is). */
export function convertObsidianCloze(text: string): { text: string; count: number } {
  if (/\{\{c\d+::/.test(text)) return { text, count: (text.match(/\{\{c\d+::/g) ?? []).length };
  let n = 0;
  const out = text
    .replace(/==([^=\n]+?)==|\{\{([^{}\n]+?)\}\}/g, (_m, a?: string, b?: string) => `{{c${++n}::${(a ?? b ?? '').trim()}}}`);
  return { text: out, count: n };
}

function seedsFrom(comment: string, dayStartHour: number): ScheduleSeed[] {
  const seeds: ScheduleSeed[] = [];
  for (const m of comment.matchAll(/!?(\d{4})-(\d{2})-(\d{2}),\s*(\d+),\s*(\d+)/g)) {
    const due = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), dayStartHour, 0, 0, 0).getTime();
    if (Number.isFinite(due)) seeds.push({ due, interval: Number(m[4]), ease: Number(m[5]) / 100 });
  }
  return seeds;
}

function tagToDeck(tag: string, fallback: string): string {
  const parts = tag.split('/').slice(1).filter(Boolean);
  return parts.length ? parts.join('::') : fallback;
}

/** Obsidian Markdown → plain Markdown: wiki links to text, embeds to media links, block ids dropped. */
function convertMarkdown(md: string, fromDir: string, media: MediaCollector): string {
  const withMedia = relinkImages(md, fromDir, media);
  return cleanText(withMedia)
    .replace(/(?<!!)\[\[([^\]|]+)\|([^\]]+)\]\]/g, '$2')
    .replace(/(?<!!)\[\[([^\]]+)\]\]/g, '$1')
    .replace(/\s\^[A-Za-z0-9-]+$/gm, '')
    .trim();
}

interface FileResult { notes: { deck: string; note: DraftNote }[]; tagged: boolean }

function parseFile(path: string, label: string, media: MediaCollector, skips: Skips, opts: ObsidianOptions, fallbackDeck: string): FileResult {
  const raw = readText(path, 'an Obsidian note');
  let body = raw;
  let offset = 0;
  let fileTags: string[] = [];
  if (raw.startsWith('---\n')) {
    try {
      const fm = matter(raw);
      const t = (fm.data as { tags?: unknown }).tags;
      fileTags = (Array.isArray(t) ? t.map(String) : typeof t === 'string' ? t.split(/[\s,]+/) : []).map((x) => x.replace(/^#/, ''));
      offset = raw.split('\n').length - fm.content.split('\n').length;
      body = fm.content;
    } catch {
      skips.add('front matter that is not valid YAML (read as text)', label);
    }
  }
  const inline = [...body.matchAll(TAG)].map((m) => m[2]);
  const flashTags = [...fileTags.filter((t) => /^flashcards(\/|$)/i.test(t)), ...inline];
  const fileDeck = flashTags.length ? tagToDeck(flashTags[0], fallbackDeck) : fallbackDeck;
  const notes: { deck: string; note: DraftNote }[] = [];
  for (const c of splitCards(body)) {
    const where = `${label}:${offset + c.line}`;
    let text = c.text;
    const seeds = [...text.matchAll(SR)].flatMap((m) => seedsFrom(m[1], opts.dayStartHour));
    text = text.replace(SR, '').replace(/[ \t]+$/gm, '');
    let deck = fileDeck;
    const own = [...text.matchAll(TAG)].map((m) => m[2]);
    if (own.length) deck = tagToDeck(own[0], fallbackDeck);
    text = text.replace(TAG, '$1').trim();
    const conv = (s: string) => convertMarkdown(s, dirname(path), media);
    let note: DraftNote;
    if (c.type === 'single' || c.type === 'single-rev') {
      const sepStr = c.type === 'single-rev' ? ':::' : '::';
      const idx = text.indexOf(sepStr);
      const front = conv(text.slice(0, idx).replace(/^\s*[-*+]\s+/, ''));
      const back = conv(text.slice(idx + sepStr.length));
      if (!front || !back) { skips.add('card with an empty side', where); continue; }
      note = { kind: c.type === 'single' ? 'basic' : 'reversible', front, back, tags: [], source: where };
    } else if (c.type === 'multi' || c.type === 'multi-rev') {
      const lines = text.split('\n');
      const at = lines.findIndex((l) => l.trim() === (c.type === 'multi-rev' ? '??' : '?'));
      const front = conv(lines.slice(0, at).join('\n'));
      const back = conv(lines.slice(at + 1).join('\n'));
      if (!front || !back) { skips.add('card with an empty side', where); continue; }
      note = { kind: c.type === 'multi' ? 'basic' : 'reversible', front, back, tags: [], source: where };
    } else {
      const { text: t, count } = convertObsidianCloze(conv(text));
      if (!count) { skips.add('cloze card without a deletion', where); continue; }
      note = { kind: 'cloze', front: t, back: '', tags: [], source: where };
    }
    if (seeds.length) {
      const ords = note.kind === 'basic' ? ['fwd'] : note.kind === 'reversible' ? ['fwd', 'rev'] : [...new Set([...note.front.matchAll(/\{\{c(\d+)::/g)].map((m) => Number(m[1])))].sort((a, b) => a - b).map((k) => `c${k}`);
      note.cards = {};
      ords.forEach((ord, i) => { if (seeds[i]) note.cards![ord] = { seed: seeds[i] }; });
    }
    notes.push({ deck, note });
  }
  return { notes, tagged: flashTags.length > 0 };
}

export function readObsidian(path: string, opts: ObsidianOptions): ImportSource {
  const skips = new Skips();
  const isDir = statSync(path).isDirectory();
  const root = isDir ? path : dirname(path);
  const media = new MediaCollector(root, skips);
  const files = isDir ? markdownFiles(path) : [path];
  const results: { file: string; res: FileResult }[] = [];
  for (const f of files) {
    const rel = relative(root, f);
    const fallback = rel.replace(/\.md$/i, '').split(sep).filter(Boolean).join('::');
    results.push({ file: f, res: parseFile(f, rel, media, skips, opts, fallback || basename(f, extname(f))) });
  }
  // In a vault, only notes tagged #flashcards hold cards (as in the plugin), unless no note is tagged.
  const anyTagged = results.some((r) => r.res.tagged);
  const decks = new Map<string, DraftDeck>();
  for (const { file, res } of results) {
    if (isDir && anyTagged && !res.tagged) {
      if (res.notes.length) skips.add('cards in a note without a #flashcards tag (the plugin ignores them too)', relative(root, file), res.notes.length);
      continue;
    }
    for (const { deck, note } of res.notes) {
      let d = decks.get(deck);
      if (!d) decks.set(deck, (d = { name: deck, notes: [] }));
      d.notes.push(note);
    }
  }
  media.finish();
  if (!decks.size && !skips.total) throw new UserError(`${basename(path)}: no Obsidian flashcards found (front::back, ?, ==cloze==)`);
  return {
    format: 'obsidian',
    folder: slug(basename(path, isDir ? '' : extname(path)), 'obsidian'),
    label: `Obsidian ${isDir ? 'vault folder' : 'note'} ${basename(path)}`,
    decks: [...decks.values()],
    media: media.items,
    skips,
    close: () => {},
  };
}

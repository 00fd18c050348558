// The Markdown deck format: front matter (gray-matter) + cards introduced by line markers.
// See docs/deck-format.md. Every note and every issue carries its file and line.
import type GrayMatter from 'gray-matter';
import { createRequire } from 'node:module';
import { clozeNumbers, findClozes } from './cloze.js';
import { parseExercise } from './exercise/index.js';
import type { DeckConfig, DeckFileDraft, DeckIssue, NoteDraft, NoteKind, ParseResult } from './types.js';

// gray-matter (with its YAML parser) is loaded on first use: a daily start whose decks did not change
// parses no deck and so never pays for it.
let grayMatter: typeof GrayMatter | undefined;
/** gray-matter with options given, so that it never caches by content. */
const matter = (text: string) => (grayMatter ??= createRequire(import.meta.url)('gray-matter') as typeof GrayMatter)(text, {});

const MARKER = /^(Q|R|C|A):(?:\s|$)(.*)$/;
const FENCE = /^\s{0,3}(`{3,}|~{3,})\s*([^\s`]*)?.*$/;
const HEADING = /^#{1,6}(\s|$)/;
const RULE = /^\s{0,3}(-{3,}|\*{3,}|_{3,})\s*$/;
const META = /^\s*<!--\s*((?:id|tags)\s*:[\s\S]*?)\s*-->\s*$/i;
const STEP = /^\d+(\.\d+)?[mhd]$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

const KNOWN_KEYS = new Set([
  'name', 'description', 'tags', 'retention', 'new_per_day', 'reviews_per_day', 'learning_steps',
  'relearning_steps', 'maximum_interval', 'source', 'author', 'license', 'language', 'lang',
]);

/** Deck name from a path below the deck root when the front matter gives none: a/b/c.md → a::b::c. */
export function deckNameFromPath(relPath: string): string {
  return relPath.replace(/\\/g, '/').replace(/\.(md|markdown)$/i, '').split('/').filter(Boolean).join('::');
}

export function parseTags(v: unknown): string[] {
  if (v == null) return [];
  const list = Array.isArray(v) ? v.map(String) : String(v).split(/[\s,]+/);
  return [...new Set(list.map((t) => t.trim().replace(/^#/, '')).filter(Boolean))];
}

interface Pending {
  kind: 'basic' | 'reversible' | 'cloze';
  line: number;
  front: string[];
  back: string[] | null;
  backLine: number;
  tags: string[];
  explicitId?: string;
  metaLine: number;
}

/**
 * Parse one deck file. `file` is used in messages and locations; `relPath` (defaults to file)
 * gives the deck name when the front matter has none.
 */
export function parseDeck(text: string, file: string, relPath = file): ParseResult {
  const issues: DeckIssue[] = [];
  const err = (line: number, message: string, hint?: string) => issues.push({ file, line, severity: 'error', message, hint });
  const warn = (line: number, message: string, hint?: string) => issues.push({ file, line, severity: 'warning', message, hint });

  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.replace(/\r\n?/g, '\n');

  let data: Record<string, unknown> = {};
  let body = text;
  let bodyLine = 1;
  try {
    const parsed = matter(text);
    data = (parsed.data ?? {}) as Record<string, unknown>;
    body = parsed.content;
    bodyLine = text.split('\n').length - body.split('\n').length + 1;
  } catch (e) {
    const mark = (e as { mark?: { line?: number } }).mark;
    const line = mark?.line != null ? mark.line + 2 : 1;
    err(line, `invalid YAML front matter: ${(e as Error).message.split('\n')[0]}`,
      'front matter is YAML between two `---` lines; quote values that contain `:` or `#`');
    return { issues };
  }
  if (typeof data !== 'object' || Array.isArray(data)) {
    err(1, 'front matter must be a YAML mapping (key: value lines)');
    return { issues };
  }

  const fmLine = (key: string) => {
    const idx = text.split('\n').findIndex((l, i) => i < bodyLine && l.startsWith(`${key}:`));
    return idx >= 0 ? idx + 1 : 1;
  };
  const config: Partial<DeckConfig> = {};
  for (const key of Object.keys(data)) {
    if (!KNOWN_KEYS.has(key)) warn(fmLine(key), `unknown front matter key "${key}" is ignored`, `known keys: ${[...KNOWN_KEYS].join(', ')}`);
  }
  const num = (key: string, min: number, max: number, integer: boolean): number | undefined => {
    if (data[key] == null) return undefined;
    const v = Number(data[key]);
    if (!Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
      err(fmLine(key), `front matter "${key}" must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}, got ${JSON.stringify(data[key])}`);
      return undefined;
    }
    return v;
  };
  const steps = (key: string): string[] | undefined => {
    if (data[key] == null) return undefined;
    const list = Array.isArray(data[key]) ? (data[key] as unknown[]).map(String) : String(data[key]).split(/[\s,]+/).filter(Boolean);
    const bad = list.filter((s) => !STEP.test(s));
    if (bad.length) {
      err(fmLine(key), `front matter "${key}" has invalid steps: ${bad.join(', ')}`, 'write steps like [1m, 10m] (m = minutes, h = hours, d = days)');
      return undefined;
    }
    return list;
  };
  const retention = num('retention', 0.7, 0.99, false);
  if (retention !== undefined) config.retention = retention;
  const newPerDay = num('new_per_day', 0, 100000, true);
  if (newPerDay !== undefined) config.newPerDay = newPerDay;
  const reviewsPerDay = num('reviews_per_day', 0, 1000000, true);
  if (reviewsPerDay !== undefined) config.reviewsPerDay = reviewsPerDay;
  const maxIvl = num('maximum_interval', 1, 36500, true);
  if (maxIvl !== undefined) config.maximumInterval = maxIvl;
  const ls = steps('learning_steps');
  if (ls) config.learningSteps = ls;
  const rs = steps('relearning_steps');
  if (rs) config.relearningSteps = rs;

  let deckName = deckNameFromPath(relPath);
  if (data.name != null) {
    const n = String(data.name).trim();
    if (!n) err(fmLine('name'), 'front matter "name" is empty');
    else deckName = n.split('::').map((p) => p.trim()).filter(Boolean).join('::');
  }
  const deckTags = parseTags(data.tags);

  const notes: NoteDraft[] = [];
  const lines = body.split('\n');
  let pending: Pending | null = null;
  let fence: { marker: string; line: number; exercise: boolean; body: string[] } | null = null;

  const flush = () => {
    if (!pending) return;
    const p = pending;
    pending = null;
    const front = trimBlock(p.front);
    const back = p.back ? trimBlock(p.back) : '';
    const tags = [...new Set([...deckTags, ...p.tags])];
    const loc = { file, line: p.line };
    const base = { tags, explicitId: p.explicitId, loc };
    if (!front) {
      err(p.line, `${p.kind === 'cloze' ? 'C:' : p.kind === 'reversible' ? 'R:' : 'Q:'} has no text`, 'write the question on the same line as the marker or on the lines below it');
      return;
    }
    if (p.kind === 'cloze') {
      const { spans, unclosed } = findClozes(front);
      for (const u of unclosed) {
        err(p.line + lineOf(front, u), 'a cloze deletion `{{c…::` is not closed with `}}`', 'write {{c1::answer}} or {{c1::answer::hint}}');
      }
      if (unclosed.length) return;
      if (!spans.length) {
        err(p.line, 'C: card has no cloze deletion', 'mark the hidden part as {{c1::answer}} (or {{c1::answer::hint}})');
        return;
      }
      const empty = spans.find((s) => !s.answer.trim());
      if (empty) {
        err(p.line + lineOf(front, empty.start), `cloze deletion c${empty.n} is empty`);
        return;
      }
      notes.push({ kind: 'cloze', front, back, ords: clozeNumbers(front).map((n) => `c${n}`), ...base });
      return;
    }
    if (!back) {
      err(p.back ? p.backLine : p.line, `${p.kind === 'reversible' ? 'R:' : 'Q:'} card has no answer`,
        'add a line starting with "A:" after the question');
      return;
    }
    const kind: NoteKind = p.kind;
    notes.push({ kind, front, back, ords: kind === 'reversible' ? ['fwd', 'rev'] : ['fwd'], ...base });
  };

  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const lineNo = bodyLine + i;

    if (fence) {
      const close = raw.match(FENCE);
      if (close && close[1][0] === fence.marker[0] && close[1].length >= fence.marker.length && raw.trim() === close[1]) {
        if (fence.exercise) {
          notes.push(exerciseNote(fence.body.join('\n'), { file, line: fence.line }, deckTags, issues));
        } else if (pending) {
          (pending.back ?? pending.front).push(raw);
        }
        fence = null;
        continue;
      }
      if (fence.exercise) fence.body.push(raw);
      else if (pending) (pending.back ?? pending.front).push(raw);
      continue;
    }

    const open = raw.match(FENCE);
    if (open) {
      const exercise = (open[2] ?? '').toLowerCase() === 'exercise';
      fence = { marker: open[1], line: lineNo, exercise, body: [] };
      if (exercise) flush();
      else if (pending) (pending.back ?? pending.front).push(raw);
      continue;
    }

    const marker = raw.match(MARKER);
    if (marker) {
      const [, m, rest] = marker;
      if (m === 'A') {
        if (!pending) {
          err(lineNo, '"A:" without a question before it', 'start the card with "Q:" (basic), "R:" (reversible) or "C:" (cloze)');
        } else if (pending.back) {
          err(lineNo, `a second "A:" in the card that starts at line ${pending.line}`, 'a card has one answer; start a new card with "Q:"');
        } else {
          pending.back = [rest];
          pending.backLine = lineNo;
        }
        continue;
      }
      flush();
      pending = {
        kind: m === 'Q' ? 'basic' : m === 'R' ? 'reversible' : 'cloze',
        line: lineNo, front: [rest], back: null, backLine: 0, tags: [], metaLine: 0,
      };
      continue;
    }
    if (HEADING.test(raw) || RULE.test(raw)) {
      flush();
      continue;
    }
    const meta = raw.match(META);
    if (meta) {
      if (!pending) {
        warn(lineNo, 'card metadata comment outside a card is ignored', 'put <!-- id: …; tags: … --> inside the card it belongs to');
        continue;
      }
      readMeta(meta[1], pending, lineNo, err);
      continue;
    }
    if (pending) {
      const unescaped = raw.replace(/^\\(Q|R|C|A):/, '$1:');
      (pending.back ?? pending.front).push(unescaped);
    }
  }
  if (fence) {
    err(fence.line, `code block opened with ${fence.marker} is never closed`, `close it with a line holding only ${fence.marker}`);
  }
  flush();

  // Explicit ids must be unique within a file (across files: checked by sync).
  const seen = new Map<string, number>();
  for (const n of notes) {
    if (!n.explicitId) continue;
    const prev = seen.get(n.explicitId);
    if (prev != null) err(n.loc.line, `id "${n.explicitId}" is already used by the card at line ${prev}`, 'ids must be unique; rename one of them');
    else seen.set(n.explicitId, n.loc.line);
  }

  const deck: DeckFileDraft = {
    file,
    deckName,
    description: data.description != null ? String(data.description) : undefined,
    source: data.source != null ? String(data.source) : undefined,
    tags: deckTags,
    config,
    notes,
  };
  return { deck, issues };
}

function exerciseNote(yaml: string, loc: { file: string; line: number }, deckTags: string[], issues: DeckIssue[]): NoteDraft {
  // The exercise engine checks the block's structure here (formulas compile, keys are known); drawing it
  // with many seeds is left to `srs check`. Its id and tags work as for every other card.
  const { spec, issues: found } = parseExercise(yaml, loc);
  issues.push(...found);
  const explicitId = spec?.id && ID.test(spec.id) ? spec.id : undefined;
  return { kind: 'exercise', front: yaml.replace(/\s+$/, ''), back: '', ords: ['ex'], tags: [...new Set([...deckTags, ...(spec?.tags ?? [])])], explicitId, loc };
}

function readMeta(src: string, p: Pending, line: number, err: (l: number, m: string, h?: string) => void) {
  for (const part of src.split(';')) {
    const m = part.trim().match(/^(\w+)\s*:\s*(.*)$/);
    if (!m) continue;
    const key = m[1].toLowerCase();
    const value = m[2].trim();
    if (key === 'id') {
      if (!ID.test(value)) err(line, `invalid card id "${value}"`, 'use letters, digits, ".", "_" and "-" (start with a letter or digit)');
      else p.explicitId = value;
    } else if (key === 'tags') {
      p.tags.push(...parseTags(value));
    } else {
      err(line, `unknown card metadata "${key}"`, 'card comments may set "id:" and "tags:"');
    }
  }
}

/** Drop leading and trailing blank lines, keep inner formatting. */
function trimBlock(lines: string[]): string {
  let a = 0;
  let b = lines.length;
  while (a < b && !lines[a].trim()) a++;
  while (b > a && !lines[b - 1].trim()) b--;
  return lines.slice(a, b).join('\n').replace(/\s+$/, '');
}

function lineOf(text: string, index: number): number {
  let n = 0;
  for (let i = 0; i < index && i < text.length; i++) if (text[i] === '\n') n++;
  return n;
}

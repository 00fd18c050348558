// Cloze deletions: {{c1::answer}} and {{c1::answer::hint}} (Anki's syntax).
// A scanner, not a regex, so that LaTeX braces inside a deletion ({{c1::$\hat{x}$}}) are kept whole.

export interface ClozeSpan {
  start: number;
  end: number; // exclusive
  n: number;
  answer: string;
  hint?: string;
}

const OPEN = /\{\{c(\d+)::/g;

export function findClozes(text: string): { spans: ClozeSpan[]; unclosed: number[] } {
  const spans: ClozeSpan[] = [];
  const unclosed: number[] = [];
  OPEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = OPEN.exec(text))) {
    const bodyStart = m.index + m[0].length;
    let depth = 0;
    let end = -1;
    for (let i = bodyStart; i < text.length; i++) {
      const ch = text[i];
      if (ch === '\\') { i++; continue; }
      if (ch === '{') depth++;
      else if (ch === '}') {
        if (depth > 0) depth--;
        else if (text[i + 1] === '}') { end = i; break; }
      }
    }
    if (end < 0) {
      unclosed.push(m.index);
      continue;
    }
    const body = text.slice(bodyStart, end);
    const sep = findHintSeparator(body);
    const answer = sep < 0 ? body : body.slice(0, sep);
    const hint = sep < 0 ? undefined : body.slice(sep + 2);
    spans.push({ start: m.index, end: end + 2, n: Number(m[1]), answer, hint });
    OPEN.lastIndex = end + 2;
  }
  return { spans, unclosed };
}

/** `::` at brace depth 0 separates the answer from the hint. */
function findHintSeparator(body: string): number {
  let depth = 0;
  for (let i = 0; i < body.length - 1; i++) {
    const ch = body[i];
    if (ch === '\\') { i++; continue; }
    if (ch === '{') depth++;
    else if (ch === '}') depth = Math.max(0, depth - 1);
    else if (ch === ':' && body[i + 1] === ':' && depth === 0) return i;
  }
  return -1;
}

export function clozeNumbers(text: string): number[] {
  return [...new Set(findClozes(text).spans.map((s) => s.n))].sort((a, b) => a - b);
}

/**
 * Render the text for card `n`: on the front, deletions numbered n become `[…]` (or `[hint]`);
 * on the back they are shown in bold brackets. Other deletions show their answer as plain text.
 */
export function renderCloze(text: string, n: number, side: 'front' | 'back'): string {
  const { spans } = findClozes(text);
  let out = '';
  let pos = 0;
  for (const s of spans) {
    out += text.slice(pos, s.start);
    if (s.n === n) out += side === 'front' ? `**[${s.hint?.trim() || '…'}]**` : `**[${s.answer}]**`;
    else out += s.answer;
    pos = s.end;
  }
  return out + text.slice(pos);
}

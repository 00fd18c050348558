// checkAnswer: parse what the person typed (never evaluated as a formula) and compare with tolerance.

import type { ExerciseInstance } from './draw.js';
import { roundSig } from './format.js';
import { LIMITS } from './limits.js';
import type { Tolerance } from './spec.js';

export interface CheckResult {
  correct: boolean;
  parsed?: number | number[] | string;
  /** Set when the input could not be read (nothing to grade): a message saying what to type. */
  error?: string;
  expectedText: string;
  toleranceText: string;
  /** 3 (Good) when correct, else 1 (Again). */
  suggestedGrade: 1 | 3;
}

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NUMBER_HELP = 'type a number like 0.5, .5, -1.2e-3 or a fraction like 1/2';

type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function clean(s: string): string {
  return s
    .replace(/[\u2212\u2012\u2013\u2014\uFE63\uFF0D]/g, '-') // minus signs and dashes → '-'
    .replace(/[\u00A0\u2009\u202F]/g, ' ')
    .trim();
}

/**
 * One number: a decimal (0.5, .5, -1.2e-3, 3.) or a plain fraction of two decimals (1/2, -3/4,
 * 1.5/2). Nothing else: the input is matched against this grammar, never evaluated.
 */
export function parseNumber(input: string): Parsed<number> {
  const s = clean(input);
  if (s === '') return { ok: false, error: `no number given: ${NUMBER_HELP}` };
  let value: number;
  if (NUMBER_RE.test(s)) value = Number(s);
  else {
    const m = /^([^/]+)\/([^/]+)$/.exec(s);
    const num = m?.[1]?.trim();
    const den = m?.[2]?.trim();
    if (!num || !den || !NUMBER_RE.test(num) || !NUMBER_RE.test(den)) {
      const shown = s.length > 30 ? s.slice(0, 30) + '…' : s;
      return { ok: false, error: `"${shown}" is not a number: ${NUMBER_HELP}` };
    }
    const d = Number(den);
    if (d === 0) return { ok: false, error: `"${s}" divides by zero` };
    value = Number(num) / d;
  }
  if (!Number.isFinite(value)) return { ok: false, error: `"${s}" is too large` };
  return { ok: true, value };
}

/** Several numbers separated by commas, semicolons or spaces, with optional [ ] or ( ) around. */
export function parseNumberList(input: string): Parsed<number[]> {
  const s = clean(input).replace(/[[\]()]/g, ' ');
  const tokens = s.split(/[\s,;]+/).filter((t) => t !== '');
  if (tokens.length === 0) return { ok: false, error: 'no numbers given: type them separated by commas or spaces, e.g. 0.5, -1, 2' };
  const out: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const p = parseNumber(tokens[i]!);
    if (!p.ok) return { ok: false, error: `number ${i + 1}: ${p.error}` };
    out.push(p.value);
  }
  return { ok: true, value: out };
}

/**
 * Is x an acceptable answer for the expected a?
 * - abs t:  |x − a| ≤ t
 * - rel r:  |x − a| ≤ r·|a|          (both given: either one suffices)
 * - sigfigs n: x and a are equal after rounding both to n significant figures (half away from zero)
 * - none of them: x = a (up to floating-point noise)
 * A tiny slack of a few ulps absorbs binary rounding (so 0.4 is within 0.1 of 0.3).
 */
export function withinTolerance(x: number, a: number, tol: Tolerance): boolean {
  if (!Number.isFinite(x) || !Number.isFinite(a)) return false;
  if (tol.sigfigs) return roundSig(x, tol.sigfigs) === roundSig(a, tol.sigfigs);
  const diff = Math.abs(x - a);
  const slack = 4 * Number.EPSILON * (Math.abs(x) + Math.abs(a));
  if (tol.abs === undefined && tol.rel === undefined) return diff <= slack;
  if (tol.abs !== undefined && diff <= tol.abs * (1 + 4 * Number.EPSILON) + slack) return true;
  if (tol.rel !== undefined && diff <= tol.rel * Math.abs(a) * (1 + 4 * Number.EPSILON) + slack) return true;
  return false;
}

function letterRange(n: number): string {
  return `A–${String.fromCharCode(64 + n)}`;
}

/** Check a typed answer against a drawn exercise. */
export function checkAnswer(inst: ExerciseInstance, input: string): CheckResult {
  const base = { expectedText: inst.expectedText, toleranceText: inst.toleranceText };
  const wrong = (error: string): CheckResult => ({ ...base, correct: false, error, suggestedGrade: 1 });
  const graded = (correct: boolean, parsed: number | number[] | string): CheckResult => ({
    ...base,
    correct,
    parsed,
    suggestedGrade: correct ? 3 : 1,
  });

  if (typeof input !== 'string') return wrong('no answer given');
  if (input.length > LIMITS.maxInputLength) return wrong(`the answer is too long (over ${LIMITS.maxInputLength} characters)`);
  const s = clean(input);
  if (s === '') return wrong('no answer given');

  switch (inst.answerKind) {
    case 'choice': {
      const n = inst.choices?.length ?? 0;
      const m = /^\(?([A-Za-z]|\d+)\)?[.)]?$/.exec(s);
      let k = -1;
      if (m) {
        const t = m[1]!;
        k = /^\d+$/.test(t) ? Number(t) - 1 : t.toUpperCase().charCodeAt(0) - 65;
      } else if (inst.choices) {
        k = inst.choices.findIndex((c) => c.trim().toLowerCase() === s.toLowerCase());
      }
      if (k < 0 || k >= n) return wrong(`type one letter ${letterRange(n)} (or a number 1–${n})`);
      const letter = String.fromCharCode(65 + k);
      return graded(letter === inst.expected, letter);
    }
    case 'number': {
      let p = parseNumber(s);
      if (!p.ok) {
        // "[0.5]" or a list: say how many numbers were given.
        const list = parseNumberList(s);
        if (list.ok && list.value.length === 1) p = { ok: true, value: list.value[0]! };
        else if (list.ok) return wrong(`expected 1 number, got ${list.value.length}`);
        else return wrong(p.error);
      }
      return graded(withinTolerance(p.value, inst.expected as number, inst.tolerance), p.value);
    }
    case 'vector': {
      const expected = inst.expected as number[];
      const p = parseNumberList(s);
      if (!p.ok) return wrong(p.error);
      if (p.value.length !== expected.length)
        return wrong(
          `expected ${expected.length} number${expected.length === 1 ? '' : 's'}, got ${p.value.length}` +
            (expected.length > 1 ? ' (separate them with commas or spaces)' : ''),
        );
      const correct = p.value.every((x, i) => withinTolerance(x, expected[i]!, inst.tolerance));
      return graded(correct, p.value);
    }
  }
}

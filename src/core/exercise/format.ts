// Decimal rounding, number formatting and {{…}} templates.

import { compileFormula, evaluateFormula, type Formula, type Scope, type Value } from './expr.js';
import { FormulaError, LIMITS } from './limits.js';

// ---------------------------------------------------------------------------------------------------
// Decimal rounding on the shortest decimal form of a number (what a person reads and types), half away
// from zero. Binary floating-point noise is removed first by rounding to 15 significant digits, so that
// a computed 0.12349999999999999 rounds like the 0.1235 a person would write.

interface Decimal {
  neg: boolean;
  /** Significant digits, no leading zeros ("0" for zero). */
  digits: string;
  /** Exponent of the first digit: value = d.ddd × 10^exp. */
  exp: number;
}

function toDecimal(x: number): Decimal {
  const clean = Number(x.toPrecision(15));
  const [mant, e] = Math.abs(clean).toExponential().split('e') as [string, string];
  return { neg: clean < 0, digits: mant.replace('.', ''), exp: Number(e) };
}

function fromDecimal(d: Decimal): number {
  const v = Number(`${d.digits[0]}.${d.digits.slice(1) || '0'}e${d.exp}`);
  return d.neg ? -v : v;
}

/** Round the decimal to keep `keep` significant digits (keep may be ≤ 0). */
function roundDigits(d: Decimal, keep: number): Decimal {
  if (d.digits === '0') return d;
  if (keep < 0) return { neg: d.neg, digits: '0', exp: 0 };
  if (d.digits.length <= keep) return d;
  const roundUp = d.digits.charCodeAt(keep) >= 53; // '5'
  let kept = d.digits.slice(0, keep);
  let exp = d.exp;
  if (roundUp) {
    const arr = kept.split('').map(Number);
    let i = arr.length - 1;
    while (i >= 0 && arr[i] === 9) {
      arr[i] = 0;
      i--;
    }
    if (i < 0) {
      arr.unshift(1);
      arr.pop();
      exp += 1;
      if (arr.length === 0) arr.push(1);
    } else arr[i]! += 1;
    kept = arr.join('');
  }
  kept = kept.replace(/0+$/, '');
  if (kept === '') return { neg: d.neg, digits: '0', exp: 0 };
  return { neg: d.neg, digits: kept, exp };
}

/** Round to n significant figures (decimal, half away from zero). */
export function roundSig(x: number, n: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return fromDecimal(roundDigits(toDecimal(x), n)) || 0;
}

/** Round to k decimal places (decimal, half away from zero). */
export function roundFixed(x: number, k: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const d = toDecimal(x);
  const keep = d.exp + 1 + k;
  if (keep === 0) {
    // Only the rounding digit is left: 0.6 with k = 0 → 1.
    const up = d.digits.charCodeAt(0) >= 53;
    return up ? (d.neg ? -1 : 1) * 10 ** -k : 0;
  }
  return fromDecimal(roundDigits(d, keep)) || 0;
}

// ---------------------------------------------------------------------------------------------------
// Number formats

export type NumberFormat =
  | { kind: 'auto' }
  | { kind: 'fixed'; decimals: number }
  | { kind: 'sig'; digits: number }
  | { kind: 'sci'; decimals: number }
  | { kind: 'percent'; decimals: number };

export const AUTO_FORMAT: NumberFormat = { kind: 'auto' };

/** Parse a format suffix: "3" (3 decimals), "3s" (3 significant figures), "2e" (scientific), "1%". */
export function parseFormat(spec: string): NumberFormat | undefined {
  const m = /^\s*(\d{1,2})([sep%]?)\s*$/.exec(spec);
  if (!m) return undefined;
  const n = Number(m[1]);
  switch (m[2]) {
    case 's':
      return n >= 1 && n <= 15 ? { kind: 'sig', digits: n } : undefined;
    case 'e':
      return n <= 14 ? { kind: 'sci', decimals: n } : undefined;
    case '%':
      return n <= 12 ? { kind: 'percent', decimals: n } : undefined;
    default:
      return n <= 15 ? { kind: 'fixed', decimals: n } : undefined;
  }
}

/** "-0.00" → "0.00": a value that rounds to zero is shown without a sign. */
function noNegZero(s: string): string {
  if (!s.startsWith('-')) return s;
  return /[1-9]/.test(s.split('e')[0]!) ? s : s.slice(1);
}

function plain(x: number, decimals: number): string {
  return noNegZero(x.toFixed(decimals));
}

/** Format one number. */
export function formatNumber(x: number, fmt: NumberFormat = AUTO_FORMAT): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  switch (fmt.kind) {
    case 'fixed':
      if (Math.abs(x) >= 1e21) return formatNumber(x, { kind: 'sci', decimals: 3 });
      return plain(roundFixed(x, fmt.decimals), fmt.decimals);
    case 'percent':
      return formatNumber(x * 100, { kind: 'fixed', decimals: fmt.decimals }) + '%';
    case 'sci': {
      const r = roundSig(x, fmt.decimals + 1);
      return noNegZero(r.toExponential(fmt.decimals));
    }
    case 'sig': {
      const r = roundSig(x, fmt.digits);
      if (r === 0) return fmt.digits > 1 ? '0.' + '0'.repeat(fmt.digits - 1) : '0';
      const exp = Math.floor(Math.log10(Math.abs(r)) + 1e-12);
      if (exp < -6 || exp >= 21) return noNegZero(r.toExponential(fmt.digits - 1));
      const decimals = Math.max(0, fmt.digits - 1 - exp);
      return plain(r, decimals);
    }
    case 'auto': {
      if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
      const r = roundSig(x, 6);
      const ax = Math.abs(r);
      if (ax !== 0 && (ax < 1e-5 || ax >= 1e15)) return noNegZero(r.toExponential().replace('e+', 'e'));
      return noNegZero(String(r));
    }
  }
}

/** Format any value: numbers with fmt, vectors as [1.5, -2, 0.5], matrices as [[1, 2], [3, 4]]. */
export function formatValue(v: Value, fmt: NumberFormat = AUTO_FORMAT): string {
  if (typeof v === 'number') return formatNumber(v, fmt);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return v;
  return '[' + v.map((x) => formatValue(x, fmt)).join(', ') + ']';
}

// ---------------------------------------------------------------------------------------------------
// Templates: Markdown with {{expr}} and {{expr:fmt}}; \{{ is a literal {{.

export type TemplatePart =
  | { kind: 'text'; text: string }
  | { kind: 'expr'; raw: string; formula: Formula; format: NumberFormat; offset: number };

export interface TemplateProblem {
  message: string;
  hint?: string;
  /** Offset of the {{ in the template text. */
  offset: number;
  raw: string;
}

export interface Template {
  parts: TemplatePart[];
  problems: TemplateProblem[];
}

function splitFormat(inner: string): { expr: string; format: NumberFormat } {
  const colon = inner.lastIndexOf(':');
  if (colon > 0) {
    const fmt = parseFormat(inner.slice(colon + 1));
    const expr = inner.slice(0, colon);
    if (fmt) {
      try {
        compileFormula(expr);
        return { expr, format: fmt };
      } catch {
        // Not "expr:format" — e.g. the colon of `a ? b : 2`; read the whole thing as a formula.
      }
    }
  }
  return { expr: inner, format: AUTO_FORMAT };
}

export function parseTemplate(text: string): Template {
  const parts: TemplatePart[] = [];
  const problems: TemplateProblem[] = [];
  if (text.length > LIMITS.maxTemplateLength) {
    problems.push({
      message: `text of ${text.length} characters; the limit is ${LIMITS.maxTemplateLength}`,
      offset: 0,
      raw: '',
    });
    return { parts: [{ kind: 'text', text: '' }], problems };
  }
  let buf = '';
  let i = 0;
  let count = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) {
      buf += text.slice(i);
      break;
    }
    if (open > 0 && text[open - 1] === '\\') {
      buf += text.slice(i, open - 1) + '{{';
      i = open + 2;
      continue;
    }
    buf += text.slice(i, open);
    const close = text.indexOf('}}', open + 2);
    if (close < 0) {
      problems.push({
        message: 'a {{ is never closed with }}',
        hint: 'close it, or write \\{{ for a literal {{',
        offset: open,
        raw: text.slice(open, open + 30),
      });
      buf += text.slice(open);
      break;
    }
    const raw = text.slice(open, close + 2);
    const inner = text.slice(open + 2, close);
    if (++count > LIMITS.maxSubstitutions) {
      problems.push({ message: `more than ${LIMITS.maxSubstitutions} {{…}} substitutions`, offset: open, raw });
      buf += raw;
      i = close + 2;
      continue;
    }
    if (buf) parts.push({ kind: 'text', text: buf });
    buf = '';
    const { expr, format } = splitFormat(inner);
    try {
      parts.push({ kind: 'expr', raw, formula: compileFormula(expr), format, offset: open });
    } catch (e) {
      const fe = e instanceof FormulaError ? e : new FormulaError(String(e));
      problems.push({ message: `in ${raw}: ${fe.message}`, hint: fe.hint, offset: open, raw });
      parts.push({ kind: 'text', text: raw });
    }
    i = close + 2;
  }
  if (buf) parts.push({ kind: 'text', text: buf });
  return { parts, problems };
}

/** Names the template's substitutions read. */
export function templateSymbols(t: Template): Set<string> {
  const out = new Set<string>();
  for (const p of t.parts) if (p.kind === 'expr') for (const s of p.formula.symbols) out.add(s);
  return out;
}

/**
 * Render with the given values. A substitution that fails throws FormulaError (with the raw {{…}}),
 * unless onError is given, in which case its return value is inserted instead.
 */
export function renderTemplate(
  t: Template,
  scope: Scope,
  opts: { deadline?: number; onError?: (raw: string, err: FormulaError) => string } = {},
): string {
  let out = '';
  for (const p of t.parts) {
    if (p.kind === 'text') {
      out += p.text;
      continue;
    }
    try {
      out += formatValue(evaluateFormula(p.formula, scope, { deadline: opts.deadline }), p.format);
    } catch (e) {
      const fe = e instanceof FormulaError ? e : new FormulaError(String(e));
      if (!opts.onError) {
        const err = new FormulaError(`in ${p.raw}: ${fe.message}`, fe.hint);
        err.raw = p.raw;
        throw err;
      }
      out += opts.onError(p.raw, fe);
    }
  }
  return out;
}

// drawExercise: spec + seed → one concrete exercise (deterministic); solutionMarkdown.

import { evaluateFormula, compileFormula, normalize, shapeOf, type Scope, type Value } from './expr.js';
import { formatNumber, formatValue, parseTemplate, renderTemplate, type NumberFormat } from './format.js';
import { ExerciseError, FormulaError, LIMITS } from './limits.js';
import { createRng, normalizeSeed, type Rng } from './rng.js';
import type { ExerciseSpec, NumOrFormula, Tolerance, VarSpec } from './spec.js';
import { LineMap } from './yaml.js';

export interface ChartSeries {
  name: string;
  values: number[];
}

/** Plain chart data for the UI to draw: x is the position (1, 2, …) in each series. */
export interface ChartData {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  series: ChartSeries[];
}

export interface ExerciseInstance {
  seed: number;
  promptMarkdown: string;
  answerKind: 'number' | 'vector' | 'choice';
  /** The number, the vector (a matrix answer is flattened row by row), or the choice letter ("B"). */
  expected: number | number[] | string;
  expectedText: string;
  toleranceText: string;
  /** The tolerance checkAnswer applies (ignored for choices). */
  tolerance: Tolerance;
  /** Multiple choice: the choice texts (Markdown) in display order; the UI labels them A, B, C, … */
  choices?: string[];
  chart?: ChartData;
  /** All variables of this draw, in declaration order. */
  vars: Record<string, unknown>;
  /** How many draws were needed to meet the constraints (1 = the first). */
  tries: number;
}

function fail(line: number, what: string, e: unknown): never {
  if (e instanceof ExerciseError) throw e;
  const fe = e instanceof FormulaError ? e : new FormulaError(e instanceof Error ? e.message : String(e));
  throw new ExerciseError(`${what}: ${fe.message}`, { line, ...(fe.hint ? { hint: fe.hint } : {}) });
}

function evalAt(src: string, scope: Scope, deadline: number, line: number, what: string): Value {
  try {
    return evaluateFormula(compileFormula(src), scope, { deadline });
  } catch (e) {
    return fail(line, what, e);
  }
}

function numberAt(x: NumOrFormula, scope: Scope, deadline: number, line: number, what: string): number {
  if (typeof x === 'number') return x;
  const v = evalAt(x, scope, deadline, line, what);
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  throw new ExerciseError(`${what}: \`${x}\` must give a finite number, got ${formatValue(v)}`, { line });
}

function decimalsOf(x: number): number {
  const s = String(Math.abs(x));
  const m = /^(\d*)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(s);
  if (!m) return 0;
  const frac = m[2]?.length ?? 0;
  const exp = m[3] ? Number(m[3]) : 0;
  return Math.min(15, Math.max(0, frac - exp));
}

function drawShape(size: NumOrFormula[] | undefined, scope: Scope, deadline: number, v: VarSpec): number[] | undefined {
  if (!size) return undefined;
  const dims = size.map((d) => {
    const n = numberAt(d, scope, deadline, v.line, `variable \`${v.name}\`: size`);
    if (!Number.isInteger(n) || n < 1 || n > LIMITS.maxElements)
      throw new ExerciseError(`variable \`${v.name}\`: size must be a whole number from 1 to ${LIMITS.maxElements}, got ${n}`, { line: v.line });
    return n;
  });
  const count = dims.reduce((a, b) => a * b, 1);
  if (count > LIMITS.maxElements)
    throw new ExerciseError(`variable \`${v.name}\`: ${dims.join('×')} = ${count} elements; the limit is ${LIMITS.maxElements}`, { line: v.line });
  return dims;
}

function fill(shape: number[] | undefined, draw: () => Value): Value {
  if (!shape) return draw();
  if (shape.length === 1) return Array.from({ length: shape[0]! }, draw);
  return Array.from({ length: shape[0]! }, () => Array.from({ length: shape[1]! }, draw));
}

function drawVar(v: VarSpec, scope: Scope, rng: Rng, deadline: number): Value {
  switch (v.kind) {
    case 'const':
      return v.value;
    case 'formula':
      return evalAt(v.expr, scope, deadline, v.line, `variable \`${v.name}\``);
    case 'choice': {
      const shape = drawShape(v.size, scope, deadline, v);
      if (shape && v.options.some(Array.isArray))
        throw new ExerciseError(`variable \`${v.name}\`: with size:, the options must be single values`, { line: v.line });
      return fill(shape, () => v.options[rng.int(v.options.length)]!);
    }
    case 'range': {
      const what = `variable \`${v.name}\``;
      const lo = numberAt(v.from, scope, deadline, v.line, `${what}: range start`);
      const hi = numberAt(v.to, scope, deadline, v.line, `${what}: range end`);
      const step = numberAt(v.step, scope, deadline, v.line, `${what}: step`);
      if (!(step > 0)) throw new ExerciseError(`${what}: step must be greater than 0, got ${step}`, { line: v.line });
      if (hi < lo) throw new ExerciseError(`${what}: empty range [${lo}, ${hi}]`, { line: v.line, hint: 'write the lowest value first' });
      const count = Math.floor((hi - lo) / step + 1e-9) + 1;
      if (!Number.isFinite(count) || count > Number.MAX_SAFE_INTEGER)
        throw new ExerciseError(`${what}: too many values in the range; use a larger step`, { line: v.line });
      const decimals = Math.max(decimalsOf(lo), decimalsOf(step));
      const shape = drawShape(v.size, scope, deadline, v);
      return fill(shape, () => {
        const x = lo + rng.int(count) * step;
        return Number(x.toFixed(decimals)) || 0;
      });
    }
  }
}

function drawVars(spec: ExerciseSpec, rng: Rng, deadline: number): Map<string, Value> {
  const scope = new Map<string, Value>();
  for (const v of spec.vars) scope.set(v.name, drawVar(v, scope, rng, deadline));
  return scope;
}

/** Index of the first constraint that is not met, or -1. */
function firstFailing(spec: ExerciseSpec, scope: Scope, deadline: number): number {
  for (let i = 0; i < spec.where.length; i++) {
    const w = spec.where[i]!;
    const r = evalAt(w.expr, scope, deadline, w.line, `constraint \`${w.expr}\``);
    if (Array.isArray(r))
      throw new ExerciseError(`constraint \`${w.expr}\` gave a vector, not true/false`, {
        line: w.line,
        hint: 'wrap it with all(…) or any(…), e.g. all(x != 0)',
      });
    if (typeof r === 'string') throw new ExerciseError(`constraint \`${w.expr}\` gave text, not true/false`, { line: w.line });
    if (!r) return i; // false, 0 and NaN all fail
  }
  return -1;
}

// ---------------------------------------------------------------------------------------------------
// Answer text

/** The format used to show an expected number, from the tolerance. */
export function answerFormat(tol: Tolerance): NumberFormat {
  if (tol.sigfigs) return { kind: 'sig', digits: tol.sigfigs };
  if (tol.abs !== undefined && tol.abs > 0)
    return { kind: 'fixed', decimals: Math.min(12, Math.max(0, Math.ceil(-Math.log10(tol.abs) - 1e-9) + 1)) };
  if (tol.rel !== undefined && tol.rel > 0)
    return { kind: 'sig', digits: Math.min(12, Math.max(3, Math.ceil(-Math.log10(tol.rel) - 1e-9) + 2)) };
  return { kind: 'sig', digits: 12 };
}

export function expectedNumberText(x: number, tol: Tolerance, integersAsIs = true): string {
  if (integersAsIs && Number.isInteger(x) && Math.abs(x) < 1e15 && !tol.sigfigs) return String(x);
  const s = formatNumber(x, answerFormat(tol));
  // An exact answer (tolerance 0) is shown without trailing zeros.
  return tol.sigfigs || Math.max(tol.abs ?? 0, tol.rel ?? 0) > 0 ? s : formatNumber(x);
}

export function toleranceText(tol: Tolerance, kind: 'number' | 'vector' | 'choice'): string {
  if (kind === 'choice') return 'exact choice';
  const each = kind === 'vector' ? 'each element ' : '';
  if (tol.sigfigs) return `${each}to ${tol.sigfigs} significant figure${tol.sigfigs === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (tol.abs !== undefined) parts.push(`± ${formatNumber(tol.abs)}`);
  if (tol.rel !== undefined) parts.push(`± ${formatNumber(tol.rel * 100)}% (relative)`);
  if (parts.length === 0 || (tol.abs ?? 0) + (tol.rel ?? 0) === 0) return `${each}exact`;
  return each + parts.join(' or ');
}

// ---------------------------------------------------------------------------------------------------

/** Draw the exercise for a seed. Deterministic. Throws ExerciseError (with the line) if it can't. */
export function drawExercise(spec: ExerciseSpec, seed: number): ExerciseInstance {
  const s = normalizeSeed(seed);
  const rng = createRng(s);
  const deadline = Date.now() + LIMITS.drawTimeMs;

  let scope: Map<string, Value> | undefined;
  let tries = 0;
  const fails = new Array<number>(spec.where.length).fill(0);
  while (!scope && tries < LIMITS.maxTries) {
    tries++;
    const candidate = drawVars(spec, rng, deadline);
    const failed = firstFailing(spec, candidate, deadline);
    if (failed < 0) scope = candidate;
    else fails[failed]!++;
  }
  if (!scope) {
    const worst = fails.indexOf(Math.max(...fails));
    const w = spec.where[worst]!;
    throw new ExerciseError(
      `no draw met the constraints in ${LIMITS.maxTries} tries: \`${w.expr}\` was false ${fails[worst]} times`,
      { line: w.line, hint: 'widen the ranges of the variables or relax the constraint' },
    );
  }

  const promptMarkdown = renderAt(spec, spec.prompt.text, scope, deadline, ['prompt'], 'prompt');

  let answerKind: ExerciseInstance['answerKind'];
  let expected: number | number[] | string;
  let expectedText: string;
  let choices: string[] | undefined;

  if (spec.choices) {
    const n = spec.choices.length;
    let index: number;
    if (spec.answer.letter) index = spec.answer.letter.charCodeAt(0) - 65;
    else {
      const v = evalAt(spec.answer.expr, scope, deadline, spec.answer.line, 'answer');
      if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= n) index = v - 1;
      else if (typeof v === 'string' && /^[A-Za-z]$/.test(v.trim()) && v.trim().toUpperCase().charCodeAt(0) - 65 < n)
        index = v.trim().toUpperCase().charCodeAt(0) - 65;
      else
        throw new ExerciseError(
          `answer \`${spec.answer.expr}\` gave ${formatValue(v)}; with ${n} choices it must give a number from 1 to ${n} or a letter A–${String.fromCharCode(64 + n)}`,
          { line: spec.answer.line },
        );
    }
    const order = Array.from({ length: n }, (_, i) => i);
    if (spec.shuffle)
      for (let i = n - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
    choices = order.map((k) => renderAt(spec, spec.choices![k]!.text, scope!, deadline, ['choices', k], `choice ${String.fromCharCode(65 + k)}`));
    const pos = order.indexOf(index);
    answerKind = 'choice';
    expected = String.fromCharCode(65 + pos);
    expectedText = `${expected}) ${choices[pos]}`;
  } else {
    const v = evalAt(spec.answer.expr, scope, deadline, spec.answer.line, 'answer');
    if (typeof v === 'number') {
      answerKind = 'number';
      expected = v;
    } else if (Array.isArray(v)) {
      const flatValues = shapeOf(v).length === 2 ? (v as Value[][]).flat() : (v as Value[]);
      if (flatValues.length === 0) throw new ExerciseError(`answer \`${spec.answer.expr}\` gave an empty vector`, { line: spec.answer.line });
      if (!flatValues.every((x): x is number => typeof x === 'number'))
        throw new ExerciseError(`answer \`${spec.answer.expr}\` must give numbers, got ${formatValue(v)}`, { line: spec.answer.line });
      answerKind = 'vector';
      expected = flatValues;
    } else {
      throw new ExerciseError(
        `answer \`${spec.answer.expr}\` must give a number or a vector, got ${formatValue(v)}`,
        { line: spec.answer.line, hint: typeof v === 'boolean' ? 'for yes/no questions use choices: [yes, no]' : undefined },
      );
    }
    const values = typeof expected === 'number' ? [expected] : expected;
    const bad = values.find((x) => !Number.isFinite(x));
    if (bad !== undefined)
      throw new ExerciseError(`answer \`${spec.answer.expr}\` is not finite (${formatNumber(bad)})`, {
        line: spec.answer.line,
        hint: 'add a constraint under where: that rules out this case (e.g. a zero variance or a division by zero)',
      });
    expectedText =
      typeof expected === 'number'
        ? expectedNumberText(expected, spec.tolerance)
        : expected.every(Number.isInteger)
          ? '[' + expected.join(', ') + ']'
          : // One format for all elements, so they line up: [0.2500, -1.0000, 2.0000].
            '[' + expected.map((x) => expectedNumberText(x, spec.tolerance, false)).join(', ') + ']';
  }

  let chart: ChartData | undefined;
  if (spec.chart) {
    const c = spec.chart;
    const series = c.series.map((sr) => {
      const v = evalAt(sr.expr, scope!, deadline, sr.line, `chart series \`${sr.name}\``);
      if (!Array.isArray(v) || shapeOf(v).length !== 1 || !v.every((x): x is number => typeof x === 'number' && Number.isFinite(x)))
        throw new ExerciseError(`chart series \`${sr.name}\` must give a vector of finite numbers, got ${formatValue(v)}`, { line: sr.line });
      // Drop binary noise (1.6300000000000001 → 1.63): the UI only draws these.
      return { name: sr.name, values: v.map((x) => Number(x.toPrecision(12))) };
    });
    chart = {
      ...(c.title !== undefined ? { title: renderAt(spec, c.title, scope, deadline, ['chart', 'title'], 'chart title') } : {}),
      ...(c.xLabel !== undefined ? { xLabel: renderAt(spec, c.xLabel, scope, deadline, ['chart', 'xlabel'], 'chart xlabel') } : {}),
      ...(c.yLabel !== undefined ? { yLabel: renderAt(spec, c.yLabel, scope, deadline, ['chart', 'ylabel'], 'chart ylabel') } : {}),
      series,
    };
  }

  const vars: Record<string, unknown> = {};
  for (const [k, v] of scope) vars[k] = v;

  return {
    seed: s,
    promptMarkdown,
    answerKind,
    expected,
    expectedText,
    toleranceText: toleranceText(spec.tolerance, answerKind),
    tolerance: spec.tolerance,
    ...(choices ? { choices } : {}),
    ...(chart ? { chart } : {}),
    vars,
    tries,
  };
}

function renderAt(spec: ExerciseSpec, text: string, scope: Scope, deadline: number, path: (string | number)[], what: string): string {
  try {
    return renderTemplate(parseTemplate(text), scope, { deadline });
  } catch (e) {
    // Point at the line of the failing {{…}} inside the text.
    const raw = e instanceof FormulaError ? e.raw : undefined;
    const lines = new LineMap(spec.source, spec.loc.line);
    return fail(raw ? lines.lineOfText(raw, ...path) : lines.line(...path), what, e);
  }
}

/** The variables of an instance as a scope (values that are not plain numbers/vectors are dropped). */
export function scopeOf(inst: ExerciseInstance): Map<string, Value> {
  const scope = new Map<string, Value>();
  for (const [k, v] of Object.entries(inst.vars ?? {})) {
    try {
      scope.set(k, normalize(v, k));
    } catch {
      // not a plain value: leave it out
    }
  }
  return scope;
}

/**
 * The worked solution with this draw's numbers. Never throws: a substitution that fails is shown
 * inline as **⚠ formula: error**. Without a `solution:` key, the expected answer.
 */
export function solutionMarkdown(spec: ExerciseSpec, inst: ExerciseInstance): string {
  if (!spec.solution) return `**Answer:** ${inst.expectedText}`;
  const deadline = Date.now() + LIMITS.drawTimeMs;
  return renderTemplate(parseTemplate(spec.solution.text), scopeOf(inst), {
    deadline,
    onError: (raw, err) => `**⚠ ${raw.replace(/[{}]/g, '')}: ${err.message}**`,
  });
}

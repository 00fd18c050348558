// Safe formulas: mathjs syntax, parsed by mathjs, evaluated by this tree walker.
//
// Only a whitelist of node types, operators and functions is accepted, checked once when the formula is
// compiled. Evaluation works on plain values only (numbers, booleans, short strings and vectors/
// matrices of those); there are no objects, no property access, no assignments, no function
// definitions and no way to turn a string into code. Every value is size-checked, sizes are checked
// *before* calling functions that allocate (zeros, ones, range, multiply, kron, …), and a deadline
// bounds the time.

import type { MathNode } from 'mathjs';
import { DISABLED_FUNCTIONS, math, parseToTree, transforms } from './math.js';
import { FormulaError, LIMITS } from './limits.js';

export type Scalar = number | boolean | string;
/** A formula value: a scalar, a vector (array of scalars) or a matrix (array of equal-length rows). */
export type Value = Scalar | Value[];
export type Scope = ReadonlyMap<string, Value>;

export interface Formula {
  readonly source: string;
  readonly tree: MathNode;
  /** Names of the variables the formula reads (not constants, not functions, not `end`). */
  readonly symbols: ReadonlySet<string>;
}

export interface EvalOptions {
  /** Date.now() value after which evaluation stops with an error. */
  deadline?: number;
}

/** Built-in constants. Variables may not use these names. */
export const CONSTANTS: ReadonlyMap<string, number> = new Map([
  ['pi', Math.PI],
  ['e', Math.E],
  ['tau', 2 * Math.PI],
  ['Infinity', Infinity],
  ['NaN', NaN],
]);

// ---------------------------------------------------------------------------------------------------
// Value helpers

function describe(v: unknown): string {
  if (Array.isArray(v)) {
    const s = shapeOf(v as Value[]);
    return s.length === 1 ? `a vector of ${s[0]}` : `a ${s.join('×')} matrix`;
  }
  if (typeof v === 'string') return `the text "${v.length > 20 ? v.slice(0, 20) + '…' : v}"`;
  if (typeof v === 'boolean') return `the boolean ${v}`;
  if (typeof v === 'number') return `the number ${v}`;
  return `a ${typeof v}`;
}

/** Shape of an array value (assumed already normalised: rectangular, ≤ 2 dims). */
export function shapeOf(v: Value): number[] {
  if (!Array.isArray(v)) return [];
  if (v.length > 0 && Array.isArray(v[0])) return [v.length, (v[0] as Value[]).length];
  return [v.length];
}

function countOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Check and convert anything mathjs returns into a plain Value, enforcing the size limits. */
export function normalize(v: unknown, what: string): Value {
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    if (v.length > LIMITS.maxStringLength)
      throw new FormulaError(`${what} gave a text of ${v.length} characters; the limit is ${LIMITS.maxStringLength}`);
    return v;
  }
  if (Array.isArray(v)) return normalizeArray(v, what);
  if (v !== null && typeof v === 'object') {
    if (math.isMatrix(v)) return normalizeArray((v as { toArray(): unknown[] }).toArray(), what);
    if (math.isComplex(v))
      throw new FormulaError(
        `${what} gave a complex number`,
        'sqrt, log or a fractional power of a negative number? Constrain the variables (where:) so it stays real',
      );
    if (math.isBigNumber(v) || math.isFraction(v)) return Number((v as { valueOf(): unknown }).valueOf());
    if (math.isUnit(v)) throw new FormulaError(`${what} gave a value with a unit; units are not supported`);
  }
  throw new FormulaError(`${what} gave an unsupported value (${math.typeOf(v)})`);
}

function normalizeArray(a: unknown[], what: string): Value[] {
  if (a.length > LIMITS.maxElements)
    throw new FormulaError(`${what} gave ${a.length} elements; the limit is ${LIMITS.maxElements}`);
  if (a.length === 0) return [];
  const rows = a.map((x) => (math.isMatrix(x) ? (x as { toArray(): unknown[] }).toArray() : x));
  if (Array.isArray(rows[0])) {
    const n = (rows[0] as unknown[]).length;
    if (a.length * n > LIMITS.maxElements)
      throw new FormulaError(`${what} gave ${a.length}×${n} = ${a.length * n} elements; the limit is ${LIMITS.maxElements}`);
    return rows.map((r) => {
      if (!Array.isArray(r) || r.length !== n)
        throw new FormulaError(`${what} gave a ragged matrix (rows of different lengths)`);
      return r.map((x) => {
        if (Array.isArray(x) || math.isMatrix(x))
          throw new FormulaError(`${what} gave a value with more than 2 dimensions; only vectors and matrices are supported`);
        return normalizeScalar(x, what);
      });
    });
  }
  return rows.map((x) => {
    if (Array.isArray(x)) throw new FormulaError(`${what} gave a ragged matrix (rows of different lengths)`);
    return normalizeScalar(x, what);
  });
}

function normalizeScalar(x: unknown, what: string): Scalar {
  const v = normalize(x, what);
  if (Array.isArray(v)) throw new FormulaError(`${what} gave a value with more than 2 dimensions`);
  return v;
}

function deepMap(v: Value, f: (x: Scalar) => Value): Value {
  if (Array.isArray(v)) return v.map((x) => deepMap(x, f));
  return f(v);
}

function flat(v: Value): Scalar[] {
  if (!Array.isArray(v)) return [v];
  const out: Scalar[] = [];
  for (const x of v) {
    if (Array.isArray(x)) for (const y of x) out.push(y as Scalar);
    else out.push(x);
  }
  return out;
}

function num(x: Scalar, fn: string): number {
  if (typeof x === 'number') return x;
  if (typeof x === 'boolean') return x ? 1 : 0;
  throw new FormulaError(`${fn} expects numbers, got ${describe(x)}`);
}

function nums(v: Value, fn: string): number[] {
  return flat(v).map((x) => num(x, fn));
}

function scalarNum(v: Value, fn: string, what = 'argument'): number {
  if (Array.isArray(v)) throw new FormulaError(`${fn}: the ${what} must be a single number, got ${describe(v)}`);
  return num(v, fn);
}

function intArg(v: Value, fn: string, what: string, min: number, max: number): number {
  const n = scalarNum(v, fn, what);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new FormulaError(`${fn}: the ${what} must be a whole number from ${min} to ${max}, got ${n}`);
  return n;
}

function containsString(v: Value): boolean {
  if (typeof v === 'string') return true;
  if (!Array.isArray(v)) return false;
  for (const x of v) if (containsString(x)) return true;
  return false;
}

function checkSize(count: number, fn: string): void {
  if (!(count <= LIMITS.maxElements))
    throw new FormulaError(`${fn} would make ${count} elements; the limit is ${LIMITS.maxElements}`);
}

/** Size of the result of broadcasting a and b element-wise. */
function broadcastCount(a: Value, b: Value): number {
  const sa = shapeOf(a);
  const sb = shapeOf(b);
  const n = Math.max(sa.length, sb.length);
  let count = 1;
  for (let i = 0; i < n; i++) {
    const da = sa[sa.length - n + i] ?? 1;
    const db = sb[sb.length - n + i] ?? 1;
    count *= Math.max(da, db);
  }
  return count;
}

function sizeList(args: Value[], fn: string): number[] {
  const dims = args.length === 1 && Array.isArray(args[0]) ? flat(args[0]) : args;
  if (dims.length === 0 || dims.length > LIMITS.maxDims)
    throw new FormulaError(`${fn} takes 1 or 2 sizes (a vector or a matrix)`);
  const out = dims.map((d) => intArg(d as Value, fn, 'size', 0, LIMITS.maxElements));
  checkSize(countOf(out), `${fn.replace('()', '')}(${out.join(', ')})`);
  return out;
}

function roundNoise(x: number): number {
  return x === 0 ? 0 : Number.parseFloat(x.toPrecision(14));
}

/** Inclusive range start:step:end, bounded. */
export function makeRange(start: number, end: number, step: number, fn = 'range'): number[] {
  if (![start, end, step].every(Number.isFinite)) throw new FormulaError(`${fn}: start, end and step must be finite numbers`);
  if (step === 0) throw new FormulaError(`${fn}: the step must not be 0`);
  const count = Math.floor((end - start) / step + 1e-9) + 1;
  if (count <= 0) return [];
  checkSize(count, `${fn} ${start}:${step === 1 ? '' : step + ':'}${end}`);
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(roundNoise(start + i * step));
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Functions

interface FnDef {
  min: number;
  max: number;
  call: (args: Value[]) => unknown;
}

const FUNCTIONS = new Map<string, FnDef>();

function def(name: string, min: number, max: number, call: (args: Value[]) => unknown): void {
  FUNCTIONS.set(name, { min, max, call });
}

function elementwise(name: string, f: (x: number) => number): void {
  def(name, 1, 1, ([x]) => deepMap(x!, (s) => f(num(s, `${name}()`))));
}

function viaMath(name: string, min: number, max: number): void {
  const key = name;
  def(name, min, max, (args) => {
    const t = transforms[key];
    const f = t ?? (math as unknown as Record<string, (...a: unknown[]) => unknown>)[key];
    args.forEach((a, i) => {
      // Text is only allowed as an option after the data, as in variance(x, "uncorrected").
      if (containsString(a) && (i === 0 || typeof a !== 'string'))
        throw new FormulaError(`${name}() expects numbers, got ${describe(a)}`);
    });
    return f!(...args);
  });
}

elementwise('abs', Math.abs);
elementwise('sqrt', Math.sqrt);
elementwise('cbrt', Math.cbrt);
elementwise('exp', Math.exp);
elementwise('expm1', Math.expm1);
elementwise('log2', Math.log2);
elementwise('log10', Math.log10);
elementwise('log1p', Math.log1p);
elementwise('sin', Math.sin);
elementwise('cos', Math.cos);
elementwise('tan', Math.tan);
elementwise('asin', Math.asin);
elementwise('acos', Math.acos);
elementwise('atan', Math.atan);
elementwise('sinh', Math.sinh);
elementwise('cosh', Math.cosh);
elementwise('tanh', Math.tanh);
elementwise('sign', Math.sign);
elementwise('floor', Math.floor);
elementwise('ceil', Math.ceil);
elementwise('fix', Math.trunc);
elementwise('sigmoid', (x) => 1 / (1 + Math.exp(-x)));
elementwise('relu', (x) => Math.max(0, x));
elementwise('factorial', (n) => {
  if (n < 0) return NaN;
  if (n > 170) return Infinity;
  return math.factorial(n) as number;
});
elementwise('gamma', (x) => (x > 171.7 ? Infinity : (math.gamma(x) as number)));

def('log', 1, 2, ([x, base]) => {
  const b = base === undefined ? undefined : scalarNum(base, 'log()', 'base');
  return deepMap(x!, (s) => (b === undefined ? Math.log(num(s, 'log()')) : Math.log(num(s, 'log()')) / Math.log(b)));
});
def('round', 1, 2, ([x, n]) => {
  const digits = n === undefined ? 0 : intArg(n, 'round()', 'number of decimals', 0, 15);
  if (containsString(x!)) throw new FormulaError(`round() expects numbers, got ${describe(x)}`);
  return math.round(x as never, digits);
});
def('clip', 3, 3, ([x, lo, hi]) => {
  const a = scalarNum(lo!, 'clip()', 'lower bound');
  const b = scalarNum(hi!, 'clip()', 'upper bound');
  return deepMap(x!, (s) => Math.min(b, Math.max(a, num(s, 'clip()'))));
});
def('mod', 2, 2, ([a, b]) => binary('mod', a!, b!));
def('atan2', 2, 2, ([a, b]) => binary('atan2', a!, b!));
def('pow', 2, 2, ([a, b]) => power(a!, b!));
def('hypot', 1, LIMITS.maxElements, (args) => Math.hypot(...args.flatMap((a) => nums(a, 'hypot()'))));

for (const name of ['sum', 'mean', 'cumsum', 'diff']) viaMath(name, 1, 2);
// min/max: of a vector or matrix (optionally along a 1-based dimension), or of several numbers.
for (const name of ['min', 'max'] as const) {
  def(name, 1, 27, (args) => {
    if (Array.isArray(args[0])) {
      if (args.length > 2)
        throw new FormulaError(`${name}(): give one vector (and optionally a dimension), or several single numbers`);
      if (containsString(args[0])) throw new FormulaError(`${name}() expects numbers, got ${describe(args[0])}`);
      return transforms[name]!(...args);
    }
    const v = args.map((a) => scalarNum(a, `${name}()`));
    return name === 'min' ? Math.min(...v) : Math.max(...v);
  });
}
viaMath('quantileSeq', 2, 3);
viaMath('median', 1, 1);
// std/variance: (x), (x, "uncorrected"), (x, dim), (x, dim, "uncorrected"). Dimensions are 1-based
// here (as everywhere in formulas); done by hand because mathjs' transform mishandles the 3-argument form.
for (const name of ['std', 'variance'] as const) {
  def(name, 1, 3, ([x, a, b]) => {
    if (containsString(x!)) throw new FormulaError(`${name}() expects numbers, got ${describe(x)}`);
    const norm = typeof a === 'string' ? a : b;
    if (norm !== undefined && !['unbiased', 'uncorrected', 'biased'].includes(norm as string))
      throw new FormulaError(`${name}(): the normalization must be "unbiased", "uncorrected" or "biased"`);
    const f = math[name] as unknown as (...args: unknown[]) => unknown;
    if (a === undefined || typeof a === 'string') return norm === undefined ? f(x) : f(x, norm);
    const dim = intArg(a, `${name}()`, 'dimension', 1, LIMITS.maxDims);
    return norm === undefined ? f(x, dim - 1) : f(x, dim - 1, norm);
  });
}
viaMath('prod', 1, 1);
viaMath('mode', 1, 1);
viaMath('norm', 1, 2);
viaMath('dot', 2, 2);
viaMath('cross', 2, 2);
viaMath('det', 1, 1);
viaMath('inv', 1, 1);
viaMath('trace', 1, 1);
viaMath('flatten', 1, 1);
viaMath('transpose', 1, 1);
def('sort', 1, 2, ([x, order]) => {
  if (order !== undefined && order !== 'asc' && order !== 'desc')
    throw new FormulaError('sort(): the order must be "asc" or "desc"');
  if (!Array.isArray(x) || shapeOf(x).length !== 1) throw new FormulaError(`sort() expects a vector, got ${describe(x)}`);
  return math.sort(nums(x, 'sort()'), order ?? 'asc');
});
def('size', 1, 1, ([x]) => shapeOf(x!));
def('count', 1, 1, ([x]) => (Array.isArray(x) ? flat(x).length : 1));
def('concat', 2, 11, (args) => {
  let total = 0;
  for (const a of args) total += Array.isArray(a) ? flat(a).length : 1;
  checkSize(total, 'concat()');
  if (args.some((a) => typeof a === 'string')) throw new FormulaError('concat() joins vectors and matrices, not texts');
  return transforms.concat!(...args);
});
def('zeros', 1, 2, (args) => math.zeros(sizeList(args, 'zeros()') as never));
def('ones', 1, 2, (args) => math.ones(sizeList(args, 'ones()') as never));
def('identity', 1, 2, (args) => {
  const dims = sizeList(args, 'identity()');
  checkSize(dims.length === 1 ? dims[0]! * dims[0]! : countOf(dims), `identity(${dims.join(', ')})`);
  return math.identity(dims as never);
});
def('reshape', 2, 2, ([x, sizes]) => {
  const s = sizeList([sizes!], 'reshape()');
  return math.reshape(nums(x!, 'reshape()'), s);
});
def('diag', 1, 1, ([x]) => {
  const s = shapeOf(x!);
  if (s.length === 1) checkSize(s[0]! * s[0]!, 'diag()');
  return math.diag(x as never);
});
def('kron', 2, 2, ([a, b]) => {
  checkSize(flat(a!).length * flat(b!).length, 'kron()');
  return math.kron(a as never, b as never);
});
def('range', 2, 3, ([a, b, c]) =>
  makeRange(scalarNum(a!, 'range()', 'start'), scalarNum(b!, 'range()', 'end'), c === undefined ? 1 : scalarNum(c, 'range()', 'step')),
);
def('linspace', 3, 3, ([a, b, n]) => {
  const lo = scalarNum(a!, 'linspace()', 'start');
  const hi = scalarNum(b!, 'linspace()', 'end');
  const k = intArg(n!, 'linspace()', 'number of points', 1, LIMITS.maxElements);
  if (k === 1) return [lo];
  return Array.from({ length: k }, (_, i) => roundNoise(lo + ((hi - lo) * i) / (k - 1)));
});
for (const name of ['combinations', 'permutations']) {
  def(name, name === 'permutations' ? 1 : 2, 2, (args) => {
    const n = intArg(args[0]!, `${name}()`, 'n', 0, LIMITS.maxCombinatoricN);
    const rest = args.slice(1).map((a) => intArg(a, `${name}()`, 'k', 0, n));
    return (math as unknown as Record<string, (...a: number[]) => number>)[name]!(n, ...rest);
  });
}
for (const name of ['gcd', 'lcm']) {
  def(name, 2, 2, ([a, b]) => {
    const x = scalarNum(a!, `${name}()`);
    const y = scalarNum(b!, `${name}()`);
    if (!Number.isSafeInteger(x) || !Number.isSafeInteger(y)) throw new FormulaError(`${name}() expects whole numbers`);
    return (math as unknown as Record<string, (a: number, b: number) => number>)[name]!(x, y);
  });
}

// Helpers for ML exercises.
function softmaxVec(v: number[]): number[] {
  const m = Math.max(...v);
  const ex = v.map((x) => Math.exp(x - m));
  const s = ex.reduce((a, b) => a + b, 0);
  return ex.map((x) => x / s);
}
def('softmax', 1, 1, ([x]) => {
  const s = shapeOf(x!);
  if (s.length === 0) throw new FormulaError('softmax() expects a vector (or a matrix: one softmax per row)');
  if (s.length === 1) return softmaxVec(nums(x!, 'softmax()'));
  return (x as Value[]).map((row) => softmaxVec(nums(row, 'softmax()')));
});
def('logsumexp', 1, 1, ([x]) => {
  const v = nums(x!, 'logsumexp()');
  const m = Math.max(...v);
  if (!Number.isFinite(m)) return m;
  return m + Math.log(v.reduce((a, b) => a + Math.exp(b - m), 0));
});
def('onehot', 2, 2, ([i, n]) => {
  const len = intArg(n!, 'onehot()', 'length', 1, LIMITS.maxElements);
  const k = intArg(i!, 'onehot()', 'index', 1, len);
  return Array.from({ length: len }, (_, j) => (j === k - 1 ? 1 : 0));
});
for (const [name, better] of [
  ['argmax', (a: number, b: number) => a > b],
  ['argmin', (a: number, b: number) => a < b],
] as const) {
  def(name, 1, 1, ([x]) => {
    const v = nums(x!, `${name}()`);
    if (v.length === 0) throw new FormulaError(`${name}() of an empty vector`);
    let best = 0;
    for (let j = 1; j < v.length; j++) if (better(v[j]!, v[best]!)) best = j;
    return best + 1;
  });
}
def('pick', 2, 27, ([k, ...options]) => {
  const i = intArg(k!, 'pick()', 'first argument (which option)', 1, options.length);
  return options[i - 1]!;
});
def('ndistinct', 1, 1, ([x]) => new Set(flat(x!)).size);
def('all', 1, 1, ([x]) => flat(x!).every((s) => Boolean(s)));
def('any', 1, 1, ([x]) => flat(x!).some((s) => Boolean(s)));
function pvar(v: number[]): number {
  if (v.length === 0) throw new FormulaError('pvar() of an empty vector');
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return v.reduce((a, b) => a + (b - m) * (b - m), 0) / v.length;
}
def('pvar', 1, 1, ([x]) => pvar(nums(x!, 'pvar()')));
def('pstd', 1, 1, ([x]) => Math.sqrt(pvar(nums(x!, 'pstd()'))));

/** Names of all functions formulas may call. */
export const FUNCTION_NAMES: readonly string[] = [...FUNCTIONS.keys()].sort();

// ---------------------------------------------------------------------------------------------------
// Operators

const ELEMENTWISE_BINARY = new Set([
  'add', 'subtract', 'dotMultiply', 'dotDivide', 'dotPow', 'mod', 'atan2', 'and', 'or', 'xor',
  'smaller', 'larger', 'smallerEq', 'largerEq', 'equal', 'unequal',
]);

function binary(fn: string, a: Value, b: Value): unknown {
  if ((fn === 'equal' || fn === 'unequal') && (containsString(a) || containsString(b))) {
    if (Array.isArray(a) || Array.isArray(b)) throw new FormulaError('compare texts one at a time, not inside vectors');
    return fn === 'equal' ? a === b : a !== b;
  }
  if (containsString(a) || containsString(b))
    throw new FormulaError(`cannot compute with text: ${describe(containsString(a) ? a : b)}`);
  if (ELEMENTWISE_BINARY.has(fn)) checkSize(broadcastCount(a, b), fn);
  return (math as unknown as Record<string, (x: unknown, y: unknown) => unknown>)[fn]!(a, b);
}

function multiply(a: Value, b: Value): unknown {
  const sa = shapeOf(a);
  const sb = shapeOf(b);
  if (sa.length > 0 && sb.length > 0) {
    const rows = sa.length === 2 ? sa[0]! : 1;
    const cols = sb.length === 2 ? sb[1]! : 1;
    checkSize(rows * cols, 'multiply');
  }
  if (containsString(a) || containsString(b)) throw new FormulaError('cannot multiply text');
  return math.multiply(a as never, b as never);
}

function power(a: Value, b: Value): unknown {
  if (Array.isArray(a)) {
    const s = shapeOf(a);
    if (s.length === 1)
      throw new FormulaError('`^` on a vector: use `.^` for element-wise powers, e.g. (x - mu).^2');
    if (s[0] !== s[1]) throw new FormulaError('`^` needs a square matrix; use `.^` for element-wise powers');
    intArg(b, 'matrix power', 'exponent', 0, LIMITS.maxMatrixPower);
  } else if (Array.isArray(b)) {
    throw new FormulaError('`^` with a vector exponent: use `.^` for element-wise powers');
  }
  if (containsString(a) || containsString(b)) throw new FormulaError('cannot compute powers of text');
  return math.pow(a as never, b as never);
}

const OPERATORS: Record<string, (args: Value[]) => unknown> = {
  add: ([a, b]) => binary('add', a!, b!),
  subtract: ([a, b]) => binary('subtract', a!, b!),
  multiply: ([a, b]) => multiply(a!, b!),
  divide: ([a, b]) => {
    if (Array.isArray(b)) throw new FormulaError('dividing by a vector or matrix: use `./` for element-wise division');
    if (containsString(a!) || containsString(b!)) throw new FormulaError('cannot divide text');
    return math.divide(a as never, b as never);
  },
  dotMultiply: ([a, b]) => binary('dotMultiply', a!, b!),
  dotDivide: ([a, b]) => binary('dotDivide', a!, b!),
  dotPow: ([a, b]) => binary('dotPow', a!, b!),
  pow: ([a, b]) => power(a!, b!),
  mod: ([a, b]) => binary('mod', a!, b!),
  unaryMinus: ([a]) => deepMap(a!, (s) => -num(s, 'unary minus')),
  unaryPlus: ([a]) => deepMap(a!, (s) => num(s, 'unary plus')),
  not: ([a]) => deepMap(a!, (s) => !s),
  and: ([a, b]) => binary('and', a!, b!),
  or: ([a, b]) => binary('or', a!, b!),
  xor: ([a, b]) => binary('xor', a!, b!),
  factorial: (args) => FUNCTIONS.get('factorial')!.call(args),
  ctranspose: ([a]) => math.transpose(a as never),
  transpose: ([a]) => math.transpose(a as never),
  equal: ([a, b]) => binary('equal', a!, b!),
  unequal: ([a, b]) => binary('unequal', a!, b!),
  smaller: ([a, b]) => binary('smaller', a!, b!),
  larger: ([a, b]) => binary('larger', a!, b!),
  smallerEq: ([a, b]) => binary('smallerEq', a!, b!),
  largerEq: ([a, b]) => binary('largerEq', a!, b!),
};

// ---------------------------------------------------------------------------------------------------
// Compilation (parse + whitelist check)

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

/** The closest known name to `name`, if it is close. */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const dist = editDistance(name.toLowerCase(), c.toLowerCase());
    if (dist < bestD) {
      bestD = dist;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(name.length / 3)) ? best : undefined;
}

interface AnyNode {
  type: string;
  [key: string]: unknown;
}

function checkNesting(src: string): void {
  let depth = 0;
  let inString: string | null = null;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === inString) inString = null;
      continue;
    }
    if (ch === '"' || ch === "'") {
      // A quote after a name or bracket is mathjs' transpose operator, not a string.
      const prev = src.slice(0, i).trimEnd().slice(-1);
      if (ch === "'" && /[\w)\]]/.test(prev)) continue;
      inString = ch;
    } else if (ch === '(' || ch === '[' || ch === '{') {
      depth++;
      if (depth > LIMITS.maxNesting)
        throw new FormulaError(`brackets nested more than ${LIMITS.maxNesting} deep`, 'simplify the formula or split it into several variables');
    } else if (ch === ')' || ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
  }
}

const NODE_HINT: Record<string, string> = {
  AssignmentNode: 'assignments (`x = …`) are not allowed: a formula only computes a value; declare another variable under `vars:` instead (use `==` to compare)',
  FunctionAssignmentNode: 'defining functions (`f(x) = …`) is not allowed in exercises; write the expression out, or declare a variable under `vars:`',
  BlockNode: 'several statements (separated by `;` or new lines) are not allowed; use one expression, and more variables under `vars:`',
  ObjectNode: 'objects (`{…}`) are not allowed; use numbers, vectors [1, 2] and matrices [1, 2; 3, 4]',
};

function validateTree(root: MathNode, symbols: Set<string>): void {
  const visit = (node: AnyNode, depth: number, inIndex: boolean): void => {
    if (depth > LIMITS.maxTreeDepth)
      throw new FormulaError(`formula nested more than ${LIMITS.maxTreeDepth} levels deep`, 'split it into several variables');
    const next = (child: unknown, idx = inIndex): void => visit(child as AnyNode, depth + 1, idx);
    switch (node.type) {
      case 'ConstantNode': {
        const v = node.value;
        if (typeof v === 'number' || typeof v === 'boolean') return;
        if (typeof v === 'string') {
          if (v.length > LIMITS.maxStringLength) throw new FormulaError(`text constant longer than ${LIMITS.maxStringLength} characters`);
          return;
        }
        throw new FormulaError(`the constant ${String(v)} is not supported`);
      }
      case 'SymbolNode': {
        const name = node.name as string;
        if (name === 'end') {
          if (!inIndex) throw new FormulaError('`end` can only be used inside an index, as in x[end]');
          return;
        }
        if (!CONSTANTS.has(name)) symbols.add(name);
        return;
      }
      case 'ParenthesisNode':
        return next(node.content);
      case 'OperatorNode': {
        const fn = node.fn as string;
        if (!Object.hasOwn(OPERATORS, fn)) {
          const op = node.op as string;
          const why =
            fn === 'to'
              ? 'units and unit conversion are not supported'
              : /^bit|Shift$/.test(fn)
                ? 'bitwise operators are not supported'
                : `the operator \`${op}\` is not supported`;
          throw new FormulaError(why);
        }
        for (const a of node.args as unknown[]) next(a);
        return;
      }
      case 'FunctionNode': {
        const fnNode = node.fn as AnyNode;
        if (fnNode.type !== 'SymbolNode')
          throw new FormulaError('only named functions can be called, as in mean(x)');
        const name = fnNode.name as string;
        if (!FUNCTIONS.has(name)) {
          if (Object.hasOwn(DISABLED_FUNCTIONS, name))
            throw new FormulaError(`${name}() is not available in exercises: ${DISABLED_FUNCTIONS[name]}`);
          const s = suggest(name, FUNCTIONS.keys());
          throw new FormulaError(
            `unknown function ${name}()${s ? ` — did you mean ${s}()?` : ''}`,
            'see the function list in docs/exercises.md; to multiply a variable by a bracket write x * (…)',
          );
        }
        const def = FUNCTIONS.get(name)!;
        const args = node.args as unknown[];
        if (args.length < def.min || args.length > def.max)
          throw new FormulaError(
            `${name}() takes ${def.min === def.max ? def.min : `${def.min} to ${def.max}`} argument${def.max === 1 ? '' : 's'}, got ${args.length}`,
          );
        for (const a of args) next(a);
        return;
      }
      case 'ConditionalNode':
        next(node.condition);
        next(node.trueExpr);
        next(node.falseExpr);
        return;
      case 'RelationalNode':
        for (const c of node.conditionals as string[])
          if (!['smaller', 'larger', 'smallerEq', 'largerEq', 'equal', 'unequal'].includes(c))
            throw new FormulaError(`the comparison ${c} is not supported`);
        for (const p of node.params as unknown[]) next(p);
        return;
      case 'ArrayNode':
        for (const it of node.items as unknown[]) next(it);
        return;
      case 'RangeNode':
        next(node.start);
        next(node.end);
        if (node.step) next(node.step);
        return;
      case 'AccessorNode': {
        const index = node.index as AnyNode;
        if (index.dotNotation) {
          const prop = ((index.dimensions as AnyNode[])[0]?.value as string) ?? '';
          throw new FormulaError(`property access \`.${prop}\` is not allowed; index vectors and matrices with brackets, as in x[1] or A[2, 3]`);
        }
        next(node.object);
        for (const d of index.dimensions as unknown[]) next(d, true);
        return;
      }
      default: {
        const hint = Object.hasOwn(NODE_HINT, node.type) ? NODE_HINT[node.type] : undefined;
        if (hint) throw new FormulaError(hint);
        throw new FormulaError(`unsupported syntax (${node.type})`);
      }
    }
  };
  visit(root as unknown as AnyNode, 0, false);
}

const cache = new Map<string, Formula>();

/** Parse and check a formula. Throws FormulaError with a clear message. Results are cached. */
export function compileFormula(source: string): Formula {
  const hit = cache.get(source);
  if (hit) return hit;
  if (typeof source !== 'string') throw new FormulaError('a formula must be text');
  const src = source.trim();
  if (src === '') throw new FormulaError('empty formula');
  if (src.length > LIMITS.maxFormulaLength)
    throw new FormulaError(`formula of ${src.length} characters; the limit is ${LIMITS.maxFormulaLength}`, 'split it into several variables');
  checkNesting(src);
  let tree: MathNode;
  try {
    tree = parseToTree(src);
  } catch (e) {
    if (e instanceof RangeError) throw new FormulaError('formula nested too deeply');
    const msg = e instanceof Error ? e.message : String(e);
    throw new FormulaError(`syntax error in \`${src}\`: ${msg}`);
  }
  const symbols = new Set<string>();
  validateTree(tree, symbols);
  const f: Formula = { source: src, tree, symbols };
  if (cache.size > 5000) cache.clear();
  cache.set(source, f);
  return f;
}

// ---------------------------------------------------------------------------------------------------
// Evaluation

interface EvalState {
  scope: Scope;
  deadline: number;
  steps: number;
}

function toIndexList(v: Value, n: number, label: string): number[] | number {
  const check = (x: Scalar): number => {
    const i = typeof x === 'boolean' ? NaN : num(x, 'an index');
    if (!Number.isInteger(i)) throw new FormulaError(`${label}: an index must be a whole number, got ${String(x)}`);
    if (i < 1 || i > n) throw new FormulaError(`${label}: index ${i} is out of range 1..${n} (indices start at 1)`);
    return i - 1;
  };
  if (Array.isArray(v)) {
    if (shapeOf(v).length !== 1) throw new FormulaError(`${label}: an index must be a number or a vector of numbers`);
    return (v as Scalar[]).map(check);
  }
  return check(v);
}

function evalNode(node: AnyNode, st: EvalState, end: number | undefined): Value {
  if ((++st.steps & 31) === 0 && Date.now() > st.deadline)
    throw new FormulaError('evaluation took too long', 'use smaller vectors or fewer redraws');
  const ev = (n: unknown, e = end): Value => evalNode(n as AnyNode, st, e);
  switch (node.type) {
    case 'ConstantNode':
      return node.value as Scalar;
    case 'SymbolNode': {
      const name = node.name as string;
      if (name === 'end') {
        if (end === undefined) throw new FormulaError('`end` can only be used inside an index');
        return end;
      }
      const v = st.scope.get(name);
      if (v !== undefined) return v;
      const c = CONSTANTS.get(name);
      if (c !== undefined) return c;
      throw new FormulaError(`unknown name \`${name}\``);
    }
    case 'ParenthesisNode':
      return ev(node.content);
    case 'OperatorNode': {
      const fn = node.fn as string;
      const args = (node.args as unknown[]).map((a) => ev(a));
      return call(`\`${node.op as string}\``, () => OPERATORS[fn]!(args));
    }
    case 'FunctionNode': {
      const name = (node.fn as AnyNode).name as string;
      const def = FUNCTIONS.get(name);
      if (!def) throw new FormulaError(`unknown function ${name}()`);
      const args = (node.args as unknown[]).map((a) => ev(a));
      return call(`${name}()`, () => def.call(args));
    }
    case 'ConditionalNode': {
      const c = ev(node.condition);
      if (Array.isArray(c))
        throw new FormulaError('the condition of `? :` must be a single true/false, not a vector; use all(…) or any(…)');
      return c ? ev(node.trueExpr) : ev(node.falseExpr);
    }
    case 'RelationalNode': {
      const params = node.params as unknown[];
      const conds = node.conditionals as string[];
      let left = ev(params[0]);
      let result: Value = true;
      for (let i = 0; i < conds.length; i++) {
        const right = ev(params[i + 1]);
        const r = call('comparison', () => binary(conds[i]!, left, right));
        result = i === 0 ? r : call('comparison', () => binary('and', result, r));
        left = right;
      }
      return result;
    }
    case 'ArrayNode': {
      const items = (node.items as unknown[]).map((a) => ev(a));
      return normalize(items, 'a [ ] list');
    }
    case 'RangeNode': {
      const start = scalarNum(ev(node.start), 'range', 'start');
      const stop = scalarNum(ev(node.end), 'range', 'end');
      const step = node.step ? scalarNum(ev(node.step), 'range', 'step') : 1;
      return makeRange(start, stop, step, 'range');
    }
    case 'AccessorNode': {
      const obj = ev(node.object);
      const label = `${(node.object as MathNode).toString()}[…]`;
      if (!Array.isArray(obj)) throw new FormulaError(`${label}: only vectors and matrices can be indexed, not ${describe(obj)}`);
      const shape = shapeOf(obj);
      const dims = (node.index as AnyNode).dimensions as unknown[];
      if (dims.length > shape.length)
        throw new FormulaError(`${label}: ${dims.length} indices for ${describe(obj)}`);
      const idx = dims.map((d, k) => toIndexList(ev(d, shape[k]), shape[k]!, label));
      if (idx.length === 1) {
        const i = idx[0]!;
        return typeof i === 'number' ? obj[i]! : normalize(i.map((j) => obj[j]!), label);
      }
      const [ri, ci] = idx as [number | number[], number | number[]];
      const rows = typeof ri === 'number' ? [ri] : ri;
      const cols = typeof ci === 'number' ? [ci] : ci;
      const pick = rows.map((r) => cols.map((c) => (obj[r] as Value[])[c]!));
      if (typeof ri === 'number' && typeof ci === 'number') return pick[0]![0]!;
      if (typeof ri === 'number') return pick[0]!; // a row, as a vector
      if (typeof ci === 'number') return pick.map((r) => r[0]!); // a column, as a vector
      return pick;
    }
    default:
      throw new FormulaError(`unsupported syntax (${node.type})`);
  }
}

function call(what: string, f: () => unknown): Value {
  let out: unknown;
  try {
    out = f();
  } catch (e) {
    if (e instanceof FormulaError) throw e;
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw new FormulaError(`${what}: nested too deeply`);
    const msg = e instanceof Error ? e.message : String(e);
    throw new FormulaError(`${what}: ${msg}`);
  }
  return normalize(out, what);
}

/** Evaluate a compiled formula with the given variables. Throws FormulaError. */
export function evaluateFormula(f: Formula, scope: Scope, opts: EvalOptions = {}): Value {
  const st: EvalState = { scope, deadline: opts.deadline ?? Date.now() + LIMITS.drawTimeMs, steps: 0 };
  if (Date.now() > st.deadline) throw new FormulaError('evaluation took too long', 'use smaller vectors or fewer redraws');
  try {
    return evalNode(f.tree as unknown as AnyNode, st, undefined);
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) throw new FormulaError('formula nested too deeply');
    throw e;
  }
}

/** Compile and evaluate in one go (tests, tools). */
export function evaluateSource(source: string, vars: Record<string, Value> = {}, opts: EvalOptions = {}): Value {
  return evaluateFormula(compileFormula(source), new Map(Object.entries(vars)), opts);
}

// The locked-down mathjs instance used by the exercise engine.
//
// mathjs is only used for two things: its parser (string → syntax tree, which never runs anything) and
// its numeric functions (mean, std, det, …) called directly on plain numbers and arrays. Formulas are
// evaluated by our own tree walker (expr.ts), never by mathjs' evaluate/compile. As defence in depth,
// every function of the instance that can turn strings into code, define functions or units, change
// the configuration or take callbacks is replaced by one that throws.

//
// mathjs is large (about 1.6 MB of code; loading it costs 0.3 s or more): it is loaded on first use, so
// starting the program and syncing unchanged decks never pay for it. createRequire keeps the load
// synchronous (the engine's API is synchronous) and out of the start-up bundle.

import { createRequire } from 'node:module';
import type * as MathJs from 'mathjs';
import type { FactoryFunctionMap, MathJsInstance, MathNode } from 'mathjs';

/** Functions disabled on the instance, with the reason given when something calls them. */
export const DISABLED_FUNCTIONS: Readonly<Record<string, string>> = {
  import: 'importing functions is disabled',
  createUnit: 'defining units is disabled',
  evaluate: 'evaluating strings as formulas is disabled',
  parse: 'parsing strings as formulas is disabled',
  compile: 'compiling strings as formulas is disabled',
  parser: 'creating a parser is disabled',
  simplify: 'symbolic simplification is disabled',
  simplifyConstant: 'symbolic simplification is disabled',
  simplifyCore: 'symbolic simplification is disabled',
  rationalize: 'symbolic simplification is disabled',
  derivative: 'symbolic derivatives are disabled',
  resolve: 'symbolic resolution is disabled',
  symbolicEqual: 'symbolic comparison is disabled',
  leafCount: 'symbolic functions are disabled',
  chain: 'chaining is disabled',
  reviver: 'reviving JSON into mathjs objects is disabled',
  replacer: 'the JSON replacer is disabled',
  config: 'changing the configuration is disabled',
  map: 'functions taking callbacks are disabled',
  forEach: 'functions taking callbacks are disabled',
  filter: 'functions taking callbacks are disabled',
  mapSlices: 'functions taking callbacks are disabled',
  apply: 'functions taking callbacks are disabled',
  random: 'unseeded random numbers are disabled (use vars with range/choice)',
  randomInt: 'unseeded random numbers are disabled (use vars with range/choice)',
  pickRandom: 'unseeded random numbers are disabled (use vars with range/choice)',
};

function disabled(name: string, why: string): () => never {
  return () => {
    throw new Error(`${name}() is not available in exercises: ${why}`);
  };
}

/**
 * mathjs creates most functions lazily, injecting their dependencies at creation. Create the ones the
 * engine uses now, before the overrides, so none of them can ever receive a disabled dependency.
 */
export const USED_MATH_FUNCTIONS = [
  'add', 'subtract', 'multiply', 'divide', 'pow', 'mod', 'unaryMinus', 'unaryPlus', 'dotMultiply',
  'dotDivide', 'dotPow', 'and', 'or', 'xor', 'not', 'equal', 'unequal', 'smaller', 'larger', 'smallerEq',
  'largerEq', 'transpose', 'round', 'factorial', 'gamma', 'sum', 'prod', 'mean', 'median', 'mode', 'std',
  'variance', 'min', 'max', 'cumsum', 'diff', 'sort', 'norm', 'dot', 'cross', 'det', 'inv', 'trace',
  'size', 'count', 'concat', 'flatten', 'reshape', 'zeros', 'ones', 'identity', 'diag', 'kron',
  'combinations', 'permutations', 'gcd', 'lcm', 'quantileSeq', 'atan2', 'hypot', 'isMatrix', 'isComplex',
  'isBigNumber', 'isFraction', 'isUnit', 'typeOf',
] as const;

interface Engine {
  instance: MathJsInstance;
  transforms: Record<string, (...args: unknown[]) => unknown>;
  /** The parser, captured before it is disabled on the instance. */
  parse: (expr: string) => MathNode;
}

let engine: Engine | undefined;

function load(): Engine {
  if (engine) return engine;
  const { create, all } = createRequire(import.meta.url)('mathjs') as typeof MathJs;
  const instance: MathJsInstance = create(all as FactoryFunctionMap, { matrix: 'Array', number: 'number', predictable: true });
  const parse = instance.parse.bind(instance) as (expr: string) => MathNode;
  for (const name of USED_MATH_FUNCTIONS) void (instance as unknown as Record<string, unknown>)[name];
  const expressionTransforms = (instance as unknown as { expression: { transform: Record<string, unknown> } }).expression
    .transform;
  for (const name of Object.keys(expressionTransforms)) void expressionTransforms[name];

  const overrides: Record<string, () => never> = {};
  for (const [name, why] of Object.entries(DISABLED_FUNCTIONS)) overrides[name] = disabled(name, why);
  instance.import(overrides, { override: true });
  engine = { instance, transforms: expressionTransforms as Engine['transforms'], parse };
  return engine;
}

/** The locked mathjs instance (numeric functions only), created on first use. */
export const math: MathJsInstance = new Proxy({} as MathJsInstance, {
  get: (_t, key) => (load().instance as unknown as Record<PropertyKey, unknown>)[key],
});

/** Transforms give functions their expression-language semantics (1-based dimensions, …). */
export const transforms: Record<string, (...args: unknown[]) => unknown> = new Proxy({}, {
  get: (_t, key) => load().transforms[key as string],
  has: (_t, key) => key in load().transforms,
  ownKeys: () => Reflect.ownKeys(load().transforms),
  getOwnPropertyDescriptor: (_t, key) => Reflect.getOwnPropertyDescriptor(load().transforms, key),
});

/** Parse a formula into a mathjs syntax tree. Parsing never evaluates anything. */
export function parseToTree(source: string): MathNode {
  return load().parse(source);
}

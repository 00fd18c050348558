// Decks come from strangers: every attack must end in a clear error, quickly, without side effects.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { drawExercise, ExerciseError, LIMITS, parseExercise, validateExercise } from '../../src/core/exercise/index.js';
import { evaluateSource, type Value } from '../../src/core/exercise/expr.js';
import { math } from '../../src/core/exercise/math.js';
import { LOC, messages, spec } from './helpers.js';

const VARS: Record<string, Value> = { x: [1, 2, 3, 4], A: [[1, 2], [3, 4]], n: 3, s: 'cat' };

function evalError(src: string, vars: Record<string, Value> = VARS): string {
  try {
    evaluateSource(src, vars);
  } catch (e) {
    expect(e).toBeInstanceOf(Error);
    return (e as Error).message;
  }
  throw new Error(`expected \`${src}\` to be refused`);
}

/** The error an attack gives when written into a deck: at parse time, or at draw time. */
function deckError(formula: string): string {
  const yaml = `vars:\n  x: [1, 2, 3, 4]\n  y: ${JSON.stringify(formula)}\nprompt: p\nanswer: 1`;
  const r = parseExercise(yaml, LOC);
  if (!r.spec) return messages(r.issues);
  try {
    drawExercise(r.spec, 1);
  } catch (e) {
    expect(e).toBeInstanceOf(ExerciseError);
    return `${(e as ExerciseError).line}: ${(e as Error).message}`;
  }
  throw new Error(`expected \`${formula}\` to be refused`);
}

const sentinel = globalThis as unknown as { __pwned?: boolean };
afterEach(() => {
  expect(sentinel.__pwned).toBeUndefined();
});

describe('string → code and symbolic functions are refused', () => {
  it.each([
    ['import({a: 1})', /import\(\) is not available in exercises: importing functions is disabled/],
    ['import({}, {override: true})', /import\(\) is not available/],
    ['createUnit("foo")', /createUnit\(\) is not available in exercises: defining units is disabled/],
    ['evaluate("1 + 1")', /evaluate\(\) is not available in exercises: evaluating strings as formulas is disabled/],
    ['parse("1 + 1")', /parse\(\) is not available/],
    ['compile("1 + 1")', /compile\(\) is not available/],
    ['simplify("2x + x")', /simplify\(\) is not available in exercises: symbolic simplification is disabled/],
    ['derivative("x^2", "x")', /derivative\(\) is not available in exercises: symbolic derivatives are disabled/],
    ['resolve("x", {x: 1})', /resolve\(\) is not available|objects/],
    ['config({number: "BigNumber"})', /config\(\) is not available in exercises|objects/],
    ['chain(3)', /chain\(\) is not available/],
    ['reviver()', /reviver\(\) is not available/],
    ['replacer()', /replacer\(\) is not available/],
    ['map(x, sqrt)', /map\(\) is not available in exercises: functions taking callbacks are disabled/],
    ['random()', /unseeded random numbers are disabled/],
    ['require("fs")', /unknown function require\(\)/],
    ['process', /unknown name `process`/],
    ['globalThis', /unknown name `globalThis`/],
  ])('%s', (src, re) => {
    expect(evalError(src)).toMatch(re);
    expect(deckError(src)).toMatch(re);
  });

  it('the mathjs instance itself has these functions disabled', () => {
    const m = math as unknown as Record<string, (...a: unknown[]) => unknown>;
    for (const name of ['evaluate', 'parse', 'compile', 'import', 'createUnit', 'simplify', 'derivative', 'resolve', 'chain', 'reviver', 'replacer', 'config', 'map'])
      expect(() => m[name]!('1')).toThrow(new RegExp(`^${name}\\(\\) is not available in exercises`));
  });
});

describe('definitions, assignments, objects and property access are refused', () => {
  it.each([
    ['f(x) = x^2', /defining functions \(`f\(x\) = …`\) is not allowed/],
    ['map(x, f(y) = y^2)', /not available|defining functions/],
    ['x = 3', /assignments \(`x = …`\) are not allowed/],
    ['x[1] = 3', /assignments/],
    ['a = 1; a + 1', /several statements|assignments/],
    ['{a: 1}', /objects \(`\{…\}`\) are not allowed/],
    ['x.constructor', /property access `\.constructor` is not allowed/],
    ['x.constructor("return process")()', /only named functions can be called|property access|syntax error/],
    ['x["constructor"]', /an index expects numbers, got the text "constructor"/],
    ['"abc"[1]', /only vectors and matrices can be indexed, not the text "abc"/],
    ['sqrt.constructor', /property access/],
    ['x?.y', /property access/],
    ['constructor', /unknown name `constructor`/],
    ['__proto__', /unknown name `__proto__`/],
    ['toString', /unknown name `toString`/],
    ['hasOwnProperty(x)', /unknown function hasOwnProperty\(\)/],
    ['2 to inch', /units and unit conversion are not supported/],
    ['5 cm', /unknown name `cm`/],
    ['x & 1', /bitwise operators are not supported/],
  ])('%s', (src, re) => {
    expect(evalError(src)).toMatch(re);
    expect(deckError(src)).toMatch(re);
  });

  it('nothing reaches the process: an attack cannot set a global', () => {
    const attacks = [
      'cos.constructor("globalThis.__pwned = true")()',
      'x.constructor.constructor("globalThis.__pwned = true")()',
      '[].constructor.constructor("globalThis.__pwned = true")()',
      'evaluate("globalThis.__pwned = true")',
      'import({pwn: 1}, {override: true})',
    ];
    for (const a of attacks) expect(() => evaluateSource(a, VARS)).toThrow();
    expect(sentinel.__pwned).toBeUndefined();
  });

  it('variables named like prototype properties are plain variables', () => {
    expect(evaluateSource('constructor + 1', { constructor: 1 })).toBe(2);
    const r = parseExercise('vars:\n  __proto__: 1\nprompt: p\nanswer: 1', LOC);
    expect(messages(r.issues)).toMatch(/invalid variable name `__proto__`/);
  });

  it('the engine sources contain no eval, Function constructor, dynamic import, require or process access', () => {
    const dir = join(import.meta.dirname, '../../src/core/exercise');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
      let src = readFileSync(join(dir, f), 'utf8').replace(/\/\/.*$/gm, '');
      if (f === 'math.ts') {
        // The one allowed load: mathjs itself, lazily, by a literal name.
        expect(src.match(/createRequire\(import\.meta\.url\)\('mathjs'\)/g)).toHaveLength(1);
        src = src.replace("createRequire(import.meta.url)('mathjs')", '');
      }
      expect(src, f).not.toMatch(/\beval\s*\(|new\s+Function\b|(?<![.\w])import\s*\(|\brequire\s*\(|\bprocess\.|child_process|node:fs/);
    }
  });
});

describe('sizes are bounded before allocating', () => {
  it.each([
    ['ones(100000000)', /ones\(\): the size must be a whole number from 0 to 1000, got 100000000/],
    ['zeros(1000, 1000)', /zeros\(1000, 1000\) would make 1000000 elements; the limit is 1000/],
    ['range(0, 1e9)', /range 0:1000000000 would make 1000000001 elements; the limit is 1000/],
    ['1:1e9', /range 1:1000000000 would make 1000000000 elements/],
    ['0:1e-9:1', /range 0:1e-9:1 would make 1000000000 elements/],
    ['identity(100)', /identity\(100\) would make 10000 elements/],
    ['linspace(0, 1, 1e6)', /from 1 to 1000/],
    ['onehot(1, 1e9)', /from 1 to 1000/],
    ['kron(x, kron(x, kron(x, kron(x, x))))', /kron\(\) would make 1024 elements/],
    ['diag(1:1000)', /diag\(\) would make 1000000 elements/],
    ['reshape(1:1000, [1000, 1]) * reshape(1:1000, [1, 1000])', /multiply would make 1000000 elements/],
    ['reshape(1:1000, [1000, 1]) + reshape(1:1000, [1, 1000])', /add would make 1000000 elements/],
    ['concat(1:600, 1:600)', /concat\(\) would make 1200 elements/],
    ['combinations(1e8, 5e7)', /combinations\(\): the n must be a whole number from 0 to 1000/],
    ['A ^ 1e9', /matrix power: the exponent must be a whole number from 0 to 1000/],
    ['[1,2]^2', /`\^` on a vector: use `\.\^` for element-wise powers/],
  ])('%s', (src, re) => {
    const t = Date.now();
    expect(evalError(src)).toMatch(re);
    expect(Date.now() - t).toBeLessThan(500);
  });

  it('huge but cheap scalars are fine: factorial(1e9) is Infinity at once', () => {
    expect(evaluateSource('factorial(1e9)')).toBe(Infinity);
    expect(evaluateSource('gamma(1e9)')).toBe(Infinity);
  });

  it('random vectors and matrices are bounded at parse time and at draw time', () => {
    expect(messages(parseExercise('vars:\n  x: {range: [0, 1], size: 1001}\nprompt: p\nanswer: 1', LOC).issues)).toMatch(
      /size must be a whole number from 1 to 1000, got 1001/,
    );
    expect(messages(parseExercise('vars:\n  x: {range: [0, 1], size: [100, 100]}\nprompt: p\nanswer: 1', LOC).issues)).toMatch(
      /100×100 elements; the limit is 1000/,
    );
    const s = spec('vars:\n  n: 2000\n  x: {range: [0, 1], size: n}\nprompt: p\nanswer: 1');
    expect(() => drawExercise(s, 0)).toThrow(/size must be a whole number from 1 to 1000, got 2000/);
  });
});

describe('huge and deep inputs are refused with a clear error', () => {
  it('formulas', () => {
    expect(evalError('1' + ' + 1'.repeat(300))).toMatch(/formula of 1201 characters; the limit is 1000/);
    expect(evalError('"' + 'a'.repeat(2000) + '"')).toMatch(/formula of 2002 characters/);
    expect(evaluateSource('"' + 'a'.repeat(990) + '"')).toHaveLength(990);
    expect(evalError('('.repeat(40) + '1' + ')'.repeat(40))).toMatch(/brackets nested more than 32 deep/);
    expect(evalError('-'.repeat(900) + '1')).toMatch(/formula nested more than 250 levels deep/);
    expect(evalError('2^'.repeat(300) + '2')).toMatch(/nested more than 250 levels deep/);
    // A long flat sum is fine.
    expect(evaluateSource(Array.from({ length: 200 }, () => 'n').join('+'), VARS)).toBe(600);
  });

  it('prompts and exercise blocks', () => {
    const longPrompt = parseExercise(`prompt: "${'a'.repeat(LIMITS.maxTemplateLength + 1)}"\nanswer: 1`, LOC);
    expect(messages(longPrompt.issues)).toMatch(/prompt: text of 10001 characters; the limit is 10000/);
    const many = parseExercise(`vars:\n  x: 1\nprompt: "${'{{x}}'.repeat(201)}"\nanswer: 1`, LOC);
    expect(messages(many.issues)).toMatch(/more than 200 \{\{…\}\} substitutions/);
    const block = parseExercise('prompt: p\nanswer: 1\n#' + 'x'.repeat(LIMITS.maxYamlLength), LOC);
    expect(messages(block.issues)).toMatch(/10 error: exercise block of 20021 characters; the limit is 20000/);
  });

  it('deeply nested YAML does not crash the parser', () => {
    const deep = 'vars:\n  x: ' + '['.repeat(5000) + ']'.repeat(5000) + '\nprompt: p\nanswer: 1';
    const r = parseExercise(deep, LOC);
    expect(r.spec).toBeUndefined();
    expect(r.issues[0]!.severity).toBe('error');
  });

  it('YAML aliases cannot blow up (billion laughs)', () => {
    const lines = ['a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]'];
    for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const yaml = `vars:\n  ${lines.join('\n  ')}\nprompt: p\nanswer: 1\nchart:\n  series:\n    s: *a9`;
    const t = Date.now();
    const r = parseExercise(yaml, LOC);
    expect(Date.now() - t).toBeLessThan(1000);
    expect(r.spec).toBeUndefined();
    expect(messages(r.issues)).toMatch(/more than 2 dimensions|ragged|elements/);
  });

  it('YAML custom tags (code) are refused', () => {
    const r = parseExercise('vars:\n  x: !!js/function "function () { globalThis.__pwned = true }"\nprompt: p\nanswer: 1', LOC);
    expect(messages(r.issues)).toMatch(/12 error: exercise YAML: unknown tag/);
  });
});

describe('time is bounded', () => {
  it('an expensive exercise with a constraint that never holds stops within the budget', () => {
    const s = spec(`vars:
  x: {range: [0, 1], step: 0.001, size: 1000}
  y: sort(x)
  z: cumsum(y)
  w: sort(z - y, "desc")
  q: sum(w .* y) + median(x) + std(x) + max(cumsum(w))
where: q < 0
prompt: p
answer: q`);
    const t = Date.now();
    expect(() => drawExercise(s, 1)).toThrow(/took too long|no draw met the constraints/);
    expect(Date.now() - t).toBeLessThan(LIMITS.drawTimeMs + 1000);
  });

  it('validateExercise stops at its time budget', () => {
    const s = spec(`vars:
  x: {range: [0, 1], step: 0.001, size: 1000}
  y: sort(x)
  q: sum(cumsum(y)) + median(x) + std(sort(x, "desc"))
where: q < 0
prompt: p
answer: q`);
    const t = Date.now();
    const issues = validateExercise(s, LOC, 10_000);
    expect(Date.now() - t).toBeLessThan(LIMITS.validateTimeMs + LIMITS.drawTimeMs + 1500);
    expect(messages(issues)).toMatch(/checking stopped after \d+ of 10000 draws \(time limit 5 s\)/);
  });
});

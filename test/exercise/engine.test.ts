import { describe, expect, it } from 'vitest';
import {
  checkAnswer,
  drawExercise,
  ExerciseError,
  formatNumber,
  formatValue,
  parseExercise,
  roundFixed,
  roundSig,
  solutionMarkdown,
  validateExercise,
} from '../../src/core/exercise/index.js';
import { createRng } from '../../src/core/exercise/rng.js';
import { LOC, issuesOf, messages, spec } from './helpers.js';

const BN = `
id: bn-demo
tags: [normalization, bn]
vars:
  x: {range: [-2, 2], step: 0.5, size: 4}
  i: {range: [1, 4]}
  eps: {choice: [0.001, 0.00001]}
  mu: mean(x)
  v: pvar(x)
  xhat: (x[i] - mu) / sqrt(v + eps)
where: v > 0
prompt: |
  x = {{x}}, normalise x[{{i}}] with eps = {{eps}}.
answer: xhat
tolerance: 0.01
solution: |
  mu = {{mu:3}}, var = {{v:4}}, xhat = {{xhat:3}}
`;

describe('parseExercise', () => {
  it('reads all the keys into a plain spec', () => {
    const s = spec(BN);
    expect(s.id).toBe('bn-demo');
    expect(s.tags).toEqual(['normalization', 'bn']);
    expect(s.vars.map((v) => [v.name, v.kind])).toEqual([
      ['x', 'range'],
      ['i', 'range'],
      ['eps', 'choice'],
      ['mu', 'formula'],
      ['v', 'formula'],
      ['xhat', 'formula'],
    ]);
    expect(s.tolerance).toEqual({ abs: 0.01 });
    expect(s.where).toEqual([{ expr: 'v > 0', line: 21 }]);
    // Lines are file lines: the fence is line 10, the body starts on line 11 (the blank first line).
    expect(s.vars[0]!.line).toBe(15);
    expect(s.prompt.line).toBe(22);
    expect(s.answer.line).toBe(24);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s); // plain data
  });

  it('accepts tags as a space-separated text and numbers as ids', () => {
    const s = spec('id: 42\ntags: a b,c\nprompt: hi\nanswer: 1');
    expect(s.id).toBe('42');
    expect(s.tags).toEqual(['a', 'b', 'c']);
  });

  it('parses the tolerance forms', () => {
    const tol = (t: string) => spec(`prompt: p\nanswer: 1\ntolerance: ${t}`).tolerance;
    expect(tol('0.01')).toEqual({ abs: 0.01 });
    expect(tol('2%')).toEqual({ rel: 0.02 });
    expect(tol('{rel: 0.05}')).toEqual({ rel: 0.05 });
    expect(tol('{rel: 5%}')).toEqual({ rel: 0.05 });
    expect(tol('{abs: 0.001, rel: 1%}')).toEqual({ abs: 0.001, rel: 0.01 });
    expect(tol('{sigfigs: 3}')).toEqual({ sigfigs: 3 });
    expect(spec('prompt: p\nanswer: 1').tolerance).toEqual({ rel: 0.01 });
  });

  it('reports missing keys, unknown keys, and bad values with file:line', () => {
    const m = messages(issuesOf('vars:\n  x: {range: [1, 5]}\ntolerence: 0.1\nanswer: x'));
    expect(m).toContain('the exercise has no `prompt:`');
    expect(m).toMatch(/13 error: unknown key `tolerence` in the exercise — did you mean `tolerance`\?/);
    expect(messages(issuesOf('prompt: p'))).toContain('has no `answer:`');
    expect(messages(issuesOf('prompt: p\nanswer: 1\ntolerance: {sigfigs: 0}'))).toMatch(/13 error: tolerance sigfigs must be a whole number from 1 to 15/);
    expect(messages(issuesOf('prompt: p\nanswer: 1\ntolerance: -1'))).toMatch(/invalid tolerance `-1`/);
    expect(messages(issuesOf('prompt: p\nanswer: 1\ntolerance: {sigfigs: 3, abs: 1}'))).toMatch(/cannot be combined/);
    expect(messages(issuesOf('id: "a b"\nprompt: p\nanswer: 1'))).toMatch(/invalid id `a b`/);
  });

  it('reports YAML syntax errors at their line, with a hint about {{ at the start of a value', () => {
    const issues = issuesOf('vars:\n  x: 1\nprompt: {{x}} apples\nanswer: x');
    expect(issues[0]!.message).toMatch(/^exercise YAML: /);
    expect(issues[0]!.line).toBeGreaterThanOrEqual(13);
    expect(issues[0]!.hint).toMatch(/quotes|`\|`/);
    const colon = issuesOf('vars:\n  y: x > 0 ? x : 0\nprompt: p\nanswer: 1');
    expect(colon[0]!.message).toMatch(/YAML/);
  });

  it('reports a duplicated key', () => {
    expect(messages(issuesOf('vars:\n  x: 1\n  x: 2\nprompt: p\nanswer: x'))).toMatch(/13 error: exercise YAML: duplicated mapping key/);
  });

  it('reports variable problems at the variable line', () => {
    const m = messages(
      issuesOf(`vars:
  a: b + 1
  b: 2
  e: 3
  c: {range: [5, 1]}
  d: {range: [1, 2], stp: 1}
  f: {range: [1, 2], choice: [1]}
  g: {choice: []}
  h: {range: [0, 1], step: 0}
  k: {range: [0, 1], size: 5000}
  1x: 3
  w: sqrt(q)
prompt: "{{a}}"
answer: a`),
    );
    expect(m).toContain('12 error: variable `a` uses `b`, which is declared below it (variables are computed from top to bottom: move `b` above `a`)');
    expect(m).toContain('14 error: `e` is a reserved name (a built-in constant)');
    expect(m).toContain('15 error: variable `c`: empty range [5, 1]');
    expect(m).toContain('16 error: unknown key `stp` in variable `d` — did you mean `step`?');
    expect(m).toContain('17 error: variable `f` needs exactly one of `range:` or `choice:`');
    expect(m).toContain('18 error: variable `g`: `choice:` must be a non-empty list');
    expect(m).toContain('19 error: variable `h`: step must be greater than 0');
    expect(m).toContain('20 error: variable `k`: size must be a whole number from 1 to 1000, got 5000');
    expect(m).toContain('21 error: invalid variable name `1x`');
    expect(m).toContain('22 error: variable `w`: unknown name `q`');
  });

  it('reports unknown names and bad {{…}} in prompt, solution and choices at their line', () => {
    const m = messages(
      issuesOf(`vars:
  mu: 2
prompt: |
  first line {{mu}}
  second line {{mux}}
answer: 1
solution: |
  {{mu:3}} and {{mean(}}
  {{unclosed`),
    );
    expect(m).toContain('15 error: prompt: {{mux}} uses unknown name `mux` — did you mean `mu`?');
    expect(m).toMatch(/18 error: solution: in \{\{mean\(\}\}: syntax error/);
    expect(m).toMatch(/19 error: solution: a \{\{ is never closed/);
  });

  it('reports constraint, answer and chart formula errors at their line', () => {
    const m = messages(
      issuesOf(`vars:
  x: 1
where:
  - x > 0
  - y > 0
answer: x +
prompt: p
chart:
  series:
    s: [1, 2]
    t: z
  colour: red`),
    );
    expect(m).toContain('15 error: constraint `y > 0`: unknown name `y`');
    expect(m).toMatch(/16 error: answer: syntax error/);
    expect(m).toContain('22 error: unknown key `colour` in `chart:`');
    expect(m).toContain('21 error: chart series `t`: unknown name `z`');
  });

  it('multiple choice: a letter answer out of range is an error', () => {
    expect(messages(issuesOf('prompt: p\nchoices: [a, b]\nanswer: C'))).toMatch(/answer C but there are only 2 choices \(A–B\)/);
    expect(messages(issuesOf('prompt: p\nchoices: [a]\nanswer: A'))).toMatch(/list of 2 to 26/);
  });

  it('warns (but accepts) shuffle without choices and tolerance with choices', () => {
    const r = parseExercise('prompt: p\nanswer: 1\nshuffle: true', LOC);
    expect(r.spec).toBeDefined();
    expect(r.issues[0]!.severity).toBe('warning');
    const r2 = parseExercise('prompt: p\nchoices: [a, b]\nanswer: A\ntolerance: 0.1', LOC);
    expect(r2.spec).toBeDefined();
    expect(r2.issues[0]!.message).toMatch(/ignored for multiple-choice/);
  });
});

describe('the seeded generator', () => {
  it('is pinned: the same seed gives the same numbers forever (stored seeds must replay)', () => {
    const r = createRng(1);
    expect([r.next(), r.next(), r.int(100), r.int(100), r.int(6)]).toEqual([
      0.18452622554177367, 0.037306802481395285, 46, 31, 4,
    ]);
    expect(createRng(0xffffffff).next()).toBe(0.09354572139539286);
  });
});

describe('drawExercise', () => {
  const PIN = `vars:
  x: {range: [-2, 2], step: 0.5, size: 4}
  i: {range: [1, 4]}
  c: {choice: [red, green, blue]}
  W: {range: [0, 1], step: 0.1, size: [2, 3]}
prompt: "{{x}} {{i}} {{c}} {{W}}"
answer: x[i]`;

  it('is pinned for a seed', () => {
    const inst = drawExercise(spec(PIN), 42);
    expect(inst.vars).toEqual({ x: [0.5, -1.5, -1, 1.5], i: 2, c: 'green', W: [[0.3, 0.4, 0], [1, 0.9, 0.9]] });
    expect(inst.promptMarkdown).toBe('[0.5, -1.5, -1, 1.5] 2 green [[0.3, 0.4, 0], [1, 0.9, 0.9]]');
    expect(inst.expected).toBe(-1.5);
    expect(inst.seed).toBe(42);
  });

  it('is deterministic: same seed, same draw; different seeds, different draws', () => {
    const s = spec(BN);
    for (const seed of [0, 1, 7, 123456, 0xffffffff]) expect(drawExercise(s, seed)).toEqual(drawExercise(s, seed));
    const prompts = new Set(Array.from({ length: 20 }, (_, k) => drawExercise(s, k).promptMarkdown));
    expect(prompts.size).toBeGreaterThan(10);
  });

  it('normalises seeds to 32-bit unsigned integers', () => {
    const s = spec(BN);
    expect(drawExercise(s, -1).seed).toBe(0xffffffff);
    expect(drawExercise(s, 2 ** 32 + 5)).toEqual(drawExercise(s, 5));
  });

  it('draws ranges on the grid, within the bounds, without binary noise', () => {
    const s = spec('vars:\n  x: {range: [0.1, 0.9], step: 0.1, size: 50}\n  n: {range: [-3, 3]}\nprompt: p\nanswer: n');
    for (let seed = 0; seed < 30; seed++) {
      const { x, n } = drawExercise(s, seed).vars as { x: number[]; n: number };
      expect(Number.isInteger(n) && n >= -3 && n <= 3).toBe(true);
      for (const v of x) {
        expect(v).toBeGreaterThanOrEqual(0.1);
        expect(v).toBeLessThanOrEqual(0.9);
        expect(String(v)).toMatch(/^0\.\d$/);
      }
    }
  });

  it('supports formula bounds and sizes, choices of vectors, vectors of choices', () => {
    const s = spec(`vars:
  m: {choice: [3]}
  x: {range: [1, m], size: m}
  y: {choice: [0, 1], size: [2, m]}
  v: {choice: [[1, 2], [3, 4]]}
prompt: p
answer: sum(x)`);
    const inst = drawExercise(s, 3);
    const { x, y, v } = inst.vars as { x: number[]; y: number[][]; v: number[] };
    expect(x).toHaveLength(3);
    expect(x.every((a) => a >= 1 && a <= 3)).toBe(true);
    expect(y).toHaveLength(2);
    expect(y[0]).toHaveLength(3);
    expect([[1, 2], [3, 4]]).toContainEqual(v);
  });

  it('redraws until the constraints hold', () => {
    const s = spec('vars:\n  x: {range: [1, 10]}\nwhere:\n  - x > 5\n  - mod(x, 2) == 0\nprompt: p\nanswer: x');
    for (let seed = 0; seed < 20; seed++) expect([6, 8, 10]).toContain(drawExercise(s, seed).expected);
  });

  it('gives a clear error, with the line, when constraints are never met', () => {
    const s = spec('vars:\n  x: {range: [1, 3]}\nwhere:\n  - x > 0\n  - x > 5\nprompt: p\nanswer: x');
    expect(() => drawExercise(s, 1)).toThrow(ExerciseError);
    try {
      drawExercise(s, 1);
    } catch (e) {
      const err = e as ExerciseError;
      expect(err.message).toBe('no draw met the constraints in 1000 tries: `x > 5` was false 1000 times');
      expect(err.line).toBe(15);
      expect(err.hint).toMatch(/widen/);
    }
  });

  it('a constraint giving a vector is an error that suggests all()', () => {
    const s = spec('vars:\n  x: [1, 2]\nwhere: x > 0\nprompt: p\nanswer: 1');
    expect(() => drawExercise(s, 1)).toThrow(/gave a vector, not true\/false/);
  });

  it('formats substitutions', () => {
    const s = spec(`vars:
  x: 0.123456
  big: 1234.5
  p: [0.0900306, 0.2447285, 0.665241]
  A: [[1, 2], [3, 4]]
  t: {choice: [cat]}
prompt: "{{x}} {{x:3}} {{x:3s}} {{x:2e}} {{x:1%}} {{big:3s}} {{p:3}} {{A}} {{t}} {{x > 0 ? 1 : 2}} {{p[2:3]:2}} \\\\{{x}} {{-0.0001:2}}"
answer: x`);
    expect(drawExercise(s, 0).promptMarkdown).toBe(
      '0.123456 0.123 0.123 1.23e-1 12.3% 1230 [0.090, 0.245, 0.665] [[1, 2], [3, 4]] cat 1 [0.24, 0.67] {{x}} 0.00',
    );
  });

  it('number answers: expected text and tolerance text follow the tolerance', () => {
    const inst = (tol: string, answer = '2 / 3') => drawExercise(spec(`prompt: p\nanswer: ${answer}\ntolerance: ${tol}`), 0);
    expect(inst('0.01')).toMatchObject({ answerKind: 'number', expectedText: '0.667', toleranceText: '± 0.01' });
    expect(inst('1%')).toMatchObject({ expectedText: '0.6667', toleranceText: '± 1% (relative)' });
    expect(inst('{sigfigs: 3}')).toMatchObject({ expectedText: '0.667', toleranceText: 'to 3 significant figures' });
    expect(inst('{abs: 0.001, rel: 0.5%}')).toMatchObject({ expectedText: '0.6667', toleranceText: '± 0.001 or ± 0.5% (relative)' });
    expect(inst('0', '6')).toMatchObject({ expectedText: '6', toleranceText: 'exact' });
  });

  it('vector and matrix answers are flattened and checked element-wise', () => {
    const v = drawExercise(spec('vars:\n  z: [1, 2, 3]\nprompt: p\nanswer: softmax(z)\ntolerance: 0.001'), 0);
    expect(v.answerKind).toBe('vector');
    expect(v.expectedText).toBe('[0.0900, 0.2447, 0.6652]');
    expect(v.toleranceText).toBe('each element ± 0.001');
    const m = drawExercise(spec("vars:\n  A: [[1, 2], [3, 4]]\nprompt: p\nanswer: A'\ntolerance: 0"), 0);
    expect(m.expected).toEqual([1, 3, 2, 4]);
    expect(checkAnswer(m, '[[1, 3], [2, 4]]').correct).toBe(true);
  });

  it('rejects answers that are not numbers, or not finite, with the answer line', () => {
    expect(() => drawExercise(spec('prompt: p\nanswer: 1 > 0'), 0)).toThrow(/must give a number or a vector/);
    expect(() => drawExercise(spec('prompt: p\nanswer: 1 / 0'), 0)).toThrow(/answer `1 \/ 0` is not finite \(Infinity\)/);
    try {
      drawExercise(spec('prompt: p\nanswer: log(0)'), 0);
    } catch (e) {
      expect((e as ExerciseError).line).toBe(12);
    }
  });

  it('multiple choice: literal letter, number, or a formula giving an index or a letter', () => {
    const mc = (answer: string, extra = '') =>
      drawExercise(spec(`vars:\n  k: 3\n  L: {choice: [D]}\nprompt: p\nchoices: [one, two, three, four]\nanswer: ${answer}${extra}`), 0);
    expect(mc('B')).toMatchObject({ answerKind: 'choice', expected: 'B', expectedText: 'B) two', toleranceText: 'exact choice' });
    expect(mc('b').expected).toBe('B');
    expect(mc('2').expected).toBe('B');
    expect(mc('k').expected).toBe('C'); // a declared variable wins over the letter
    expect(mc('L').expected).toBe('D');
    expect(mc('(L)').expected).toBe('D');
    expect(mc('d').expected).toBe('D'); // not a variable: the letter
    expect(mc('B').choices).toEqual(['one', 'two', 'three', 'four']);
    expect(() => mc('k + 5')).toThrow(/must give a number from 1 to 4 or a letter A–D/);
  });

  it('multiple choice with shuffle: seeded order, and the expected letter follows the correct choice', () => {
    const s = spec('prompt: p\nchoices: [zero, one, two, three, four]\nanswer: C\nshuffle: true');
    const orders = new Set<string>();
    for (let seed = 0; seed < 30; seed++) {
      const inst = drawExercise(s, seed);
      orders.add(inst.choices!.join());
      expect(inst.choices![inst.expected.toString().charCodeAt(0) - 65]).toBe('two');
      expect(inst.expectedText).toBe(`${inst.expected}) two`);
      expect(drawExercise(s, seed).choices).toEqual(inst.choices);
    }
    expect(orders.size).toBeGreaterThan(5);
  });

  it('returns chart data', () => {
    const inst = drawExercise(
      spec(`vars:
  n: 5
  ep: 1:n
  tr: 2 * exp(-ep / 2)
prompt: p
answer: 1
chart:
  title: Loss over {{n}} epochs
  xlabel: epoch
  series:
    train: tr
    fixed: [1, 1, 1, 1, 1]`),
      0,
    );
    expect(inst.chart!.title).toBe('Loss over 5 epochs');
    expect(inst.chart!.xLabel).toBe('epoch');
    expect(inst.chart!.yLabel).toBeUndefined();
    expect(inst.chart!.series.map((s) => s.name)).toEqual(['train', 'fixed']);
    expect(inst.chart!.series[0]!.values[0]).toBeCloseTo(2 * Math.exp(-0.5), 10);
    expect(inst.chart!.series[1]!.values).toEqual([1, 1, 1, 1, 1]);
  });
});

describe('solutionMarkdown', () => {
  it('substitutes the numbers of the draw, intermediate values included', () => {
    const s = spec(BN);
    const inst = drawExercise(s, 42);
    const { mu, v, xhat } = inst.vars as { mu: number; v: number; xhat: number };
    expect(solutionMarkdown(s, inst)).toBe(`mu = ${mu.toFixed(3)}, var = ${v.toFixed(4)}, xhat = ${xhat.toFixed(3)}\n`);
  });

  it('without a solution, shows the answer; a failing substitution is shown inline, never thrown', () => {
    const s = spec('vars:\n  x: [1, 2]\nprompt: p\nanswer: 3');
    expect(solutionMarkdown(s, drawExercise(s, 0))).toBe('**Answer:** 3');
    const s2 = spec('vars:\n  x: [1, 2]\n  i: 3\nprompt: p\nanswer: 1\nsolution: "value {{x[i]}}"');
    expect(solutionMarkdown(s2, drawExercise(s2, 0))).toMatch(/^value \*\*⚠ x\[i\]: .*index 3 is out of range 1\.\.2.*\*\*$/);
  });
});

describe('validateExercise', () => {
  it('passes a good exercise', () => {
    expect(validateExercise(spec(BN), LOC)).toEqual([]);
  });

  it('reports formulas that fail for some seeds, with the line and a seed to replay', () => {
    const s = spec('vars:\n  x: {range: [1, 5], size: 4}\n  i: {range: [1, 5]}\n  y: x[i]\nprompt: p\nanswer: y');
    const issues = validateExercise(s, LOC, 100);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ file: 'deck.md', line: 14, severity: 'error' });
    expect(issues[0]!.message).toMatch(/^variable `y`: x\[…\]: index 5 is out of range 1\.\.4 .*\(\d+ of 100 draws, e\.g\. seed \d+\)$/);
  });

  it('reports answers that are not finite', () => {
    const s = spec('vars:\n  x: {range: [1, 3]}\nprompt: p\nanswer: 1 / (x - 2)');
    const issues = validateExercise(s, LOC);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.line).toBe(14);
    expect(issues[0]!.message).toMatch(/is not finite \(Infinity\)/);
    expect(issues[0]!.hint).toMatch(/constraint/);
  });

  it('reports constraints never met, and constraints that reject most draws', () => {
    const never = validateExercise(spec('vars:\n  x: {range: [1, 3]}\nwhere: x > 3\nprompt: p\nanswer: x'), LOC, 3);
    expect(never[0]!.message).toMatch(/no draw met the constraints .* \(every draw\)/);
    expect(never[0]!.line).toBe(13);
    const rare = validateExercise(spec('vars:\n  x: {range: [1, 200]}\nwhere: x == 7\nprompt: p\nanswer: x'), LOC, 20);
    expect(messages(rare)).toMatch(/warning: the constraints reject most draws/);
  });

  it('points at the line of the failing {{…}} inside a multi-line prompt or solution', () => {
    const head = 'vars:\n  x: [1, 2]\n  i: {range: [1, 3]}\n';
    const p = spec(head + 'prompt: |\n  line one\n  x_i = {{x[i]}}\nanswer: 1');
    expect(messages(validateExercise(p, LOC))).toMatch(/^16 error: prompt: in \{\{x\[i\]\}\}/);
    const s = spec(head + 'prompt: p\nanswer: 1\nsolution: |\n  one\n  two\n  {{x[i]:2}}');
    expect(messages(validateExercise(s, LOC))).toMatch(/^19 error: solution: \{\{x\[i\]:2\}\}/);
  });

  it('reports {{…}} that fail at draw time in prompts and solutions', () => {
    const s = spec('vars:\n  x: [1, 2]\n  i: {range: [1, 3]}\nprompt: "x_i = {{x[i]}}"\nanswer: 1');
    expect(messages(validateExercise(s, LOC))).toMatch(/14 error: prompt: in \{\{x\[i\]\}\}: x\[…\]: index 3 is out of range/);
    const s2 = spec('vars:\n  x: [1, 2]\n  i: {range: [1, 3]}\nprompt: p\nanswer: 1\nsolution: "x_i = {{x[i]}}"');
    expect(messages(validateExercise(s2, LOC))).toMatch(/16 error: solution: \{\{x\[i\]\}\}: x\[…\]: index 3 is out of range/);
  });

  it('warns when a relative or significant-figure tolerance meets an answer of 0', () => {
    const s = spec('vars:\n  x: {range: [-1, 1]}\nprompt: p\nanswer: x\ntolerance: 1%');
    const issues = validateExercise(s, LOC);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: 'warning', line: 15 });
    expect(issues[0]!.message).toMatch(/the answer is 0 for seed \d+: a relative tolerance then accepts only exactly 0/);
  });

  it('shifts lines to the location it is given', () => {
    const s = spec('vars:\n  x: {range: [1, 3]}\nprompt: p\nanswer: 1 / (x - 2)');
    expect(validateExercise(s, { file: 'other.md', line: 100 })[0]).toMatchObject({ file: 'other.md', line: 104 });
  });
});

describe('number formatting and rounding', () => {
  it('rounds decimally, half away from zero', () => {
    expect(roundSig(0.1235, 3)).toBe(0.124);
    expect(roundSig(-0.1235, 3)).toBe(-0.124);
    expect(roundSig(0.12345, 3)).toBe(0.123);
    expect(roundSig(9.995, 3)).toBe(10);
    expect(roundSig(0.30000000000000004, 1)).toBe(0.3);
    expect(roundSig(123456, 2)).toBe(120000);
    expect(roundFixed(2.345, 2)).toBe(2.35);
    expect(roundFixed(1.005, 2)).toBe(1.01);
    expect(roundFixed(-2.5, 0)).toBe(-3);
    expect(roundFixed(0.0004, 3)).toBe(0);
    expect(roundFixed(0.0006, 3)).toBe(0.001);
    expect(roundFixed(0.6, 0)).toBe(1);
  });

  it('matches the format table of docs/exercises.md', () => {
    const s = spec('vars:\n  x: {choice: [0.123456, 1234.5, 2]}\nprompt: "{{x}} | {{x:3}} | {{x:3s}} | {{x:2e}} | {{x:1%}}"\nanswer: x');
    const rows = new Set(Array.from({ length: 40 }, (_, k) => drawExercise(s, k).promptMarkdown));
    expect([...rows].sort()).toEqual([
      '0.123456 | 0.123 | 0.123 | 1.23e-1 | 12.3%',
      '1234.5 | 1234.500 | 1230 | 1.23e+3 | 123450.0%',
      '2 | 2.000 | 2.00 | 2.00e+0 | 200.0%',
    ]);
    expect(drawExercise(spec('prompt: "{{2.345:2}} {{-2.5:0}} {{[1, 2, 3][[1, 3]]}}"\nanswer: 1'), 0).promptMarkdown).toBe('2.35 -3 [1, 3]');
  });

  it('formats numbers and values', () => {
    expect(formatNumber(2)).toBe('2');
    expect(formatNumber(1 / 3)).toBe('0.333333');
    expect(formatNumber(1.5e-7)).toBe('1.5e-7');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(2, { kind: 'fixed', decimals: 3 })).toBe('2.000');
    expect(formatNumber(-0.0001, { kind: 'fixed', decimals: 2 })).toBe('0.00');
    expect(formatNumber(0.000123456, { kind: 'sig', digits: 3 })).toBe('0.000123');
    expect(formatNumber(0.5, { kind: 'percent', decimals: 0 })).toBe('50%');
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatValue([1.5, -2, 0.5])).toBe('[1.5, -2, 0.5]');
    expect(formatValue([[1, 2], [3, 4]])).toBe('[[1, 2], [3, 4]]');
  });
});

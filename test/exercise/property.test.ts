import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkAnswer,
  drawExercise,
  roundSig,
  withinTolerance,
  type ExerciseInstance,
  type ExerciseSpec,
} from '../../src/core/exercise/index.js';
import { createRng } from '../../src/core/exercise/rng.js';
import { spec } from './helpers.js';

const seed = fc.integer({ min: 0, max: 0xffffffff });

const body = (tolerance: string, answer = 'xhat') => `
vars:
  x: {range: [-5, 5], step: 0.1, size: 5}
  i: {range: [1, 5]}
  eps: {choice: [0.001, 0.00001]}
  g: {range: [0.5, 2], step: 0.25}
  mu: mean(x)
  v: pvar(x)
  xhat: g * (x[i] - mu) / sqrt(v + eps) + 3
where: v > 0.1
prompt: "{{x}}"
answer: ${answer}
tolerance: ${tolerance}`;

const ABS = spec(body('0.01'));
const REL = spec(body('2%'));
const SIG = spec(body('{sigfigs: 3}'));
const VEC = spec(body('0.01', 'g * (x - mu) / sqrt(v + eps)'));

const draw = (s: ExerciseSpec, k: number): ExerciseInstance => drawExercise(s, k);
const num = (inst: ExerciseInstance): number => inst.expected as number;

describe('property: the computed answer is accepted', () => {
  it('for every tolerance kind, as a full-precision number and as the shown expected text', () => {
    fc.assert(
      fc.property(seed, (k) => {
        for (const s of [ABS, REL, SIG, VEC]) {
          const inst = draw(s, k);
          const exact = Array.isArray(inst.expected) ? inst.expected.join(', ') : String(inst.expected);
          expect(checkAnswer(inst, exact)).toMatchObject({ correct: true, suggestedGrade: 3 });
          expect(checkAnswer(inst, inst.expectedText).correct).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('draws are deterministic for any seed', () => {
    fc.assert(
      fc.property(seed, (k) => {
        expect(draw(VEC, k)).toEqual(draw(VEC, k));
      }),
      { numRuns: 50 },
    );
  });
});

describe('property: an answer just outside the tolerance is rejected', () => {
  it('absolute: within ±0.99·t accepted, beyond ±1.01·t rejected', () => {
    fc.assert(
      fc.property(seed, fc.boolean(), (k, up) => {
        const inst = draw(ABS, k);
        const a = num(inst);
        const sign = up ? 1 : -1;
        expect(checkAnswer(inst, String(a + sign * 0.0099)).correct).toBe(true);
        expect(checkAnswer(inst, String(a + sign * 0.0101))).toMatchObject({ correct: false, suggestedGrade: 1 });
      }),
      { numRuns: 200 },
    );
  });

  it('relative: |x − a| ≤ r·|a| accepted, just beyond rejected', () => {
    fc.assert(
      fc.property(seed, fc.boolean(), (k, up) => {
        const inst = draw(REL, k);
        const a = num(inst);
        fc.pre(a !== 0);
        const sign = up ? 1 : -1;
        expect(checkAnswer(inst, String(a + sign * 0.0199 * Math.abs(a))).correct).toBe(true);
        expect(checkAnswer(inst, String(a + sign * 0.0201 * Math.abs(a))).correct).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('significant figures: the rounded value is accepted, one unit in the last figure off is rejected', () => {
    fc.assert(
      fc.property(seed, fc.boolean(), (k, up) => {
        const inst = draw(SIG, k);
        const a = num(inst);
        const r = roundSig(a, 3);
        fc.pre(r !== 0);
        const unit = 10 ** (Math.floor(Math.log10(Math.abs(r))) - 2);
        expect(checkAnswer(inst, String(r)).correct).toBe(true);
        const off = roundSig(r + (up ? unit : -unit), 3);
        expect(checkAnswer(inst, String(off)).correct).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('vectors are compared element by element: one element off rejects the whole answer', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 0, max: 4 }), fc.boolean(), (k, j, up) => {
        const inst = draw(VEC, k);
        const e = inst.expected as number[];
        expect(e).toHaveLength(5);
        const near = e.map((x) => x + 0.009);
        expect(checkAnswer(inst, `[${near.join(', ')}]`).correct).toBe(true);
        const bad = e.slice();
        bad[j] = bad[j]! + (up ? 0.0101 : -0.0101);
        expect(checkAnswer(inst, bad.join(' ')).correct).toBe(false);
        expect(checkAnswer(inst, e.slice(0, 4).join(', ')).error).toBe('expected 5 numbers, got 4 (separate them with commas or spaces)');
      }),
      { numRuns: 150 },
    );
  });
});

describe('property: tolerance arithmetic', () => {
  const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
  const tol = fc.double({ min: 1e-6, max: 10, noNaN: true });

  it('absolute tolerance is symmetric and inclusive up to rounding noise', () => {
    fc.assert(
      fc.property(finite, tol, fc.double({ min: -0.999, max: 0.999, noNaN: true }), (a, t, f) => {
        expect(withinTolerance(a + f * t, a, { abs: t })).toBe(true);
        expect(withinTolerance(a + 1.001 * t + 1e-9 * Math.abs(a), a, { abs: t })).toBe(false);
        expect(withinTolerance(a - 1.001 * t - 1e-9 * Math.abs(a), a, { abs: t })).toBe(false);
      }),
    );
  });

  it('sigfigs: x is accepted iff both round to the same n significant figures', () => {
    fc.assert(
      fc.property(finite, finite, fc.integer({ min: 1, max: 6 }), (x, a, n) => {
        expect(withinTolerance(x, a, { sigfigs: n })).toBe(roundSig(x, n) === roundSig(a, n));
        expect(withinTolerance(roundSig(a, n), a, { sigfigs: n })).toBe(true);
      }),
    );
  });

  it('roundSig keeps at most n significant digits and moves the value by at most half a unit', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-9, max: 1e9, noNaN: true }), fc.integer({ min: 1, max: 10 }), (x, n) => {
        const r = roundSig(x, n);
        const digits = r.toExponential().split('e')[0]!.replace('.', '').replace(/0+$/, '');
        expect(digits.length).toBeLessThanOrEqual(n);
        const unit = 10 ** (Math.floor(Math.log10(x)) - n + 1);
        expect(Math.abs(r - x)).toBeLessThanOrEqual(unit * 0.5000001 + unit * 1e-9);
      }),
    );
  });
});

describe('property: the generator', () => {
  it('int(n) stays in [0, n) and next() in [0, 1)', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 1, max: 2 ** 40 }), (s, n) => {
        const r = createRng(s);
        for (let k = 0; k < 20; k++) {
          const i = r.int(n);
          expect(Number.isInteger(i) && i >= 0 && i < n).toBe(true);
          const f = r.next();
          expect(f >= 0 && f < 1).toBe(true);
        }
      }),
    );
  });

  it('range draws are on the grid and within the bounds', () => {
    const s = spec('vars:\n  x: {range: [-1.5, 2.25], step: 0.25, size: 20}\nprompt: p\nanswer: 1');
    fc.assert(
      fc.property(seed, (k) => {
        for (const v of drawExercise(s, k).vars.x as number[]) {
          expect(v).toBeGreaterThanOrEqual(-1.5);
          expect(v).toBeLessThanOrEqual(2.25);
          expect(Number.isInteger((v + 1.5) / 0.25)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('every value of a small range shows up (uniform enough)', () => {
    const s = spec('vars:\n  x: {range: [1, 6], size: 600}\nprompt: p\nanswer: 1');
    const counts = new Map<number, number>();
    for (const v of drawExercise(s, 9).vars.x as number[]) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    for (const c of counts.values()) expect(c).toBeGreaterThan(60);
  });
});

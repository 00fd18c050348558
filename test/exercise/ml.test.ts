// Hand-worked examples with fixed numbers, cross-checking the formulas an exercise author would write.
// The expected values were worked out by hand (and to more digits with a calculator):
//
//   batch x = [1, 2, 3, 4]:  μ = 10/4 = 2.5
//                            σ² (biased) = (2.25 + 0.25 + 0.25 + 2.25)/4 = 1.25
//                            x̂₄ = (4 − 2.5)/√1.25 = 1.5/1.118034 = 1.3416408
//                            with ε = 0.001: 1.5/√1.251 = 1.5/1.1184811 = 1.3411045
//                            x̂₁ with ε = 1e-5: −1.5/√1.25001 = −1.3416354
//   layer h = [2, 4, 6, 8]:  μ = 5, σ² = (9 + 1 + 1 + 9)/4 = 5, ĥ = [−3, −1, 1, 3]/√5
//                            = [−1.3416408, −0.4472136, 0.4472136, 1.3416408]
//                            γ = 2, β = 0.5, ε = 1e-5: [−2.1832789, −0.3944263, 1.3944263, 3.1832789]
//   softmax([1, 2, 3]) = [e, e², e³]/(e + e² + e³) = [0.0900306, 0.2447285, 0.6652410]
//   CE, one-hot [0, 0, 1]: −log 0.6652410 = 0.4076060; sparse label 3: the same. Label 1: 2.4076060.
//   softmax([2, 1, 0.1]) = [0.6590011, 0.2424330, 0.0985659]; CE for class 1: 0.4170300.

import { describe, expect, it } from 'vitest';
import { checkAnswer, drawExercise } from '../../src/core/exercise/index.js';
import { evaluateSource } from '../../src/core/exercise/expr.js';
import { spec } from './helpers.js';

/** Draw a fixed-number exercise (all variables constant) and return its variables. */
function fixed(yaml: string, seed = 0) {
  const inst = drawExercise(spec(yaml), seed);
  return { inst, vars: inst.vars as Record<string, number & number[]> };
}

describe('batch normalisation of a small batch', () => {
  const BN = `
vars:
  x: [1, 2, 3, 4]
  i: {choice: [4]}            # a choice of one value is a constant too
  eps: {choice: [0.001]}
  mu: mean(x)
  v: pvar(x)                  # biased: divide by m
  v_unbiased: variance(x)     # mathjs default: divide by m - 1
  v_alt: mean((x - mu).^2)
  xhat_no_eps: (x[i] - mu) / sqrt(v)
  xhat: (x[i] - mu) / sqrt(v + eps)
  xhat1: (x[1] - mu) / sqrt(v + 0.00001)
prompt: "x = {{x}}"
answer: xhat
tolerance: 0.0001`;

  it('mean, biased variance, normalised value with and without ε', () => {
    const { vars, inst } = fixed(BN);
    expect(vars.mu).toBe(2.5);
    expect(vars.v).toBe(1.25);
    expect(vars.v_alt).toBe(1.25);
    expect(vars.v_unbiased).toBeCloseTo(5 / 3, 12);
    expect(vars.xhat_no_eps).toBeCloseTo(1.3416408, 6);
    expect(vars.xhat).toBeCloseTo(1.3411045, 6);
    expect(vars.xhat1).toBeCloseTo(-1.3416354, 6);
    // The hand-worked value typed with 4 decimals is accepted; the ε-less one is not (differs by 5e-4).
    expect(checkAnswer(inst, '1.3411').correct).toBe(true);
    expect(checkAnswer(inst, '1.3416').correct).toBe(false);
  });

  it('the whole normalised batch has mean 0 and biased variance 1 (without ε)', () => {
    const xhat = evaluateSource('(x - mean(x)) / pstd(x)', { x: [1, 2, 3, 4] }) as number[];
    expect(xhat.map((v) => Number(v.toFixed(7)))).toEqual([-1.3416408, -0.4472136, 0.4472136, 1.3416408]);
    expect(evaluateSource('mean(h)', { h: xhat })).toBeCloseTo(0, 12);
    expect(evaluateSource('pvar(h)', { h: xhat })).toBeCloseTo(1, 12);
  });

  it('batch statistics per feature of a batch matrix (rows = samples): mean(X, 1)', () => {
    const X = [
      [1, 10],
      [2, 20],
      [3, 30],
      [4, 40],
    ];
    expect(evaluateSource('mean(X, 1)', { X })).toEqual([2.5, 25]);
    expect(evaluateSource('variance(X, 1, "uncorrected")', { X })).toEqual([1.25, 125]);
  });
});

describe('layer normalisation of one sample', () => {
  it('normalises over the features of the sample, then scales and shifts', () => {
    const { vars, inst } = fixed(`
vars:
  h: [2, 4, 6, 8]
  gamma: 2
  beta: 0.5
  eps: 0.00001
  mu: mean(h)
  v: pvar(h)
  hhat: (h - mu) / sqrt(v)
  y: gamma * (h - mu) / sqrt(v + eps) + beta
prompt: "h = {{h}}"
answer: y
tolerance: 0.0001`);
    expect(vars.mu).toBe(5);
    expect(vars.v).toBe(5);
    const hhat = vars.hhat as unknown as number[];
    [-1.3416408, -0.4472136, 0.4472136, 1.3416408].forEach((e, k) => expect(hhat[k]).toBeCloseTo(e, 6));
    expect(inst.answerKind).toBe('vector');
    expect(checkAnswer(inst, '-2.1833, -0.3944, 1.3944, 3.1833').correct).toBe(true);
    expect(checkAnswer(inst, '[-2.1833 -0.3944 1.3944 3.1843]').correct).toBe(false);
  });

  it('min/max of a vector, along a dimension, or of several numbers', () => {
    expect(evaluateSource('max([1, 5, 2])')).toBe(5);
    expect(evaluateSource('max([[1, 5], [7, 2]], 1)')).toEqual([7, 5]);
    expect(evaluateSource('min([[1, 5], [7, 2]], 2)')).toEqual([1, 2]);
    expect(evaluateSource('max(-1, 0, -3)')).toBe(0);
    expect(() => evaluateSource('max([1, 2], 1, 2)')).toThrow(/give one vector/);
  });

  it('per-sample statistics of a batch matrix: mean(X, 2)', () => {
    const X = [
      [2, 4, 6, 8],
      [1, 1, 1, 5],
    ];
    expect(evaluateSource('mean(X, 2)', { X })).toEqual([5, 2]);
    expect(evaluateSource('variance(X, 2, "uncorrected")', { X })).toEqual([5, 3]);
  });
});

describe('softmax and cross-entropy', () => {
  const CE = `
vars:
  z: [1, 2, 3]
  y: {choice: [3]}
  p: softmax(z)
  p_manual: exp(z) / sum(exp(z))
  t: onehot(y, 3)
  ce: -sum(t .* log(p))
  sce: -log(p[y])
  ce_label1: -log(p[1])
  lse: logsumexp(z) - z[y]
prompt: "z = {{z}}"
answer: ce
tolerance: {sigfigs: 4}`;

  it('softmax of logits', () => {
    const { vars } = fixed(CE);
    const p = vars.p as unknown as number[];
    [0.0900306, 0.2447285, 0.665241].forEach((e, k) => expect(p[k]).toBeCloseTo(e, 7));
    expect(vars.p_manual).toEqual(p.map((x) => expect.closeTo(x, 15)));
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
  });

  it('categorical CE with a one-hot label equals sparse CE with the integer label', () => {
    const { vars, inst } = fixed(CE);
    expect(vars.t).toEqual([0, 0, 1]);
    expect(vars.ce).toBeCloseTo(0.407606, 6);
    expect(vars.sce).toBeCloseTo(vars.ce!, 14);
    expect(vars.lse).toBeCloseTo(vars.ce!, 14);
    expect(vars.ce_label1).toBeCloseTo(2.407606, 6);
    expect(checkAnswer(inst, '0.4076').correct).toBe(true);
    expect(checkAnswer(inst, '0.4077').correct).toBe(false);
  });

  it('the classic [2, 1, 0.1] example', () => {
    const p = evaluateSource('softmax([2, 1, 0.1])') as number[];
    [0.6590011, 0.242433, 0.0985659].forEach((e, k) => expect(p[k]).toBeCloseTo(e, 7));
    expect(evaluateSource('-log(softmax([2, 1, 0.1])[1])')).toBeCloseTo(0.41703, 5);
  });

  it('softmax is stable for large logits and works per row of a matrix', () => {
    expect(evaluateSource('softmax([1000, 1000])')).toEqual([0.5, 0.5]);
    const rows = evaluateSource('softmax([1, 2, 3; 0, 0, 0])') as number[][];
    expect(rows[1]).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(rows[0]![2]).toBeCloseTo(0.665241, 6);
  });
});

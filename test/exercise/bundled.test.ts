// Every bundled exercise (decks/exercises/*.md) must
//   (a) validate with 100 seeds without any issue, and
//   (b) agree with a hand-worked case: its random variables are replaced by fixed numbers (in a copy
//       of its YAML: parsed with js-yaml, `vars.<name>` set to a constant, dumped back), the copy is
//       drawn, and `instance.expected` is compared with the answer worked out by hand below — written
//       as plain arithmetic on those numbers, never with the engine's formulas.
// Every exercise id must have a hand-worked case, so a new exercise without one fails this test.

import yaml from 'js-yaml';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDeck } from '../../src/core/deck.js';
import {
  checkAnswer,
  drawExercise,
  parseExercise,
  solutionMarkdown,
  validateExercise,
  type ExerciseInstance,
  type ExerciseSpec,
} from '../../src/core/exercise/index.js';
import type { SourceLoc } from '../../src/core/types.js';
import { messages } from './helpers.js';

const DECKS = join(import.meta.dirname, '../../decks/exercises');

interface Bundled {
  id: string;
  source: string;
  loc: SourceLoc;
}

function loadBundled(): { exercises: Bundled[]; deckIssues: string } {
  const exercises: Bundled[] = [];
  let deckIssues = '';
  for (const f of readdirSync(DECKS).filter((f) => f.endsWith('.md')).sort()) {
    const file = `decks/exercises/${f}`;
    const parsed = parseDeck(readFileSync(join(DECKS, f), 'utf8'), file, f);
    deckIssues += messages(parsed.issues.map((i) => ({ ...i, message: `${i.file}: ${i.message}` })));
    for (const n of parsed.deck?.notes ?? []) {
      if (n.kind !== 'exercise') continue;
      // An exercise without an id cannot be matched with its hand-worked case: name it by place.
      exercises.push({ id: n.explicitId ?? `(no id) ${n.loc.file}:${n.loc.line}`, source: n.front, loc: n.loc });
    }
  }
  return { exercises, deckIssues };
}

const { exercises, deckIssues } = loadBundled();

function parse(source: string, loc: SourceLoc): ExerciseSpec {
  const r = parseExercise(source, loc);
  expect(messages(r.issues)).toBe('');
  expect(r.spec).toBeDefined();
  return r.spec!;
}

// ---------------------------------------------------------------------------------------------------
// Hand-worked cases

interface HandCase {
  /** Constants replacing the exercise's random variables (`{range: …}` / `{choice: …}`). */
  fixed: Record<string, unknown>;
  /** The answer worked out by hand: a number, a vector, or the letter of the correct choice. */
  expected: number | number[] | string;
  /** What a person would type for this draw; it must be accepted. */
  typed: string;
  /** Further checks of the drawn variables against hand-worked values. */
  also?: (inst: ExerciseInstance) => void;
}

const zeros = (n: number) => Array.from({ length: n }, () => 0);

/** Keras `EarlyStopping(patience, restore_best_weights=True)`, mode "min", min_delta 0, written out. */
function kerasEarlyStopping(valLoss: number[], patience: number): [stoppedEpoch: number, restoredEpoch: number] {
  let best = Infinity;
  let bestEpoch = 0;
  let wait = 0;
  for (let epoch = 1; epoch <= valLoss.length; epoch++) {
    wait++;
    if (valLoss[epoch - 1]! < best) {
      best = valLoss[epoch - 1]!;
      bestEpoch = epoch;
      wait = 0;
    } else if (wait >= patience) return [epoch, bestEpoch];
  }
  return [valLoss.length, bestEpoch];
}

// Loss-curve exercise: flat noise, so each state is the textbook picture.
const curves = (state: number): HandCase => ({
  fixed: { state, a: 2, k: 0.4, turn: 5, noise: zeros(15), noise2: zeros(15) },
  expected: 'ABCD'[state - 1]!,
  typed: 'abcd'[state - 1]!,
});

const CASES: Record<string, HandCase[]> = {
  // ---- 01 batch / layer normalisation ------------------------------------------------------------
  'bn-ex-minibatch-stats': [
    {
      // x = [-3, -1, 0, 2, 4.5]: sum 2.5, μ = 2.5 / 5 = 0.5
      // deviations -3.5, -1.5, -0.5, 1.5, 4 → squares 12.25 + 2.25 + 0.25 + 2.25 + 16 = 33; σ² = 33 / 5 = 6.6
      fixed: { m: 5, x: [-3, -1, 0, 2, 4.5] },
      expected: [2.5 / 5, (12.25 + 2.25 + 0.25 + 2.25 + 16) / 5],
      typed: '0.5, 6.6',
    },
  ],
  'bn-ex-normalize-value': [
    {
      // Column j = 1 of X is [1, 3, -1]: μ = 3 / 3 = 1, σ² = (0 + 4 + 4) / 3 = 8/3.
      // x = X[2, 1] = 3: x̂ = (3 − 1) / √(8/3 + 0.01) = 2 / 1.6360521 = 1.2224549
      // (the row's statistics would give a different value: row 2 = [3, -2, 1] has mean 2/3).
      fixed: { m: 3, X: [[1, 4, 0], [3, -2, 1], [-1, 1, 2]], i: 2, j: 1, eps: 0.01 },
      expected: (3 - 1) / Math.sqrt(8 / 3 + 0.01),
      typed: '1.22',
    },
  ],
  'ln-ex-normalize-value': [
    {
      // Row i = 2 is [4, -2, 2, 0]: μ = 4 / 4 = 1, σ² = (9 + 9 + 1 + 1) / 4 = 5.
      // x = X[2, 3] = 2: x̂ = (2 − 1) / √(5 + 0.00001) = 0.4472131
      // (column 3 = [2, 2, 1] has mean 5/3: batch statistics would differ).
      fixed: { m: 3, D: 4, X: [[0, 1, 2, 3], [4, -2, 2, 0], [1, 1, 1, -1]], i: 2, j: 3, eps: 0.00001 },
      expected: (2 - 1) / Math.sqrt(5 + 0.00001),
      typed: '0.447',
    },
  ],
  'bn-ex-undo-normalization': [
    {
      // x = [-2, 0, 1, 5]: μ = 4 / 4 = 1; deviations -3, -1, 0, 4 → 9 + 1 + 0 + 16 = 26; σ² = 26 / 4 = 6.5.
      // γ = √(6.5 + 0.001) = 2.5497059, β = μ = 1.
      fixed: { m: 4, x: [-2, 0, 1, 5] },
      expected: [Math.sqrt(6.5 + 0.001), 1],
      typed: '2.55, 1',
    },
  ],

  // ---- 03 down / up sampling ---------------------------------------------------------------------
  'sampling-ex-audio-samples': [
    // 44.1 kHz → 11.025 kHz, 7 s: 7 × 11025 = 77175 samples.
    { fixed: { pair: [44100, 11025], T: 7 }, expected: 7 * 11025, typed: '77175' },
  ],
  'sampling-ex-nyquist': [
    // New rate 16 kHz: Nyquist = 16000 / 2 = 8000 Hz (not 44100 / 2).
    { fixed: { pair: [44100, 16000] }, expected: 16000 / 2, typed: '8000' },
  ],
  'sampling-ex-resolution': [
    {
      // 600 × 450, three 2×2 max-poolings (valid, odd sizes round down):
      //   600 → 300 → 150 → 75;  450 → 225 → 112 → 56
      // then two 2× up-samplings: 75 → 150 → 300;  56 → 112 → 224.
      fixed: { size: [600, 450], n: 3, u: 2 },
      expected: [75 * 2 * 2, 56 * 2 * 2],
      typed: '300, 224',
    },
  ],

  // ---- 05 loss curves ----------------------------------------------------------------------------
  'curves-ex-state': [curves(1), curves(2), curves(3), curves(4)],
  'curves-ex-early-stopping': [
    {
      // Lowest validation loss at epoch b = 6; patience 3: epochs 7, 8, 9 bring no improvement, so
      // training stops after epoch 6 + 3 = 9 and the weights of epoch 6 are restored.
      fixed: { b: 6, p: 3, vmin: 0.42, q1: 0.04, q2: 0.002 },
      expected: [9, 6],
      typed: '9, 6',
      also: (inst) => {
        // val(ep) = 0.42 + 0.04·(6 − ep)² before the minimum, 0.42 + 0.002·(ep − 6)² + 0.01·(ep − 6) after.
        const hand = [
          0.42 + 0.04 * 25, 0.42 + 0.04 * 16, 0.42 + 0.04 * 9, 0.42 + 0.04 * 4, 0.42 + 0.04 * 1, 0.42,
          ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((d) => 0.42 + 0.002 * d * d + 0.01 * d),
        ];
        const val = inst.vars.val as number[];
        expect(val).toHaveLength(16);
        val.forEach((v, k) => expect(v).toBeCloseTo(hand[k]!, 9));
        // The rule of Keras's EarlyStopping, run on the losses shown, agrees.
        expect(kerasEarlyStopping(hand, 3)).toEqual([9, 6]);
      },
    },
  ],

  // ---- 06 model deployment -----------------------------------------------------------------------
  'deploy-ex-fpr-fnr': [
    {
      // FPR = FP / (FP + TN) = 30 / 1530 = 0.0196078; FNR = FN / (FN + TP) = 25 / 225 = 0.1111111
      fixed: { TP: 200, FN: 25, FP: 30, TN: 1500 },
      expected: [30 / 1530, 25 / 225],
      typed: '0.0196, 0.111',
    },
  ],
  'deploy-ex-daily-counts': [
    {
      // 8000 valid × 2.5 % = 200 flagged; 240 fraud × 15 % = 36 missed.
      fixed: { V: 8000, F: 240, fpr: 0.025, fnr: 0.15 },
      expected: [200, 36],
      typed: '200, 36',
    },
  ],
  'deploy-ex-threshold': [
    {
      // Threshold 0.5 (flag when ≥ 0.5, so 0.5 itself is flagged):
      //   positives 0.9 ✓, 0.55 ✓, 0.5 ✓, 0.35 ✗, 0.7 ✓ → TP = 4, FN = 1
      //   negatives 0.1 ✗, 0.6 ✓, 0.5 ✓, 0.45 ✗, 0.3 ✗ → FP = 2, TN = 3
      // FPR = 2 / 5 = 0.4, FNR = 1 / 5 = 0.2
      fixed: { sp: [0.9, 0.55, 0.5, 0.35, 0.7], sn: [0.1, 0.6, 0.5, 0.45, 0.3], t: 0.5 },
      expected: [2 / 5, 1 / 5],
      typed: '0.4, 0.2',
    },
  ],

  // ---- 07 softmax and cross-entropy --------------------------------------------------------------
  'ce-ex-softmax': [
    {
      // e^z = [0.3678794, 1, 1.6487213, 7.3890561], sum 10.4056568
      // p = [0.0353538, 0.0961016, 0.1584447, 0.7100999]
      fixed: { K: 4, z: [-1, 0, 0.5, 2] },
      expected: (() => {
        const e = [Math.exp(-1), 1, Math.exp(0.5), Math.exp(2)];
        const sum = e[0]! + e[1]! + e[2]! + e[3]!;
        return e.map((x) => x / sum);
      })(),
      typed: '0.035, 0.096, 0.158, 0.710',
    },
  ],
  'ce-ex-categorical-onehot': [
    {
      // p₁ = e^0.5 / (e^0.5 + e^-1 + e^2) = 1.6487213 / 9.4056568; L = −log p₁ = log 9.4056568 − 0.5 = 1.7413113
      fixed: { z: [0.5, -1, 2], y: 1 },
      expected: -Math.log(Math.exp(0.5) / (Math.exp(0.5) + Math.exp(-1) + Math.exp(2))),
      typed: '1.74',
    },
  ],
  'ce-ex-sparse-integer': [
    {
      // Label 2 counts from 0: class 2 is the third logit, 1.5 (not z[2] = -2).
      // Σ e^z = 1 + 0.1353353 + 4.4816891 + 20.0855369 = 25.7025613; L = log 25.7025613 − 1.5 = 1.7465906
      fixed: { z: [0, -2, 1.5, 3], y: 2 },
      expected: -Math.log(Math.exp(1.5) / (Math.exp(0) + Math.exp(-2) + Math.exp(1.5) + Math.exp(3))),
      typed: '1.75',
    },
  ],
  'ce-ex-binary': [
    // y = 0: only −log(1 − p) remains: −log 0.2 = 1.6094379
    { fixed: { p: 0.8, y: 0 }, expected: -Math.log(1 - 0.8), typed: '1.61' },
    // y = 1: only −log p remains: −log 0.8 = 0.2231436
    { fixed: { p: 0.8, y: 1 }, expected: -Math.log(0.8), typed: '0.223' },
  ],

  // ---- 08 chapter 5 ------------------------------------------------------------------------------
  'ch5-ex-holdout-split': [
    {
      // n = 80 × 100 = 8000; test 15 % = 1200; validation 20 % of the other 6800 = 1360;
      // training 8000 − 1200 − 1360 = 5440.
      fixed: { N: 80, ft: 0.15, fv: 0.2 },
      expected: [8000 - 1200 - 1360, 1360, 1200],
      typed: '5440, 1360, 1200',
    },
  ],
  'ch5-ex-kfold-sizes': [
    // n = 5 × 120 = 600 in 5 folds of 120: train on 4 × 120 = 480, validate on 120.
    { fixed: { K: 5, r: 120 }, expected: [4 * 120, 120], typed: '480, 120' },
  ],
  'ch5-ex-iterated-kfold': [
    // 3 repetitions of 4-fold cross-validation: 3 × 4 = 12 models.
    { fixed: { K: 4, P: 3 }, expected: 12, typed: '12' },
  ],
  'ch5-ex-baseline': [
    // Classes of 200, 650, 150: always predict the largest → 650 / 1000 = 0.65.
    { fixed: { K: 3, c: [200, 650, 150] }, expected: 650 / (200 + 650 + 150), typed: '0.65' },
  ],
  'ch5-ex-l2-penalty': [
    {
      // w² = 0.25, 1.44, 0.09, 0.01 → sum 1.79; penalty 0.01 × 1.79 = 0.0179
      fixed: { lam: 0.01, w: [0.5, -1.2, 0.3, -0.1] },
      expected: 0.01 * (0.25 + 1.44 + 0.09 + 0.01),
      typed: '0.0179',
    },
  ],
  'ch5-ex-dropout-keras': [
    {
      // Kept values are scaled by 1 / (1 − 0.2) = 1.25: [1.2·1.25, 0, 2·1.25, 0.8·1.25, 0] = [1.5, 0, 2.5, 1, 0]
      fixed: { rate: 0.2, x: [1.2, 0.4, 2, 0.8, 1.5], mask: [1, 0, 1, 1, 0] },
      expected: [1.5, 0, 2.5, 1, 0],
      typed: '1.5, 0, 2.5, 1, 0',
    },
  ],
  'ch5-ex-dropout-classic-test': [
    // Classic dropout scales at test time by the keep probability: 2 × (1 − 0.3) = 1.4.
    { fixed: { rate: 0.3, a: 2 }, expected: 1.4, typed: '1.4' },
  ],
};

/** A copy of the exercise's YAML with the given variables replaced by constants. */
function withFixedVars(source: string, fixed: Record<string, unknown>): string {
  const doc = yaml.load(source, { schema: yaml.CORE_SCHEMA }) as { vars: Record<string, unknown> };
  for (const [name, value] of Object.entries(fixed)) {
    expect(Object.keys(doc.vars), `variable ${name}`).toContain(name);
    doc.vars[name] = value;
  }
  // Every random variable must be fixed, or the draw is not the hand-worked one.
  const random = Object.entries(doc.vars)
    .filter(([, v]) => v !== null && typeof v === 'object' && !Array.isArray(v))
    .map(([k]) => k);
  expect(random, 'random variables left unfixed').toEqual([]);
  return yaml.dump(doc, { schema: yaml.CORE_SCHEMA, lineWidth: -1, noRefs: true });
}

function expectCloseTo(actual: number | number[] | string, hand: number | number[] | string): void {
  if (typeof hand === 'string') {
    expect(actual).toBe(hand);
    return;
  }
  const a = typeof actual === 'number' ? [actual] : actual;
  const h = typeof hand === 'number' ? [hand] : hand;
  expect(Array.isArray(a) ? a.length : a).toBe(h.length);
  (a as number[]).forEach((x, k) => {
    // Hand values are exact arithmetic on the same numbers: agree to ~1e-9 relative.
    expect(Math.abs(x - h[k]!), `element ${k + 1}: ${x} vs ${h[k]}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(h[k]!)));
  });
}

// ---------------------------------------------------------------------------------------------------

describe('bundled exercises (decks/exercises)', () => {
  it('the exercise decks parse without issues and hold exercises with unique ids', () => {
    expect(deckIssues).toBe('');
    expect(exercises.length).toBeGreaterThanOrEqual(20);
    const ids = exercises.map((e) => e.id);
    expect(ids.filter((id) => id.startsWith('(no id)'))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('every exercise id has a hand-worked case, and every case an exercise', () => {
    expect(Object.keys(CASES).sort()).toEqual(exercises.map((e) => e.id).sort());
  });

  // Exact answers (tolerance 0) are counts — samples, Hz, epochs, pixels, models — so whole numbers.
  // (ch5-ex-holdout-split once gave 637.5 validation samples for n = 3000, ft = 0.15, fv = 0.25.)
  it('exact-answer exercises give whole numbers for every draw (seeds 0–299)', () => {
    const fractional: string[] = [];
    for (const ex of exercises) {
      const spec = parse(ex.source, ex.loc);
      const t = spec.tolerance;
      if (spec.choices || (t.abs ?? 0) !== 0 || (t.rel ?? 0) !== 0 || t.sigfigs) continue;
      for (let seed = 0; seed < 300; seed++) {
        const inst = drawExercise(spec, seed);
        const values = typeof inst.expected === 'number' ? [inst.expected] : (inst.expected as number[]);
        if (values.some((v) => Math.abs(v - Math.round(v)) > 1e-9)) {
          fractional.push(`${ex.id} (seed ${seed}: ${inst.expectedText})`);
          break;
        }
      }
    }
    expect(fractional).toEqual([]);
  });

  describe.each(exercises.map((e) => [e.id, e] as const))('%s', (id, ex) => {
    it('validates with 100 seeds without errors or warnings', () => {
      const spec = parse(ex.source, ex.loc);
      expect(messages(validateExercise(spec, ex.loc, 100))).toBe('');
    });

    it('gives the hand-worked answer for fixed numbers', () => {
      const cases = CASES[id];
      expect(cases, `no hand-worked case for ${id}`).toBeDefined();
      for (const c of cases!) {
        const spec = parse(withFixedVars(ex.source, c.fixed), ex.loc);
        const inst = drawExercise(spec, 0);
        // With every random variable fixed, the seed does not matter.
        expect(drawExercise(spec, 987654).expected).toEqual(inst.expected);
        expectCloseTo(inst.expected, c.expected);
        // What a person would type for this draw is accepted, and the rendered texts are complete.
        const check = checkAnswer(inst, c.typed);
        expect(check.correct, `typed "${c.typed}", expected ${inst.expectedText}: ${check.error ?? ''}`).toBe(true);
        expect(inst.promptMarkdown).not.toMatch(/\{\{|⚠/);
        expect(solutionMarkdown(spec, inst)).not.toMatch(/\{\{|⚠/);
        c.also?.(inst);
      }
    });
  });
});

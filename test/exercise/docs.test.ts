// The worked examples of docs/exercises.md must parse, validate cleanly, and mean what they say.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkAnswer, drawExercise, parseExercise, solutionMarkdown, validateExercise, type ExerciseSpec } from '../../src/core/exercise/index.js';
import { FUNCTION_NAMES } from '../../src/core/exercise/expr.js';
import { exerciseBlocks, messages } from './helpers.js';

const DOC = 'docs/exercises.md';
const markdown = readFileSync(join(import.meta.dirname, '../..', DOC), 'utf8');
const blocks = exerciseBlocks(markdown);

function byId(id: string): ExerciseSpec {
  for (const b of blocks) {
    const r = parseExercise(b.body, { file: DOC, line: b.line });
    if (r.spec?.id === id) return r.spec;
  }
  throw new Error(`no example with id ${id}`);
}

describe('docs/exercises.md examples', () => {
  it('has the worked examples', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  it.each(blocks.map((b) => [b.line, b] as const))('the block at line %i parses and validates with 100 seeds', (_line, b) => {
    const loc = { file: DOC, line: b.line };
    const r = parseExercise(b.body, loc);
    expect(messages(r.issues)).toBe('');
    const issues = validateExercise(r.spec!, loc, 100);
    expect(messages(issues)).toBe('');
    for (let seed = 0; seed < 5; seed++) {
      const inst = drawExercise(r.spec!, seed);
      expect(inst.promptMarkdown).not.toMatch(/\{\{/);
      expect(solutionMarkdown(r.spec!, inst)).not.toMatch(/\{\{|⚠/);
    }
  });

  it('documents every function formulas may call', () => {
    for (const name of FUNCTION_NAMES) expect(markdown, name).toMatch(new RegExp(`[\\s\`(]${name}[\\s\`(]`));
  });

  it('batch norm: the solution shows the intermediate values of the draw', () => {
    const s = byId('bn-one-value');
    const inst = drawExercise(s, 3);
    const v = inst.vars as { mu: number; v: number; xhat: number };
    const sol = solutionMarkdown(s, inst);
    expect(sol).toContain(`= ${v.mu.toFixed(4)}`);
    expect(sol).toContain(`= ${v.v.toFixed(4)}`);
    expect(sol).toContain(`**${v.xhat.toFixed(3)}**`);
    expect(checkAnswer(inst, v.xhat.toFixed(2)).correct).toBe(true);
  });

  it('cross-entropy: categorical and sparse agree for every draw', () => {
    const s = byId('softmax-cross-entropy');
    for (let seed = 0; seed < 50; seed++) {
      const v = drawExercise(s, seed).vars as { ce: number; sce: number; p: number[] };
      expect(v.sce).toBeCloseTo(v.ce, 12);
      expect(v.p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    }
  });

  it('loss curves: each state draws the curve shape its choice describes', () => {
    const s = byId('loss-curve-state');
    const seen = new Set<string>();
    for (let seed = 0; seed < 80; seed++) {
      const inst = drawExercise(s, seed);
      const { train, val, n } = inst.vars as { train: number[]; val: number[]; n: number };
      expect(inst.choices).toHaveLength(4);
      expect(inst.chart!.series.map((x) => [x.name, x.values.length])).toEqual([
        ['train', n],
        ['validation', n],
      ]);
      const state = inst.expected as string;
      seen.add(state);
      const drop = (c: number[]) => c[0]! - c[n - 1]!;
      const late = (c: number[]) => Math.abs(c[n - 1]! - c[n - 4]!);
      const minAt = val.indexOf(Math.min(...val));
      if (state === 'A') {
        expect(Math.abs(drop(train))).toBeLessThan(0.1);
        expect(Math.abs(drop(val))).toBeLessThan(0.1);
      } else if (state === 'B') {
        expect(drop(train)).toBeGreaterThan(1);
        expect(minAt).toBeGreaterThan(1);
        expect(minAt).toBeLessThan(n - 2);
        expect(val[n - 1]! - val[minAt]!).toBeGreaterThan(0.15);
      } else if (state === 'C') {
        expect(drop(train)).toBeGreaterThan(0.6);
        expect(train[n - 4]! - train[n - 1]!).toBeGreaterThan(0.15);
        expect(val[n - 4]! - val[n - 1]!).toBeGreaterThan(0.1);
      } else {
        expect(drop(train)).toBeGreaterThan(1);
        expect(late(train)).toBeLessThan(0.05);
        expect(late(val)).toBeLessThan(0.05);
      }
      const sol = solutionMarkdown(s, inst);
      expect(sol.startsWith(`**${state}.**`)).toBe(true);
    }
    expect([...seen].sort()).toEqual(['A', 'B', 'C', 'D']);
  });
});

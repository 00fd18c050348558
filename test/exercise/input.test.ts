import { describe, expect, it } from 'vitest';
import { checkAnswer, drawExercise, parseNumber, parseNumberList } from '../../src/core/exercise/index.js';
import { spec } from './helpers.js';

describe('parseNumber: a number grammar, never an evaluator', () => {
  it.each([
    ['0.5', 0.5],
    ['.5', 0.5],
    ['-.5', -0.5],
    ['-1.2e-3', -0.0012],
    ['1E3', 1000],
    ['+4', 4],
    ['3.', 3],
    ['  2  ', 2],
    ['1/2', 0.5],
    ['-3/4', -0.75],
    ['1 / 2', 0.5],
    ['1.5/0.5', 3],
    ['\u22120.5', -0.5], // Unicode minus sign
  ])('%s → %d', (input, value) => {
    expect(parseNumber(input)).toEqual({ ok: true, value });
  });

  it.each([
    ['', /no number given/],
    ['abc', /"abc" is not a number: type a number like 0\.5, \.5, -1\.2e-3 or a fraction like 1\/2/],
    ['2*3', /"2\*3" is not a number/],
    ['sqrt(2)', /is not a number/],
    ['1/2/3', /is not a number/],
    ['0x10', /is not a number/],
    ['1,5', /is not a number/],
    ['--1', /is not a number/],
    ['NaN', /is not a number/],
    ['Infinity', /is not a number/],
    ['1e999', /"1e999" is too large/],
    ['1/0', /"1\/0" divides by zero/],
    ['process.exit()', /is not a number/],
  ])('%j is refused: %s', (input, re) => {
    const r = parseNumber(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(re);
  });
});

describe('parseNumberList', () => {
  it.each([
    ['[1, 2, 3]', [1, 2, 3]],
    ['1 2 3', [1, 2, 3]],
    ['1,2,3', [1, 2, 3]],
    ['(1; 2; 3)', [1, 2, 3]],
    ['[1/2, .5, -1e-1]', [0.5, 0.5, -0.1]],
    ['[[1, 2], [3, 4]]', [1, 2, 3, 4]],
    ['  [ 7 ]  ', [7]],
  ])('%s', (input, value) => {
    expect(parseNumberList(input)).toEqual({ ok: true, value });
  });

  it('says which element is wrong', () => {
    expect(parseNumberList('1, two, 3')).toEqual({ ok: false, error: 'number 2: "two" is not a number: type a number like 0.5, .5, -1.2e-3 or a fraction like 1/2' });
    expect(parseNumberList('[ ]')).toMatchObject({ ok: false, error: expect.stringMatching(/no numbers given/) });
  });
});

describe('checkAnswer', () => {
  const NUM = drawExercise(spec('prompt: p\nanswer: 1 / 2\ntolerance: 0.01'), 0);
  const VEC = drawExercise(spec('vars:\n  v: [0.25, -1, 2, 0.5]\nprompt: p\nanswer: v\ntolerance: 0.001'), 0);
  const MC = drawExercise(spec('prompt: p\nchoices: [alpha, beta, gamma, delta]\nanswer: C'), 0);

  it('numbers: decimals and fractions, graded with the tolerance', () => {
    for (const [input, parsed] of [['0.5', 0.5], ['.5', 0.5], ['1/2', 0.5], ['0.505', 0.505], ['[0.5]', 0.5], ['0.49', 0.49]] as const)
      expect(checkAnswer(NUM, input)).toEqual({ correct: true, parsed, expectedText: '0.500', toleranceText: '± 0.01', suggestedGrade: 3 });
    expect(checkAnswer(NUM, '0.52')).toMatchObject({ correct: false, parsed: 0.52, suggestedGrade: 1 });
    expect(checkAnswer(NUM, '-0.5')).toMatchObject({ correct: false });
  });

  it('numbers: unreadable input gives an error (not a wrong answer to grade)', () => {
    expect(checkAnswer(NUM, '')).toMatchObject({ correct: false, error: 'no answer given', suggestedGrade: 1 });
    expect(checkAnswer(NUM, '   ')).toMatchObject({ error: 'no answer given' });
    expect(checkAnswer(NUM, 'half')).toMatchObject({ correct: false, error: expect.stringMatching(/"half" is not a number/) });
    expect(checkAnswer(NUM, '1 2')).toMatchObject({ error: 'expected 1 number, got 2' });
    expect(checkAnswer(NUM, 'x'.repeat(20_000))).toMatchObject({ error: expect.stringMatching(/too long/) });
    expect(checkAnswer(NUM, '1/2').error).toBeUndefined();
  });

  it('vectors: comma- or space-separated, brackets optional, element-wise', () => {
    for (const input of ['0.25, -1, 2, 0.5', '[0.25 -1 2 .5]', '1/4 -1 2 1/2', '(0.2504; -1; 2; 0.5)'])
      expect(checkAnswer(VEC, input)).toMatchObject({ correct: true, suggestedGrade: 3 });
    expect(checkAnswer(VEC, '0.25, -1, 2, 0.502')).toMatchObject({ correct: false, parsed: [0.25, -1, 2, 0.502] });
    expect(checkAnswer(VEC, '0.25, -1, 2')).toMatchObject({ correct: false, error: 'expected 4 numbers, got 3 (separate them with commas or spaces)' });
    expect(checkAnswer(VEC, '0.25, -1, 2, 0.5, 1')).toMatchObject({ error: 'expected 4 numbers, got 5 (separate them with commas or spaces)' });
    expect(checkAnswer(VEC, '0.25, x, 2, 0.5')).toMatchObject({ error: expect.stringMatching(/^number 2: "x" is not a number/) });
    expect(VEC.expectedText).toBe('[0.2500, -1.0000, 2.0000, 0.5000]');
  });

  it('multiple choice: a letter in either case, or the number', () => {
    for (const input of ['C', 'c', '3', 'C)', '(c)', 'c.', 'gamma']) expect(checkAnswer(MC, input)).toMatchObject({ correct: true, parsed: 'C' });
    expect(checkAnswer(MC, 'b')).toMatchObject({ correct: false, parsed: 'B', suggestedGrade: 1, expectedText: 'C) gamma' });
    expect(checkAnswer(MC, 'E')).toMatchObject({ correct: false, error: 'type one letter A–D (or a number 1–4)' });
    expect(checkAnswer(MC, '0')).toMatchObject({ error: 'type one letter A–D (or a number 1–4)' });
    expect(checkAnswer(MC, 'CD')).toMatchObject({ error: expect.stringMatching(/type one letter/) });
  });

  it('significant figures, as documented: a = 0.12345, n = 3', () => {
    const inst = drawExercise(spec('prompt: p\nanswer: 0.12345\ntolerance: {sigfigs: 3}'), 0);
    expect(inst.expectedText).toBe('0.123');
    for (const ok of ['0.123', '0.1234', '0.12345', '.123']) expect(checkAnswer(inst, ok).correct).toBe(true);
    for (const bad of ['0.124', '0.12', '0.1235', '0.122']) expect(checkAnswer(inst, bad).correct).toBe(false);
  });

  it('absolute and relative tolerances include their boundary', () => {
    const abs = drawExercise(spec('prompt: p\nanswer: 0.3\ntolerance: 0.1'), 0);
    expect(checkAnswer(abs, '0.4').correct).toBe(true);
    expect(checkAnswer(abs, '0.2').correct).toBe(true);
    expect(checkAnswer(abs, '0.4001').correct).toBe(false);
    const rel = drawExercise(spec('prompt: p\nanswer: 200\ntolerance: 1%'), 0);
    expect(checkAnswer(rel, '202').correct).toBe(true);
    expect(checkAnswer(rel, '198').correct).toBe(true);
    expect(checkAnswer(rel, '202.01').correct).toBe(false);
    const either = drawExercise(spec('prompt: p\nanswer: 0\ntolerance: {abs: 0.001, rel: 1%}'), 0);
    expect(checkAnswer(either, '0.001').correct).toBe(true);
    expect(checkAnswer(either, '0.0011').correct).toBe(false);
  });
});

import { expect } from 'vitest';
import { parseExercise, type ExerciseSpec } from '../../src/core/exercise/index.js';
import type { DeckIssue } from '../../src/core/types.js';

export const LOC = { file: 'deck.md', line: 10 };

/** Parse an exercise that must be valid (fails the test with the issues otherwise). */
export function spec(yaml: string): ExerciseSpec {
  const r = parseExercise(yaml, LOC);
  const errors = r.issues.filter((i) => i.severity === 'error');
  expect(errors, errors.map((i) => `${i.line}: ${i.message}`).join('\n')).toEqual([]);
  expect(r.spec).toBeDefined();
  return r.spec!;
}

/** Parse an exercise that must fail; returns its issues. */
export function issuesOf(yaml: string): DeckIssue[] {
  const r = parseExercise(yaml, LOC);
  expect(r.spec).toBeUndefined();
  expect(r.issues.length).toBeGreaterThan(0);
  return r.issues;
}

export function messages(issues: DeckIssue[]): string {
  return issues.map((i) => `${i.line} ${i.severity}: ${i.message}${i.hint ? ` (${i.hint})` : ''}`).join('\n');
}

/** The bodies of the ```exercise blocks of a Markdown text, with the line of each opening fence. */
export function exerciseBlocks(markdown: string): { body: string; line: number }[] {
  const lines = markdown.split('\n');
  const out: { body: string; line: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```exercise') continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i]!.trim() !== '```'; i++) body.push(lines[i]!);
    out.push({ body: body.join('\n'), line: start + 1 });
  }
  return out;
}

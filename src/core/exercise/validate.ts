// validateExercise: draw with many seeds and report what fails, with file:line (for `srs check`).

import type { DeckIssue, SourceLoc } from '../types.js';
import { checkAnswer } from './check.js';
import { drawExercise, scopeOf, type ExerciseInstance } from './draw.js';
import { parseTemplate, renderTemplate } from './format.js';
import { ExerciseError, LIMITS } from './limits.js';
import type { ExerciseSpec } from './spec.js';
import { LineMap } from './yaml.js';

/** Seed of the i-th validation draw (seeds 0, 1, 2, … so a report can be replayed). */
export function validationSeed(i: number): number {
  return i;
}

/**
 * Draw the exercise with `seeds` seeds and report: formulas that fail, answers that are not finite,
 * prompts/solutions/choices whose {{…}} can't be resolved, constraints that are never (or rarely) met,
 * answers a relative or significant-figure tolerance can't handle (0), chart series of unequal length,
 * and an expected answer that — as shown — would itself be marked wrong. Issues carry file:line.
 */
export function validateExercise(spec: ExerciseSpec, loc: SourceLoc, seeds = 100): DeckIssue[] {
  const shift = loc.line - spec.loc.line;
  const issues: DeckIssue[] = [];
  const seen = new Map<string, { issue: DeckIssue; count: number; firstSeed: number }>();
  const add = (severity: DeckIssue['severity'], line: number, message: string, seed: number, hint?: string): void => {
    const key = `${severity}|${line}|${message}`;
    const prev = seen.get(key);
    if (prev) {
      prev.count++;
      return;
    }
    const issue: DeckIssue = { file: loc.file, line: line + shift, severity, message, ...(hint ? { hint } : {}) };
    seen.set(key, { issue, count: 1, firstSeed: seed });
    issues.push(issue);
  };

  const lines = new LineMap(spec.source, spec.loc.line);
  const n = Math.max(1, Math.min(10_000, Math.floor(seeds)));
  const started = Date.now();
  let drawn = 0;
  let ok = 0;
  let totalTries = 0;
  let zeroWarned = false;
  for (let i = 0; i < n; i++) {
    if (Date.now() - started > LIMITS.validateTimeMs) {
      add('warning', spec.loc.line, `checking stopped after ${drawn} of ${n} draws (time limit ${LIMITS.validateTimeMs / 1000} s)`, i, 'the exercise is slow to draw: use smaller vectors or fewer redraws');
      break;
    }
    const seed = validationSeed(i);
    drawn++;
    let inst: ExerciseInstance;
    try {
      inst = drawExercise(spec, seed);
    } catch (e) {
      if (e instanceof ExerciseError) add('error', e.line ?? spec.loc.line, e.message, seed, e.hint);
      else add('error', spec.loc.line, `drawing the exercise failed: ${e instanceof Error ? e.message : String(e)}`, seed);
      continue;
    }
    ok++;
    totalTries += inst.tries;

    if (spec.solution) {
      const sol = spec.solution;
      renderTemplate(parseTemplate(sol.text), scopeOf(inst), {
        deadline: Date.now() + LIMITS.drawTimeMs,
        onError: (raw, err) => {
          add('error', lines.lineOfText(raw, 'solution'), `solution: ${raw}: ${err.message}`, seed, err.hint);
          return '';
        },
      });
    }

    if (inst.answerKind !== 'choice') {
      const values = typeof inst.expected === 'number' ? [inst.expected] : (inst.expected as number[]);
      const t = spec.tolerance;
      if (!zeroWarned && values.some((v) => v === 0) && (t.sigfigs || (t.rel !== undefined && t.abs === undefined))) {
        zeroWarned = true;
        add(
          'warning',
          spec.toleranceLine,
          `the answer is 0 for seed ${seed}: a ${t.sigfigs ? 'significant-figure' : 'relative'} tolerance then accepts only exactly 0`,
          seed,
          'add an absolute tolerance, e.g. tolerance: {abs: 0.001, rel: 1%}, or a constraint that avoids 0',
        );
      }
      const self = checkAnswer(inst, inst.expectedText);
      if (!self.correct)
        add(
          'warning',
          spec.answer.line,
          `the expected answer as shown (${inst.expectedText}) would be marked wrong with this tolerance`,
          seed,
          'use a tolerance of at least one unit in the last shown digit',
        );
    }

    if (inst.chart) {
      const lengths = new Set(inst.chart.series.map((s) => s.values.length));
      if (lengths.size > 1) add('warning', spec.chart!.line, 'chart series have different lengths', seed);
    }
  }

  if (ok > 0 && spec.where.length > 0) {
    const avg = totalTries / ok;
    if (avg > LIMITS.maxTries / 20)
      add(
        'warning',
        spec.where[0]!.line,
        `the constraints reject most draws (${avg.toFixed(0)} tries per draw on average; the limit is ${LIMITS.maxTries})`,
        0,
        'widen the ranges or relax the constraints so most draws are accepted',
      );
  }

  // Say how often each problem happened and with which seed, so it can be replayed.
  for (const { issue, count, firstSeed } of seen.values())
    if (count > 1 || drawn > 1) issue.message += count === drawn ? ` (every draw)` : ` (${count} of ${drawn} draws, e.g. seed ${firstSeed})`;
  return issues;
}

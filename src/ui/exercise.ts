// Numeric exercises on the review screen: draw one for a card, lay out its prompt (choices, chart),
// check the typed answer, and say what is stored with the review. The engine is
// src/core/exercise; this file only connects it to the screen.
import {
  checkAnswer,
  drawExercise,
  ExerciseError,
  parseExercise,
  solutionMarkdown,
  type CheckResult,
  type ExerciseInstance,
  type ExerciseSpec,
} from '../core/exercise/index.js';
import { renderChart } from '../core/text/chart.js';
import { renderMarkdown } from '../core/text/markdown.js';
import { seg, textWidth, type Line } from '../core/text/styled.js';
import { wrapSegments } from '../core/text/wrap.js';
import type { CardView, ExerciseRecord } from '../core/types.js';

export interface PreparedExercise {
  spec?: ExerciseSpec;
  instance?: ExerciseInstance;
  /** Why the exercise cannot be asked (a deck error): shown instead, the card can still be graded. */
  error?: string;
}

export function randomSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}

export function prepareExercise(card: CardView, seed: number): PreparedExercise {
  try {
    const { spec, issues } = parseExercise(card.exerciseSource ?? '', { file: card.file, line: card.line });
    if (!spec) {
      const first = issues.find((i) => i.severity === 'error') ?? issues[0];
      return { error: first ? `${first.message}${first.hint ? ` (${first.hint})` : ''}` : 'the exercise could not be read' };
    }
    return { spec, instance: drawExercise(spec, seed) };
  } catch (e) {
    const msg = e instanceof ExerciseError ? e.message + (e.hint ? ` (${e.hint})` : '') : (e as Error).message;
    return { error: msg };
  }
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The question side: prompt, choices as `A) …`, and the chart (`chartHeight` rows of plot). */
export function exerciseQuestionLines(ex: PreparedExercise, card: CardView, width: number, chartHeight = 10): Line[] {
  if (!ex.instance) {
    return [
      [seg('This exercise cannot be drawn:', { tone: 'error', bold: true })],
      ...wrapSegments([seg(ex.error ?? 'unknown error')], width),
      [seg(`${card.file}:${card.line} — fix the deck, then run srs check.`, { tone: 'muted' })],
    ];
  }
  const inst = ex.instance;
  const lines: Line[] = [...renderMarkdown(inst.promptMarkdown, width)];
  // The chart belongs to the question: it comes before the choices that are read against it.
  if (inst.chart) {
    lines.push([]);
    lines.push(...renderChart(inst.chart, width, chartHeight));
  }
  if (inst.choices?.length) {
    lines.push([]);
    inst.choices.forEach((c, i) => {
      const body = renderMarkdown(c, Math.max(1, width - 3));
      body.forEach((l, k) => lines.push([seg(k === 0 ? `${LETTERS[i]}) ` : '   ', k === 0 ? { bold: true } : undefined), ...l]));
    });
  }
  return lines;
}

/** The line the answer is typed on; it stays in view under the scrolling question. */
export function exerciseInputLine(ex: PreparedExercise, input: string, width: number): Line {
  const kind = ex.instance?.answerKind;
  const what = kind === 'choice' ? 'letter' : kind === 'vector' ? 'numbers, comma-separated' : 'number';
  const label = seg(`Your answer (${what}): `, { tone: 'accent' });
  const cursor = seg('▏', { tone: 'accent' });
  // Keep the end of a long input visible.
  const room = Math.max(1, width - textWidth(label.text) - 1);
  let shown = input;
  while (textWidth(shown) > room) shown = shown.slice(1);
  return [label, seg(shown, { bold: true }), cursor];
}

/** The answer side: whether it was right, the expected value, and the worked solution. */
export function exerciseAnswerLines(ex: PreparedExercise, check: CheckResult | null, given: string, width: number): Line[] {
  if (!ex.instance || !ex.spec) return [];
  const lines: Line[] = [];
  if (check && given.trim() !== '') {
    lines.push(
      check.correct
        ? [seg('✓ Correct', { tone: 'good', bold: true }), seg(`  ${given.trim()}`, { tone: 'muted' })]
        : [seg('✗ Not quite', { tone: 'again', bold: true }), seg(`  you typed ${given.trim()}`, { tone: 'muted' })],
    );
  } else {
    lines.push([seg('No answer given', { tone: 'hard', bold: true })]);
  }
  lines.push(
    ...wrapSegments(
      [seg('Expected ', { tone: 'muted' }), seg(ex.instance.expectedText, { bold: true }), seg((check?.toleranceText ?? ex.instance.toleranceText) ? `  (${check?.toleranceText ?? ex.instance.toleranceText})` : '', { tone: 'muted' })],
      width,
    ),
  );
  lines.push([]);
  lines.push(...renderMarkdown(solutionMarkdown(ex.spec, ex.instance), width));
  return lines;
}

/** What the review log stores about the exercise. */
export function exerciseRecord(ex: PreparedExercise | null, given: string, check: CheckResult | null): ExerciseRecord | undefined {
  if (!ex?.instance) return undefined;
  const g = given.trim();
  return {
    seed: ex.instance.seed,
    given: g === '' ? null : g,
    expected: ex.instance.expectedText,
    correct: g === '' || !check || check.error ? null : check.correct,
  };
}

export { checkAnswer };

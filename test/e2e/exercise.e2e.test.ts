// End to end, in a real pseudo-terminal: the built program (node bin/srs.js) runs in tmux on a
// temporary collection and a temporary deck folder of numeric exercises. The numbers of each draw
// are read off the screen, the answers are typed with real keystrokes, and then the screen (✓/✗,
// expected value, tolerance, worked solution with this draw's numbers, suggested grade) and the
// review log in the database (rating, and the exercise JSON {seed, given, expected, correct}) are
// checked. Every seed logged is replayed with the exercise engine: it must give the draw that was
// on the screen.
// Every wait polls `tmux capture-pane` until the screen shows what is expected (with a timeout).
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drawExercise, parseExercise } from '../../src/core/exercise/index.js';
import { deckFolder, hasTmux, inverseText, plain, shows, useTmuxServer } from '../helpers/tmux.js';

const { tmux, waitForScreen, keys, typeText, startSrs } = useTmuxServer('exercise');

const MUL = `\`\`\`exercise
id: mul
vars:
  a: {range: [2, 9]}
  b: {range: [2, 9]}
prompt: "곱셈: {{a}} × {{b}} = ?"
answer: a * b
tolerance: 0
solution: |
  {{a}} × {{b}} = **{{a * b}}** (구구단 {{a}}단)
\`\`\``;

const MEAN = `\`\`\`exercise
id: mean
vars:
  x: {range: [1, 9], size: 4}
prompt: |
  벡터 $x$ = {{x}} 의 평균을 구하시오.
answer: mean(x)
tolerance: 0.01
solution: |
  1. 합: {{x[1]}} + {{x[2]}} + {{x[3]}} + {{x[4]}} = {{sum(x)}}
  2. 평균: {{sum(x)}} ÷ 4 = **{{mean(x):3}}**
\`\`\``;

const SOFTMAX = `\`\`\`exercise
id: softmax-p1
vars:
  z: {range: [-2, 2], step: 0.5, size: 3}
  p: softmax(z)
where: ndistinct(z) == 3
prompt: |
  로짓 $z$ = {{z}} 에 softmax 를 적용할 때 첫째 클래스의 확률은?
answer: p[1]
tolerance: {abs: 0.005}
solution: |
  지수의 합: {{sum(exp(z)):4}}

  첫째 확률: {{exp(z[1]):4}} ÷ {{sum(exp(z)):4}} = **{{p[1]:4}}**
\`\`\``;

const deck = (name: string, ...blocks: string[]) => `---
name: ${name}
description: end-to-end exercise deck
---

# 연습문제

${blocks.join('\n\n')}
`;

/**
 * The suggested grade is drawn in inverse video; make sure the program styles its output whatever
 * FORCE_COLOR the test runner was started with (FORCE_COLOR=0 would turn attributes off too).
 */
const TERMINAL_ENV = { FORCE_COLOR: '1' };

const INPUT = 'Your answer (number): ';
const GRADE_BAR = /1 Again \S+ {2,3}2 Hard \S+ {2,3}3 Good \S+ {2,3}4 Easy \S+/;

/** The suggested grade: the digit drawn in inverse video on the grade bar. */
function suggestedGrade(styledScreen: string): string | undefined {
  const bar = styledScreen.split('\n').find((l) => GRADE_BAR.test(plain(l)));
  return bar === undefined ? undefined : inverseText(bar).trim();
}

/** Wait until the grade bar is drawn with a suggested grade, and return that grade. */
async function waitForSuggestion(session: string): Promise<string | undefined> {
  const styled = await waitForScreen(session, (s) => (suggestedGrade(s) ?? '') !== '', 'a suggested grade on the grade bar', undefined, { escapes: true });
  return suggestedGrade(styled);
}

/** Type text one key press at a time, waiting for each character to appear on the input line. */
async function typeSlowly(session: string, text: string): Promise<void> {
  for (let i = 0; i < text.length; i++) {
    keys(session, text[i]!);
    await waitForScreen(session, shows(`${INPUT}${text.slice(0, i + 1)}▏`), `"${text.slice(0, i + 1)}" on the input line`);
  }
}

interface LoggedExercise {
  seed: number;
  given: string | null;
  expected: string;
  correct: boolean | null;
}

/** The review log, oldest first, with the exercise source of each card (to replay the seeds). */
function reviewLog(data: string): { rating: number; exercise: LoggedExercise; source: string }[] {
  const db = new Database(join(data, 'collection.db'), { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        `SELECT r.rating, r.exercise, n.front AS source
           FROM revlog r JOIN cards c ON c.id = r.card_id JOIN notes n ON n.id = c.note_id
          ORDER BY r.id`,
      )
      .all() as { rating: number; exercise: string | null; source: string }[];
    return rows.map((r) => {
      expect(r.exercise, 'every answer to an exercise logs its exercise JSON').not.toBeNull();
      return { rating: r.rating, exercise: JSON.parse(r.exercise!) as LoggedExercise, source: r.source };
    });
  } finally {
    db.close();
  }
}

/** Draw the exercise again from the logged seed, with the engine. */
function replay(source: string, seed: number) {
  const { spec, issues } = parseExercise(source, { file: 'exercises.md', line: 1 });
  expect(spec, JSON.stringify(issues)).toBeDefined();
  return drawExercise(spec!, seed);
}

const NUM = String.raw`[-−]?\d+(?:\.\d+)?`;
const num = (s: string) => Number(s.replace('−', '-'));

describe('numeric exercises in a real terminal (tmux)', () => {
  if (!hasTmux) {
    it.skip('SKIPPED: tmux is not installed, so the pseudo-terminal end-to-end exercise tests cannot run', () => {});
    console.warn('[e2e] tmux not found: skipping the end-to-end exercise tests');
  }

  for (const [cols, rows] of [
    [80, 24],
    [160, 50],
  ] as const) {
    // At 80×24 the suggestions are taken with Enter (right) and confirmed with 1 (wrong); at
    // 160×50 with the keys 3 (right) and Enter (wrong): both ways must log Good and Again.
    const wide = cols > 80;
    it.skipIf(!hasTmux)(
      `answers one exercise right and one wrong, and logs both, at ${cols}×${rows}`,
      async () => {
        const { data, decks } = deckFolder('exercises.md', deck('E2E 연습문제', MUL, MEAN));
        const session = `exercise-${cols}`;
        startSrs(session, cols, rows, ['--data', data, '--decks', decks, 'review'], TERMINAL_ENV);
        expect(tmux('display-message', '-p', '-t', session, '#{pane_width}x#{pane_height}').trim()).toBe(`${cols}x${rows}`);

        // --- 1st exercise: a × b, answered right -------------------------------------------------
        let s = await waitForScreen(session, (x) => /곱셈: \d × \d = \?/.test(x) && x.includes(`${INPUT}▏`), 'the first exercise');
        expect(s).toContain('E2E 연습문제');
        expect(s).toMatch(/new 2 · learning 0 · review 0/);
        expect(s).toMatch(/new\s+decks\/exercises\.md:\d+/);
        expect(s).toMatch(/Enter check\s+Esc show solution/);
        const [, a, b] = /곱셈: (\d) × (\d) = \?/.exec(s)!.map(Number) as [number, number, number];
        const product = String(a * b);

        await typeSlowly(session, product);
        keys(session, 'Enter');
        s = await waitForScreen(session, shows('✓ Correct'), 'the check of the right answer');
        expect(s).toContain(`✓ Correct  ${product}`);
        expect(s).toContain(`Expected ${product}  (exact)`);
        expect(s).toContain(`${a} × ${b} = ${product} (구구단 ${a}단)`); // the worked solution, this draw
        expect(s).not.toContain('**');
        expect(s).toContain('─'.repeat(20)); // the divider between question and answer
        expect(s).toMatch(/곱셈: \d × \d = \?/); // the question stays above
        expect(s).toMatch(GRADE_BAR);
        expect(s).toContain('Enter suggested grade');
        expect(s).not.toContain(INPUT);
        expect(await waitForSuggestion(session)).toBe('3'); // right → Good, pre-selected
        keys(session, wide ? '3' : 'Enter');

        // --- 2nd exercise: mean of a vector (Korean prompt), answered wrong ---------------------------
        s = await waitForScreen(session, (x) => /벡터 x = \[/.test(x) && x.includes(`${INPUT}▏`), 'the second exercise');
        expect(s).toMatch(/new 1 · learning 1 · review 0/);
        expect(s).not.toContain('$');
        const xs = /벡터 x = \[(\d), (\d), (\d), (\d)\] 의 평균을 구하시오\./.exec(s)!.slice(1).map(Number);
        const sum = xs.reduce((p, q) => p + q, 0);
        const mean = sum / 4;
        // Shown with one decimal more than the tolerance 0.01; a whole number as it is.
        const expectedMean = Number.isInteger(mean) ? String(mean) : mean.toFixed(3);
        const wrong = '12.5'; // the mean of four numbers from 1 to 9 is at most 9
        typeText(session, wrong); // in one write, as if typed very fast
        await waitForScreen(session, shows(`${INPUT}${wrong}▏`), 'the wrong answer on the input line');
        keys(session, 'Enter');
        s = await waitForScreen(session, shows('✗ Not quite'), 'the check of the wrong answer');
        expect(s).toContain(`✗ Not quite  you typed ${wrong}`);
        expect(s).toContain(`Expected ${expectedMean}  (± 0.01)`);
        expect(s).toContain(`합: ${xs.join(' + ')} = ${sum}`);
        expect(s).toContain(`평균: ${sum} ÷ 4 = ${mean.toFixed(3)}`);
        expect(s).not.toContain('**');
        expect(s).toMatch(GRADE_BAR);
        expect(s).toMatch(/Enter suggested grade.*\bu undo\b/);
        expect(await waitForSuggestion(session)).toBe('1'); // wrong → Again, pre-selected
        keys(session, wide ? 'Enter' : '1');

        // The failed card comes back at once (a learning card, within the 20-minute learn-ahead), with a
        // new draw. Esc shows its solution, q then ends the session: nothing is logged for it.
        s = await waitForScreen(session, (x) => /new 0 · learning 2 · review 0/.test(x) && x.includes(`${INPUT}▏`), 'the failed exercise again');
        expect(s).toMatch(/learning\s+decks\/exercises\.md:\d+/);
        expect(s).toMatch(/벡터 x = \[/);
        keys(session, 'Escape');
        await waitForScreen(session, shows('No answer given'), 'the solution after Esc');
        keys(session, 'q');
        s = await waitForScreen(session, shows('Session finished'), 'the summary');
        expect(s).toMatch(/Reviewed\s+2 cards/);
        expect(s).toMatch(/Again\s+50%\s+\(1 of 2\)/);
        keys(session, 'q');
        s = await waitForScreen(session, shows('SRS-EXIT='), 'the program to exit');
        expect(s).toContain('SRS-EXIT=0');

        // --- the review log ---------------------------------------------------------------------------
        const log = reviewLog(data);
        expect(log.map((r) => r.rating)).toEqual([3, 1]);
        const [right, wrongRow] = log as [(typeof log)[0], (typeof log)[0]];
        expect(right.exercise).toEqual({ seed: expect.any(Number), given: product, expected: product, correct: true });
        expect(wrongRow.exercise).toEqual({ seed: expect.any(Number), given: wrong, expected: expectedMean, correct: false });
        for (const r of log) {
          expect(Number.isInteger(r.exercise.seed)).toBe(true);
          expect(r.exercise.seed).toBeGreaterThanOrEqual(0);
        }
        // The seeds replay the draws that were on the screen.
        const d1 = replay(right.source, right.exercise.seed);
        expect(d1.vars).toMatchObject({ a, b });
        expect(d1.expectedText).toBe(product);
        const d2 = replay(wrongRow.source, wrongRow.exercise.seed);
        expect(d2.vars.x).toEqual(xs);
        expect(d2.expectedText).toBe(expectedMean);
        tmux('kill-session', '-t', session);
      },
      150_000,
    );
  }

  it.skipIf(!hasTmux)(
    'rejects a non-number, shows the solution on Esc with no grade suggested, lets the person change the suggested grade, and Esc then q ends the session',
    async () => {
      const { data, decks } = deckFolder('exercises.md', deck('E2E 건너뛰기', MUL, SOFTMAX));
      const session = 'exercise-skip';
      startSrs(session, 80, 24, ['--data', data, '--decks', decks, 'review'], TERMINAL_ENV);

      // --- 1st exercise: a non-number is refused; then Enter on an empty line shows the solution ------
      let s = await waitForScreen(session, (x) => /곱셈: \d × \d = \?/.test(x) && x.includes(`${INPUT}▏`), 'the first exercise');
      const [, a, b] = /곱셈: (\d) × (\d) = \?/.exec(s)!.map(Number) as [number, number, number];
      const product = String(a * b);
      typeText(session, '2*q'); // q is text here, not "end session"
      await waitForScreen(session, shows(`${INPUT}2*q▏`), '"2*q" on the input line');
      keys(session, 'Enter');
      s = await waitForScreen(session, shows('"2*q" is not a number'), 'the message about the non-number');
      expect(s).toContain(`${INPUT}2*q▏`); // still asking, input kept
      expect(s).not.toContain('Not quite');
      keys(session, 'BSpace', 'BSpace', 'BSpace');
      await waitForScreen(session, (x) => x.includes(`${INPUT}▏`) && !x.includes('is not a number'), 'the input line erased');
      keys(session, 'Escape'); // skip: show the solution, leave the grade to the person
      s = await waitForScreen(session, shows('No answer given'), 'the solution without an answer');
      expect(s).not.toContain('✓');
      expect(s).not.toContain('✗');
      expect(s).toContain(`Expected ${product}  (exact)`);
      expect(s).toContain(`${a} × ${b} = ${product} (구구단 ${a}단)`);
      expect(s).toMatch(GRADE_BAR);
      expect(s).not.toContain('Enter suggested grade');
      const styled = tmux('capture-pane', '-p', '-e', '-t', session);
      expect(suggestedGrade(styled)).toBe(''); // the grade bar is there, with no grade pre-selected
      keys(session, 'Enter'); // grades nothing without a suggestion
      keys(session, '2'); // the person chooses Hard

      // --- 2nd exercise: softmax probability, answered right; Easy chosen instead of Good -------------
      s = await waitForScreen(session, (x) => /로짓 z = \[/.test(x) && x.includes(`${INPUT}▏`), 'the softmax exercise');
      expect(s).not.toContain('$');
      const zText = new RegExp(String.raw`로짓 z = \[(${NUM}), (${NUM}), (${NUM})\] 에 softmax`).exec(s);
      expect(zText, s).not.toBeNull();
      const z = zText!.slice(1).map(num);
      const ez = z.map(Math.exp);
      const sumExp = ez.reduce((p, q) => p + q, 0);
      const p1 = ez[0]! / sumExp;
      const typed = p1.toFixed(4);
      await typeSlowly(session, typed);
      keys(session, 'Enter');
      s = await waitForScreen(session, shows('✓ Correct'), 'the check of the softmax answer');
      expect(s).toContain(`✓ Correct  ${typed}`);
      const shown = /Expected (0\.\d{4}) {2}\(± 0\.005\)/.exec(s); // tolerance 0.005 → 4 decimals
      expect(shown, s).not.toBeNull();
      expect(Math.abs(Number(shown![1]) - p1)).toBeLessThanOrEqual(0.00005);
      expect(s).toContain(`지수의 합: ${sumExp.toFixed(4)}`);
      expect(s).toContain(`첫째 확률: ${ez[0]!.toFixed(4)} ÷ ${sumExp.toFixed(4)} = ${shown![1]}`);
      expect(await waitForSuggestion(session)).toBe('3');
      keys(session, '4'); // Easy instead of the suggested Good

      // --- the first exercise is back (learning, Hard: due in minutes); Esc then q ends --------------
      s = await waitForScreen(session, (x) => /곱셈: \d × \d = \?/.test(x) && x.includes(`${INPUT}▏`), 'the first exercise again');
      expect(s).toMatch(/new 0 · learning 1 · review 0/);
      typeText(session, '7');
      await waitForScreen(session, shows(`${INPUT}7▏`), '"7" on the input line');
      keys(session, 'Escape');
      await waitForScreen(session, shows('No answer given'), 'the solution after Esc');
      keys(session, 'q');
      s = await waitForScreen(session, shows('Session finished'), 'the summary');
      expect(s).toMatch(/Reviewed\s+2 cards/);
      keys(session, 'q');
      s = await waitForScreen(session, shows('SRS-EXIT='), 'the program to exit');
      expect(s).toContain('SRS-EXIT=0');

      const log = reviewLog(data);
      expect(log.map((r) => r.rating)).toEqual([2, 4]);
      const [skipped, right] = log as [(typeof log)[0], (typeof log)[0]];
      expect(skipped.exercise).toEqual({ seed: expect.any(Number), given: null, expected: product, correct: null });
      expect(right.exercise).toEqual({ seed: expect.any(Number), given: typed, expected: shown![1], correct: true });
      const d1 = replay(skipped.source, skipped.exercise.seed);
      expect(d1.vars).toMatchObject({ a, b });
      const d2 = replay(right.source, right.exercise.seed);
      expect(d2.vars.z).toEqual(z);
      expect(d2.expectedText).toBe(shown![1]);
      tmux('kill-session', '-t', session);
    },
    150_000,
  );
});

import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { renderChart } from '../../src/core/text/chart.js';
import { lineText, lineWidth } from '../../src/core/text/styled.js';
import { prepareExercise } from '../../src/ui/exercise.js';
import { Review } from '../../src/ui/screens/Review.js';
import { createTheme, ThemeContext } from '../../src/ui/theme.js';
import { cardView, FakeSession, manualClock } from './fake.js';
import { KEY, press } from './helpers.js';

const theme = createTheme({ noColor: true });
const instances: { unmount(): void }[] = [];
afterEach(() => {
  for (const i of instances.splice(0)) i.unmount();
});

const MULTIPLY = `vars:
  a: {range: [2, 9]}
  b: {range: [2, 9]}
prompt: "곱셈: {{a}} × {{b}} = ?"
answer: a * b
tolerance: 0
solution: "{{a}} × {{b}} = **{{a * b}}**"
`;

const CHOICE = `vars:
  n: 6
  train: [1, 0.8, 0.6, 0.5, 0.45, 0.44]
  val: [1.1, 0.9, 0.8, 0.85, 0.9, 1.0]
prompt: Which state?
choices:
  - not learning
  - overfitting
answer: 2
chart:
  title: Loss per epoch
  xlabel: epoch
  series:
    train: train
    validation: val
`;

function exerciseCard(id: number, source: string) {
  return { ...cardView(id, { front: '', back: '' }), kind: 'exercise' as const, ord: 'ex', exerciseSource: source };
}

function mount(session: FakeSession, clock = manualClock()) {
  const inst = render(
    <ThemeContext.Provider value={theme}>
      <Review session={session} title="ex" width={78} height={23} now={clock.now} seed={() => 42} onEnd={() => {}} onHome={() => {}} onQuit={() => {}} />
    </ThemeContext.Provider>,
  );
  instances.push(inst);
  return inst;
}

describe('exercise cards', () => {
  it('draws deterministically for a seed, and reports deck errors instead of throwing', () => {
    const card = exerciseCard(1, MULTIPLY);
    const a = prepareExercise(card, 7);
    const b = prepareExercise(card, 7);
    expect(a.instance?.promptMarkdown).toBe(b.instance?.promptMarkdown);
    expect(a.instance?.seed).toBe(7);
    const broken = prepareExercise(exerciseCard(2, 'prompt: x\nanswer: nosuchvar * 2\n'), 1);
    expect(broken.instance).toBeUndefined();
    expect(broken.error).toBeTruthy();
  });

  it('type, erase, check, see the solution, grade the suggestion; the draw is stored with the review', async () => {
    const session = new FakeSession([exerciseCard(1, MULTIPLY)]);
    const inst = mount(session);
    let f = inst.lastFrame()!;
    const m = /곱셈: (\d) × (\d) = \?/.exec(f);
    expect(m).not.toBeNull();
    const product = String(Number(m![1]) * Number(m![2]));
    expect(f).toContain('Your answer (number):');
    expect(f).toContain('Enter check   Esc show solution');
    // q is text here, not a command; so is u once something is typed
    await press(inst, 'q', 'Your answer (number): q');
    await press(inst, 'u', 'Your answer (number): qu');
    await press(inst, '\u007f', /Your answer \(number\): q▏/);
    f = await press(inst, KEY.enter, /type a number/);
    expect(f).toContain('Your answer (number): q');
    await press(inst, '\u007f', /Your answer \(number\): ▏/);
    await press(inst, product, `Your answer (number): ${product}`);
    f = await press(inst, KEY.enter, '✓ Correct');
    expect(f).toContain(`Expected ${product}`);
    expect(f).toContain(`${m![1]} × ${m![2]} = ${product}`);
    expect(f).toContain('Enter suggested grade');
    await press(inst, KEY.enter, 'Nothing to review');
    expect(session.answers).toHaveLength(1);
    expect(session.answers[0]).toMatchObject({
      grade: 3,
      exercise: { seed: 42, given: product, expected: product, correct: true },
    });
  });

  it('a wrong answer suggests Again; Esc (or Enter on an empty line) shows the solution and suggests nothing', async () => {
    const session = new FakeSession([exerciseCard(1, MULTIPLY), exerciseCard(2, MULTIPLY), exerciseCard(3, MULTIPLY)]);
    const inst = mount(session);
    await press(inst, '0\r', '✗ Not quite');
    let f = await press(inst, KEY.enter, 'Your answer (number): ▏');
    expect(session.answers[0]).toMatchObject({ grade: 1, exercise: { given: '0', correct: false } });
    // Nothing typed yet: u undoes the last answer.
    expect(f).toContain('u undo');
    f = await press(inst, 'u', 'Undone');
    expect(session.answers).toHaveLength(0);
    await press(inst, '0\r', '✗ Not quite');
    await press(inst, KEY.enter, 'Your answer (number): ▏');
    f = await press(inst, KEY.escape, 'No answer given');
    expect(f).toMatch(/Expected \d+ {2}\(exact\)/);
    expect(f).not.toContain('Enter suggested grade');
    // Enter does not grade without a suggestion; any grade may be chosen
    await press(inst, KEY.enter, 'No answer given');
    expect(session.answers).toHaveLength(1);
    f = await press(inst, '4', 'Your answer (number): ▏');
    expect(session.answers).toHaveLength(2); // Enter before 4 graded nothing
    expect(session.answers[1]).toMatchObject({ grade: 4, exercise: { given: null, correct: null } });
    // Enter on an empty line skips as well
    f = await press(inst, KEY.enter, 'No answer given');
    expect(f).not.toContain('Enter suggested grade');
  });

  it('shows choices as A) B) and draws the chart', async () => {
    const session = new FakeSession([exerciseCard(1, CHOICE)]);
    const inst = mount(session);
    let f = inst.lastFrame()!;
    expect(f).toContain('A) not learning');
    expect(f).toContain('B) overfitting');
    expect(f).toContain('Your answer (letter):');
    await press(inst, KEY.pageDown, '● train   ▲ validation');
    f = await press(inst, 'B\r', '✓ Correct');
  });

  it('renders a chart within the width, one glyph per series', () => {
    const lines = renderChart(
      { title: 'Loss', xLabel: 'epoch', yLabel: 'loss', series: [{ name: 'train', values: [3, 2, 1.5, 1.2] }, { name: 'val', values: [3.2, 2.5, 2.4, 2.6] }] },
      40,
      6,
    );
    const text = lines.map(lineText);
    expect(text[0]).toBe('Loss');
    expect(text[1]).toBe('loss');
    expect(text.at(-1)).toMatch(/● train {3}▲ val/);
    expect(text.join('\n')).toMatch(/3\.2 │/);
    for (const l of lines) expect(lineWidth(l)).toBeLessThanOrEqual(40);
    expect(text.filter((t) => t.includes('●')).length).toBeGreaterThanOrEqual(3);
  });
});

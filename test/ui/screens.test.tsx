import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/ui/app.js';
import { Review } from '../../src/ui/screens/Review.js';
import { createTheme } from '../../src/ui/theme.js';
import { CardState } from '../../src/core/types.js';
import { cardView, deck, FakeCollection, FakeSession, manualClock } from './fake.js';
import { frameLines, KEY, maxLineWidth, press, waitFor } from './helpers.js';

const theme = createTheme({ noColor: true });
const instances: { unmount(): void }[] = [];
afterEach(() => {
  for (const i of instances.splice(0)) i.unmount();
});
function mount(tree: React.ReactElement) {
  const inst = render(tree);
  instances.push(inst);
  return inst;
}

const KOREAN_CARDS = [
  cardView(1, { front: '배치 정규화(batch normalization)는 **무엇을 기준으로** 평균과 분산을 계산하는가?', back: '미니배치 안에서 **각 feature별로** 계산한다.', deck: '배치 정규화' }),
  cardView(2, { front: 'scale parameter $\\gamma$', back: '정규화된 값에 곱해지는 학습 가능한 파라미터', deck: '배치 정규화' }),
  cardView(3, { front: '$\\hat{x}_i$ 의 식은?', back: '$\\hat{x}_i = \\frac{x_i - \\mu_B}{\\sqrt{\\sigma_B^2 + \\epsilon}}$', deck: '배치 정규화' }),
];

function fakeCollection(cards = KOREAN_CARDS) {
  return new FakeCollection(
    [deck(1, '배치 정규화', 3, 0, 0, 'Batch normalization과 layer normalization의 차이'), deck(2, 'ML::Basics', 0, 1, 4), deck(3, 'ML::Deep', 0, 0, 0)],
    () => cards,
  );
}

describe('Home screen', () => {
  it('lists decks with counts, hierarchy, description, total and the footer', () => {
    const col = fakeCollection();
    const { lastFrame } = mount(<App collection={col} startScreen="home" theme={theme} size={{ columns: 80, rows: 24 }} />);
    const f = lastFrame()!;
    expect(f).toContain('srs');
    // sorted by name; parent levels that are no deck are shown as plain rows; first deck selected
    expect(f).toMatch(/\n {3}ML\s*\n {3}› Basics\s+0\s+1\s+4\n {5}Deep\s+0\s+0\s+0\n/);
    expect(f).toMatch(/\n {3}배치 정규화 {2}Batch normalization과 layer normalization…\s+3\s+0\s+0/);
    expect(f).toMatch(/Total\s+3\s+1\s+4/);
    expect(f).toContain('↑↓/jk move   Enter review deck   a review all decks   q quit');
    expect(f).not.toContain('Nothing due');
    expect(frameLines(f).length).toBeLessThanOrEqual(23);
    expect(maxLineWidth(f)).toBeLessThanOrEqual(80);
  });

  it('shows a window of a long deck list that follows the selection, within a small terminal', async () => {
    const many = Array.from({ length: 30 }, (_, i) => deck(i + 1, `덱 ${String(i + 1).padStart(2, '0')}`, i, 0, 1));
    const col = new FakeCollection(many, () => []);
    const inst = mount(<App collection={col} startScreen="home" theme={theme} size={{ columns: 40, rows: 15 }} />);
    expect(frameLines(inst.lastFrame()).length).toBeLessThanOrEqual(14);
    expect(inst.lastFrame()).toMatch(/1–\d+ of 30/);
    inst.stdin.write('j'.repeat(20));
    await waitFor(() => inst.lastFrame()!.includes('› 덱 21'), 'the selection to move down');
    inst.stdin.write('j'.repeat(20));
    await waitFor(() => inst.lastFrame()!.includes('› 덱 30'), 'the selection to reach the end');
    const f = inst.lastFrame()!;
    expect(f).not.toContain('덱 01');
    expect(f).toMatch(/› 덱 30.*\n.*of 30/);
    expect(frameLines(f).length).toBeLessThanOrEqual(14);
    expect(maxLineWidth(f)).toBeLessThanOrEqual(40);
  });

  it('says when nothing is due today', () => {
    const col = new FakeCollection([deck(1, 'Done deck', 0, 0, 0)], () => []);
    const { lastFrame } = mount(<App collection={col} startScreen="home" theme={theme} size={{ columns: 80, rows: 24 }} />);
    expect(lastFrame()).toContain('Nothing due today — come back tomorrow');
  });

  it('moves with j/k and arrows, opens the selected deck with Enter, all decks with a', async () => {
    const col = fakeCollection();
    const inst = mount(<App collection={col} startScreen="home" theme={theme} size={{ columns: 80, rows: 24 }} />);
    expect(inst.lastFrame()).toContain('› Basics');
    await press(inst, 'j', '› Deep');
    await press(inst, KEY.down, '› 배치 정규화');
    inst.stdin.write(KEY.down); // stays on the last deck
    await press(inst, KEY.up, '› Deep');
    await press(inst, 'k', '› Basics');
    await press(inst, 'j', '› Deep');
    await press(inst, KEY.enter, 'Space show answer');
    expect(col.sessions.at(-1)!.deckId).toBe(3);
    await press(inst, 'q', 'Enter review deck'); // nothing answered: straight back home, selection kept
    expect(inst.lastFrame()).toContain('› Deep');
    await press(inst, 'a', 'Space show answer');
    expect(col.sessions.at(-1)!.deckId).toBeUndefined();
  });
});

describe('Review screen', () => {
  it('question → answer with intervals → grade → next card; passes the answer time', async () => {
    const clock = manualClock();
    const col = fakeCollection();
    const inst = mount(<App collection={col} startScreen="review" now={clock.now} theme={theme} size={{ columns: 80, rows: 24 }} />);
    let f = inst.lastFrame()!;
    expect(f).toContain('배치 정규화');
    expect(f).toContain('new 3 · learning 0 · review 0');
    expect(f).toContain('무엇을 기준으로');
    expect(f).not.toContain('각 feature별로');
    expect(f).toContain('Space show answer');
    clock.advance(4_200);
    f = await press(inst, KEY.space, '1 Again 1m   2 Hard 6m   3 Good 10m   4 Easy 5d');
    expect(f).toContain('각 feature별로');
    expect(f).toMatch(/─{20,}/);
    f = await press(inst, '3', 'scale parameter γ');
    const session = col.sessions[0].session;
    expect(session.answers).toEqual([{ cardId: 1, grade: 3, at: clock.now(), durationMs: 4_200 }]);
    expect(f).toContain('new 2');
    expect(f).toContain('u undo');
    // the answer time is capped at 60 s
    clock.advance(300_000);
    await press(inst, KEY.space, '4 Easy');
    await press(inst, '4', 'x̂ᵢ 의 식은?');
    expect(session.answers[1].durationMs).toBe(60_000);
  });

  it('undo brings the card back with a notice', async () => {
    const clock = manualClock();
    const col = fakeCollection();
    const inst = mount(<App collection={col} startScreen="review" now={clock.now} theme={theme} size={{ columns: 80, rows: 24 }} />);
    await press(inst, KEY.space, '3 Good');
    await press(inst, '2', 'scale parameter γ');
    const f = await press(inst, 'u', 'Undone');
    expect(f).toContain('무엇을 기준으로');
    expect(col.sessions[0].session.answers).toEqual([]);
    expect(f).not.toContain('u undo');
  });

  it('says when the card on screen is a leech', async () => {
    const card = { ...cardView(1, { front: '자꾸 잊는 카드', back: '답' }), lapses: 9, leech: true };
    const session = new FakeSession([card]);
    const inst = mount(<Review session={session} title="t" width={78} height={23} now={manualClock().now} onEnd={() => {}} onHome={() => {}} onQuit={() => {}} />);
    expect(inst.lastFrame()).toContain('leech: forgotten 9×, rewrite or suspend (s)');
  });

  it('s suspends the card on screen, says so, and u brings it back', async () => {
    const clock = manualClock();
    const col = fakeCollection();
    const inst = mount(<App collection={col} startScreen="review" now={clock.now} theme={theme} size={{ columns: 80, rows: 24 }} />);
    const first = await press(inst, KEY.space, '3 Good');
    expect(first).toContain('s suspend');
    let f = await press(inst, 's', 'Suspended');
    expect(f).toContain('scale parameter γ');
    expect(col.sessions[0].session.suspended).toHaveLength(1);
    expect(col.sessions[0].session.answers).toEqual([]);
    f = await press(inst, 'u', 'Undone');
    expect(f).toContain('무엇을 기준으로');
    expect(col.sessions[0].session.suspended).toEqual([]);
  });

  it('q ends the session and shows the summary; any key goes home; q quits', async () => {
    const clock = manualClock();
    const col = fakeCollection();
    const inst = mount(<App collection={col} startScreen="review" now={clock.now} theme={theme} size={{ columns: 80, rows: 24 }} />);
    clock.advance(2000);
    await press(inst, KEY.space, '3 Good');
    await press(inst, '1', 'scale parameter');
    clock.advance(3000);
    await press(inst, KEY.space, '3 Good');
    await press(inst, '3', 'x̂ᵢ');
    const f = await press(inst, 'q', 'Session finished');
    expect(f).toMatch(/Reviewed\s+2 cards/);
    expect(f).toMatch(/Time\s+5s/);
    expect(f).toMatch(/Again\s+50%\s+\(1 of 2\)/);
    expect(f).toMatch(/Due tomorrow\s+7 cards/);
    expect(f).toContain('any key home   q quit');
    await press(inst, 'x', 'Enter review deck');
  });

  it('finishing every card goes to the summary by itself', async () => {
    const col = fakeCollection(KOREAN_CARDS.slice(0, 1));
    const inst = mount(<App collection={col} startScreen="review" theme={theme} size={{ columns: 80, rows: 24 }} />);
    await press(inst, KEY.space, '3 Good');
    await press(inst, '3', 'Session finished');
  });

  it('waits for learning cards, polling, and resumes when one is due', async () => {
    const clock = manualClock(new Date(2026, 2, 2, 10, 0, 0));
    const session = new FakeSession(KOREAN_CARDS.slice(1, 2));
    const inst = mount(
      <Review session={session} title="배치 정규화" width={78} height={23} now={clock.now} pollMs={10} onEnd={() => {}} onHome={() => {}} onQuit={() => {}} />,
    );
    await press(inst, KEY.space, '1 Again');
    let f = await press(inst, '1', 'Learning cards are due at 10:01');
    expect(f).toContain('in 1 min');
    expect(f).toContain('q end session');
    clock.advance(61_000);
    f = await waitFor(() => inst.lastFrame()!.includes('scale parameter γ'), 'the card after the wait').then(() => inst.lastFrame()!);
    expect(f).toContain('learning 1');
  });

  it('scrolls long answers and keeps the layout within 80×24', async () => {
    const long = Array.from({ length: 40 }, (_, i) => `- 항목 ${i + 1}: 아주 긴 설명이 들어가는 줄`).join('\n');
    const col = new FakeCollection([deck(1, 'Long', 1, 0, 0)], () => [cardView(1, { front: 'long answer?', back: long })]);
    const inst = mount(<App collection={col} startScreen="review" theme={theme} size={{ columns: 80, rows: 24 }} />);
    let f = await press(inst, KEY.space, '3 Good');
    expect(frameLines(f).length).toBeLessThanOrEqual(23);
    expect(f).toMatch(/lines 1–\d+ of 42 · ↓ \d+ more/);
    expect(f).toContain('↑↓/jk scroll');
    expect(f).toContain('항목 1:');
    expect(f).not.toContain('항목 40:');
    f = await press(inst, KEY.pageDown, /lines (?!1–)/);
    f = await press(inst, 'j');
    inst.stdin.write('jjjjjjjjjj'); // typed ahead: one chunk, ten key presses (stops at the end)
    await waitFor(() => inst.lastFrame()!.includes('항목 40:'), 'the end of the answer\n' + inst.lastFrame());
    f = inst.lastFrame()!;
    expect(f).toMatch(/lines 26–42 of 42\n/);
    expect(frameLines(f).length).toBeLessThanOrEqual(23);
    await press(inst, 'k');
    await press(inst, KEY.pageUp);
  });

  it('wraps Korean at narrow widths without exceeding them', async () => {
    const col = fakeCollection();
    for (const columns of [40, 30]) {
      const inst = mount(<App collection={col} startScreen="review" theme={theme} size={{ columns, rows: 20 }} />);
      const f = await press(inst, KEY.space, '3 ');
      expect(maxLineWidth(f)).toBeLessThanOrEqual(columns);
      expect(f).toContain('무엇을');
      inst.unmount();
    }
  });

  it('shows math as Unicode on the card', async () => {
    const col = fakeCollection(KOREAN_CARDS.slice(2));
    const inst = mount(<App collection={col} startScreen="review" theme={theme} size={{ columns: 80, rows: 24 }} />);
    const f = await press(inst, KEY.space, '3 Good');
    expect(f).toContain('x̂ᵢ = (xᵢ - μ_B)/√(σ_B² + ε)');
  });

  it('marks the current card state and where it comes from', () => {
    const col = fakeCollection([cardView(5, { front: 'Q', back: 'A', state: CardState.Review })]);
    const { lastFrame } = mount(<App collection={col} startScreen="review" theme={theme} size={{ columns: 80, rows: 24 }} />);
    expect(lastFrame()).toMatch(/review {2}decks\/test\.md:15/);
  });

  it('says so when nothing is due, and goes home on any key', async () => {
    const col = new FakeCollection([deck(1, 'Done', 0, 0, 0)], () => []);
    const inst = mount(<App collection={col} startScreen="review" theme={theme} size={{ columns: 80, rows: 24 }} />);
    expect(inst.lastFrame()).toContain('Nothing to review right now');
    expect(inst.lastFrame()).toContain('any key home   q quit');
    await press(inst, ' ', 'Nothing due today');
  });
});

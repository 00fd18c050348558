// The screens on the real core: a temporary collection, a Markdown deck, real answers in SQLite.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { computeStats } from '../../src/core/stats.js';
import { App } from '../../src/ui/app.js';
import { createTheme } from '../../src/ui/theme.js';
import { openTemp, T0, writeDeck } from '../helpers/tmp.js';
import { KEY, press } from './helpers.js';

const instances: { unmount(): void }[] = [];
afterEach(() => {
  for (const i of instances.splice(0)) i.unmount();
});

describe('review on the real core', () => {
  it('answers are committed, undo removes one, the summary counts what is left', async () => {
    const { col, decks } = openTemp();
    writeDeck(
      decks,
      'bn.md',
      `---\nname: 배치 정규화\ndescription: BN 카드\n---\n\nQ: 배치 정규화는 무엇을 기준으로 계산하는가?\nA: 미니배치 안에서 **각 feature별로**\n\nR: scale parameter $\\gamma$\nA: 곱해지는 학습 가능한 파라미터\n\nQ: 셋째 질문\nA: 셋째 답\n`,
    );
    col.sync([decks], T0);
    let t = T0.getTime();
    const now = () => new Date(t);
    const inst = render(<App collection={col} startScreen="home" now={now} theme={createTheme({ noColor: true })} size={{ columns: 80, rows: 24 }} />);
    instances.push(inst);
    expect(inst.lastFrame()).toMatch(/› 배치 정규화 {2}BN 카드\s+3\s+0\s+0/);
    await press(inst, KEY.enter, 'Space show answer');
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      t += 3000;
      seen.push(await press(inst, KEY.space, '3 Good'));
      await press(inst, '3');
    }
    const all = seen.join('\n');
    expect(all).toContain('각 feature별로');
    expect(all).toContain('scale parameter γ');
    const count = () => (col.db.prepare('SELECT count(*) AS n FROM revlog').get() as { n: number }).n;
    expect(count()).toBe(3);
    await press(inst, 'u', 'Undone');
    expect(count()).toBe(2);
    const f = await press(inst, 'q', 'Session finished');
    expect(f).toMatch(/Reviewed\s+2 cards/);
    expect(f).toMatch(/Time\s+6s/);
    const durations = (col.db.prepare('SELECT duration_ms AS d FROM revlog').all() as { d: number }[]).map((r) => r.d);
    expect(durations).toEqual([3000, 3000]);
    await press(inst, ' ', 'Enter review deck');
  });

  it('s on the home screen opens the statistics of the collection; q goes back home', async () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'a.md', '---\nname: 통계 덱\n---\nQ: 하나\nA: 1\n\nQ: 둘\nA: 2\n');
    col.sync([decks], T0);
    col.session({ now: T0 }).answer(col.session({ now: T0 }).current(T0)!.cardId, 3, T0, 2000);
    const now = () => T0;
    const inst = render(
      <App collection={col} startScreen="home" now={now} theme={createTheme({ noColor: true })} size={{ columns: 80, rows: 24 }}
        loadStats={(t, deckId) => computeStats(col, { now: t, deckId })} />,
    );
    instances.push(inst);
    expect(inst.lastFrame()).toContain('s statistics');
    const f = await press(inst, 's', 'Statistics · All decks');
    expect(f).toMatch(/Reviewed\s+1 answer/);
    await press(inst, 'q', 'Enter review deck');
    expect(inst.lastFrame()).toContain('통계 덱');
  });
});

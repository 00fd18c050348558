// The statistics screen (ink-testing-library) at 80×24 and 160×50, and the plain-text summary.
import { render } from 'ink-testing-library';
import stringWidth from 'string-width';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { computeStats, type Stats } from '../../src/core/stats.js';
import { lineText } from '../../src/core/text/styled.js';
import { formatStatsText, SECTIONS, sectionLines, StatsScreen, tabLines } from '../../src/ui/stats/index.js';
import { createTheme, ThemeContext } from '../../src/ui/theme.js';
import { addReview, at, DAY, makeFixture, setCard } from './fixture.js';
import { openTemp, writeDeck } from '../helpers/tmp.js';

const NOW = at(2026, 3, 10, 10);
const KEY = { right: '\u001B[C', left: '\u001B[D', down: '\u001B[B', up: '\u001B[A', tab: '\t', shiftTab: '\u001B[Z', escape: '\u001B', pageDown: '\u001B[6~' };

/** A collection with some of everything: history over two months, states, an exercise, Korean deck names. */
function richStats(): Stats {
  const { col, decks } = openTemp();
  writeDeck(decks, 'a.md', `---\nname: 딥러닝::배치 정규화와 레이어 정규화\n---\n${Array.from({ length: 8 }, (_, i) => `\nQ: 질문 ${i}\nA: 답 ${i}\n`).join('')}`);
  writeDeck(decks, 'b.md', `---\nname: 딥러닝\nretention: 0.85\n---\n${Array.from({ length: 6 }, (_, i) => `\nQ: q ${i}\nA: a ${i}\n`).join('')}`);
  writeDeck(decks, 'c.md', `---\nname: ml::loss curves\n---\n${Array.from({ length: 6 }, (_, i) => `\nQ: loss ${i}\nA: curve ${i}\n`).join('')}`);
  col.sync([decks], at(2025, 12, 1));
  const ids = (col.db.prepare('SELECT id FROM cards ORDER BY id').all() as { id: number }[]).map((r) => r.id);
  const t = NOW.getTime();
  ids.forEach((id, i) => {
    if (i % 5 === 4) return; // new
    const s = 1 + (i * 7) % 60;
    const last = t - ((i * 3) % 20) * DAY;
    setCard(col, id, { state: i % 7 === 3 ? 3 : 2, due: last + s * DAY, stability: s, difficulty: 1 + (i % 9), lastReview: last, suspended: i === 1 });
  });
  for (let d = 60; d >= 0; d--) {
    if (d % 9 === 4) continue; // days off
    for (let k = 0; k < 1 + ((d * 5) % 7); k++) {
      const card = ids[(d + k) % ids.length];
      addReview(col, { card, at: new Date(t - d * DAY - k * 600_000 - 3_600_000), rating: (d + k) % 6 === 0 ? 1 : 3, state: (k % 4) as 0 | 1 | 2 | 3, ivl: 3 + ((d * k) % 40), ms: 4000 + k * 1000,
        exercise: k === 1 ? { seed: d, given: '1', expected: '1', correct: d % 3 !== 0 } : undefined });
    }
  }
  return computeStats(col, { now: NOW });
}

let STATS: Stats;
beforeAll(() => {
  STATS = richStats();
});

const theme = createTheme({ noColor: true });
const instances: { unmount(): void }[] = [];
afterEach(() => {
  for (const i of instances.splice(0)) i.unmount();
});

function mount(stats: Stats, columns: number, rows: number, handlers: { quit?: () => void; refresh?: () => void } = {}) {
  const inst = render(
    <ThemeContext.Provider value={theme}>
      <StatsScreen stats={stats} onQuit={handlers.quit ?? (() => {})} onRefresh={handlers.refresh} size={{ columns, rows }} />
    </ThemeContext.Provider>,
  );
  instances.push(inst);
  return inst;
}

async function waitFor(cond: () => boolean, what: string): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > 3000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function press(inst: ReturnType<typeof mount>, key: string, expect?: string | RegExp): Promise<string> {
  const before = inst.lastFrame();
  inst.stdin.write(key);
  const ok = () => {
    const f = inst.lastFrame() ?? '';
    return expect === undefined ? f !== before : typeof expect === 'string' ? f.includes(expect) : expect.test(f);
  };
  await waitFor(ok, `${JSON.stringify(key)} → ${String(expect ?? 'a change')}\n${inst.lastFrame()}`);
  return inst.lastFrame() ?? '';
}

const lines = (f: string) => f.split('\n');
const widest = (f: string) => Math.max(...lines(f).map((l) => stringWidth(l)));

describe.each([
  [80, 24],
  [160, 50],
])('stats screen at %i×%i', (columns, rows) => {
  it('shows every section within the terminal, moving with the number keys', async () => {
    const inst = mount(STATS, columns, rows);
    const expected = ['Today, Tue 2026-03-10', 'Forecast, next 30 days', 'Reviews in the last year', 'Reviews per day, last 30 days',
      'True retention', 'Card counts', 'Decks', 'Calibration', 'Exercises'];
    let frame = inst.lastFrame()!;
    expect(frame).toContain(expected[0]);
    for (let i = 0; i < SECTIONS.length; i++) {
      if (i > 0) frame = await press(inst, String(i + 1), `[${i + 1} `); // the current tab, marked without colour
      expect(lines(frame)[3]).toContain(expected[i]);
      expect(widest(frame)).toBeLessThanOrEqual(columns);
      expect(lines(frame).length).toBeLessThanOrEqual(rows - 1);
      expect(frame).toMatch(/q quit/);
    }
  });

  it('aligns Korean deck names in the deck table', async () => {
    const inst = mount(STATS, columns, rows);
    const frame = await press(inst, '7', '[7 ');
    const table = lines(frame).filter((l) => /\d+\s+\d+\s+\d+\s+\d+\s+(\d|—)/.test(l));
    expect(table.length).toBeGreaterThanOrEqual(4); // three decks and the total
    expect(frame).toContain('딥러닝');
    // The sub-deck is indented under its parent, and the numbers end in the same display columns.
    expect(frame).toMatch(/\n {2}배치 정규화와 레이어 정규화\s/);
    const endOfCards = table.map((l) => stringWidth(l.match(/^.*?\S\s+\d[\d,]*/)![0]));
    expect(new Set(endOfCards).size).toBe(1);
  });
});

describe('stats screen keys', () => {
  it('moves with ←/→, Tab and Shift-Tab, wraps around, and quits with q and Esc', async () => {
    let quits = 0;
    let refreshes = 0;
    const inst = mount(STATS, 80, 24, { quit: () => quits++, refresh: () => refreshes++ });
    await press(inst, KEY.right, '[2 Due]');
    await press(inst, KEY.tab, '[3 Year]');
    await press(inst, KEY.shiftTab, '[2 Due]');
    await press(inst, KEY.left, '[1 Today]');
    await press(inst, KEY.left, '[9 Exer]');
    await press(inst, 'l', '[1 Today]');
    inst.stdin.write('r');
    await waitFor(() => refreshes === 1, 'refresh');
    inst.stdin.write('q');
    await waitFor(() => quits === 1, 'q');
    inst.stdin.write(KEY.escape);
    await waitFor(() => quits === 2, 'Esc');
  });

  it('scrolls a section taller than the terminal', async () => {
    const inst = mount(STATS, 80, 24);
    let frame = await press(inst, '6', 'Card counts');
    expect(frame).toMatch(/↑↓ scroll/);
    const pos = frame.match(/1–(\d+) of (\d+)/)!;
    expect(Number(pos[2])).toBeGreaterThan(Number(pos[1]));
    const page = Number(pos[1]);
    frame = await press(inst, KEY.down, `2–${page + 1} of`);
    expect(frame).not.toContain('Card counts');
    await press(inst, KEY.pageDown, `${page + 2}–${2 * page + 1} of`);
    await press(inst, KEY.up, `${page + 1}–${2 * page} of`);
    frame = await press(inst, '6', `1–${page} of`); // choosing a section starts it at the top
    expect(frame).toContain('Card counts');
  });

  it('counts every key typed ahead in one burst', async () => {
    const inst = mount(STATS, 80, 24);
    await press(inst, '6', '[6 ');
    await press(inst, 'jjj', /4–\d+ of/);
    await press(inst, 'kk', /2–\d+ of/);
  });

  it('draws the tab bar on one line at 80 columns and with full titles when wide', () => {
    expect(tabLines(0, 79).map(lineText)).toEqual(['[1 Today] 2 Due  3 Year  4 Daily  5 Retain  6 Cards  7 Decks  8 Calib  9 Exer ']);
    expect(lineText(tabLines(7, 159)[0])).toContain('[8 Calibration]');
    expect(tabLines(0, 40).length).toBeGreaterThan(1);
  });
});

describe('charts without colour', () => {
  it('tells series apart by glyph, and carries tones for colour', () => {
    const reviews = sectionLines(3, STATS, { width: 80, height: 30 }).map(lineText).join('\n');
    expect(reviews).toContain('█ review   ▒ learning   ░ relearning');
    expect(reviews).toMatch(/▒/);
    const forecast = sectionLines(1, STATS, { width: 80, height: 20 });
    const tones = new Set(forecast.flat().map((s) => s.style?.tone).filter(Boolean));
    expect(tones).toEqual(expect.objectContaining({}));
    expect([...tones]).toEqual(expect.arrayContaining(['review', 'heading', 'muted']));
    const cal = sectionLines(2, STATS, { width: 80, height: 20 }).map(lineText);
    expect(cal.some((l) => l.startsWith('Mon '))).toBe(true);
    expect(cal.join('\n')).toContain('Less · ░ ▒ ▓ █ More');
  });

  it('draws the heatmap with one column a week, Monday on top, shaded by count', () => {
    const f = makeFixture();
    const [m1] = f.cards['수학'];
    for (let i = 0; i < 8; i++) addReview(f.col, { card: m1, at: at(2026, 3, 10, 8, i), rating: 3 }); // today: Tuesday, 8
    addReview(f.col, { card: m1, at: at(2026, 3, 9, 8), rating: 3 }); // Monday: 1
    for (let i = 0; i < 4; i++) addReview(f.col, { card: m1, at: at(2026, 3, 8, 8, i), rating: 3 }); // Sunday: 4
    const s = computeStats(f.col, { now: NOW });
    const cal = sectionLines(2, s, { width: 79, height: 20 }).map(lineText);
    const row = (name: string) => cal.find((l) => l.startsWith(name))!;
    const mon = row('Mon ');
    const tue = cal[cal.indexOf(mon) + 1];
    const sun = cal[cal.indexOf(mon) + 6];
    expect(mon.trimEnd().endsWith('░')).toBe(true); // 1 of 8: the lightest shade
    expect(tue.trimEnd().endsWith('█')).toBe(true); // 8 of 8: the darkest
    expect(sun.trimEnd().endsWith('▒')).toBe(true); // 4 of 8
    expect(cal[cal.indexOf(mon) + 2].trimEnd().length).toBe(tue.trimEnd().length - 1); // Wednesday of this week is still to come
  });
});

describe('long ranges', () => {
  it('sums days into columns when there are more days than columns', () => {
    const f = makeFixture();
    setCard(f.col, f.cards['수학'][0], { state: 2, due: at(2026, 12, 1), stability: 200, lastReview: at(2026, 3, 1) });
    const s = computeStats(f.col, { now: NOW, days: 365 });
    for (const i of [1, 3]) {
      const text = sectionLines(i, s, { width: 80, height: 20 }).map(lineText);
      expect(text.join('\n')).toContain('(5 days a column)');
      expect(Math.max(...text.map((l) => stringWidth(l)))).toBeLessThanOrEqual(80);
    }
  });
});

describe('plain-text summary', () => {
  it.each([40, 80, 160])('prints every section within %i columns, without escape codes', (width) => {
    const text = formatStatsText(STATS, width);
    expect(text).not.toMatch(/\u001B\[/);
    for (const l of text.split('\n')) expect(stringWidth(l)).toBeLessThanOrEqual(width);
    for (const t of ['Statistics · All decks', 'Forecast, next 30 days', 'Reviews in the last year', 'True retention', 'Card counts', 'Stability', 'Difficulty',
      'Recall now', 'Decks', 'Calibration', 'Exercises']) expect(text).toContain(t);
    expect(text).toContain('딥러닝');
  });

  it('reads well for an empty collection', () => {
    const { col } = openTemp();
    const text = formatStatsText(computeStats(col, { now: NOW }), 80);
    expect(text).toContain('nothing yet today');
    expect(text).toContain('No reviews of learned cards yet.');
    expect(text).toContain('No exercise answers in the last year.');
    expect(text).toContain('No cards yet.');
  });
});

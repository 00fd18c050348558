// A real person's review history (../shared/fixtures/revlog, py-fsrs test data: 12,580 reviews of
// 1,205 cards; the first 3,000 here, to stay fast) answered through the collection at its own times,
// then checked against figures computed independently here. Skips, with a message, where the shared
// fixtures are absent.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dayStart } from '../../src/core/scheduler.js';
import { computeStats } from '../../src/core/stats.js';
import type { Grade } from '../../src/core/types.js';
import { openTemp, writeDeck } from '../helpers/tmp.js';

const CSV = join(__dirname, '../../../shared/fixtures/revlog/py-fsrs_review_logs_josh.csv');
const present = existsSync(CSV);
if (!present) console.warn(`skipping the real review-log test: ${CSV} is not there`);

describe.skipIf(!present)('a real review history', () => {
  it('gives figures that agree with the log', () => {
    const rows = readFileSync(CSV, 'utf8').trim().split('\n').slice(1).map((l) => {
      const [card, rating, time, ms] = l.split(',');
      return { card, rating: Number(rating) as Grade, at: new Date(time), ms: Number(ms) };
    }).sort((a, b) => a.at.getTime() - b.at.getTime()).slice(0, 3000);
    const keys = [...new Set(rows.map((r) => r.card))];
    const { col, decks } = openTemp();
    writeDeck(decks, 'josh.md', `---\nname: josh\n---\n${keys.map((k) => `\nQ: card ${k}\nA: answer\n`).join('')}`);
    col.sync([decks], rows[0].at);
    const ids = (col.db.prepare('SELECT id FROM cards ORDER BY id').all() as { id: number }[]).map((r) => r.id);
    const idOf = new Map(keys.map((k, i) => [k, ids[i]]));
    const seen = new Set<string>();
    const lastDay = new Map<string, number>();
    let again = 0;
    let laterDay = 0;
    let passedLaterDay = 0;
    col.db.transaction(() => {
      for (const r of rows) {
        col.answer(idOf.get(r.card)!, r.rating, r.at, r.ms);
        const day = dayStart(r.at, 4).getTime();
        const prev = lastDay.get(r.card);
        if (prev != null && prev < day) {
          laterDay++;
          if (r.rating > 1) passedLaterDay++;
        }
        lastDay.set(r.card, day);
        seen.add(r.card);
        if (r.rating === 1) again++;
      }
    })();
    const now = new Date(rows[rows.length - 1].at.getTime() + 3_600_000);
    const s = computeStats(col, { now, days: 7 });

    // Study days, counted here from the answer times with the scheduler's own dayStart.
    const days = [...new Set(rows.map((r) => dayStart(r.at, 4).getTime()))].sort((a, b) => a - b);
    let longest = 0;
    let run = 0;
    for (let i = 0; i < days.length; i++) {
      const prev = i ? new Date(days[i - 1]) : null;
      if (prev) prev.setDate(prev.getDate() + 1);
      run = prev && prev.getTime() === days[i] ? run + 1 : 1;
      longest = Math.max(longest, run);
    }
    expect(s.streak.studyDays).toBe(days.length);
    expect(s.streak.longest).toBe(longest);
    expect(s.calendar.total).toBe(rows.length); // all within the last year
    if (process.env.SRS_STATS_REPORT) console.log(JSON.stringify({ calibration: s.calibration, retention: s.retention.periods.at(-1) }));

    // Calibration counts the answers to cards last seen on an earlier study day.
    expect(s.calibration.reviews).toBe(laterDay);
    expect(s.calibration.bins.reduce((a, b) => a + b.passed, 0)).toBe(passedLaterDay);
    expect(s.calibration.rmse!).toBeGreaterThan(0);
    expect(s.calibration.rmse!).toBeLessThan(0.15);
    expect(s.counts.total).toBe(keys.length);
    expect(s.counts.new).toBe(keys.length - seen.size);
    const revlog = col.db.prepare('SELECT count(*) AS n, sum(rating = 1) AS again FROM revlog').get() as { n: number; again: number };
    expect([revlog.n, revlog.again]).toEqual([rows.length, again]);
  });
});

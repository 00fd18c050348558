// computeStats on hand-built review logs with pinned dates (TZ=Asia/Seoul, day start 04:00): exact figures.
import Database from 'better-sqlite3';
import { forgetting_curve, generatorParameters } from 'ts-fsrs';
import type { Collection } from '../../src/core/collection.js';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { REVLOG_RECALL_R } from '../../src/core/db.js';
import { computeStats, computeToday, forgettingCurve, recallSql } from '../../src/core/stats.js';
import { addReview, at, DAY, makeFixture, setCard } from './fixture.js';

const W = generatorParameters().w;
const R = (t: number, s: number) => forgetting_curve(W, t, s);
const NOW = at(2026, 3, 10, 10); // Tuesday 2026-03-10 10:00 KST

/** The review log of the first tests: a day-start boundary, a gap, an old streak. */
function activityFixture() {
  const f = makeFixture();
  const [m1, m2, m3, m4, m5, m6] = f.cards['수학'];
  const [o1] = f.cards.other;
  addReview(f.col, { card: m1, at: at(2026, 3, 10, 9, 0), rating: 3, state: 0, ms: 5000 }); // today, new
  addReview(f.col, { card: m2, at: at(2026, 3, 10, 4, 0), rating: 1, state: 2, ms: 7000 }); // today: 04:00 opens the day
  addReview(f.col, { card: m1, at: at(2026, 3, 10, 9, 30), rating: 3, state: 1, ms: 3000 }); // today, same card again
  addReview(f.col, { card: m3, at: at(2026, 3, 10, 3, 59), rating: 3, state: 2 }); // 03:59: still the 9th
  addReview(f.col, { card: m4, at: at(2026, 3, 9, 4, 0), rating: 3, state: 3 }); // the 9th, relearning
  addReview(f.col, { card: m5, at: at(2026, 3, 8, 23, 0), rating: 2, state: 2 }); // the 8th; nothing on the 7th
  for (let d = 2; d <= 6; d++) addReview(f.col, { card: m6, at: at(2026, 3, d, 12), rating: 3, state: 2 }); // 5 days in a row
  addReview(f.col, { card: m6, at: at(2025, 12, 1, 12), rating: 3, state: 2 }); // within the calendar year
  addReview(f.col, { card: o1, at: at(2024, 1, 1, 12), rating: 3, state: 2 }); // older than a year
  // A manual entry (rating 0) is not a review.
  f.col.db.prepare(`INSERT INTO revlog (card_id, reviewed_at, rating, state_before, due_before, stability_before, difficulty_before, elapsed_days,
    card_before, state_after, due_after, stability_after, difficulty_after, scheduled_days) VALUES (?, ?, 0, 2, 0, 1, 5, 1, '{}', 2, 0, 1, 5, 1)`)
    .run(m1, at(2026, 3, 7, 12).getTime());
  return f;
}

describe('today, streaks, calendar and reviews per day', () => {
  it('counts today from the day-start hour and splits by state', () => {
    const { col } = activityFixture();
    const s = computeStats(col, { now: NOW, days: 7 });
    expect(s.dayStartHour).toBe(4);
    expect(s.timeZone).toBe('local');
    expect(s.today).toEqual({
      date: '2026-03-10', reviews: 3, cards: 2, timeMs: 15000, again: 1, againRate: 1 / 3, newCards: 1,
      learning: 2, review: 1, relearning: 0,
    });
    expect(s.streak).toEqual({ current: 3, longest: 5, studyDays: 10, studiedToday: true, lastStudyDate: '2026-03-10' });
    expect(s.reviews.days.map((d) => [d.date, d.total])).toEqual([
      ['2026-03-04', 1], ['2026-03-05', 1], ['2026-03-06', 1], ['2026-03-07', 0], ['2026-03-08', 1], ['2026-03-09', 2], ['2026-03-10', 3],
    ]);
    expect(s.reviews.days[5]).toEqual({ day: -1, date: '2026-03-09', learning: 0, review: 1, relearning: 1, total: 2, again: 0, newCards: 0, timeMs: 2000 });
    expect(s.reviews.days[6]).toMatchObject({ day: 0, learning: 2, review: 1, relearning: 0, again: 1, newCards: 1, timeMs: 15000 });
    expect(s.reviews).toMatchObject({ total: 9, timeMs: 21000, activeDays: 6, perDay: 9 / 7 });
    expect(s.calendar.days).toHaveLength(365);
    expect(s.calendar.days[0]).toMatchObject({ day: -364, date: '2025-03-11' });
    expect(s.calendar.days[364]).toEqual({ day: 0, date: '2026-03-10', weekday: 1, reviews: 3 });
    expect(s.calendar.days.find((d) => d.date === '2025-12-01')!.reviews).toBe(1);
    expect(s.calendar).toMatchObject({ total: 12, activeDays: 9, max: 3 });
  });

  it('keeps the streak until the day ends, and loses it the day after', () => {
    const { col } = activityFixture();
    const stillOpen = computeStats(col, { now: at(2026, 3, 11, 3, 0) }); // before 04:00: still the 10th
    expect(stillOpen.today.date).toBe('2026-03-10');
    expect(stillOpen.today.reviews).toBe(3);
    const nextDay = computeStats(col, { now: at(2026, 3, 11, 10) });
    expect(nextDay.today.reviews).toBe(0);
    expect(nextDay.today.againRate).toBeNull();
    expect(nextDay.streak).toMatchObject({ current: 3, longest: 5, studiedToday: false, lastStudyDate: '2026-03-10' });
    expect(computeStats(col, { now: at(2026, 3, 12, 10) }).streak).toMatchObject({ current: 0, longest: 5, studyDays: 10 });
  });

  it('moves the day boundaries with the day-start hour', () => {
    const { col } = activityFixture();
    // Day start at midnight: 03:59 on the 10th is the 10th, 23:00 on the 8th stays the 8th.
    const s = computeStats(col, { now: NOW, days: 3, dayStartHour: 0 });
    expect(s.reviews.days.map((d) => d.total)).toEqual([1, 1, 4]);
    expect(s.today.cards).toBe(3);
  });

  it('buckets by another time zone when asked (fixed offset and named zone)', () => {
    const { col } = activityFixture();
    // In UTC, 10:00 KST on the 10th is 01:00 UTC: still the study day of the 9th. The reviews of
    // 04:00, 09:00 and 09:30 KST on the 10th (19:00, 00:00, 00:30 UTC) and 03:59 KST all fall on the 9th.
    const utc = computeStats(col, { now: NOW, days: 3, utcOffsetMinutes: 0 });
    expect(utc.timeZone).toBe('UTC+00:00');
    expect(utc.today).toMatchObject({ date: '2026-03-09', reviews: 4, cards: 3 });
    expect(utc.reviews.days.map((d) => [d.date, d.total])).toEqual([['2026-03-07', 0], ['2026-03-08', 2], ['2026-03-09', 4]]);
    // 12:00 KST on 2–6 March is 03:00 UTC: the UTC study days 1–5 March; the 6th and 7th are empty.
    expect(utc.streak).toMatchObject({ current: 2, longest: 5, studyDays: 9 });
    const named = computeStats(col, { now: NOW, days: 3, timeZone: 'Asia/Seoul' });
    expect(named.reviews.days).toEqual(computeStats(col, { now: NOW, days: 3 }).reviews.days);
  });

  it('handles the 23-hour day of a DST change (America/New_York)', () => {
    const f = makeFixture();
    const [m1, m2, m3] = f.cards['수학'];
    addReview(f.col, { card: m1, at: new Date(Date.UTC(2026, 2, 8, 7, 30)), rating: 3 }); // 03:30 EDT: the 7th
    addReview(f.col, { card: m2, at: new Date(Date.UTC(2026, 2, 8, 8, 0)), rating: 3 }); // 04:00 EDT: the 8th
    addReview(f.col, { card: m3, at: new Date(Date.UTC(2026, 2, 7, 8, 30)), rating: 3 }); // 03:30 EST: the 6th
    const s = computeStats(f.col, { now: new Date(Date.UTC(2026, 2, 8, 15)), days: 3, timeZone: 'America/New_York' });
    expect(s.reviews.days.map((d) => [d.date, d.total])).toEqual([['2026-03-06', 1], ['2026-03-07', 1], ['2026-03-08', 1]]);
    expect(s.streak.current).toBe(3);
  });

  it('gives the end-of-session summary the same figures (computeToday)', () => {
    const { col } = activityFixture();
    expect(computeToday(col, { now: NOW })).toEqual(computeStats(col, { now: NOW }).today);
  });
});

describe('true retention', () => {
  it('splits the pass rate of review cards into young and mature by the scheduled interval, per period', () => {
    const f = makeFixture();
    const [m1, m2, m3, m4, m5, m6] = f.cards['수학'];
    const c = (card: number, d: Date, rating: 1 | 3, ivl: number, state: 0 | 1 | 2 | 3 = 2) => addReview(f.col, { card, at: d, rating, ivl, state });
    c(m1, at(2026, 3, 10, 8), 3, 10); // today: young pass
    c(m2, at(2026, 3, 10, 8), 1, 10); // today: young fail
    c(m3, at(2026, 3, 10, 8), 3, 30); // today: mature pass
    c(m4, at(2026, 3, 10, 8), 1, 1, 1); // learning: not counted
    c(m5, at(2026, 3, 10, 8), 1, 1, 3); // relearning: not counted
    c(m4, at(2026, 3, 9, 12), 1, 21); // yesterday: mature (21 days is mature) fail
    c(m5, at(2026, 3, 9, 12), 3, 20); // yesterday: young pass
    c(m6, at(2026, 3, 7, 12), 3, 5); // 3 days ago: young pass ×2
    c(m6, at(2026, 3, 7, 13), 3, 5);
    c(m1, at(2026, 2, 18, 12), 3, 40); // 20 days ago: mature pass
    c(m2, at(2026, 2, 18, 12), 1, 3); // 20 days ago: young fail
    c(m3, at(2025, 11, 30, 12), 3, 60); // 100 days ago: mature pass
    c(m3, at(2025, 2, 3, 12), 3, 3); // 400 days ago: outside every period
    const s = computeStats(f.col, { now: NOW });
    const pr = (reviews: number, passed: number) => ({ reviews, passed, rate: reviews ? passed / reviews : null });
    const got = Object.fromEntries(s.retention.periods.map((p) => [p.key, [p.young, p.mature, p.all]]));
    expect(got).toEqual({
      today: [pr(2, 1), pr(1, 1), pr(3, 2)],
      yesterday: [pr(1, 1), pr(1, 0), pr(2, 1)],
      week: [pr(5, 4), pr(2, 1), pr(7, 5)],
      month: [pr(6, 4), pr(3, 2), pr(9, 6)],
      year: [pr(6, 4), pr(4, 3), pr(10, 7)],
    });
    expect(s.retention.periods.map((p) => [p.label, p.from, p.to])).toEqual([
      ['Today', 0, 0], ['Yesterday', -1, -1], ['Last 7 days', -6, 0], ['Last 30 days', -29, 0], ['Last year', -364, 0],
    ]);
    // Desired retention: 9 cards at 0.9 and 3 at 0.85, weighted by cards; one deck alone gives its own.
    expect(s.retention.desired).toBeCloseTo((9 * 0.9 + 3 * 0.85) / 12, 12);
    expect([s.retention.desiredMin, s.retention.desiredMax]).toEqual([0.85, 0.9]);
    expect(computeStats(f.col, { now: NOW, deckId: f.deckId('other') }).retention.desired).toBe(0.85);
    expect(computeStats(f.col, { now: NOW, deckId: f.deckId('수학') }).retention.periods[0].all).toEqual(pr(3, 2));
    expect(computeStats(f.col, { now: NOW, deckId: f.deckId('other') }).retention.periods[4].all).toEqual(pr(0, 0));
  });
});

describe('forecast', () => {
  it('counts cards due per study day with the overdue backlog apart', () => {
    const f = makeFixture();
    const [m1, m2, m3, m4, m5, m6] = f.cards['수학'];
    const [, l2, l3] = f.cards['수학::선형대수'];
    const [o1] = f.cards.other;
    setCard(f.col, m1, { state: 2, due: at(2026, 3, 8, 12), stability: 5 }); // overdue
    setCard(f.col, m2, { state: 1, due: at(2026, 3, 10, 9), stability: 1 }); // today (after the day start)
    setCard(f.col, m3, { state: 2, due: at(2026, 3, 11, 3, 59), stability: 5 }); // still today
    setCard(f.col, m4, { state: 2, due: at(2026, 3, 11, 4, 0), stability: 5 }); // tomorrow
    setCard(f.col, m5, { state: 3, due: at(2026, 4, 8, 12), stability: 5 }); // day 29, the last of 30
    setCard(f.col, m6, { state: 2, due: at(2026, 4, 9, 12), stability: 5 }); // day 30: outside
    setCard(f.col, l2, { state: 2, due: at(2026, 3, 10, 12), stability: 5, suspended: true });
    setCard(f.col, l3, { state: 2, due: at(2026, 3, 10, 12), stability: 5, retired: true });
    setCard(f.col, o1, { state: 2, due: at(2026, 3, 10, 3, 0), stability: 5 }); // overdue: before today's 04:00
    const s = computeStats(f.col, { now: NOW });
    expect(s.forecast.days).toHaveLength(30);
    expect(s.forecast.overdue).toBe(2);
    expect(s.forecast.dueToday).toBe(4);
    expect(s.forecast.days[0]).toEqual({ day: 0, date: '2026-03-10', learning: 1, review: 1, total: 2 });
    expect(s.forecast.days[1]).toEqual({ day: 1, date: '2026-03-11', learning: 0, review: 1, total: 1 });
    expect(s.forecast.days[29]).toEqual({ day: 29, date: '2026-04-08', learning: 1, review: 0, total: 1 });
    expect(s.forecast.days.slice(2, 29).every((d) => d.total === 0)).toBe(true);
    expect(s.forecast.total).toBe(4);
    const longer = computeStats(f.col, { now: NOW, days: 31 });
    expect(longer.forecast.days[30]).toMatchObject({ date: '2026-04-09', review: 1 });
    const one = computeStats(f.col, { now: NOW, deckId: f.deckId('other') });
    expect([one.forecast.overdue, one.forecast.total]).toEqual([1, 0]);
  });
});

describe('cards: counts by state, per deck, distributions', () => {
  function cardsFixture() {
    const f = makeFixture();
    const [, m2, m3, m4, m5, m6] = f.cards['수학'];
    const [, l2, l3] = f.cards['수학::선형대수'];
    const [o1] = f.cards.other;
    const t = NOW.getTime();
    const ago = (d: number) => t - d * DAY;
    setCard(f.col, m2, { state: 1, due: t + 600_000, stability: 0.5, difficulty: 5, lastReview: t - 3_600_000 });
    setCard(f.col, m3, { state: 2, due: ago(5) + 10 * DAY, stability: 10, difficulty: 3, lastReview: ago(5) }); // young
    setCard(f.col, m4, { state: 2, due: ago(30) + 45 * DAY, stability: 40, difficulty: 8, lastReview: ago(30) }); // mature
    setCard(f.col, m5, { state: 3, due: t + 3_600_000, stability: 2, difficulty: 9, lastReview: ago(1) });
    setCard(f.col, m6, { state: 2, due: ago(10) + 60 * DAY, stability: 50, difficulty: 4, lastReview: ago(10), suspended: true });
    setCard(f.col, l2, { state: 2, due: ago(200) + 100 * DAY, stability: 10, difficulty: 1, lastReview: ago(200) }); // mature, long overdue
    setCard(f.col, l3, { state: 2, due: ago(3) + 30 * DAY, stability: 20, difficulty: 5, lastReview: ago(3), retired: true });
    setCard(f.col, o1, { state: 2, due: ago(6) + 3 * DAY, stability: 3, difficulty: 5.4, lastReview: ago(6) }); // young, overdue
    return f;
  }

  it('counts cards by state, with suspended and retired apart', () => {
    const s = computeStats(cardsFixture().col, { now: NOW });
    expect(s.counts).toEqual({ new: 4, learning: 1, young: 2, mature: 2, relearning: 1, suspended: 1, retired: 1, total: 12 });
  });

  it('sums up each deck, with Korean names sorted and recall averaged', () => {
    const f = cardsFixture();
    const s = computeStats(f.col, { now: NOW });
    const rm = [R(1 / 24, 0.5), R(5, 10), R(30, 40), R(1, 2)];
    expect(s.decks.map((d) => d.name)).toEqual(['other', '수학', '수학::선형대수']);
    const [other, math, linalg] = s.decks;
    expect(other).toMatchObject({ total: 3, new: 2, learned: 1, mature: 0, suspended: 0, dueToday: 1, desiredRetention: 0.85 });
    expect(other.avgRetrievability).toBeCloseTo(R(6, 3), 6);
    expect(math).toMatchObject({ total: 6, new: 1, learned: 5, mature: 2, suspended: 1, dueToday: 2, desiredRetention: 0.9 });
    expect(math.avgRetrievability).toBeCloseTo(rm.reduce((a, b) => a + b) / 4, 6);
    expect(linalg).toMatchObject({ total: 2, new: 1, learned: 1, mature: 1, suspended: 0, dueToday: 1 });
    expect(linalg.avgRetrievability).toBeCloseTo(R(200, 10), 6);
    // A deck with its sub-decks.
    const one = computeStats(f.col, { now: NOW, deckId: f.deckId('수학') });
    expect(one.scope).toEqual({ deckId: f.deckId('수학'), deckName: '수학', deckIds: [f.deckId('수학'), f.deckId('수학::선형대수')].sort((a, b) => a - b) });
    expect(one.decks.map((d) => d.name)).toEqual(['수학', '수학::선형대수']);
    expect(one.counts).toEqual({ new: 2, learning: 1, young: 1, mature: 2, relearning: 1, suspended: 1, retired: 1, total: 9 });
  });

  it('draws histograms of stability, difficulty and recall now', () => {
    const s = computeStats(cardsFixture().col, { now: NOW });
    // Active learned cards: m2, m3, m4, m5, l2, o1 as (elapsed days, stability, difficulty).
    const cards = [[1 / 24, 0.5, 5], [5, 10, 3], [30, 40, 8], [1, 2, 9], [200, 10, 1], [6, 3, 5.4]];
    const { stability, difficulty, retrievability } = s.distributions;
    expect(stability.bins.map((b) => b.count)).toEqual([1, 1, 1, 2, 0, 1, 0, 0, 0, 0]);
    expect(stability.bins.map((b) => b.label)).toEqual(['<1d', '1–3d', '3–7d', '1–2w', '2–4w', '1–2mo', '2–4mo', '4–6mo', '6mo–1y', '≥1y']);
    expect(stability.bins[9]).toEqual({ label: '≥1y', from: 365, to: null, count: 0 });
    expect(stability.mean).toBeCloseTo((0.5 + 10 + 40 + 2 + 10 + 3) / 6, 9);
    expect(difficulty.bins.map((b) => b.count)).toEqual([1, 0, 1, 0, 2, 0, 0, 1, 1, 0]); // D 1, 3, 5 and 5.4, 8, 9
    expect(difficulty.mean).toBeCloseTo(cards.reduce((a, c) => a + (c[2] - 1) / 9, 0) / 6, 9);
    const rs = cards.map(([t, st]) => R(t, st));
    const expected = Array(10).fill(0);
    for (const r of rs) expected[Math.min(9, Math.floor(r * 10))]++;
    expect(retrievability.bins.map((b) => b.count)).toEqual(expected);
    expect(expected.filter((n) => n > 0).length).toBeGreaterThanOrEqual(3); // the data spreads over several bins
    expect(retrievability.count).toBe(6);
    expect(retrievability.mean).toBeCloseTo(rs.reduce((a, b) => a + b) / 6, 6);
  });
});

describe('calibration', () => {
  it('bins past reviews by the recall FSRS predicted and compares with the pass rate', () => {
    const f = makeFixture();
    const [m1, m2, m3] = f.cards['수학'];
    // (stability, elapsed days) → predicted p; ratings decide pass/fail. Reviewed at noon on 1 March.
    const add = (s: number, t: number, ratings: (1 | 3)[], state: 1 | 2 | 3 = 2, when = at(2026, 3, 1, 12)) => {
      for (const rating of ratings) addReview(f.col, { card: m1, at: when, rating, state, stability: s, elapsed: t, ivl: s });
    };
    add(10, 1, [3, 3, 3, 3, 1]); // t/S = 0.1
    add(0.5, 1.2, [3], 1); // a learning card from the day before counts too
    add(5, 10, [3, 3, 1]); // t/S = 2
    add(4, 80, [3, 1]); // t/S = 20
    add(3, 600, [1]); // t/S = 200
    add(1, 2 / 24, [3], 2, at(2026, 3, 2, 5, 0)); // previous answer at 03:00, before the day start: an earlier study day
    add(0.5, 0.01, [1], 1); // a learning step a quarter of an hour later: the same study day, left out
    add(2, 0.2, [1]); // earlier the same study day (07:12): left out
    addReview(f.col, { card: m2, at: at(2026, 3, 1, 12), rating: 3, state: 0 }); // new: no prediction
    addReview(f.col, { card: m3, at: at(2026, 3, 1, 12), rating: 3, state: 3, stability: 0, elapsed: 0 }); // no stability: skipped
    const s = computeStats(f.col, { now: NOW });
    const p = { a: R(1, 10), b: R(1.2, 0.5), c: R(10, 5), d: R(80, 4), e: R(600, 3), f: R(2 / 24, 1) };
    const bin = (x: number) => Math.min(9, Math.floor(x * 10));
    const groups = new Map<number, { n: number; ok: number; ps: number }>();
    const put = (x: number, n: number, ok: number) => {
      const g = groups.get(bin(x)) ?? { n: 0, ok: 0, ps: 0 };
      groups.set(bin(x), { n: g.n + n, ok: g.ok + ok, ps: g.ps + x * n });
    };
    put(p.a, 5, 4);
    put(p.b, 1, 1);
    put(p.c, 3, 2);
    put(p.d, 2, 1);
    put(p.e, 1, 0);
    put(p.f, 1, 1);
    expect(groups.size).toBeGreaterThanOrEqual(4);
    expect(s.calibration.reviews).toBe(13);
    for (let b = 0; b < 10; b++) {
      const got = s.calibration.bins[b];
      const g = groups.get(b);
      expect([got.from, got.to]).toEqual([b / 10, (b + 1) / 10]);
      expect([got.reviews, got.passed]).toEqual([g?.n ?? 0, g?.ok ?? 0]);
      if (!g) {
        expect(got.predicted).toBeNull();
        expect(got.actual).toBeNull();
        continue;
      }
      expect(got.predicted!).toBeCloseTo(g.ps / g.n, 6);
      expect(got.actual).toBe(g.ok / g.n);
    }
    let sq = 0;
    for (const g of groups.values()) sq += g.n * (g.ps / g.n - g.ok / g.n) ** 2;
    expect(s.calibration.rmse!).toBeCloseTo(Math.sqrt(sq / 13), 6);
    expect(s.calibration.actual).toBe(9 / 13);
    expect(s.calibration.predicted!).toBeCloseTo((5 * p.a + p.b + 3 * p.c + 2 * p.d + p.e + p.f) / 13, 6);
    // The same figures in another time zone move the day boundary: in UTC, 03:00 and 05:00 KST are one day.
    expect(computeStats(f.col, { now: NOW, utcOffsetMinutes: 0 }).calibration.reviews).toBe(12);
  });

  it('is empty without reviews', () => {
    const s = computeStats(makeFixture().col, { now: NOW });
    expect(s.calibration).toMatchObject({ reviews: 0, rmse: null, predicted: null, actual: null });
    expect(s.calibration.bins).toHaveLength(10);
  });
});

describe('exercises', () => {
  it('gives the accuracy of exercise answers per week (Monday to Sunday, by study day)', () => {
    const f = makeFixture();
    const [m1, m2] = f.cards['수학'];
    const ex = (d: Date, correct: boolean | null) => addReview(f.col, { card: m1, at: d, rating: correct === false ? 1 : 3, exercise: { seed: 1, given: '0.5', expected: '0.5', correct } });
    ex(at(2026, 2, 24, 12), true); // week of 23 February
    ex(at(2026, 2, 25, 12), false);
    ex(at(2026, 3, 2, 3, 0), null); // Monday 03:00 is still Sunday's study day: week of 23 February, unchecked
    ex(at(2026, 3, 9, 4, 0), true); // week of 9 March
    ex(at(2026, 3, 10, 9), true);
    addReview(f.col, { card: m1, at: at(2026, 3, 10, 9), rating: 3, exerciseRaw: '{not json' }); // counted, not checked
    addReview(f.col, { card: m2, at: at(2026, 3, 10, 9), rating: 3 }); // not an exercise
    const s = computeStats(f.col, { now: NOW });
    expect(s.exercises.weeks).toEqual([
      { weekStart: '2026-02-23', reviews: 3, checked: 2, correct: 1, accuracy: 0.5 },
      { weekStart: '2026-03-02', reviews: 0, checked: 0, correct: 0, accuracy: null },
      { weekStart: '2026-03-09', reviews: 3, checked: 2, correct: 2, accuracy: 1 },
    ]);
    expect(s.exercises).toMatchObject({ reviews: 6, checked: 4, correct: 3, accuracy: 0.75 });
    expect(computeStats(f.col, { now: NOW, deckId: f.deckId('other') }).exercises).toEqual({ weeks: [], reviews: 0, checked: 0, correct: 0, accuracy: null });
  });
});

describe('scope, answers through the collection, indexes', () => {
  it('limits the review log to a deck and its sub-decks', () => {
    const f = makeFixture();
    addReview(f.col, { card: f.cards['수학'][0], at: at(2026, 3, 10, 8), rating: 3 });
    addReview(f.col, { card: f.cards['수학::선형대수'][0], at: at(2026, 3, 10, 8), rating: 1 });
    addReview(f.col, { card: f.cards.other[0], at: at(2026, 3, 9, 8), rating: 3 });
    const all = computeStats(f.col, { now: NOW });
    const math = computeStats(f.col, { now: NOW, deckId: f.deckId('수학') });
    const linalg = computeStats(f.col, { now: NOW, deckId: f.deckId('수학::선형대수') });
    expect([all.today.reviews, math.today.reviews, linalg.today.reviews]).toEqual([2, 2, 1]);
    expect([all.streak.current, math.streak.current, linalg.streak.current]).toEqual([2, 1, 1]);
    expect(linalg.today.again).toBe(1);
    expect(math.scope.deckName).toBe('수학');
    // Scope switches back to everything on the same connection.
    expect(computeStats(f.col, { now: NOW }).today.reviews).toBe(2);
    expect(() => computeStats(f.col, { now: NOW, deckId: 9999 })).toThrow(UserError);
  });

  it('agrees with answers given through the collection at pinned times', () => {
    const f = makeFixture();
    const [m1, m2] = f.cards['수학'];
    const t0 = at(2026, 3, 9, 21);
    f.col.answer(m1, 1, t0, 4000); // new → learning
    f.col.answer(m1, 3, new Date(t0.getTime() + 60_000), 3000);
    f.col.answer(m1, 3, new Date(t0.getTime() + 11 * 60_000), 2000); // graduates
    f.col.answer(m2, 4, new Date(t0.getTime() + 12 * 60_000), 1000); // new → review
    const review = f.col.cardRow(m2);
    f.col.answer(m2, 3, new Date(review.due + 3_600_000), 5000); // a day or more later: a review
    const now = new Date(review.due + 2 * 3_600_000);
    const s = computeStats(f.col, { now });
    const reviewedToday = s.reviews.days.at(-1)!;
    expect(reviewedToday).toMatchObject({ total: 1, review: 1 });
    const all = s.reviews.days.reduce((a, d) => a + d.total, 0);
    expect(all).toBe(5);
    expect(s.reviews.days.reduce((a, d) => a + d.newCards, 0)).toBe(2);
    expect(s.calibration.reviews).toBe(1); // the one answer on a later day (the learning steps were the same day)
    expect(s.retention.periods[0].all).toEqual({ reviews: 1, passed: 1, rate: 1 });
    expect(s.counts.young + s.counts.mature).toBe(2);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('gives the same figures on a read-only connection without its indexes', () => {
    const f = activityFixture();
    addReview(f.col, { card: f.cards.other[1], at: at(2026, 3, 10, 8), rating: 3, exercise: { seed: 1, given: '2', expected: '2', correct: true } });
    const ro = new Database(f.dbPath, { readonly: true });
    try {
      const fromReadOnly = computeStats({ db: ro, dayStartHour: 4 } as unknown as Collection, { now: NOW, days: 7 });
      expect(fromReadOnly).toEqual(computeStats(f.col, { now: NOW, days: 7 }));
      expect(computeStats({ db: ro, dayStartHour: 4 } as unknown as Collection, { now: NOW, deckId: f.deckId('other') }).today.reviews).toBe(1);
    } finally {
      ro.close();
    }
  });

  it('reads the review log through the indexes of schema migration 2', () => {
    const f = makeFixture();
    computeStats(f.col, { now: NOW });
    const names = (f.col.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'revlog_%'").all() as { name: string }[]).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['revlog_stats', 'revlog_recall', 'revlog_exercise']));
    const plan = (sql: string) => (f.col.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan('SELECT count(*), sum(duration_ms) FROM revlog WHERE reviewed_at >= 0 AND reviewed_at < 1 AND rating >= 1 AND +card_id IN (1, 2)'))
      .toMatch(/COVERING INDEX revlog_stats/);
    expect(plan('SELECT count(*), sum(reviewed_at - last_review_before) FROM revlog WHERE state_before != 0 AND stability_before > 0 AND elapsed_days / stability_before > 0 AND elapsed_days / stability_before <= 1 AND rating >= 1 AND +card_id IN (1)'))
      .toMatch(/COVERING INDEX revlog_recall/);
    // Malformed exercise JSON still writes (the index expression never raises).
    expect(() => addReview(f.col, { card: f.cards['수학'][0], at: NOW, rating: 3, exerciseRaw: '{' })).not.toThrow();
  });
});

describe('speed-ups that must not change a figure', () => {
  it('counts the retention of a day with more answers than a packed counter holds (2^13) exactly', () => {
    const f = makeFixture();
    const [m1, m2] = f.cards['수학'];
    const pr = (reviews: number, passed: number) => ({ reviews, passed, rate: reviews ? passed / reviews : null });
    // Yesterday (day −1, in the 30-day period) and 1 December (counted by the calendar pass): 9,000 answers each.
    f.col.db.transaction(() => {
      for (const day of [9, -91]) {
        const when = (i: number) => new Date(at(2026, 3, day > 0 ? day : 1, 12).getTime() + (day > 0 ? 0 : (day + 1) * DAY) + i * 1000);
        for (let i = 0; i < 9000; i++) {
          // 6,000 young (ivl 10): one in three failed; 3,000 mature (ivl 30): one in six failed; plus a new card's answer every 10th.
          if (i < 6000) addReview(f.col, { card: m1, at: when(i), rating: i % 3 === 0 ? 1 : 3, ivl: 10 });
          else addReview(f.col, { card: m1, at: when(i), rating: i % 6 === 0 ? 1 : 3, ivl: 30 });
          if (i % 10 === 0) addReview(f.col, { card: m2, at: when(i), rating: 1, state: 0 });
        }
      }
    })();
    const s = computeStats(f.col, { now: NOW });
    const byKey = Object.fromEntries(s.retention.periods.map((p) => [p.key, p]));
    expect(byKey.yesterday.young).toEqual(pr(6000, 4000));
    expect(byKey.yesterday.mature).toEqual(pr(3000, 2500));
    expect(byKey.month.all).toEqual(pr(9000, 6500));
    expect(byKey.year.young).toEqual(pr(12000, 8000));
    expect(byKey.year.mature).toEqual(pr(6000, 5000));
    expect(s.calendar.total).toBe(19800);
  });

  it('reads the predicted recall of past answers from revlog_recall (schema migration 3)', () => {
    const f = makeFixture();
    // The stats' expression is the indexed one (the default curve): SQLite reads R from the index.
    expect(recallSql(forgettingCurve())).toBe(REVLOG_RECALL_R);
    const sql = (f.col.db.prepare("SELECT sql FROM sqlite_schema WHERE name = 'revlog_recall'").get() as { sql: string }).sql;
    expect(sql).toContain(REVLOG_RECALL_R);
    const ops = (f.col.db.prepare(`EXPLAIN SELECT sum(${REVLOG_RECALL_R}) FROM revlog WHERE state_before != 0 AND stability_before > 0
      AND elapsed_days / stability_before > 0 AND elapsed_days / stability_before <= 1 AND rating >= 1`).all() as { opcode: string; p4: unknown }[]);
    expect(ops.some((o) => o.opcode === 'Function' && String(o.p4).startsWith('pow'))).toBe(false);
    // A row written directly (as the fixture does, and any older writer would) gets its R in the index.
    addReview(f.col, { card: f.cards['수학'][0], at: at(2026, 3, 1, 12), rating: 3, stability: 5, elapsed: 10 });
    const got = f.col.db.prepare(`SELECT ${REVLOG_RECALL_R} AS r FROM revlog INDEXED BY revlog_recall WHERE state_before != 0 AND stability_before > 0
      AND elapsed_days / stability_before > 1 AND rating >= 1`).get() as { r: number };
    expect(got.r).toBeCloseTo(R(10, 5), 7); // ts-fsrs rounds to 8 decimals
  });
});

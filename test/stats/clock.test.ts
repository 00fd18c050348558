// Study days in time zones, with and without daylight saving time, in JavaScript and in SQL.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createClock, type ZoneOptions } from '../../src/core/stats/clock.js';

const H = 3_600_000;

describe('study-day clock', () => {
  it('puts 03:59 in the day before with day start 4 (local zone, Asia/Seoul in tests)', () => {
    const c = createClock(new Date(2026, 2, 10, 3, 59), 4);
    expect(c.zone).toBe('local');
    expect(c.date(0)).toBe('2026-03-09');
    expect(new Date(c.start(0))).toEqual(new Date(2026, 2, 9, 4, 0));
    expect(new Date(c.start(1))).toEqual(new Date(2026, 2, 10, 4, 0));
    expect(c.index(new Date(2026, 2, 10, 3, 59, 59, 999).getTime())).toBe(0);
    expect(c.index(new Date(2026, 2, 10, 4, 0).getTime())).toBe(1);
    expect(c.weekday(0)).toBe(0); // 2026-03-09 is a Monday
    expect(c.weekday(-1)).toBe(6);
    expect(c.date(-365)).toBe('2025-03-09');
  });

  it('follows a fixed offset and a named zone', () => {
    const now = new Date(Date.UTC(2026, 2, 10, 1, 0)); // 10:00 in Seoul, 01:00 UTC
    const utc = createClock(now, 4, { utcOffsetMinutes: 0 });
    expect(utc.zone).toBe('UTC+00:00');
    expect(utc.date(0)).toBe('2026-03-09');
    expect(utc.start(0)).toBe(Date.UTC(2026, 2, 9, 4));
    const seoul = createClock(now, 4, { timeZone: 'Asia/Seoul' });
    expect(seoul.date(0)).toBe('2026-03-10');
    expect(seoul.start(0)).toBe(Date.UTC(2026, 2, 9, 19));
    const india = createClock(now, 4, { utcOffsetMinutes: 330 });
    expect(india.zone).toBe('UTC+05:30');
    expect(india.start(0)).toBe(Date.UTC(2026, 2, 9, 22, 30));
    expect(createClock(now, 4, { utcOffsetMinutes: -150 }).zone).toBe('UTC-02:30');
    expect(() => createClock(now, 4, { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
    expect(() => createClock(now, 24)).toThrow(RangeError);
  });

  it('makes the spring-forward day 23 hours and the fall-back day 25 hours long (America/New_York)', () => {
    const spring = createClock(new Date(Date.UTC(2026, 2, 8, 15)), 4, { timeZone: 'America/New_York' });
    expect(spring.date(0)).toBe('2026-03-08');
    expect(spring.start(0)).toBe(Date.UTC(2026, 2, 8, 8)); // 04:00 EDT
    expect(spring.start(-1)).toBe(Date.UTC(2026, 2, 7, 9)); // 04:00 EST
    expect(spring.start(0) - spring.start(-1)).toBe(23 * H);
    expect(spring.index(Date.UTC(2026, 2, 8, 7, 30))).toBe(-1); // 03:30 EDT still belongs to the 7th
    expect(spring.index(Date.UTC(2026, 2, 8, 8, 0))).toBe(0);
    const fall = createClock(new Date(Date.UTC(2026, 10, 1, 15)), 4, { timeZone: 'America/New_York' });
    expect(fall.start(0)).toBe(Date.UTC(2026, 10, 1, 9)); // 04:00 EST
    expect(fall.start(-1)).toBe(Date.UTC(2026, 9, 31, 8)); // 04:00 EDT
    expect(fall.start(0) - fall.start(-1)).toBe(25 * H);
    expect(fall.index(Date.UTC(2026, 10, 1, 8, 30))).toBe(-1); // 03:30 EST
  });

  const zones: [string, ZoneOptions, number][] = [
    ['local (Seoul)', {}, 4],
    ['New York, hour 4', { timeZone: 'America/New_York' }, 4],
    ['New York, hour 0', { timeZone: 'America/New_York' }, 0],
    ['Santiago, DST at midnight, hour 0', { timeZone: 'America/Santiago' }, 0],
    ['Lord Howe, 30-minute DST', { timeZone: 'Australia/Lord_Howe' }, 2],
    ['Kolkata', { timeZone: 'Asia/Kolkata' }, 4],
    ['fixed −02:30', { utcOffsetMinutes: -150 }, 23],
  ];

  it.each(zones)('buckets every moment the same in SQL as in JavaScript: %s', (_name, zone, hour) => {
    const now = new Date(Date.UTC(2026, 5, 15, 12));
    const c = createClock(now, hour, zone);
    const from = -400;
    const to = 40;
    const db = new Database(':memory:');
    db.exec('CREATE TABLE t (x INTEGER NOT NULL)');
    const ins = db.prepare('INSERT INTO t (x) VALUES (?)');
    const xs: number[] = [];
    db.transaction(() => {
      for (let x = c.start(from); x < c.start(to); x += 133 * 60_000 + 13_001) {
        ins.run(x);
        xs.push(x);
      }
      for (let k = from; k < to; k++) for (const d of [-1, 0, 1]) {
        const x = c.start(k) + d;
        if (x >= c.start(from)) {
          ins.run(x);
          xs.push(x);
        }
      }
    })();
    const sql = db.prepare(`SELECT ${c.sqlIndex('x', from, to)} AS k, ${c.sqlSinceStart('x', from, to)} AS ms FROM t ORDER BY rowid`).all() as { k: number; ms: number }[];
    const js = xs.map((x) => c.index(x));
    expect(sql.map((r) => r.k)).toEqual(js);
    expect(sql.map((r) => r.ms)).toEqual(xs.map((x, i) => x - c.start(js[i])));
    const outside = xs.filter((x, i) => !(c.start(js[i]) <= x && x < c.start(js[i] + 1)));
    expect(outside).toEqual([]);
    db.close();
  });
});

// Study days for statistics: which day a moment belongs to, in a time zone, with the day starting
// at a configured hour (like Anki: with hour 4, a review at 03:59 counts for the day before).
//
// How days are bucketed in SQL (and why this survives daylight saving time):
// - Day k is the study day whose civil date is today's plus k (k = 0 holds `now`, k < 0 is the past).
//   Its start, start(k), is the instant at which the wall clock of the zone shows `hour`:00 on that
//   date. It is computed in JavaScript, for the local zone of the process (the default, like the
//   scheduler), a named IANA zone (`timeZone`, via Intl) or a fixed offset (`utcOffsetMinutes`).
// - A run of consecutive 24-hour days is one linear segment: k = k0 + (t − start(k0)) / 86 400 000
//   with integer division. A day of another length (the 23- or 25-hour day of a DST change) is a
//   segment of its own with a constant k. The SQL expression is a CASE over those segments, newest
//   first; in a zone without DST it is a single division. The result is exactly "the k with
//   start(k) ≤ t < start(k + 1)" for every t from start(from) on, at the cost of one integer
//   division per row (no per-row time-zone lookups, no JOIN against a table of days).
// - Callers keep t ≥ start(from) in their WHERE clause; below it the expression is meaningless.

const DAY_MS = 86_400_000;

export interface ZoneOptions {
  /** An IANA time zone ('Europe/Berlin', 'UTC'). Default: the local zone of the process. */
  timeZone?: string;
  /** A fixed offset from UTC in minutes (east positive: Seoul = 540). Overrides timeZone. */
  utcOffsetMinutes?: number;
}

interface Civil {
  y: number;
  m: number; // 1-12
  d: number;
  h: number;
}

export interface StudyDayClock {
  readonly hour: number;
  /** 'local', an IANA name, or 'UTC+09:00' for a fixed offset. */
  readonly zone: string;
  /** Start (epoch ms) of study day k. */
  start(k: number): number;
  /** Civil date of study day k, 'YYYY-MM-DD'. */
  date(k: number): string;
  /** Day of the week of study day k: 0 = Monday … 6 = Sunday. */
  weekday(k: number): number;
  /** The study day holding the instant t. */
  index(t: number): number;
  /**
   * SQL expression: the study-day index of `col` (an integer epoch-ms column or expression, trusted
   * SQL), valid for start(from) ≤ col < start(to).
   */
  sqlIndex(col: string, from: number, to: number): string;
  /** SQL expression: milliseconds from the start of the study day of `col` to `col` (same validity). */
  sqlSinceStart(col: string, from: number, to: number): string;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
function civilToDays(y: number, m: number, d: number): number {
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
}

function daysToCivil(n: number): { y: number; m: number; d: number } {
  const dt = new Date(n * DAY_MS);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `UTC${sign}${pad2(Math.floor(a / 60))}:${pad2(a % 60)}`;
}

/** Wall clock of an instant and the inverse, for one kind of zone. */
interface Zone {
  name: string;
  wall(t: number): Civil;
  /** The instant the wall clock shows y-m-d h:00 (for a time skipped by DST: a moment just after the gap). */
  instant(c: Civil): number;
}

function localZone(): Zone {
  return {
    name: 'local',
    wall(t) {
      const x = new Date(t);
      return { y: x.getFullYear(), m: x.getMonth() + 1, d: x.getDate(), h: x.getHours() };
    },
    instant(c) {
      return new Date(c.y, c.m - 1, c.d, c.h, 0, 0, 0).getTime();
    },
  };
}

function fixedZone(offsetMinutes: number): Zone {
  const off = offsetMinutes * 60_000;
  return {
    name: formatOffset(offsetMinutes),
    wall(t) {
      const x = new Date(t + off);
      return { y: x.getUTCFullYear(), m: x.getUTCMonth() + 1, d: x.getUTCDate(), h: x.getUTCHours() };
    },
    instant(c) {
      return Date.UTC(c.y, c.m - 1, c.d, c.h) - off;
    },
  };
}

function ianaZone(timeZone: string): Zone {
  // Throws a RangeError for an unknown zone name.
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  });
  const fields = (t: number) => {
    const p: Record<string, number> = {};
    for (const part of fmt.formatToParts(new Date(t))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    return p;
  };
  /** Offset of the zone at instant t, in ms. */
  const offsetAt = (t: number) => {
    const p = fields(t);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour === 24 ? 0 : p.hour, p.minute, p.second);
    return asUtc - Math.floor(t / 1000) * 1000;
  };
  return {
    name: timeZone,
    wall(t) {
      const p = fields(t);
      return { y: p.year, m: p.month, d: p.day, h: p.hour === 24 ? 0 : p.hour };
    },
    instant(c) {
      const utcWall = Date.UTC(c.y, c.m - 1, c.d, c.h);
      // Two rounds of "wall time minus the offset there" settle on the right instant, also next to a DST change.
      let t = utcWall - offsetAt(utcWall);
      t = utcWall - offsetAt(t);
      return t;
    },
  };
}

export function createClock(now: Date, hour: number, zoneOpts: ZoneOptions = {}): StudyDayClock {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`day start hour must be 0–23, got ${hour}`);
  const zone = zoneOpts.utcOffsetMinutes != null
    ? fixedZone(zoneOpts.utcOffsetMinutes)
    : zoneOpts.timeZone
      ? ianaZone(zoneOpts.timeZone)
      : localZone();
  const w = zone.wall(now.getTime());
  // The study day holding `now`: today's date, or yesterday's before the day-start hour.
  const today = civilToDays(w.y, w.m, w.d) - (w.h < hour ? 1 : 0);
  const starts = new Map<number, number>();
  const start = (k: number): number => {
    let s = starts.get(k);
    if (s === undefined) {
      const c = daysToCivil(today + k);
      s = zone.instant({ ...c, h: hour });
      starts.set(k, s);
    }
    return s;
  };
  const date = (k: number) => {
    const c = daysToCivil(today + k);
    return `${String(c.y).padStart(4, '0')}-${pad2(c.m)}-${pad2(c.d)}`;
  };
  const weekday = (k: number) => (((today + k + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday (3)
  const index = (t: number): number => {
    let k = Math.floor((t - start(0)) / DAY_MS);
    while (start(k) > t) k--;
    while (start(k + 1) <= t) k++;
    return k;
  };
  type Segment = { k0: number; s: number; linear: boolean };
  /** Runs of 24-hour days (linear) and single days of another length (constant), from `from` to `to`. */
  const segments = (from: number, to: number): Segment[] => {
    const segs: Segment[] = [];
    for (let k = from; k < Math.max(to, from + 1); k++) {
      const is24 = start(k + 1) - start(k) === DAY_MS;
      const last = segs[segs.length - 1];
      if (is24 && last?.linear) continue;
      segs.push({ k0: k, s: start(k), linear: is24 });
    }
    return segs;
  };
  const byCase = (col: string, from: number, to: number, term: (g: Segment) => string): string => {
    if (col.includes(';')) throw new Error(`not an SQL expression: ${col}`);
    const segs = segments(from, to);
    if (segs.length === 1) return term(segs[0]);
    const parts = segs.slice(1).reverse().map((g) => `WHEN ${col} >= ${g.s} THEN ${term(g)}`);
    return `(CASE ${parts.join(' ')} ELSE ${term(segs[0])} END)`;
  };
  const sqlIndex = (col: string, from: number, to: number) =>
    byCase(col, from, to, (g) => (g.linear ? `(${g.k0} + (${col} - ${g.s}) / ${DAY_MS})` : `${g.k0}`));
  const sqlSinceStart = (col: string, from: number, to: number) =>
    byCase(col, from, to, (g) => (g.linear ? `((${col} - ${g.s}) % ${DAY_MS})` : `(${col} - ${g.s})`));
  return { hour, zone: zone.name, start, date, weekday, index, sqlIndex, sqlSinceStart };
}

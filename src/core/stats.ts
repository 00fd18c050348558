// Progress statistics as plain data: SQL aggregate queries over the review log and the cards, with
// `now`, the day-start hour and the time zone passed in. No Ink, no React; the stats screen, the
// plain-text summary and `stats --json` all draw from computeStats().
//
// Study days. Day k is the study day whose date is today's plus k (k = 0 holds `now`); it starts at
// the configured hour on that date in the chosen zone (the local zone of the process by default, or
// `timeZone` / `utcOffsetMinutes`). Day starts are computed in JavaScript (src/core/stats/clock.ts), so
// a 23- or 25-hour day around a DST change is bucketed exactly; a review at 03:59 with day start 4
// belongs to the day before.
//
// Speed. SQLite has no hash aggregation: GROUP BY over a million review-log rows sorts them all
// (≈ 0.5 s on the bench), and a full scan of the table reads its wide rows (card_before JSON). So:
// - day-by-day figures run one prepared range query per study day on a covering index ordered by
//   reviewed_at (index-only, nothing to sort);
// - the retention periods are summed from per-day counts taken in those same day-by-day queries
//   (the last year of the log is read once for the calendar, the period and the retention);
// - the streak asks only whether a day has a review (LIMIT 1 per day), not how many;
// - calibration bins are ranges of t/S (elapsed days over stability; the forgetting curve is
//   monotonic in it), read from an index on that expression, one range query per bin; the index
//   also holds the predicted recall itself (REVLOG_RECALL_R), so no pow() runs per review;
// - the card figures take one scan of the cards table (active learned cards and the suspended and
//   retired ones together), computing recall now once per card;
// - several small counts that fit are packed into one integer sum (13, 17 or 32 bits a field).
// - reads are memory-mapped for the duration of the call (withMmap), then the setting is restored.
// The indexes (revlog_stats, revlog_exercise) come with schema migration 2 in db.ts, revlog_recall in
// its present form with migration 3; every query also works without them, only slower.
//
// Definitions: "learning" answers include new cards (state before 0 or 1); a review card is mature
// when its scheduled interval (due − last review, before the answer) is 21 days or more; calibration
// counts answers to learned cards last seen on an earlier study day; recall now uses the exact
// elapsed time (ts-fsrs get_retrievability rounds it down to whole days).
import { computeDecayFactor, generatorParameters } from 'ts-fsrs';
import type { Collection } from './collection.js';
import { REVLOG_EXERCISE_CORRECT, type DB } from './db.js';
import { UserError } from './errors.js';
import { deckConfig } from './queue.js';
import { createClock, type StudyDayClock, type ZoneOptions } from './stats/clock.js';

export type { StudyDayClock, ZoneOptions } from './stats/clock.js';
export { createClock } from './stats/clock.js';

const DAY_MS = 86_400_000;
/** Interval (due − last review before the answer) from which a review card counts as mature. */
export const MATURE_DAYS = 21;
const MATURE_MS = MATURE_DAYS * DAY_MS;

/** Whether an exercise answer was right (the expression indexed by revlog_exercise, see db.ts). */
const EXERCISE_CORRECT = REVLOG_EXERCISE_CORRECT;

// ---------------------------------------------------------------------------------------------
// Types: all plain JSON data (times as epoch ms or 'YYYY-MM-DD' dates), so --json prints them as they are.

export interface StatsOptions extends ZoneOptions {
  now: Date;
  /** One deck and its sub-decks ("a" also takes "a::b"); all decks when absent. */
  deckId?: number;
  /** Days of the "reviews per day" period and of the forecast (default 30). */
  days?: number;
  /** Hour the study day starts (default: the collection's, 4 unless configured). */
  dayStartHour?: number;
}

export interface PassRate {
  /** Reviews counted. */
  reviews: number;
  /** Of which answered Hard, Good or Easy. */
  passed: number;
  /** passed / reviews, or null without reviews. */
  rate: number | null;
}

export interface TodayStats {
  date: string;
  /** Answers given today (a card answered twice counts twice). */
  reviews: number;
  /** Distinct cards answered today. */
  cards: number;
  timeMs: number;
  again: number;
  /** again / reviews, or null without reviews. */
  againRate: number | null;
  /** Cards studied for the first time today. */
  newCards: number;
  learning: number;
  review: number;
  relearning: number;
}

export interface StreakStats {
  /** Study days in a row up to today (or up to yesterday while today has no review yet). */
  current: number;
  longest: number;
  /** Days with at least one review, ever. */
  studyDays: number;
  /** Whether today already counts. */
  studiedToday: boolean;
  /** Date of the most recent study day, or null. */
  lastStudyDate: string | null;
}

export interface ForecastDay {
  /** Offset from today (0 = today). */
  day: number;
  date: string;
  /** Learning and relearning cards due that day. */
  learning: number;
  /** Review cards due that day. */
  review: number;
  total: number;
}

export interface ForecastStats {
  /** Cards (not new) already due before today's start. */
  overdue: number;
  /** overdue + due today: what today's session has to clear (before daily limits). */
  dueToday: number;
  days: ForecastDay[];
  /** Sum over `days`. */
  total: number;
}

export interface CalendarDay {
  day: number;
  date: string;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  reviews: number;
}

export interface CalendarStats {
  /** The last 365 study days, oldest first, ending today. */
  days: CalendarDay[];
  total: number;
  activeDays: number;
  max: number;
}

export interface ReviewDay {
  day: number;
  date: string;
  /** Answers to new and learning cards (state before 0 or 1). */
  learning: number;
  /** Answers to review cards (state before 2). */
  review: number;
  /** Answers to relearning cards (state before 3). */
  relearning: number;
  total: number;
  again: number;
  newCards: number;
  timeMs: number;
}

export interface ReviewStats {
  days: ReviewDay[];
  total: number;
  timeMs: number;
  activeDays: number;
  /** Mean answers per day over the whole period. */
  perDay: number;
}

export type RetentionPeriodKey = 'today' | 'yesterday' | 'week' | 'month' | 'year';

export interface RetentionPeriod {
  key: RetentionPeriodKey;
  label: string;
  /** First and last study day of the period (inclusive), as day offsets. */
  from: number;
  to: number;
  young: PassRate;
  mature: PassRate;
  all: PassRate;
}

export interface RetentionStats {
  /** Desired retention of the deck(s) in scope (mean weighted by card count). */
  desired: number;
  desiredMin: number;
  desiredMax: number;
  periods: RetentionPeriod[];
}

export interface CardCounts {
  new: number;
  learning: number;
  /** Review cards with an interval under 21 days. */
  young: number;
  /** Review cards with an interval of 21 days or more. */
  mature: number;
  relearning: number;
  /** Suspended cards (whatever their state). */
  suspended: number;
  /** Cards whose note left the deck files (history kept). */
  retired: number;
  /** All of the above. */
  total: number;
}

export interface HistogramBin {
  label: string;
  /** Lower bound (inclusive) and upper bound (exclusive; the last bin includes its upper bound; null: no bound). */
  from: number;
  to: number | null;
  count: number;
}

export interface Histogram {
  bins: HistogramBin[];
  count: number;
  mean: number | null;
}

export interface DistributionStats {
  /** Stability in days. */
  stability: Histogram;
  /** Difficulty as Anki shows it: (D − 1) / 9, from 0 to 1. */
  difficulty: Histogram;
  /** Probability of recall now, from 0 to 1. */
  retrievability: Histogram;
}

export interface DeckStats {
  id: number;
  name: string;
  /** Cards not retired (suspended ones included). */
  total: number;
  new: number;
  /** Cards studied at least once. */
  learned: number;
  mature: number;
  suspended: number;
  /** Cards (not new, not suspended) due before the next day start, overdue included. */
  dueToday: number;
  /** Mean probability of recall now over the learned cards, or null. */
  avgRetrievability: number | null;
  desiredRetention: number;
}

export interface CalibrationBin {
  /** Predicted recall range [from, to). */
  from: number;
  to: number;
  reviews: number;
  passed: number;
  /** Mean predicted recall in the bin, or null when empty. */
  predicted: number | null;
  /** Actual pass rate, or null when empty. */
  actual: number | null;
}

export interface CalibrationStats {
  bins: CalibrationBin[];
  reviews: number;
  /** Root mean square of (predicted − actual) over the bins, weighted by their review counts. */
  rmse: number | null;
  /** Mean predicted recall and actual pass rate over all reviews counted. */
  predicted: number | null;
  actual: number | null;
}

export interface ExerciseWeek {
  /** Monday of the week ('YYYY-MM-DD', by study day). */
  weekStart: string;
  /** Answers to exercise cards. */
  reviews: number;
  /** Of which checked (correct is true or false). */
  checked: number;
  correct: number;
  /** correct / checked, or null. */
  accuracy: number | null;
}

export interface ExerciseStats {
  /** Weeks from the first with an exercise in the last year to the current one, oldest first. */
  weeks: ExerciseWeek[];
  reviews: number;
  checked: number;
  correct: number;
  accuracy: number | null;
}

export interface Stats {
  /** `now` as epoch ms and ISO text. */
  now: number;
  generatedAt: string;
  scope: { deckId: number | null; deckName: string | null; deckIds: number[] | null };
  dayStartHour: number;
  /** 'local', an IANA zone or 'UTC±hh:mm'. */
  timeZone: string;
  /** The period of `reviews` and range of `forecast`. */
  days: number;
  today: TodayStats;
  streak: StreakStats;
  forecast: ForecastStats;
  calendar: CalendarStats;
  reviews: ReviewStats;
  retention: RetentionStats;
  counts: CardCounts;
  distributions: DistributionStats;
  decks: DeckStats[];
  calibration: CalibrationStats;
  exercises: ExerciseStats;
}

// ---------------------------------------------------------------------------------------------

/** Forgetting-curve constants of the FSRS parameters the scheduler uses (ts-fsrs defaults). */
export function forgettingCurve(): { decay: number; factor: number } {
  return computeDecayFactor(generatorParameters().w);
}

/** The t/S from which predicted recall falls below q (q in (0, 1]): R ≥ q ⟺ t/S ≤ ratioFor(q). */
function ratioFor(q: number, curve: { decay: number; factor: number }): number {
  return (Math.pow(q, 1 / curve.decay) - 1) / curve.factor;
}

/** SQL: predicted recall at a review-log row, R(elapsed_days, stability_before), on `curve`. */
export function recallSql(curve: { decay: number; factor: number }): string {
  return `pow(1 + ${curve.factor} * (elapsed_days / stability_before), ${curve.decay})`;
}

const rate = (passed: number, n: number): number | null => (n > 0 ? passed / n : null);
const passRate = (reviews: number, passed: number): PassRate => ({ reviews, passed, rate: rate(passed, reviews) });

interface Scope {
  deckId: number | null;
  deckName: string | null;
  deckIds: number[] | null;
}

/** The deck and its sub-decks ("a" and "a::…"), or everything. */
function resolveScope(db: DB, deckId: number | undefined): Scope {
  if (deckId == null) return { deckId: null, deckName: null, deckIds: null };
  const row = db.prepare<[number], { name: string }>('SELECT name FROM decks WHERE id = ?').get(deckId);
  if (!row) throw new UserError(`no deck with id ${deckId}`);
  const ids = db.prepare<{ n: string }, { id: number }>(
    `SELECT id FROM decks WHERE name = @n OR substr(name, 1, length(@n) + 2) = @n || '::' ORDER BY id`)
    .all({ n: row.name }).map((r) => r.id);
  return { deckId, deckName: row.name, deckIds: ids };
}

/** Fill temp.stats_scope with the card ids of the decks in scope: `card_id IN temp.stats_scope` is one b-tree probe a row. */
function prepareScope(db: DB, scope: Scope): string {
  if (!scope.deckIds) return '';
  db.exec('CREATE TEMP TABLE IF NOT EXISTS stats_scope (id INTEGER PRIMARY KEY)');
  db.exec('DELETE FROM temp.stats_scope');
  db.exec(`INSERT INTO temp.stats_scope SELECT id FROM cards WHERE deck_id IN (${scope.deckIds.join(',')})`);
  return 'AND +card_id IN temp.stats_scope';
}

const F17 = 131_072; // 2^17: three 17-bit counters fit a double exactly
const F34 = F17 * F17;
const B32 = 1n << 32n;
const M32 = B32 - 1n;
const lo32 = (x: bigint | null) => Number((x ?? 0n) & M32);
const hi32 = (x: bigint | null) => Number((x ?? 0n) >> 32n);

/** Timing of each part on stderr when SRS_STATS_PROFILE is set (for the bench). */
const T = <X>(label: string, f: () => X): X => {
  if (!process.env.SRS_STATS_PROFILE) return f();
  const t = process.hrtime.bigint();
  const c = process.cpuUsage();
  const r = f();
  const cu = process.cpuUsage(c);
  process.stderr.write(`${label} ${(Number(process.hrtime.bigint() - t) / 1e6).toFixed(1)} ms wall ${((cu.user + cu.system) / 1e3).toFixed(1)} ms cpu\n`);
  return r;
};

/**
 * Every figure of the statistics screen for the whole collection or one deck with its sub-decks,
 * as plain JSON-ready data. Reads only (one read transaction).
 */
export function computeStats(col: Collection, opts: StatsOptions): Stats {
  const db = col.db;
  const now = opts.now;
  const days = Math.max(1, Math.min(3650, Math.floor(opts.days ?? 30)));
  const hour = opts.dayStartHour ?? col.dayStartHour;
  const clock = createClock(now, hour, opts);
  const scope = resolveScope(db, opts.deckId);
  const run = db.transaction(() => {
    const inScope = prepareScope(db, scope);
    const first = db.prepare<[], { t: number | null }>(`SELECT min(reviewed_at) AS t FROM revlog WHERE rating >= 1 ${inScope}`).get()!.t;
    const cardScope = scope.deckIds ? `AND deck_id IN (${scope.deckIds.join(',')})` : '';
    const ret = new Map<number, DayRetention>(); // filled by the two day-by-day passes, read by retentionFigures
    const reviews = T('reviews', () => reviewsPerDay(db, clock, days, inScope, ret));
    const streakCal = T('streak', () => streakAndCalendar(db, clock, inScope, reviews.days, first, ret));
    const today = T('today', () => todayFigures(db, clock, reviews.days[reviews.days.length - 1], inScope));
    const cards = T('cards', () => cardFigures(db, clock, now, cardScope));
    const forecast = T('forecast', () => forecastFigures(db, clock, days, cardScope));
    const retention = T('retention', () => retentionFigures(ret, cards.desired));
    const calibration = T('calibration', () => calibrationFigures(db, clock, inScope, first));
    const exercises = T('exercises', () => exerciseFigures(db, clock, inScope));
    return { reviews, ...streakCal, today, cards, forecast, retention, calibration, exercises };
  });
  const r = withMmap(db, run);
  return {
    now: now.getTime(),
    generatedAt: now.toISOString(),
    scope,
    dayStartHour: hour,
    timeZone: clock.zone,
    days,
    today: r.today,
    streak: r.streak,
    forecast: r.forecast,
    calendar: r.calendar,
    reviews: r.reviews,
    retention: r.retention,
    counts: r.cards.counts,
    distributions: r.cards.distributions,
    decks: r.cards.decks,
    calibration: r.calibration,
    exercises: r.exercises,
  };
}

/**
 * Run `fn` with memory-mapped reads (128 MB at most), then restore the connection's setting. The
 * statistics read ~100 MB of index pages on a large collection; mapping them saves copying each page
 * out of the OS cache. Mapped pages count in RSS: on the 1,000,000-review bench, 256 MB gave 645 ms
 * and 331 MB peak RSS, none 778 ms and 92 MB, 128 MB 722 ms and 211 MB (target < 250 MB).
 * Nothing changes for :memory: databases.
 */
function withMmap<T>(db: DB, fn: () => T): T {
  const prev = Number(db.pragma('mmap_size', { simple: true }) ?? 0);
  if (prev >= MMAP_BYTES || db.inTransaction) return fn();
  db.pragma(`mmap_size = ${MMAP_BYTES}`);
  try {
    return fn();
  } finally {
    db.pragma(`mmap_size = ${prev}`);
  }
}

const MMAP_BYTES = 128 * 1024 * 1024;

/** Today's figures only (for the end-of-session summary): the same queries, a fraction of the work. */
export function computeToday(col: Collection, opts: { now: Date; deckId?: number; dayStartHour?: number } & ZoneOptions): TodayStats {
  const db = col.db;
  const clock = createClock(opts.now, opts.dayStartHour ?? col.dayStartHour, opts);
  const scope = resolveScope(db, opts.deckId);
  return db.transaction(() => {
    const inScope = prepareScope(db, scope);
    const day = reviewsPerDay(db, clock, 1, inScope).days[0];
    return todayFigures(db, clock, day, inScope);
  })();
}

// ---------------------------------------------------------------------------------------------
// Review log

// Retention (pass rate of review cards) is summed from per-day counts gathered by the two day-by-day
// passes over the last year (reviewsPerDay and the calendar), so the review log's last year is read once.
/** Days of the retention periods: −364 … 0. */
const RETENTION_FROM = -364;

/** Answers to review cards (state before 2) of one study day: young / mature, all and passed. */
interface DayRetention {
  yn: number;
  yp: number;
  mn: number;
  mp: number;
}

// Per row, one of four 13-bit counters: young failed, young passed, mature failed, mature passed
// (52 bits: the sum stays an exact JS number). Interval = due − last review before the answer (what
// was scheduled). Exact while a day has fewer than 2^13 answers; a day with more is counted again
// without packing (dayRetention).
const F13 = 8_192;
const RETENTION_PACKED = `sum(CASE WHEN state_before != 2 THEN 0
    WHEN due_before - last_review_before >= ${MATURE_MS} THEN (CASE WHEN rating = 1 THEN ${F13 ** 2} ELSE ${F13 ** 3} END)
    ELSE (CASE WHEN rating = 1 THEN 1 ELSE ${F13} END) END)`;

function unpackRetention(x: number | null): DayRetention {
  const v = x ?? 0;
  const yf = v % F13;
  const ypf = Math.floor(v / F13) % F13;
  const mf = Math.floor(v / F13 ** 2) % F13;
  const mp = Math.floor(v / F13 ** 3);
  return { yn: yf + ypf, yp: ypf, mn: mf + mp, mp };
}

/** Retention counts of day k from a day-by-day pass row (n answers, packed sum), unpacked or counted again. */
function dayRetention(db: DB, clock: StudyDayClock, inScope: string, k: number, n: number, packed: number | null): DayRetention {
  if (n < F13) return unpackRetention(packed);
  const r = db.prepare<[number, number], { yn: number; yp: number; mn: number; mp: number }>(
    `SELECT coalesce(sum(NOT m), 0) AS yn, coalesce(sum(NOT m AND rating > 1), 0) AS yp, coalesce(sum(m), 0) AS mn, coalesce(sum(m AND rating > 1), 0) AS mp
     FROM (SELECT rating, coalesce(due_before - last_review_before >= ${MATURE_MS}, 0) AS m
           FROM revlog WHERE reviewed_at >= ? AND reviewed_at < ? AND state_before = 2 AND rating >= 1 ${inScope})`).get(clock.start(k), clock.start(k + 1))!;
  return r;
}

function reviewsPerDay(db: DB, clock: StudyDayClock, days: number, inScope: string, ret?: Map<number, DayRetention>): ReviewStats {
  // Per day: count, time, again; states before packed as three 17-bit counters (new, learning, relearning);
  // for the days of the retention periods, also the packed retention counts.
  const sql = (withRet: boolean) =>
    `SELECT count(*) AS n, sum(duration_ms) AS ms,
       sum(CASE state_before WHEN 0 THEN 1 WHEN 1 THEN ${F17} WHEN 3 THEN ${F34} ELSE 0 END) AS st,
       sum(rating = 1) AS again${withRet ? `, ${RETENTION_PACKED} AS ret` : ''}
     FROM revlog WHERE reviewed_at >= @s AND reviewed_at < @e AND rating >= 1 ${inScope}`;
  type Row = { n: number; ms: number | null; st: number | null; again: number | null; ret?: number | null };
  const q = db.prepare<{ s: number; e: number }, Row>(sql(false));
  const qr = ret ? db.prepare<{ s: number; e: number }, Row>(sql(true)) : q;
  const out: ReviewDay[] = [];
  for (let k = -(days - 1); k <= 0; k++) {
    const withRet = ret != null && k >= RETENTION_FROM;
    const r = (withRet ? qr : q).get({ s: clock.start(k), e: clock.start(k + 1) })!;
    if (withRet) ret.set(k, dayRetention(db, clock, inScope, k, r.n, r.ret ?? null));
    const st = r.st ?? 0;
    const fresh = st % F17;
    const learning = Math.floor(st / F17) % F17;
    const relearning = Math.floor(st / F34);
    out.push({
      day: k, date: clock.date(k),
      learning: fresh + learning, review: r.n - fresh - learning - relearning, relearning,
      total: r.n, again: r.again ?? 0, newCards: fresh, timeMs: r.ms ?? 0,
    });
  }
  const total = out.reduce((s, d) => s + d.total, 0);
  return {
    days: out,
    total,
    timeMs: out.reduce((s, d) => s + d.timeMs, 0),
    activeDays: out.filter((d) => d.total > 0).length,
    perDay: total / days,
  };
}

function todayFigures(db: DB, clock: StudyDayClock, day: ReviewDay, inScope: string): TodayStats {
  const cards = day.total === 0 ? 0 : db.prepare<[number, number], { n: number }>(
    `SELECT count(DISTINCT card_id) AS n FROM revlog WHERE reviewed_at >= ? AND reviewed_at < ? AND rating >= 1 ${inScope}`)
    .get(clock.start(0), clock.start(1))!.n;
  return {
    date: clock.date(0),
    reviews: day.total,
    cards,
    timeMs: day.timeMs,
    again: day.again,
    againRate: rate(day.again, day.total),
    newCards: day.newCards,
    learning: day.learning,
    review: day.review,
    relearning: day.relearning,
  };
}

function streakAndCalendar(db: DB, clock: StudyDayClock, inScope: string, period: ReviewDay[], first: number | null, ret: Map<number, DayRetention>): { streak: StreakStats; calendar: CalendarStats } {
  const cal: CalendarDay[] = [];
  // Answers of each day, and the retention counts of the days the period did not cover (RETENTION_FROM = −364).
  const count = db.prepare<[number, number], { n: number; ret: number | null }>(
    `SELECT count(*) AS n, ${RETENTION_PACKED} AS ret FROM revlog WHERE reviewed_at >= ? AND reviewed_at < ? AND rating >= 1 ${inScope}`);
  const known = new Map(period.map((d) => [d.day, d.total])); // days of the period are counted already
  for (let k = -364; k <= 0; k++) {
    let reviews = known.get(k);
    if (reviews === undefined) {
      const r = count.get(clock.start(k), clock.start(k + 1))!;
      reviews = r.n;
      ret.set(k, dayRetention(db, clock, inScope, k, r.n, r.ret));
    }
    cal.push({ day: k, date: clock.date(k), weekday: clock.weekday(k), reviews });
  }
  // Streaks over the whole history: only whether each day has a review (one index probe a day).
  const any = db.prepare<[number, number], { x: number }>(
    `SELECT 1 AS x FROM revlog WHERE reviewed_at >= ? AND reviewed_at < ? AND rating >= 1 ${inScope} LIMIT 1`);
  let longest = 0;
  let run = 0;
  let studyDays = 0;
  let lastStudy: number | null = null;
  let runToYesterday = 0;
  if (first != null && first < clock.start(1)) {
    const from = clock.index(first);
    for (let k = from; k <= 0; k++) {
      const studied = k >= -364 ? cal[k + 364].reviews > 0 : any.get(clock.start(k), clock.start(k + 1)) !== undefined;
      if (studied) {
        run++;
        studyDays++;
        lastStudy = k;
        if (run > longest) longest = run;
      } else run = 0;
      if (k === -1) runToYesterday = run;
    }
  }
  const studiedToday = cal[364].reviews > 0;
  // The run ending today, or ending yesterday while today is still open (the streak is not lost before the day ends).
  const current = studiedToday ? run : runToYesterday;
  return {
    streak: { current, longest, studyDays, studiedToday, lastStudyDate: lastStudy == null ? null : clock.date(lastStudy) },
    calendar: {
      days: cal,
      total: cal.reduce((s, d) => s + d.reviews, 0),
      activeDays: cal.filter((d) => d.reviews > 0).length,
      max: cal.reduce((m, d) => Math.max(m, d.reviews), 0),
    },
  };
}

function retentionFigures(ret: Map<number, DayRetention>, desired: { mean: number; min: number; max: number }): RetentionStats {
  // Pass rate of review cards (state before 2), from the per-day counts (days −364 … 0, all in `ret`).
  // Disjoint slices, summed into the periods: today, yesterday, 2–6 days ago, 7–29, 30–364.
  const slices: [number, number][] = [[0, 0], [-1, -1], [-6, -2], [-29, -7], [-364, -30]];
  const got = slices.map(([a, b]) => {
    const g = { yn: 0, mn: 0, yp: 0, mp: 0 };
    for (let k = a; k <= b; k++) {
      const d = ret.get(k)!;
      g.yn += d.yn; g.mn += d.mn; g.yp += d.yp; g.mp += d.mp;
    }
    return g;
  });
  const sum = (idx: number[]) => {
    const s = { yn: 0, mn: 0, yp: 0, mp: 0 };
    for (const i of idx) {
      s.yn += got[i].yn; s.mn += got[i].mn; s.yp += got[i].yp; s.mp += got[i].mp;
    }
    return s;
  };
  const defs: [RetentionPeriodKey, string, number, number, number[]][] = [
    ['today', 'Today', 0, 0, [0]],
    ['yesterday', 'Yesterday', -1, -1, [1]],
    ['week', 'Last 7 days', -6, 0, [0, 1, 2]],
    ['month', 'Last 30 days', -29, 0, [0, 1, 2, 3]],
    ['year', 'Last year', -364, 0, [0, 1, 2, 3, 4]],
  ];
  return {
    desired: desired.mean,
    desiredMin: desired.min,
    desiredMax: desired.max,
    periods: defs.map(([key, label, from, to, idx]) => {
      const s = sum(idx);
      return { key, label, from, to, young: passRate(s.yn, s.yp), mature: passRate(s.mn, s.mp), all: passRate(s.yn + s.mn, s.yp + s.mp) };
    }),
  };
}

function calibrationFigures(db: DB, clock: StudyDayClock, inScope: string, first: number | null): CalibrationStats {
  // Predicted recall at each past review of a learned card whose previous review was on an earlier
  // study day: R(elapsed_days, stability_before). Same-day answers (learning steps) are left out, as
  // in FSRS's own evaluation: FSRS does not use the forgetting curve for them, and a learner's Again
  // within the steps would read as a scheduler failing at "100 % predicted".
  // R falls as t/S grows, so the bin [b/10, (b+1)/10) is the t/S range (ratioFor((b+1)/10), ratioFor(b/10)].
  const curve = forgettingCurve();
  // The previous answer was on an earlier study day when it is further back than the start of this one.
  // Every row counted has reviewed_at ≥ first ≥ clock.start(from), where sqlSinceStart is valid; and a
  // NULL last_review_before makes the comparison NULL, so the row is left out as it must be.
  const from = first == null ? 0 : Math.min(0, clock.index(first));
  const earlierDay = `reviewed_at - last_review_before > ${clock.sqlSinceStart('reviewed_at', from, 1)}`;
  // Predicted recall: the very expression revlog_recall holds (REVLOG_RECALL_R in db.ts) when the
  // curve is the default one, so SQLite reads it from the index; otherwise it is computed per row.
  const q = db.prepare<{ lo: number; hi: number }, { c: bigint | null; p: number | null }>(
    `SELECT sum(CASE WHEN rating > 1 THEN ${B32 + 1n} ELSE 1 END) AS c, sum(${recallSql(curve)}) AS p
     FROM revlog WHERE state_before != 0 AND stability_before > 0
       AND elapsed_days / stability_before > @lo AND elapsed_days / stability_before <= @hi
       AND rating >= 1 AND ${earlierDay} ${inScope}`).safeIntegers(true);
  const bins: CalibrationBin[] = [];
  for (let b = 0; b < 10; b++) {
    const hi = b === 0 ? Number.MAX_VALUE : ratioFor(b / 10, curve);
    const lo = b === 9 ? -Number.MAX_VALUE : ratioFor((b + 1) / 10, curve);
    const r = q.get({ lo, hi })!;
    const n = lo32(r.c);
    const passed = hi32(r.c);
    bins.push({ from: b / 10, to: (b + 1) / 10, reviews: n, passed, predicted: n ? (r.p ?? 0) / n : null, actual: rate(passed, n) });
  }
  const reviews = bins.reduce((s, b) => s + b.reviews, 0);
  let sq = 0;
  let pSum = 0;
  let okSum = 0;
  for (const b of bins) {
    if (!b.reviews) continue;
    sq += b.reviews * (b.predicted! - b.actual!) ** 2;
    pSum += b.predicted! * b.reviews;
    okSum += b.passed;
  }
  return {
    bins,
    reviews,
    rmse: reviews ? Math.sqrt(sq / reviews) : null,
    predicted: reviews ? pSum / reviews : null,
    actual: rate(okSum, reviews),
  };
}

function exerciseFigures(db: DB, clock: StudyDayClock, inScope: string): ExerciseStats {
  // Exercise answers of the last year by study day (few rows: the GROUP BY sorts little), then by week.
  const from = -364;
  const s = clock.start(from);
  const e = clock.start(1);
  const rows = db.prepare<[number, number], { k: number; n: number; checked: number; ok: number }>(
    `SELECT ${clock.sqlIndex('reviewed_at', from, 1)} AS k, count(*) AS n, count(correct) AS checked, coalesce(sum(correct = 1), 0) AS ok
     FROM (SELECT reviewed_at, ${EXERCISE_CORRECT} AS correct
           FROM revlog WHERE exercise IS NOT NULL AND reviewed_at >= ? AND reviewed_at < ? AND rating >= 1 ${inScope})
     GROUP BY k ORDER BY k`).all(s, e);
  const weeks: ExerciseWeek[] = [];
  if (rows.length) {
    // Weeks start on Monday; the week of day k starts at k − weekday(k).
    const weekOf = (k: number) => k - clock.weekday(k);
    const byWeek = new Map<number, ExerciseWeek>();
    for (let w = weekOf(rows[0].k); w <= 0; w += 7) {
      const wk: ExerciseWeek = { weekStart: clock.date(w), reviews: 0, checked: 0, correct: 0, accuracy: null };
      byWeek.set(w, wk);
      weeks.push(wk);
    }
    for (const r of rows) {
      const wk = byWeek.get(weekOf(r.k))!;
      wk.reviews += r.n;
      wk.checked += r.checked;
      wk.correct += r.ok;
    }
    for (const wk of weeks) wk.accuracy = rate(wk.correct, wk.checked);
  }
  const reviews = weeks.reduce((a, w) => a + w.reviews, 0);
  const checked = weeks.reduce((a, w) => a + w.checked, 0);
  const correct = weeks.reduce((a, w) => a + w.correct, 0);
  return { weeks, reviews, checked, correct, accuracy: rate(correct, checked) };
}

// ---------------------------------------------------------------------------------------------
// Cards


function cardFigures(db: DB, clock: StudyDayClock, now: Date, cardScope: string) {
  const tomorrow = clock.start(1);
  const active = `suspended = 0 AND retired = 0 ${cardScope}`;
  // (a) Active cards by deck and state, with what is due today: index-only on cards_queue (deck_id, state, due), no sort.
  const byState = db.prepare<[], { deck_id: number; state: number; n: number; due: number }>(
    `SELECT deck_id, state, count(*) AS n, sum(state != 0 AND due < ${tomorrow}) AS due
     FROM cards WHERE ${active} GROUP BY deck_id, state`).all();
  // (b) Active learned cards by deck and histogram bins: mature cards, recall now, and the distributions;
  // (c) suspended and retired cards (few) by deck: the same scan of the table.
  const learned = learnedCards(db, now, cardScope);
  const inactive = learned.inactive;
  const decksMeta = db.prepare<[], { id: number; name: string; config: string }>(
    `SELECT id, name, config FROM decks WHERE 1 ${cardScope.replace('deck_id', 'id')} ORDER BY name`).all();

  const counts: CardCounts = { new: 0, learning: 0, young: 0, mature: 0, relearning: 0, suspended: 0, retired: 0, total: 0 };
  type Acc = DeckStats & { rn: number; rs: number; any: boolean };
  const per = new Map<number, Acc>();
  for (const d of decksMeta) {
    per.set(d.id, {
      id: d.id, name: d.name, total: 0, new: 0, learned: 0, mature: 0, suspended: 0, dueToday: 0, avgRetrievability: null,
      desiredRetention: deckConfig(d.config).retention, rn: 0, rs: 0, any: false,
    });
  }
  const deck = (id: number): Acc => {
    let d = per.get(id);
    if (!d) {
      d = { id, name: `#${id}`, total: 0, new: 0, learned: 0, mature: 0, suspended: 0, dueToday: 0, avgRetrievability: null, desiredRetention: 0.9, rn: 0, rs: 0, any: false };
      per.set(id, d);
    }
    d.any = true;
    return d;
  };
  for (const r of byState) {
    const d = deck(r.deck_id);
    d.total += r.n;
    d.dueToday += r.due;
    if (r.state === 0) {
      d.new += r.n;
      counts.new += r.n;
    } else {
      d.learned += r.n;
      if (r.state === 1) counts.learning += r.n;
      else if (r.state === 3) counts.relearning += r.n;
      else counts.young += r.n; // less the mature ones, below
    }
  }
  for (const r of learned.perDeck) {
    const d = deck(r.deck_id);
    d.mature += r.mature;
    counts.young -= r.mature;
    counts.mature += r.mature;
    d.rn += r.rn;
    d.rs += r.rs;
  }
  for (const r of inactive) {
    const d = deck(r.deck_id);
    if (r.retired) {
      counts.retired += r.n;
      continue;
    }
    counts.suspended += r.n;
    d.total += r.n;
    d.suspended += r.n;
    d.learned += r.learned;
    d.mature += r.mature;
  }
  counts.total = counts.new + counts.learning + counts.young + counts.mature + counts.relearning + counts.suspended + counts.retired;

  const decks: DeckStats[] = [];
  let wSum = 0;
  let wN = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const d of per.values()) {
    if (!d.any || d.total === 0) continue; // no cards, or only retired ones
    const { rn, rs, any: _a, ...rest } = d;
    decks.push({ ...rest, avgRetrievability: rn ? rs / rn : null });
    if (d.total > 0) {
      wSum += d.desiredRetention * d.total;
      wN += d.total;
      min = Math.min(min, d.desiredRetention);
      max = Math.max(max, d.desiredRetention);
    }
  }
  const fallback = decksMeta.length === 1 ? deckConfig(decksMeta[0].config).retention : 0.9;
  const desired = wN ? { mean: wSum / wN, min, max } : { mean: fallback, min: fallback, max: fallback };
  return { counts, decks, desired, distributions: learned.distributions };
}

const STABILITY_EDGES = [0, 1, 3, 7, 14, 30, 60, 120, 180, 365, Infinity];
const STABILITY_LABELS = ['<1d', '1–3d', '3–7d', '1–2w', '2–4w', '1–2mo', '2–4mo', '4–6mo', '6mo–1y', '≥1y'];
const pctLabel = (b: number) => `${b * 10}–${b * 10 + 10}%`;

/**
 * Active learned cards in one pass, grouped by deck and by the bins of the three histograms (a few
 * hundred groups per deck at most): per deck the mature cards and the sum of recall now, and the
 * distributions of stability, difficulty and recall now. The four group keys are packed into one
 * integer k ≥ 0 (4 bits each below the deck id): SQLite sorts to group, and one integer compares
 * fastest. The same scan groups the suspended and retired cards by deck (k = −1 − (2 · deck + retired)).
 * The inner query is not flattened (LIMIT −1), so recall now (pow) is computed once a card, not once
 * for its bin and again for the sum after the sort.
 */
function learnedCards(db: DB, now: Date, cardScope: string) {
  const curve = forgettingCurve();
  const known = 'stability > 0 AND last_review IS NOT NULL';
  const rExpr = `pow(1 + ${curve.factor} * (max(0, ${now.getTime()} - last_review) / ${DAY_MS}.0 / stability), ${curve.decay})`;
  const sBin = `CASE ${STABILITY_EDGES.slice(1, -1).map((e, i) => `WHEN stability < ${e} THEN ${i}`).join(' ')} ELSE 9 END`;
  const dBin = 'min(9, max(0, CAST((difficulty - 1) / 0.9 AS INTEGER)))';
  const rows = db.prepare<[], { k: number; n: number; mature: number; s: number; d: number; rs: number | null; learned: number }>(
    `SELECT CASE WHEN active THEN ((deck_id * 16 + sb) * 16 + db) * 16 + CASE WHEN r IS NULL THEN 10 ELSE min(9, max(0, CAST(r * 10 AS INTEGER))) END
              ELSE -1 - (deck_id * 2 + retired) END AS k,
       count(*) AS n, sum(mature) AS mature, sum(stability) AS s, sum(dn) AS d, sum(r) AS rs, sum(learned) AS learned
     FROM (SELECT deck_id, suspended = 0 AND retired = 0 AS active, retired != 0 AS retired, ${sBin} AS sb, ${dBin} AS db,
             state = 2 AND due - last_review >= ${MATURE_MS} AS mature, state != 0 AS learned,
             stability, (difficulty - 1) / 9 AS dn, CASE WHEN ${known} THEN ${rExpr} END AS r
           FROM cards NOT INDEXED WHERE (state != 0 AND suspended = 0 AND retired = 0 OR suspended = 1 OR retired = 1) ${cardScope} LIMIT -1)
     GROUP BY k`).all();
  const inactive: { deck_id: number; retired: number; n: number; learned: number; mature: number }[] = [];
  const mk = (labels: string[], edges: number[]): Histogram => ({
    bins: labels.map((label, i) => ({ label, from: edges[i], to: Number.isFinite(edges[i + 1]) ? edges[i + 1] : null, count: 0 })), count: 0, mean: null,
  });
  const tenths = Array.from({ length: 11 }, (_, i) => i / 10);
  const stability = mk(STABILITY_LABELS, STABILITY_EDGES);
  const difficulty = mk(tenths.slice(0, 10).map((_, i) => pctLabel(i)), tenths);
  const retrievability = mk(tenths.slice(0, 10).map((_, i) => pctLabel(i)), tenths);
  const perDeck = new Map<number, { deck_id: number; mature: number; rn: number; rs: number }>();
  let sSum = 0;
  let dSum = 0;
  let rSum = 0;
  for (const h of rows) {
    if (h.k < 0) {
      const x = -1 - h.k;
      inactive.push({ deck_id: Math.floor(x / 2), retired: x % 2, n: h.n, learned: h.learned, mature: h.mature });
      continue;
    }
    const rb = h.k % 16;
    const dbin = Math.floor(h.k / 16) % 16;
    const sb = Math.floor(h.k / 256) % 16;
    const deckId = Math.floor(h.k / 4096);
    let pd = perDeck.get(deckId);
    if (!pd) perDeck.set(deckId, (pd = { deck_id: deckId, mature: 0, rn: 0, rs: 0 }));
    pd.mature += h.mature;
    stability.bins[sb].count += h.n;
    difficulty.bins[dbin].count += h.n;
    stability.count += h.n;
    difficulty.count += h.n;
    sSum += h.s;
    dSum += h.d;
    if (rb < 10) {
      retrievability.bins[rb].count += h.n;
      retrievability.count += h.n;
      rSum += h.rs ?? 0;
      pd.rn += h.n;
      pd.rs += h.rs ?? 0;
    }
  }
  stability.mean = stability.count ? sSum / stability.count : null;
  difficulty.mean = difficulty.count ? dSum / difficulty.count : null;
  retrievability.mean = retrievability.count ? rSum / retrievability.count : null;
  inactive.reverse(); // by deck id, then retired, as a GROUP BY deck_id, retired would give them
  return { perDeck: [...perDeck.values()], inactive, distributions: { stability, difficulty, retrievability } as DistributionStats };
}

function forecastFigures(db: DB, clock: StudyDayClock, days: number, cardScope: string): ForecastStats {
  const s0 = clock.start(0);
  const rows = db.prepare<[], { k: number; rev: number; n: number }>(
    `SELECT CASE WHEN due < ${s0} THEN -1 ELSE ${clock.sqlIndex('due', 0, days)} END AS k, state = 2 AS rev, count(*) AS n
     FROM cards WHERE state != 0 AND suspended = 0 AND retired = 0 AND due < ${clock.start(days)} ${cardScope}
     GROUP BY k, rev`).all();
  const out: ForecastDay[] = Array.from({ length: days }, (_, k) => ({ day: k, date: clock.date(k), learning: 0, review: 0, total: 0 }));
  let overdue = 0;
  for (const r of rows) {
    if (r.k < 0) {
      overdue += r.n;
      continue;
    }
    const d = out[r.k];
    if (!d) continue;
    if (r.rev) d.review += r.n;
    else d.learning += r.n;
    d.total += r.n;
  }
  return { overdue, dueToday: overdue + out[0].total, days: out, total: out.reduce((s, d) => s + d.total, 0) };
}

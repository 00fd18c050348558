// The sections of the statistics screen as styled lines, from the plain data of computeStats().
// Shared by the Ink screen (one section at a time) and formatStatsText (all of them, plain text).
import type { CalibrationStats, DeckStats, Histogram, Stats } from '../../core/stats.js';
import { lineText, seg, textWidth, type Line, type Tone } from '../../core/text/styled.js';
import { beside, clip, fit, fmtDuration, fmtInt, fmtPct, fmtShort, hbar, hbars, legend, SHADES, table, vbars, type Series } from './charts.js';

export interface SectionContext {
  /** Columns available. */
  width: number;
  /** Rows available for the section (charts scale to it). */
  height: number;
}

export interface Section {
  key: string;
  title: string;
  /** A shorter title for narrow tab bars. */
  short: string;
  lines(s: Stats, ctx: SectionContext): Line[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const REVIEW_SERIES: Series[] = [
  { name: 'review', tone: 'review', glyph: 'block' },
  { name: 'learning', tone: 'learning', glyph: '▒' },
  { name: 'relearning', tone: 'again', glyph: '░' },
];
const FORECAST_SERIES: Series[] = [
  { name: 'review', tone: 'review', glyph: 'block' },
  { name: 'learning', tone: 'learning', glyph: '▒' },
];

/** A section heading; the note goes beside it when it fits the width, else wrapped on the lines below. */
function heading(text: string, note = '', width = Infinity): Line[] {
  const h = seg(text, { tone: 'heading', bold: true });
  if (!note) return [[h]];
  if (textWidth(text) + 2 + textWidth(note) <= width) return [[h, seg(`  ${note}`, { tone: 'muted' })]];
  return [[h], ...wrapText(note, width).map((l): Line => [seg(l, { tone: 'muted' })])];
}

/** Word-wrap plain text to `width` columns (wide characters count two). */
export function wrapText(text: string, width: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = cur ? `${cur} ${word}` : word;
    if (cur && textWidth(next) > width) {
      out.push(cur);
      cur = word;
    } else cur = next;
  }
  if (cur) out.push(cur);
  return out;
}

const note = (text: string, width: number): Line[] => wrapText(text, width).map((l) => [seg(l, { tone: 'muted' })]);
const blank: Line = [];
const plural = (n: number, one: string, many = `${one}s`) => `${fmtInt(n)} ${n === 1 ? one : many}`;
/** "Mar 10" from 'YYYY-MM-DD'. */
const shortDate = (d: string) => `${MONTHS[Number(d.slice(5, 7)) - 1]} ${Number(d.slice(8, 10))}`;
const weekday = (d: string) => WEEKDAYS[(new Date(`${d}T12:00:00Z`).getUTCDay() + 6) % 7];

/** Label and value rows: "Label       value". */
function rows(items: [string, Line][], width: number): Line[] {
  const lw = Math.min(Math.max(...items.map(([l]) => textWidth(l))) + 2, Math.floor(width / 3));
  return items.map(([label, value]) => [seg(fit(label, lw), { tone: 'muted' }), ...value]);
}

/** Tone for a pass rate against the desired retention. */
const rateTone = (rate: number | null, desired: number): Tone | undefined =>
  rate == null ? 'muted' : rate >= desired - 0.02 ? 'good' : rate >= desired - 0.1 ? 'hard' : 'again';

// ---------------------------------------------------------------------------------------------

/** Label and value rows whose value is made of chunks joined by " · ", wrapped under the value column. */
function chunkRows(items: [string, Line[]][], width: number): Line[] {
  const lw = Math.min(Math.max(...items.map(([l]) => textWidth(l))) + 2, Math.floor(width / 3));
  const out: Line[] = [];
  const w = (l: Line) => l.reduce((a, x) => a + textWidth(x.text), 0);
  for (const [label, chunks] of items) {
    let cur: Line = [seg(fit(label, lw), { tone: 'muted' })];
    let fresh = true;
    for (const chunk of chunks) {
      const sep = fresh ? [] : [seg(' · ', { tone: 'muted' })];
      if (!fresh && w(cur) + 3 + w(chunk) > width) {
        out.push(cur);
        cur = [seg(' '.repeat(lw))];
        fresh = true;
        cur.push(...chunk);
        fresh = false;
        continue;
      }
      cur.push(...sep, ...chunk);
      fresh = false;
    }
    out.push(cur);
  }
  return out;
}

function overview(s: Stats, ctx: SectionContext): Line[] {
  const lines = overviewText(s, ctx.width);
  // With room to spare (a tall terminal), the next two weeks and the last two weeks as small charts.
  const room = ctx.height - lines.length - 2;
  if (room < 9) return lines;
  const h = Math.min(8, room - 5);
  const two = ctx.width >= 100;
  const w = two ? Math.floor((ctx.width - 3) / 2) : ctx.width;
  const fc = s.forecast.days.slice(0, 14);
  const next = [...heading('Next 14 days', `${fmtInt(fc.reduce((a, d) => a + d.total, 0) + s.forecast.overdue)} due, overdue included`, w),
    ...vbars({ columns: fc.map((d, i) => [d.review + (i === 0 ? s.forecast.overdue : 0), d.learning]), series: FORECAST_SERIES, width: w, height: h,
      xLabel: (i) => (i === 0 ? 'today' : i === 7 ? '+7' : i === 13 ? '+13' : '') })];
  const rd = s.reviews.days.slice(-14);
  const last = [...heading('Last 14 days', `${fmtInt(rd.reduce((a, d) => a + d.total, 0))} answers`, w),
    ...vbars({ columns: rd.map((d) => [d.review, d.learning, d.relearning]), series: REVIEW_SERIES, width: w, height: h,
      xLabel: (i) => (i === rd.length - 1 ? 'today' : i === 0 ? shortDate(rd[0].date) : '') })];
  if (two) return [...lines, blank, ...beside(last, next, w)];
  if (room < 2 * (h + 4) + 1) return [...lines, blank, ...next];
  return [...lines, blank, ...last, blank, ...next];
}

function overviewText(s: Stats, width: number): Line[] {
  const t = s.today;
  const fc = s.forecast;
  const tomorrow = fc.days[1]?.total ?? 0;
  const week = fc.days.slice(0, 7).reduce((a, d) => a + d.total, 0) + fc.overdue;
  const month = s.retention.periods.find((p) => p.key === 'month')!;
  const c = s.counts;
  const b = (text: string, tone?: Tone): Line => [seg(text, { bold: true, ...(tone ? { tone } : {}) })];
  const m = (text: string): Line => [seg(text, { tone: 'muted' })];
  return [
    ...heading(`Today, ${weekday(t.date)} ${t.date}`),
    ...chunkRows([
      ['Reviewed', t.reviews
        ? [b(plural(t.reviews, 'answer')), [seg(plural(t.cards, 'card'))], [seg(fmtDuration(t.timeMs))],
          [seg('again '), seg(fmtPct(t.againRate), { tone: (t.againRate ?? 0) > 0.2 ? 'again' : 'good', bold: true }), seg(` (${fmtInt(t.again)})`, { tone: 'muted' })],
          [seg(fmtInt(t.newCards), { tone: 'new', bold: true }), seg(' new')]]
        : [m('nothing yet today')]],
      ['Streak', [
        [...b(plural(s.streak.current, 'day')), ...(s.streak.studiedToday || !s.streak.current ? [] : [seg(' (study today to keep it)', { tone: 'hard' })])],
        m(`longest ${plural(s.streak.longest, 'day')}`), m(`${plural(s.streak.studyDays, 'study day')} in all`)]],
      ['Due', [[seg('today '), ...b(fmtInt(fc.dueToday), 'review'), ...(fc.overdue ? [seg(` (${fmtInt(fc.overdue)} overdue)`, { tone: 'hard' })] : [])],
        [seg('tomorrow '), ...b(fmtInt(tomorrow))], [seg('next 7 days '), ...b(fmtInt(week))]]],
      ['Retention', [m('last 30 days'),
        [seg('young '), seg(fmtPct(month.young.rate), { tone: rateTone(month.young.rate, s.retention.desired), bold: true })],
        [seg('mature '), seg(fmtPct(month.mature.rate), { tone: rateTone(month.mature.rate, s.retention.desired), bold: true })],
        m(`desired ${fmtPct(s.retention.desired, s.retention.desiredMin === s.retention.desiredMax ? 0 : 1)}`)]],
      ['Calibration', s.calibration.rmse == null ? [m('no reviews yet')]
        : [[seg('RMSE '), ...b(fmtPct(s.calibration.rmse))], m(`predicted ${fmtPct(s.calibration.predicted)}`), m(`actual ${fmtPct(s.calibration.actual)}`), m(plural(s.calibration.reviews, 'review'))]],
      ['Recall now', [[...b(fmtPct(s.distributions.retrievability.mean)), seg(` mean over ${plural(s.distributions.retrievability.count, 'learned card')}`, { tone: 'muted' })]]],
    ], width),
    blank,
    ...heading('Cards', `${fmtInt(c.total)} in all`, width),
    ...countBar(s, width),
  ];
}

const COUNT_PARTS: { key: keyof Stats['counts']; name: string; tone: Tone; glyph: string }[] = [
  { key: 'new', name: 'new', tone: 'new', glyph: '░' },
  { key: 'learning', name: 'learning', tone: 'learning', glyph: '▒' },
  { key: 'relearning', name: 'relearning', tone: 'again', glyph: '▞' },
  { key: 'young', name: 'young', tone: 'review', glyph: '▓' },
  { key: 'mature', name: 'mature', tone: 'good', glyph: '█' },
  { key: 'suspended', name: 'suspended', tone: 'hard', glyph: '·' },
  { key: 'retired', name: 'retired', tone: 'muted', glyph: ' ' },
];

/** A one-line stacked bar of the card states and its legend with counts. */
function countBar(s: Stats, width: number): Line[] {
  const c = s.counts;
  const parts = COUNT_PARTS.filter((p) => p.key !== 'retired');
  const total = parts.reduce((a, p) => a + c[p.key], 0);
  const w = Math.max(10, width - 2);
  const bar: Line = [seg('▕', { tone: 'muted' })];
  if (total > 0) {
    // Largest remainder, so the cells add up to the width.
    const exact = parts.map((p) => (c[p.key] / total) * (w - 2));
    const cells = exact.map(Math.floor);
    let left = w - 2 - cells.reduce((a, b) => a + b, 0);
    const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
    for (const [, i] of order) if (left > 0 && c[parts[i].key] > 0) (cells[i]++, left--);
    parts.forEach((p, i) => cells[i] && bar.push(seg(p.glyph.repeat(cells[i]), { tone: p.tone })));
  } else bar.push(seg(' '.repeat(w - 2)));
  bar.push(seg('▏', { tone: 'muted' }));
  const legendLines: Line[] = [];
  let cur: Line = [];
  for (const p of COUNT_PARTS) {
    const item: Line = [seg(p.glyph === ' ' ? '-' : p.glyph, { tone: p.tone }), seg(` ${p.name} `), seg(fmtInt(c[p.key]), { bold: true })];
    const iw = item.reduce((a, x) => a + textWidth(x.text), 0);
    const cw = cur.reduce((a, x) => a + textWidth(x.text), 0);
    if (cur.length && cw + 3 + iw > width) {
      legendLines.push(cur);
      cur = [];
    }
    if (cur.length) cur.push(seg('   '));
    cur.push(...item);
  }
  if (cur.length) legendLines.push(cur);
  return [bar, ...legendLines];
}

function forecast(s: Stats, { width, height }: SectionContext): Line[] {
  const fc = s.forecast;
  const chartH = Math.max(4, Math.min(12, height - 6));
  const label = (i: number) => (i === 0 ? 'today' : `+${i}`);
  const keys = [0, 7, 14, 21, 28, 60, 90, 180, 365].filter((k) => k < fc.days.length);
  return [
    ...heading(`Forecast, next ${fc.days.length} days`, `${fmtInt(fc.total)} due · ${fmtInt(fc.overdue)} overdue · ${fmtInt(fc.dueToday)} to clear today`, width),
    blank,
    ...vbars({
      columns: fc.days.map((d) => [d.review, d.learning]),
      series: FORECAST_SERIES,
      width,
      height: chartH,
      xLabel: (i) => (keys.includes(i) ? label(i) : ''),
      xKey: keys,
    }),
    legend(FORECAST_SERIES),
  ];
}

function calendar(s: Stats, { width }: SectionContext): Line[] {
  const days = s.calendar.days;
  const lead = days[0]?.weekday ?? 0;
  const labelW = 4;
  let ncols = Math.ceil((lead + days.length) / 7);
  const avail = Math.max(7, width - labelW);
  const cellW = ncols * 2 <= avail ? 2 : 1;
  const skip = Math.max(0, ncols - Math.floor(avail / cellW)); // oldest weeks that do not fit
  ncols -= skip;
  const max = s.calendar.max;
  const level = (n: number) => (n <= 0 ? 0 : Math.min(4, Math.ceil((4 * n) / Math.max(1, max))));
  const out: Line[] = [...heading('Reviews in the last year', `${fmtInt(s.calendar.total)} answers on ${plural(s.calendar.activeDays, 'day')}`, width), blank];
  // Month labels where a month begins within a week column.
  const monthRow = Array<string>(labelW + ncols * cellW).fill(' ');
  let lastEnd = -1;
  for (let c = 0; c < ncols; c++) {
    for (let r = 0; r < 7; r++) {
      const idx = (c + skip) * 7 + r - lead;
      const d = days[idx];
      if (!d || Number(d.date.slice(8, 10)) !== 1) continue;
      const name = MONTHS[Number(d.date.slice(5, 7)) - 1];
      const at = labelW + c * cellW;
      if (at > lastEnd && at + name.length <= monthRow.length) {
        [...name].forEach((ch, k) => (monthRow[at + k] = ch));
        lastEnd = at + name.length;
      }
    }
  }
  out.push([seg(monthRow.join('').trimEnd(), { tone: 'muted' })]);
  for (let r = 0; r < 7; r++) {
    const line: Line = [seg(fit(r % 2 === 0 && r < 6 ? WEEKDAYS[r] : '', labelW), { tone: 'muted' })];
    for (let c = 0; c < ncols; c++) {
      const d = days[(c + skip) * 7 + r - lead];
      const pad = cellW === 2 ? ' ' : '';
      if (!d) {
        line.push(seg(' ' + pad));
        continue;
      }
      const lv = level(d.reviews);
      line.push(seg(SHADES[lv], { tone: lv ? 'good' : 'muted' }), seg(pad));
    }
    out.push(line);
  }
  out.push(blank);
  out.push([seg('Less ', { tone: 'muted' }), ...SHADES.map((g, i) => seg(g + ' ', { tone: i ? 'good' : 'muted' })), seg('More', { tone: 'muted' }),
    seg(`   █ = ${fmtInt(Math.ceil((3 * max) / 4) + 1)}–${fmtInt(max)} a day`, { tone: 'muted' })]);
  if (skip) out.push([seg(`(the oldest ${plural(skip, 'week')} do not fit this width)`, { tone: 'muted' })]);
  out.push(blank);
  out.push(...rows([
    ['Streak', [seg(plural(s.streak.current, 'day'), { bold: true }), seg(`  longest ${plural(s.streak.longest, 'day')}`, { tone: 'muted' })]],
    ['Days studied', [seg(`${fmtInt(s.calendar.activeDays)} of 365`), seg(`  (${fmtPct(s.calendar.activeDays / 365, 0)})`, { tone: 'muted' })]],
  ], width));
  return out;
}

function reviews(s: Stats, { width, height }: SectionContext): Line[] {
  const r = s.reviews;
  const days = r.days;
  const headLines = heading(`Reviews per day, last ${days.length} days`, '', width).length + (width >= 100 ? 0 : 1);
  const room = Math.max(5, height - 9 - headLines);
  const chartH = Math.max(3, Math.min(12, Math.round(room * 0.6)));
  const timeH = Math.max(2, Math.min(8, room - chartH));
  const label = (i: number) => (i === days.length - 1 ? 'today' : shortDate(days[i].date));
  const keyEvery = Math.max(1, Math.round(days.length / 4));
  const keys = [days.length - 1, ...days.map((_, i) => i).filter((i) => (days.length - 1 - i) % keyEvery === 0 && i !== days.length - 1)];
  const keyLabel = (i: number) => (keys.includes(i) ? label(i) : '');
  const timeSeries: Series[] = [{ name: 'minutes', tone: 'accent', glyph: 'block' }];
  return [
    ...heading(`Reviews per day, last ${days.length} days`, `${fmtInt(r.total)} answers · ${fmtDuration(r.timeMs)} · ${fmtShort(r.perDay)} a day · ${plural(r.activeDays, 'active day')}`, width),
    blank,
    ...vbars({ columns: days.map((d) => [d.review, d.learning, d.relearning]), series: REVIEW_SERIES, width, height: chartH, xLabel: keyLabel, xKey: keys }),
    legend(REVIEW_SERIES),
    blank,
    ...heading('Time per day', `minutes · ${fmtDuration(r.timeMs / Math.max(1, r.activeDays))} per active day`, width),
    ...vbars({ columns: days.map((d) => [d.timeMs / 60_000]), series: timeSeries, width, height: timeH, xLabel: keyLabel, xKey: keys }),
  ];
}

function retention(s: Stats, { width }: SectionContext): Line[] {
  const ret = s.retention;
  const desired = ret.desiredMin === ret.desiredMax ? fmtPct(ret.desired, 0) : `${fmtPct(ret.desiredMin, 0)}–${fmtPct(ret.desiredMax, 0)} (${fmtPct(ret.desired)} on average)`;
  const cell = (p: { reviews: number; rate: number | null }) => (p.reviews ? `${fmtPct(p.rate)} ${fit(`(${fmtInt(p.reviews)})`, 9, 'right')}` : '—');
  const narrow = width < 60;
  const cellN = (p: { reviews: number; rate: number | null }) => (p.reviews ? fmtPct(p.rate) : '—');
  const body = ret.periods.map((p) => [p.label, ...(narrow ? [cellN(p.young), cellN(p.mature), cellN(p.all)] : [cell(p.young), cell(p.mature), cell(p.all)])]);
  const tones = ret.periods.map((p) => [undefined, rateTone(p.young.rate, ret.desired), rateTone(p.mature.rate, ret.desired), rateTone(p.all.rate, ret.desired)]);
  return [
    ...heading('True retention', 'share of review cards answered Hard, Good or Easy', width),
    [seg('Desired retention ', { tone: 'muted' }), seg(desired, { bold: true })],
    blank,
    ...table(['', 'Young (<21d)', 'Mature', 'All'], body, width, { tones }),
    blank,
    ...note('Young: scheduled interval under 21 days; mature: 21 days or more. In brackets: reviews. Well below the desired retention means the scheduler thinks you remember more than you do.', width),
  ];
}

function histogram(title: string, h: Histogram, width: number, fmtMean: (m: number) => string): Line[] {
  const total = h.count;
  return [
    ...heading(title, h.mean == null ? 'no cards yet' : `mean ${fmtMean(h.mean)} · ${plural(total, 'card')}`, width),
    ...hbars(h.bins.map((b) => ({ label: b.label, value: b.count, note: `${fmtInt(b.count)} ${fit(total ? fmtPct(b.count / total, 0) : '', 4, 'right')}` })), width),
  ];
}

function cards(s: Stats, { width }: SectionContext): Line[] {
  const c = s.counts;
  const share = (n: number) => (c.total ? fmtPct(n / c.total, 0) : '');
  const countRows = COUNT_PARTS.map((p) => ({ label: p.name, value: c[p.key], note: `${fmtInt(c[p.key])} ${fit(share(c[p.key]), 4, 'right')}`, tone: p.tone }));
  const d = s.distributions;
  return [
    ...heading('Card counts', `${fmtInt(c.total)} cards`, width),
    ...hbars(countRows, width),
    blank,
    ...histogram('Stability', d.stability, width, (m) => `${m.toFixed(1)} days`),
    blank,
    ...histogram('Difficulty', d.difficulty, width, (m) => fmtPct(m, 0)),
    blank,
    ...histogram('Recall now (retrievability)', d.retrievability, width, (m) => fmtPct(m)),
  ];
}

/** Deck names with sub-decks indented under their parent when the parent is listed. */
function deckLabel(d: DeckStats, names: Set<string>): string {
  const parts = d.name.split('::');
  let depth = 0;
  for (let i = parts.length - 1; i > 0; i--) {
    if (names.has(parts.slice(0, i).join('::'))) {
      depth = i;
      break;
    }
  }
  return '  '.repeat(depth) + parts.slice(depth).join('::');
}

function decks(s: Stats, { width }: SectionContext): Line[] {
  if (!s.decks.length) return [...heading('Decks'), [seg('No cards yet.', { tone: 'muted' })]];
  const names = new Set(s.decks.map((d) => d.name));
  const wide = width >= 100;
  const header = ['Deck', 'Cards', 'Learned', 'Mature', 'Due', 'Recall', ...(wide ? ['Desired', 'Learned share'] : [])];
  const barW = 16;
  const body = s.decks.map((d) => [
    deckLabel(d, names), fmtInt(d.total), fmtInt(d.learned), fmtInt(d.mature), fmtInt(d.dueToday), fmtPct(d.avgRetrievability),
    ...(wide ? [fmtPct(d.desiredRetention, 0), fit(hbar(d.learned, Math.max(1, d.total), barW), barW) + ' ' + fit(fmtPct(d.total ? d.learned / d.total : null, 0), 4, 'right')] : []),
  ]);
  const tones = s.decks.map((d) => [undefined, undefined, undefined, undefined, d.dueToday ? 'review' : 'muted', rateTone(d.avgRetrievability, d.desiredRetention), undefined, 'good'] as (Tone | undefined)[]);
  const tot = s.decks.reduce((a, d) => ({ total: a.total + d.total, learned: a.learned + d.learned, mature: a.mature + d.mature, due: a.due + d.dueToday }), { total: 0, learned: 0, mature: 0, due: 0 });
  const align = header.map((_, i) => (i === 0 || i === 7 ? 'left' : 'right') as 'left' | 'right');
  const lines = table(header, [...body, ['Total', fmtInt(tot.total), fmtInt(tot.learned), fmtInt(tot.mature), fmtInt(tot.due), fmtPct(s.distributions.retrievability.mean), ...(wide ? ['', ''] : [])]], width, { tones, align, minFirst: 8 });
  lines.splice(lines.length - 1, 0, [seg('─'.repeat(Math.min(width, lineText(lines[0]).length)), { tone: 'muted' })]);
  return [...heading('Decks', 'cards (suspended included) · learned · mature (interval ≥ 21 days) · due today (overdue included) · mean recall now', width), blank, ...lines];
}

/** A small chart: x = predicted recall, y = actual pass rate; '·' marks where they would be equal. */
function calibrationChart(c: CalibrationStats, width: number): Line[] {
  const cw = Math.max(3, Math.min(6, Math.floor((width - 6) / 10)));
  const rowsN = 11; // 100 % … 0 %
  const grid: { ch: string; tone?: Tone }[][] = Array.from({ length: rowsN }, () => Array.from({ length: 10 * cw }, () => ({ ch: ' ' })));
  for (let b = 0; b < 10; b++) {
    const bin = c.bins[b];
    const x = b * cw + Math.floor(cw / 2);
    const ideal = bin.predicted ?? (b + 0.5) / 10;
    const ry = rowsN - 1 - Math.round(ideal * 10);
    grid[ry][x] = { ch: '·', tone: 'muted' };
    if (bin.actual != null) {
      const ay = rowsN - 1 - Math.round(bin.actual * 10);
      grid[ay][x] = { ch: '●', tone: Math.abs(bin.actual - ideal) <= 0.05 ? 'good' : 'again' };
    }
  }
  const out: Line[] = [];
  grid.forEach((row, r) => {
    const pct = (rowsN - 1 - r) * 10;
    const label = pct === 100 || pct === 50 || pct === 0 ? `${pct}%` : '';
    out.push([seg(fit(label, 4, 'right') + ' ', { tone: 'muted' }), seg('│', { tone: 'muted' }), ...row.map((c) => seg(c.ch, c.tone ? { tone: c.tone } : undefined))]);
  });
  out.push([seg('     └' + '─'.repeat(10 * cw), { tone: 'muted' })]);
  const xl = Array<string>(6 + 10 * cw).fill(' ');
  const put = (at: number, t: string) => [...t].forEach((ch, k) => at + k < xl.length && (xl[at + k] = ch));
  put(6, '0%');
  put(6 + 5 * cw - 1, '50%');
  put(6 + 10 * cw - 4, '100%');
  out.push([seg(xl.join('').trimEnd(), { tone: 'muted' })]);
  out.push([seg('     predicted recall →   ', { tone: 'muted' }), seg('●', { tone: 'good' }), seg(' actual pass rate   '), seg('·', { tone: 'muted' }), seg(' where actual = predicted')]);
  return out;
}

function calibration(s: Stats, { width }: SectionContext): Line[] {
  const c = s.calibration;
  if (!c.reviews) return [...heading('Calibration'), [seg('No reviews of learned cards yet.', { tone: 'muted' })]];
  const diff = (c.actual ?? 0) - (c.predicted ?? 0);
  const verdict = Math.abs(diff) < 0.02 ? 'FSRS predicts your recall well.'
    : diff > 0 ? `You remember ${fmtPct(diff)} more than FSRS predicts: intervals could be longer.`
      : `You remember ${fmtPct(-diff)} less than FSRS predicts: intervals are too long for you.`;
  const body = c.bins.filter((b) => b.reviews > 0).map((b) => [
    `${Math.round(b.from * 100)}–${Math.round(b.to * 100)}%`, fmtPct(b.predicted), fmtPct(b.actual), fmtInt(b.reviews),
    `${b.actual! - b.predicted! >= 0 ? '+' : ''}${((b.actual! - b.predicted!) * 100).toFixed(1)}`,
  ]);
  const tones = c.bins.filter((b) => b.reviews > 0).map((b) => [undefined, undefined, Math.abs(b.actual! - b.predicted!) <= 0.05 ? 'good' : 'again', 'muted', undefined] as (Tone | undefined)[]);
  return [
    ...heading('Calibration', 'the recall FSRS predicted at each review of a learned card, against what happened', width),
    [seg('RMSE ', { tone: 'muted' }), seg(fmtPct(c.rmse, 2), { bold: true }), seg(`  over ${plural(c.reviews, 'review')} · predicted ${fmtPct(c.predicted)} · actual ${fmtPct(c.actual)}`, { tone: 'muted' })],
    ...wrapText(verdict, width).map((l): Line => [seg(l)]),
    blank,
    ...calibrationChart(c, width),
    blank,
    ...table(['Predicted', 'Mean', 'Actual', 'Reviews', 'Δ pts'], body, width, { tones }),
  ];
}

function exercises(s: Stats, { width, height }: SectionContext): Line[] {
  const e = s.exercises;
  if (!e.reviews) return [...heading('Exercises'), [seg('No exercise answers in the last year.', { tone: 'muted' })]];
  const weeks = e.weeks;
  const accSeries: Series[] = [{ name: 'accuracy %', tone: 'good', glyph: 'block' }];
  const keyEvery = Math.max(1, Math.round(weeks.length / 4));
  const keys = weeks.map((_, i) => i).filter((i) => (weeks.length - 1 - i) % keyEvery === 0);
  return [
    ...heading('Exercises', `accuracy of numeric answers per week: ${fmtPct(e.accuracy)} of ${fmtInt(e.checked)} checked (${plural(e.reviews, 'answer')})`, width),
    blank,
    ...vbars({
      columns: weeks.map((w) => [(w.accuracy ?? 0) * 100]),
      series: accSeries,
      width,
      height: Math.max(4, Math.min(8, height - 8)),
      base: Math.max(0, Math.floor(Math.min(...weeks.filter((w) => w.accuracy != null).map((w) => w.accuracy! * 10))) * 10 - 10),
      yFormat: (n) => `${Math.round(n)}%`,
      xLabel: (i) => (keys.includes(i) ? shortDate(weeks[i].weekStart) : ''),
      xKey: keys.slice().reverse(),
    }),
    blank,
    ...hbars(weeks.slice().reverse().map((w) => ({
      label: w.weekStart,
      value: w.accuracy ?? 0,
      note: w.checked ? `${fmtInt(w.correct)}/${fmtInt(w.checked)} ${fit(fmtPct(w.accuracy, 0), 4, 'right')}` : w.reviews ? `${fmtInt(w.reviews)} unchecked` : '—',
      tone: (w.accuracy ?? 0) >= 0.8 ? 'good' : (w.accuracy ?? 0) >= 0.5 ? 'hard' : 'again',
    })), width, { max: 1 }),
  ];
}

export const SECTIONS: readonly Section[] = [
  { key: 'overview', title: 'Overview', short: 'Today', lines: overview },
  { key: 'forecast', title: 'Forecast', short: 'Due', lines: forecast },
  { key: 'calendar', title: 'Calendar', short: 'Year', lines: calendar },
  { key: 'reviews', title: 'Reviews', short: 'Daily', lines: reviews },
  { key: 'retention', title: 'Retention', short: 'Retain', lines: retention },
  { key: 'cards', title: 'Cards', short: 'Cards', lines: cards },
  { key: 'decks', title: 'Decks', short: 'Decks', lines: decks },
  { key: 'calibration', title: 'Calibration', short: 'Calib', lines: calibration },
  { key: 'exercises', title: 'Exercises', short: 'Exer', lines: exercises },
];

/** One section's lines, cut to the width as a last safety net. */
export function sectionLines(i: number, s: Stats, ctx: SectionContext): Line[] {
  return clip(SECTIONS[i].lines(s, ctx), ctx.width);
}

/** The title line: scope, date, day start and zone. */
export function titleLine(s: Stats): Line {
  const scope = s.scope.deckName ?? 'All decks';
  const hour = `${String(s.dayStartHour).padStart(2, '0')}:00`;
  return [
    seg('Statistics', { tone: 'accent', bold: true }),
    seg(` · ${scope}`, { bold: true }),
    seg(` · ${s.today.date} · days start at ${hour}${s.timeZone === 'local' ? '' : ` ${s.timeZone}`}`, { tone: 'muted' }),
  ];
}


// A small line chart as styled terminal lines (for exercise charts such as loss curves).
// Each series has its own glyph and tone, so the chart reads without colour too.
import { seg, textWidth, type Line, type Style, type Tone } from './styled.js';

export interface ChartInput {
  title?: string;
  xLabel?: string;
  yLabel?: string;
  series: { name: string; values: number[] }[];
}

const GLYPHS = ['●', '▲', '■', '◆', '○', '△', '□', '◇', '+', '×'];
const TONES: Tone[] = ['new', 'learning', 'good', 'hard', 'easy', 'accent', 'review', 'again', 'cloze', 'muted'];

function fmt(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1000 || a < 0.01) return x.toExponential(1);
  return String(Number(x.toPrecision(3)));
}

/**
 * Draw `chart` in at most `width` columns and about `height` rows of plot (plus title, axis and
 * legend lines). Points sit at x = 1, 2, … of each series; consecutive points are joined by dots.
 */
export function renderChart(chart: ChartInput, width: number, height = 10): Line[] {
  const series = chart.series.filter((s) => s.values.some((v) => Number.isFinite(v)));
  const out: Line[] = [];
  if (chart.title) out.push([seg(chart.title, { bold: true })]);
  if (series.length === 0) {
    out.push([seg('(no data to draw)', { tone: 'muted' })]);
    return out;
  }
  const all = series.flatMap((s) => s.values.filter((v) => Number.isFinite(v)));
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi === lo) {
    hi += 1;
    lo -= 1;
  }
  const rows = Math.max(3, Math.floor(height));
  const labels = [fmt(hi), fmt((hi + lo) / 2), fmt(lo)];
  const axisW = Math.max(...labels.map(textWidth)) + 1; // labels + space
  const plotW = Math.max(4, width - axisW - 1);
  const n = Math.max(...series.map((s) => s.values.length));
  const xAt = (i: number) => (n <= 1 ? 0 : Math.round((i * (plotW - 1)) / (n - 1)));
  const yAt = (v: number) => Math.round(((hi - v) / (hi - lo)) * (rows - 1));

  // grid of [char, style]
  const grid: { ch: string; style?: Style }[][] = Array.from({ length: rows }, () =>
    Array.from({ length: plotW }, () => ({ ch: ' ' })),
  );
  series.forEach((s, k) => {
    const style: Style = { tone: TONES[k % TONES.length] };
    const glyph = GLYPHS[k % GLYPHS.length];
    // joining dots first, then the points on top
    for (let i = 0; i + 1 < s.values.length; i++) {
      const a = s.values[i];
      const b = s.values[i + 1];
      if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
      const x0 = xAt(i);
      const x1 = xAt(i + 1);
      for (let x = x0 + 1; x < x1; x++) {
        const v = a + ((b - a) * (x - x0)) / (x1 - x0);
        const cell = grid[yAt(v)][x];
        if (cell.ch === ' ') grid[yAt(v)][x] = { ch: '·', style };
      }
    }
    s.values.forEach((v, i) => {
      if (Number.isFinite(v)) grid[yAt(v)][xAt(i)] = { ch: glyph, style };
    });
  });

  if (chart.yLabel) out.push([seg(chart.yLabel, { tone: 'muted' })]);
  const labelRow = (r: number) => (r === 0 ? labels[0] : r === rows - 1 ? labels[2] : r === Math.floor((rows - 1) / 2) ? labels[1] : '');
  for (let r = 0; r < rows; r++) {
    const label = labelRow(r);
    const line: Line = [seg(' '.repeat(axisW - 1 - textWidth(label)) + label + ' ', { tone: 'muted' }), seg('│', { tone: 'muted' })];
    for (const cell of grid[r]) line.push(seg(cell.ch, cell.style));
    out.push(line);
  }
  out.push([seg(' '.repeat(axisW) + '└' + '─'.repeat(plotW), { tone: 'muted' })]);
  const first = '1';
  const last = String(n);
  const xl = chart.xLabel ? ` ${chart.xLabel} ` : '';
  const gap = Math.max(1, plotW - first.length - last.length - textWidth(xl));
  const left = Math.floor(gap / 2);
  out.push([seg(' '.repeat(axisW + 1) + first + ' '.repeat(left) + xl + ' '.repeat(gap - left) + last, { tone: 'muted' })]);
  const legend: Line = [seg(' '.repeat(axisW + 1))];
  series.forEach((s, k) => {
    if (k) legend.push(seg('   '));
    legend.push(seg(GLYPHS[k % GLYPHS.length], { tone: TONES[k % TONES.length] }), seg(' ' + s.name));
  });
  out.push(legend);
  return out;
}

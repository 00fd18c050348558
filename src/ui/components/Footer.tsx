// The help footer: generated from the key table (src/ui/keys.ts) for the current screen.
import type { Line } from '../../core/text/styled.js';
import { lineWidth, seg } from '../../core/text/styled.js';
import { footerItems, type FooterState, type KeyContext } from '../keys.js';
import { StyledLines } from './StyledLine.js';

/** Footer items laid out on as few lines of `width` columns as needed. */
export function footerLines(ctx: KeyContext, state: FooterState, width: number): Line[] {
  const items = footerItems(ctx, state).map((it): Line => [
    seg(it.label, { tone: 'accent', bold: true }),
    seg(' ' + it.help, { tone: 'muted' }),
  ]);
  const lines: Line[] = [];
  let cur: Line = [];
  for (const item of items) {
    const gap = cur.length ? 3 : 0;
    if (cur.length && lineWidth(cur) + gap + lineWidth(item) > width) {
      lines.push(cur);
      cur = [];
    }
    if (cur.length) cur.push(seg('   '));
    cur.push(...item);
  }
  if (cur.length) lines.push(cur);
  return lines;
}

export function Footer({ ctx, state, width }: { ctx: KeyContext; state: FooterState; width: number }) {
  return <StyledLines lines={footerLines(ctx, state, width)} />;
}

import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { lineText, lineWidth, truncateLine, type Segment } from '../../src/core/text/styled.js';
import { wrapSegments, wrapText } from '../../src/core/text/wrap.js';

const texts = (lines: ReturnType<typeof wrapText>) => lines.map(lineText);

describe('wrapSegments', () => {
  it('breaks at spaces and never leaves trailing spaces', () => {
    expect(texts(wrapText('the quick brown fox jumps', 10))).toEqual(['the quick', 'brown fox', 'jumps']);
  });

  it('keeps Korean words whole and counts Hangul as two columns', () => {
    const lines = wrapText('배치 정규화는 미니배치 안에서 각 feature별로 평균과 분산을 계산한다', 20);
    for (const l of lines) expect(lineWidth(l)).toBeLessThanOrEqual(20);
    expect(texts(lines)).toEqual(['배치 정규화는', '미니배치 안에서 각', 'feature별로 평균과', '분산을 계산한다']);
  });

  it('breaks a Korean word longer than the line between syllables', () => {
    const lines = wrapText('가나다라마바사아자차카타파하', 10);
    expect(texts(lines)).toEqual(['가나다라마', '바사아자차', '카타파하']);
    for (const l of lines) expect(lineWidth(l)).toBeLessThanOrEqual(10);
  });

  it('lets Han and Kana break anywhere', () => {
    const lines = wrapText('機械学習のモデルを訓練する', 8);
    for (const l of lines) expect(lineWidth(l)).toBeLessThanOrEqual(8);
    expect(lines.length).toBe(4);
  });

  it('breaks long words (URLs) and keeps emoji and combining marks whole', () => {
    const lines = wrapText('see https://example.com/a/very/long/path/that/never/ends', 12);
    for (const l of lines) expect(lineWidth(l)).toBeLessThanOrEqual(12);
    expect(lines.map(lineText).join('')).toBe('seehttps://example.com/a/very/long/path/that/never/ends');
    const emoji = wrapText('😀😀😀😀😀', 5);
    expect(texts(emoji)).toEqual(['😀😀', '😀😀', '😀']);
    expect(texts(wrapText('x̂ x̂ x̂', 3))).toEqual(['x̂ x̂', 'x̂']);
  });

  it('keeps styles on the pieces of a wrapped line', () => {
    const segs: Segment[] = [
      { text: 'plain text and ' },
      { text: 'bold words here', style: { bold: true } },
    ];
    const lines = wrapSegments(segs, 16);
    expect(texts(lines)).toEqual(['plain text and', 'bold words here']);
    expect(lines[1]).toEqual([{ text: 'bold words here', style: { bold: true } }]);
  });

  it('honours hard line breaks', () => {
    expect(texts(wrapText('a\nb c', 10))).toEqual(['a', 'b c']);
  });

  it('preserves spaces in code mode', () => {
    expect(texts(wrapText('    return x', 8, undefined, { preserveSpaces: true }))).toEqual(['    retu', 'rn x']);
  });

  it('never exceeds the width, and loses no visible character (property)', () => {
    const alphabet = fc.constantFrom('a', 'b', ' ', '한', '글', '漢', '😀', 'é', '-', 'γ', '\n');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 80 }), fc.integer({ min: 2, max: 30 }), (chars, width) => {
        const text = chars.join('');
        const lines = wrapText(text, width);
        for (const l of lines) expect(lineWidth(l)).toBeLessThanOrEqual(width);
        const visible = (s: string) => s.replace(/[\s]/g, '');
        expect(visible(lines.map(lineText).join(''))).toBe(visible(text));
      }),
      { numRuns: 300 },
    );
  });
});

describe('truncateLine', () => {
  it('cuts by display width and adds an ellipsis', () => {
    const l = truncateLine([{ text: '배치 정규화와 레이어 정규화' }], 10);
    expect(lineText(l)).toBe('배치 정규…');
    expect(stringWidth(lineText(l))).toBeLessThanOrEqual(10);
    expect(truncateLine([{ text: 'short' }], 10)).toEqual([{ text: 'short' }]);
  });
});

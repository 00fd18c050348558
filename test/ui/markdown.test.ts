import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/core/text/markdown.js';
import { lineText, lineWidth, type Line, type Segment } from '../../src/core/text/styled.js';

const md = (src: string, width = 60) => renderMarkdown(src, width);
const text = (lines: Line[]) => lines.map(lineText);
const segsWith = (lines: Line[], pred: (s: Segment) => boolean) => lines.flat().filter(pred);

describe('renderMarkdown', () => {
  it('renders emphasis and inline code with styles, without the markers', () => {
    const lines = md('plain **bold** *italic* `code` ~~gone~~');
    expect(text(lines)).toEqual(['plain bold italic code gone']);
    expect(segsWith(lines, (s) => !!s.style?.bold).map((s) => s.text)).toEqual(['bold']);
    expect(segsWith(lines, (s) => !!s.style?.italic).map((s) => s.text)).toEqual(['italic']);
    expect(segsWith(lines, (s) => s.style?.tone === 'code').map((s) => s.text)).toEqual(['code']);
    expect(segsWith(lines, (s) => !!s.style?.strikethrough).map((s) => s.text)).toEqual(['gone']);
  });

  it('closes bold after punctuation before Korean (CommonMark would not)', () => {
    const lines = md('**배치 정규화(BN)**는 각 feature별로');
    expect(text(lines)).toEqual(['배치 정규화(BN)는 각 feature별로']);
    expect(segsWith(lines, (s) => !!s.style?.bold).map((s) => s.text)).toEqual(['배치 정규화(BN)']);
  });

  it('gives cloze marks (**[…]** from the core) their own tone', () => {
    const lines = md('과대적합은 훈련 데이터에 **[잡음]**이 있을 때');
    expect(text(lines)).toEqual(['과대적합은 훈련 데이터에 [잡음]이 있을 때']);
    expect(segsWith(lines, (s) => s.style?.tone === 'cloze').map((s) => s.text)).toEqual(['[잡음]']);
  });

  it('renders headings bold in the heading tone', () => {
    const lines = md('# 배치 정규화\n\n## Sub');
    expect(text(lines)).toEqual(['배치 정규화', '', 'Sub']);
    expect(lines[0][0].style).toMatchObject({ tone: 'heading', bold: true, underline: true });
  });

  it('renders fenced code in a box with the language dimmed, spaces kept', () => {
    const lines = md('```python\ndef f(x):\n    return x  # 주석\n```');
    const t = text(lines);
    expect(t[0]).toMatch(/^╭─ python ─+╮$/);
    expect(t[1]).toMatch(/^│ def f\(x\): +│$/);
    expect(t[2]).toMatch(/^│     return x {2}# 주석 +│$/);
    expect(t[3]).toMatch(/^╰─+╯$/);
    const widths = lines.map(lineWidth);
    expect(new Set(widths).size).toBe(1); // the box is square even with Korean inside
    expect(segsWith(lines, (s) => s.text === ' python ')[0].style).toMatchObject({ tone: 'muted' });
  });

  it('wraps long code lines inside the box', () => {
    const lines = md('```\n' + 'x'.repeat(50) + '\n```', 30);
    for (const l of lines) expect(lineWidth(l)).toBeLessThanOrEqual(30);
    expect(lines.length).toBe(4);
  });

  it('renders unordered, ordered and nested lists', () => {
    expect(text(md('- one\n- two\n  - nested\n  - nested 2\n- three'))).toEqual([
      '• one',
      '• two',
      '  ◦ nested',
      '  ◦ nested 2',
      '• three',
    ]);
    expect(text(md('1. first\n2. second\n   1. inner'))).toEqual(['1. first', '2. second', '   1. inner']);
    expect(text(md('9. nine\n10. ten'))).toEqual([' 9. nine', '10. ten']);
  });

  it('hangs wrapped list items under their text', () => {
    const lines = md('- 배치 정규화는 미니배치 안에서 각 feature별로 평균과 분산을 계산한다', 24);
    expect(text(lines)[0].startsWith('• ')).toBe(true);
    for (const l of text(lines).slice(1)) expect(l.startsWith('  ')).toBe(true);
    for (const l of lines) expect(lineWidth(l)).toBeLessThanOrEqual(24);
  });

  it('renders task lists', () => {
    expect(text(md('- [x] done\n- [ ] todo'))).toEqual(['• [x] done', '• [ ] todo']);
  });

  it('renders block quotes with a bar', () => {
    expect(text(md('> 인용문 한 줄\n> 둘째 줄'))).toEqual(['│ 인용문 한 줄 둘째 줄']);
  });

  it('renders links as text plus the dimmed URL', () => {
    const lines = md('see [the docs](https://example.com) or <https://x.y>');
    expect(text(lines)).toEqual(['see the docs (https://example.com) or https://x.y']);
    expect(segsWith(lines, (s) => s.text === ' (https://example.com)')[0].style?.tone).toBe('muted');
    expect(segsWith(lines, (s) => s.text === 'the docs')[0].style).toMatchObject({ tone: 'link', underline: true });
  });

  it('aligns a Korean table by display width', () => {
    const lines = md(
      '| 항목 | 배치 정규화 | 레이어 정규화 |\n|---|:---:|---:|\n| 기준 | 배치 축 | feature 축 |\n| batch size 의존 | 예 | 아니오 |',
      80,
    );
    const t = text(lines);
    expect(t).toEqual([
      '┌─────────────────┬─────────────┬───────────────┐',
      '│ 항목            │ 배치 정규화 │ 레이어 정규화 │',
      '├─────────────────┼─────────────┼───────────────┤',
      '│ 기준            │   배치 축   │    feature 축 │',
      '│ batch size 의존 │     예      │        아니오 │',
      '└─────────────────┴─────────────┴───────────────┘',
    ]);
    // every row is exactly as wide, and the column bars line up in display columns
    const barColumns = (s: string) => {
      const cols: number[] = [];
      let w = 0;
      for (const ch of s) {
        if ('│┌┬┐├┼┤└┴┘'.includes(ch)) cols.push(w);
        w += stringWidth(ch);
      }
      return cols;
    };
    const first = barColumns(t[0]);
    for (const row of t) expect(barColumns(row)).toEqual(first);
  });

  it('shrinks and wraps a table that is too wide, and falls back to records when very narrow', () => {
    const src = '| 개념 | 설명 |\n|---|---|\n| 배치 정규화 | 미니배치 안에서 각 feature별로 평균과 분산을 계산한다 |';
    const lines = md(src, 30);
    for (const l of lines) expect(lineWidth(l)).toBeLessThanOrEqual(30);
    expect(text(lines)[0].startsWith('┌')).toBe(true);
    const narrow = md('| a | b | c | d | e |\n|---|---|---|---|---|\n| 1 | 2 | 3 | 4 | 5 |', 12);
    expect(text(narrow)).toEqual(['a: 1', 'b: 2', 'c: 3', 'd: 4', 'e: 5']);
  });

  it('shows $…$ and $$…$$ math as Unicode and leaves prices alone', () => {
    expect(text(md('scale parameter $\\gamma$ and shift $\\beta$'))).toEqual(['scale parameter γ and shift β']);
    expect(text(md('$\\hat{x}_i = \\frac{x_i - \\mu}{\\sigma}$'))).toEqual(['x̂ᵢ = (xᵢ - μ)/σ']);
    expect(text(md('it costs $5 and $10'))).toEqual(['it costs $5 and $10']);
    expect(text(md('before\n\n$$\n\\sum_{i=1}^{m} x_i\n$$\n\nafter'))).toEqual(['before', '', '  Σᵢ₌₁ᵐ xᵢ', '', 'after']);
    // underscores inside math are not emphasis
    expect(text(md('$a_i b_j$ text'))).toEqual(['aᵢ bⱼ text']);
  });

  it('joins soft line breaks, keeps hard ones, drops HTML comments and decodes entities', () => {
    expect(text(md('one\ntwo'))).toEqual(['one two']);
    expect(text(md('one  \ntwo'))).toEqual(['one', 'two']);
    expect(text(md('a<br>b'))).toEqual(['a', 'b']);
    expect(text(md('x &amp; y &lt;z&gt;\n\n<!-- id: x -->'))).toEqual(['x & y <z>']);
  });

  it('separates blocks with one blank line and renders rules', () => {
    expect(text(md('para\n\n---\n\nnext', 10))).toEqual(['para', '', '──────────', '', 'next']);
  });

  it('never exceeds the width for a mixed Korean document', () => {
    const doc = [
      '# 배치 정규화와 레이어 정규화',
      '미니배치 안에서 **각 feature별로** (배치 축을 따라) 평균과 분산을 계산한다. $\\gamma$, $\\beta$는 학습된다.',
      '- 목록 항목 하나가 꽤 길어서 여러 줄로 감싸져야 한다\n  - 중첩된 항목도 마찬가지로 감싸진다',
      '> 인용문도 감싸진다, 아주 길게 길게 길게',
      '```\n코드 블록의 아주 긴 줄은 상자 안에서 잘린다 0123456789\n```',
      '| 열 | 설명 |\n|---|---|\n| 하나 | 아주 긴 설명이 들어간 셀 |',
    ].join('\n\n');
    for (const w of [12, 16, 20, 33, 40, 80, 100]) {
      for (const l of renderMarkdown(doc, w)) expect(lineWidth(l)).toBeLessThanOrEqual(w);
    }
  });
});

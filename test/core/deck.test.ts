import { describe, expect, it } from 'vitest';
import { parseDeck, deckNameFromPath } from '../../src/core/deck.js';
import { renderCloze, clozeNumbers, findClozes } from '../../src/core/cloze.js';

const fm = (extra = '') => `---\nname: 테스트 덱\ndescription: 설명\ntags: [dl, norm]\n${extra}---\n`;

describe('parseDeck', () => {
  it('reads front matter and basic, reversible and cloze cards with their lines', () => {
    const text = `${fm('retention: 0.85\nnew_per_day: 5\nsource: notes\n')}
# 제목

Intro prose is ignored.

Q: 배치 정규화는 무엇을 정규화하는가?
A: 미니배치의 **각 feature**별로 평균 0, 분산 1.

R: scale parameter $\\gamma$
A: 정규화된 값에 곱하는 학습 파라미터

C: LN은 {{c1::한 샘플의 모든 feature}}에 대해 정규화하므로 {{c2::batch size::무엇?}}에 의존하지 않는다.
`;
    const { deck, issues } = parseDeck(text, 'a.md');
    expect(issues).toEqual([]);
    expect(deck!.deckName).toBe('테스트 덱');
    expect(deck!.description).toBe('설명');
    expect(deck!.source).toBe('notes');
    expect(deck!.config).toEqual({ retention: 0.85, newPerDay: 5 });
    expect(deck!.notes.map((n) => [n.kind, n.loc.line, n.ords])).toEqual([
      ['basic', 14, ['fwd']],
      ['reversible', 17, ['fwd', 'rev']],
      ['cloze', 20, ['c1', 'c2']],
    ]);
    expect(deck!.notes[0].front).toBe('배치 정규화는 무엇을 정규화하는가?');
    expect(deck!.notes[0].back).toBe('미니배치의 **각 feature**별로 평균 0, 분산 1.');
    expect(deck!.notes[0].tags).toEqual(['dl', 'norm']);
  });

  it('keeps multi-line answers with code blocks, lists and tables; markers inside fences do not count', () => {
    const text = `Q: 코드를 보라
\`\`\`python
Q: not a marker
A: not a marker either
\`\`\`
무엇을 하는가?
A: 두 가지:

- 하나
- 둘

| 축 | BN | LN |
|---|---|---|
| 정규화 | 배치 | feature |
---
Q: next
A: yes
`;
    const { deck, issues } = parseDeck(text, 'b.md');
    expect(issues).toEqual([]);
    expect(deck!.notes).toHaveLength(2);
    expect(deck!.notes[0].front).toContain('Q: not a marker');
    expect(deck!.notes[0].front).toContain('무엇을 하는가?');
    expect(deck!.notes[0].back).toContain('| 정규화 | 배치 | feature |');
    expect(deck!.notes[0].back).toContain('- 둘');
    expect(deck!.notes[1].loc.line).toBe(16);
  });

  it('reads per-card id and tags from an HTML comment', () => {
    const text = `Q: a\nA: b\n<!-- id: my-card; tags: x, y -->\n`;
    const { deck, issues } = parseDeck(text, 'c.md');
    expect(issues).toEqual([]);
    expect(deck!.notes[0].explicitId).toBe('my-card');
    expect(deck!.notes[0].tags).toEqual(['x', 'y']);
    expect(deck!.notes[0].back).toBe('b');
  });

  it('takes the deck name from the path when the front matter has none', () => {
    expect(deckNameFromPath('ml/basics/norm.md')).toBe('ml::basics::norm');
    const { deck } = parseDeck('Q: a\nA: b\n', '/x/ml/norm.md', 'ml/norm.md');
    expect(deck!.deckName).toBe('ml::norm');
  });

  it('reports errors with file, line and a hint', () => {
    const text = `${fm()}Q: 답이 없는 질문

A: 질문 없는 답?
Q: ok
A: fine
A: second answer
C: no cloze here
C: {{c1::unclosed
\`\`\`
never closed
`;
    const { issues } = parseDeck(text, 'bad.md');
    const errs = issues.filter((i) => i.severity === 'error').map((i) => `${i.line}:${i.message}`);
    expect(errs).toEqual(expect.arrayContaining([
      expect.stringMatching(/^11:a second "A:"/),
      expect.stringMatching(/^12:C: card has no cloze deletion/),
      expect.stringMatching(/^13:a cloze deletion .* not closed/),
      expect.stringMatching(/^14:code block opened with ``` is never closed/),
    ]));
    expect(issues.every((i) => i.file === 'bad.md')).toBe(true);
    expect(issues.find((i) => i.line === 11)!.hint).toBeTruthy();
  });

  it('reports a card with no answer at its line', () => {
    const { issues } = parseDeck('Q: only a question\n\nQ: a\nA: b\n', 'q.md');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 1, severity: 'error', message: 'Q: card has no answer' });
  });

  it('reports an A: without a question', () => {
    const { issues } = parseDeck('Some prose\nA: orphan\n', 'o.md');
    expect(issues[0]).toMatchObject({ line: 2, message: '"A:" without a question before it' });
  });

  it('reports broken front matter YAML with its line', () => {
    const { deck, issues } = parseDeck('---\nname: ok\ntags: [unclosed\n---\nQ: a\nA: b\n', 'y.md');
    expect(deck).toBeUndefined();
    expect(issues[0].message).toMatch(/invalid YAML front matter/);
    expect(issues[0].line).toBeGreaterThanOrEqual(2);
  });

  it('validates options: retention range, integer limits, steps', () => {
    const { issues } = parseDeck(fm('retention: 1.5\nnew_per_day: 2.5\nlearning_steps: [1m, ten]\nfoo: 1\n') + 'Q: a\nA: b\n', 'o.md');
    expect(issues.map((i) => [i.severity, i.line])).toEqual([
      ['warning', 8],
      ['error', 5],
      ['error', 6],
      ['error', 7],
    ]);
  });

  it('captures an exercise block as an exercise note with its id and tags', () => {
    const body = 'id: ex-1\ntags: [calc]\nvars:\n  a: {range: [2, 9]}\nprompt: "{{a}} × 2?"\nanswer: a * 2';
    const text = `Q: a\nA: b\n\n\`\`\`exercise\n${body}\n\`\`\`\n`;
    const { deck, issues } = parseDeck(text, 'e.md');
    expect(issues).toEqual([]);
    expect(deck!.notes[1]).toMatchObject({ kind: 'exercise', explicitId: 'ex-1', ords: ['ex'], tags: ['calc'], loc: { line: 4 } });
    expect(deck!.notes[1].front).toBe(body);
  });

  it('reports a broken exercise block as an error of the file, at its line', () => {
    const text = 'Q: a\nA: b\n\n```exercise\nvars:\n  a: {range: [2, 9]}\nprompt: "{{a}}?"\nanswr: a\n```\n';
    const { issues } = parseDeck(text, 'e.md');
    expect(issues.some((i) => i.severity === 'error' && i.file === 'e.md' && i.line >= 4)).toBe(true);
  });

  it('unescapes an escaped marker', () => {
    const { deck } = parseDeck('Q: a\nA: b\n\\Q: literal\n', 'e.md');
    expect(deck!.notes[0].back).toBe('b\nQ: literal');
  });
});

describe('cloze', () => {
  it('keeps LaTeX braces inside a deletion and reads hints', () => {
    const t = 'x {{c1::$\\hat{x}_i$::정규화 값}} and {{c2::$\\gamma$}} {{c1::again}}';
    const { spans } = findClozes(t);
    expect(spans.map((s) => [s.n, s.answer, s.hint])).toEqual([[1, '$\\hat{x}_i$', '정규화 값'], [2, '$\\gamma$', undefined], [1, 'again', undefined]]);
    expect(clozeNumbers(t)).toEqual([1, 2]);
    expect(renderCloze(t, 1, 'front')).toBe('x **[정규화 값]** and $\\gamma$ **[…]**');
    expect(renderCloze(t, 2, 'back')).toBe('x $\\hat{x}_i$ and **[$\\gamma$]** again');
  });
});

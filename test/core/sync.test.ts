// Identity across everyday edits, on a real temporary SQLite collection.
import { rmSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Collection } from '../../src/core/collection.js';
import { openTemp, T0, writeDeck, minutes } from '../helpers/tmp.js';

const head = '---\nname: 정규화\n---\n';

/** Review every card once (Good), so each has history worth keeping. Returns card id by front text. */
function reviewAll(col: Collection, now = T0) {
  const rows = col.db.prepare('SELECT c.id FROM cards c WHERE c.retired = 0').all() as { id: number }[];
  for (const r of rows) col.answer(r.id, 3, now, 1000);
}

function cardsByFront(col: Collection) {
  return new Map((col.db.prepare(`SELECT c.id, c.ord, n.front, c.reps, c.retired FROM cards c JOIN notes n ON n.id = c.note_id`).all() as
    { id: number; ord: string; front: string; reps: number; retired: number }[]).map((r) => [`${r.front}|${r.ord}`, r]));
}

const deckA = `${head}
Q: 배치 정규화는 어떤 축으로 평균을 구하는가?
A: 배치 축 (feature별)

Q: 레이어 정규화는 어떤 축으로 평균을 구하는가?
A: 한 샘플의 feature 축

Q: BN에서 추론 때 쓰는 통계는?
A: 학습 중 구한 이동 평균과 이동 분산
`;

describe('sync', () => {
  it('adds cards once and is idempotent; unchanged files are skipped', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'a.md', deckA);
    const r1 = col.sync([decks], T0);
    expect(r1).toMatchObject({ added: 3, updated: 0, retired: 0, filesScanned: 1, filesSkipped: 0 });
    const r2 = col.sync([decks], T0);
    expect(r2).toMatchObject({ added: 0, updated: 0, unchanged: 3, retired: 0, filesSkipped: 1 });
    expect(col.db.prepare('SELECT count(*) AS n FROM cards').get()).toEqual({ n: 3 });
    // Touching the file without changing it re-reads it but changes nothing.
    writeDeck(decks, 'a.md', deckA);
    expect(col.sync([decks], T0)).toMatchObject({ added: 0, updated: 0, retired: 0, filesSkipped: 1 });
  });

  it('keeps history when a typo in the question is fixed', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'a.md', deckA);
    col.sync([decks], T0);
    reviewAll(col);
    const before = cardsByFront(col).get('배치 정규화는 어떤 축으로 평균을 구하는가?|fwd')!;
    writeDeck(decks, 'a.md', deckA.replace('배치 정규화는 어떤 축으로', '배치 정규화는 어느 축으로'));
    const r = col.sync([decks], T0);
    expect(r).toMatchObject({ added: 0, updated: 1, retired: 0 });
    const after = cardsByFront(col).get('배치 정규화는 어느 축으로 평균을 구하는가?|fwd')!;
    expect(after.id).toBe(before.id);
    expect(after.reps).toBe(1);
  });

  it('keeps history when the answer changes', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'a.md', deckA);
    col.sync([decks], T0);
    reviewAll(col);
    const before = cardsByFront(col).get('BN에서 추론 때 쓰는 통계는?|fwd')!;
    writeDeck(decks, 'a.md', deckA.replace('학습 중 구한 이동 평균과 이동 분산', 'moving mean / moving variance (training=False)'));
    expect(col.sync([decks], T0)).toMatchObject({ added: 0, updated: 1, retired: 0 });
    expect(cardsByFront(col).get('BN에서 추론 때 쓰는 통계는?|fwd')!.id).toBe(before.id);
  });

  it('keeps history when the question is rewritten but the answer stays', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'a.md', deckA);
    col.sync([decks], T0);
    reviewAll(col);
    const before = cardsByFront(col).get('BN에서 추론 때 쓰는 통계는?|fwd')!;
    writeDeck(decks, 'a.md', deckA.replace('BN에서 추론 때 쓰는 통계는?', 'inference 시 batch normalization 층이 사용하는 값?'));
    expect(col.sync([decks], T0)).toMatchObject({ added: 0, updated: 1, retired: 0 });
    expect(cardsByFront(col).get('inference 시 batch normalization 층이 사용하는 값?|fwd')!.id).toBe(before.id);
  });

  it('keeps history when cards are reordered', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'a.md', deckA);
    col.sync([decks], T0);
    reviewAll(col);
    const before = cardsByFront(col);
    const blocks = deckA.slice(head.length).trim().split('\n\n');
    writeDeck(decks, 'a.md', `${head}\n${[...blocks].reverse().join('\n\n')}\n`);
    const r = col.sync([decks], T0);
    expect(r).toMatchObject({ added: 0, updated: 0, retired: 0, unchanged: 3 });
    const after = cardsByFront(col);
    for (const [k, v] of before) expect(after.get(k)!.id).toBe(v.id);
    // The stored line follows the card.
    const line = col.db.prepare("SELECT line FROM notes WHERE front LIKE 'BN%'").get() as { line: number };
    expect(line.line).toBe(5);
  });

  it('keeps history when a card moves to another file of the same deck', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'a.md', deckA);
    col.sync([decks], T0);
    reviewAll(col);
    const before = cardsByFront(col).get('BN에서 추론 때 쓰는 통계는?|fwd')!;
    const moved = 'Q: BN에서 추론 때 쓰는 통계는?\nA: 학습 중 구한 이동 평균과 이동 분산\n';
    writeDeck(decks, 'a.md', deckA.replace(moved, ''));
    writeDeck(decks, 'sub/b.md', `${head}\n${moved}`);
    const r = col.sync([decks], T0);
    expect(r).toMatchObject({ added: 0, retired: 0 });
    const after = cardsByFront(col).get('BN에서 추론 때 쓰는 통계는?|fwd')!;
    expect(after.id).toBe(before.id);
    expect(after.reps).toBe(1);
    const file = col.db.prepare('SELECT f.rel_path FROM notes n JOIN files f ON f.id = n.file_id WHERE n.front LIKE ?').get('BN%') as { rel_path: string };
    expect(file.rel_path).toBe('sub/b.md');
  });

  it('keeps cloze siblings when a new deletion is added beside them', () => {
    const { col, decks } = openTemp();
    const c2 = `${head}\nC: 레이어 정규화는 {{c1::한 샘플}}의 {{c2::모든 feature}}에 대해 평균을 구한다.\n`;
    writeDeck(decks, 'c.md', c2);
    col.sync([decks], T0);
    reviewAll(col);
    const ids = (col.db.prepare("SELECT ord, id FROM cards ORDER BY ord").all() as { ord: string; id: number }[]);
    writeDeck(decks, 'c.md', `${head}\nC: 레이어 정규화는 {{c1::한 샘플}}의 {{c2::모든 feature}}에 대해 평균을 구하고 {{c3::batch size}}에 의존하지 않는다.\n`);
    const r = col.sync([decks], T0);
    expect(r).toMatchObject({ added: 1, updated: 2, retired: 0 });
    const after = (col.db.prepare("SELECT ord, id, reps FROM cards ORDER BY ord").all() as { ord: string; id: number; reps: number }[]);
    expect(after.map((a) => a.ord)).toEqual(['c1', 'c2', 'c3']);
    expect(after[0].id).toBe(ids[0].id);
    expect(after[1].id).toBe(ids[1].id);
    expect(after.map((a) => a.reps)).toEqual([1, 1, 0]);
  });

  it('an explicit id always wins, even over a completely rewritten card', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'a.md', `${head}\nQ: 완전히 다른 질문\nA: 답\n<!-- id: keep-me -->\n\nQ: 다른 카드\nA: 다른 답\n`);
    col.sync([decks], T0);
    reviewAll(col);
    const id = (col.db.prepare("SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.explicit_id = 'keep-me'").get() as { id: number }).id;
    writeDeck(decks, 'a.md', `${head}\nQ: 다른 카드\nA: 다른 답\n\nQ: xyz 123 전혀 무관한 새 내용\nA: 무관\n<!-- id: keep-me -->\n`);
    expect(col.sync([decks], T0)).toMatchObject({ added: 0, retired: 0 });
    const after = col.db.prepare("SELECT c.id, c.reps FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.explicit_id = 'keep-me'").get() as { id: number; reps: number };
    expect(after).toEqual({ id, reps: 1 });
  });

  it('retires a card that disappears, keeping its history, and restores it when it comes back', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'a.md', deckA);
    col.sync([decks], T0);
    reviewAll(col);
    const gone = 'Q: 레이어 정규화는 어떤 축으로 평균을 구하는가?\nA: 한 샘플의 feature 축\n';
    const before = cardsByFront(col).get('레이어 정규화는 어떤 축으로 평균을 구하는가?|fwd')!;
    writeDeck(decks, 'a.md', deckA.replace(gone, ''));
    expect(col.sync([decks], T0)).toMatchObject({ retired: 1, added: 0 });
    expect(cardsByFront(col).get('레이어 정규화는 어떤 축으로 평균을 구하는가?|fwd')!.retired).toBe(1);
    expect(col.db.prepare('SELECT count(*) AS n FROM revlog WHERE card_id = ?').get(before.id)).toEqual({ n: 1 });
    expect(col.decks(T0)[0].total).toBe(2);
    writeDeck(decks, 'a.md', deckA);
    expect(col.sync([decks], T0)).toMatchObject({ restored: 1, added: 0, retired: 0 });
    const back = cardsByFront(col).get('레이어 정규화는 어떤 축으로 평균을 구하는가?|fwd')!;
    expect(back).toMatchObject({ id: before.id, retired: 0, reps: 1 });
  });

  it('a deleted file retires its cards; other files are untouched', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'a.md', deckA);
    writeDeck(decks, 'b.md', '---\nname: other\n---\nQ: x\nA: y\n');
    col.sync([decks], T0);
    rmSync(join(decks, 'b.md'));
    expect(col.sync([decks], T0)).toMatchObject({ retired: 1, added: 0, unchanged: 3 });
  });

  it('a file that fails to parse is skipped: its cards are neither retired nor changed, other files still sync', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'a.md', deckA);
    writeDeck(decks, 'b.md', '---\nname: other\n---\nQ: x\nA: y\n');
    col.sync([decks], T0);
    reviewAll(col);
    const before = cardsByFront(col);
    writeDeck(decks, 'a.md', deckA.replace('Q: 레이어', 'A: stray answer\nQ: 레이어').replace('Q: BN', 'C: {{c1::broken\nQ: BN'));
    writeDeck(decks, 'b.md', '---\nname: other\n---\nQ: x\nA: y\n\nQ: new\nA: card\n');
    const r = col.sync([decks], T0);
    expect(r.filesFailed).toBe(1);
    expect(r).toMatchObject({ added: 1, retired: 0 });
    expect(r.issues.filter((i) => i.severity === 'error').map((i) => [i.file.endsWith('a.md'), i.line])).toEqual([[true, 8], [true, 12]]);
    const after = cardsByFront(col);
    for (const [k, v] of before) expect(after.get(k)).toMatchObject({ id: v.id, retired: 0, reps: 1 });
    // Once fixed, the file syncs normally and nothing was lost.
    writeDeck(decks, 'a.md', deckA);
    expect(col.sync([decks], T0)).toMatchObject({ added: 0, retired: 0, filesFailed: 0 });
  });

  it('dry run reports exactly and writes nothing', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'a.md', deckA);
    const r = col.sync([decks], T0, { dryRun: true });
    expect(r.added).toBe(3);
    expect(col.db.prepare('SELECT count(*) AS n FROM cards').get()).toEqual({ n: 0 });
    expect(col.roots()).toEqual([]);
  });

  it('a renamed file keeps its cards (moved within the deck)', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'a.md', deckA);
    col.sync([decks], T0);
    reviewAll(col);
    const before = cardsByFront(col);
    renameSync(join(decks, 'a.md'), join(decks, 'renamed.md'));
    expect(col.sync([decks], minutes(T0, 1))).toMatchObject({ added: 0, retired: 0 });
    const after = cardsByFront(col);
    for (const [k, v] of before) expect(after.get(k)!.id).toBe(v.id);
  });

  it('a genuinely different card is new, and the old one is retired', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'a.md', `${head}\nQ: 드롭아웃이란?\nA: 학습 중 무작위로 출력 일부를 0으로 만드는 규제\n`);
    col.sync([decks], T0);
    writeDeck(decks, 'a.md', `${head}\nQ: K-겹 교차 검증에서 K의 의미는?\nA: 데이터를 나누는 폴드의 수\n`);
    expect(col.sync([decks], T0)).toMatchObject({ added: 1, retired: 1, updated: 0 });
  });

  it('reports an explicit id used twice across files, on a first import and on a later one', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'a.md', `${head}\nQ: one\nA: 1\n<!-- id: same -->\n`);
    writeDeck(decks, 'b.md', `${head}\nQ: two\nA: 2\n<!-- id: same -->\n`);
    const r = col.sync([decks], T0);
    expect(r.added).toBe(2);
    expect(r.issues.map((i) => i.message)).toEqual(['id "same" is also used at ' + join(decks, 'a.md') + ':5']);
    expect(col.db.prepare('SELECT count(*) AS n FROM notes WHERE explicit_id = ?').get('same')).toEqual({ n: 1 });
    writeDeck(decks, 'c.md', `${head}\nQ: three\nA: 3\n<!-- id: same -->\n`);
    const r2 = col.sync([decks], T0);
    expect(r2.added).toBe(1);
    expect(r2.issues[0].message).toMatch(/^id "same" is already used by another card/);
  });

  it('a first import of several files (written file by file) equals a later full match', () => {
    const { col, decks } = openTemp();
    for (let f = 0; f < 5; f++) writeDeck(decks, `f${f}.md`, `${head}\n` + Array.from({ length: 20 }, (_, i) => `Q: 파일 ${f} 질문 ${i}\nA: 답 ${i}\n`).join('\n'));
    expect(col.sync([decks], T0)).toMatchObject({ added: 100, retired: 0 });
    // Move a block of cards from f0 to f4 and edit one: matched across files, nothing added or lost.
    writeDeck(decks, 'f0.md', `${head}\n` + Array.from({ length: 10 }, (_, i) => `Q: 파일 0 질문 ${i}\nA: 답 ${i}\n`).join('\n'));
    writeDeck(decks, 'f4.md', `${head}\n` + [...Array.from({ length: 20 }, (_, i) => `Q: 파일 4 질문 ${i}\nA: 답 ${i}\n`),
      ...Array.from({ length: 10 }, (_, i) => `Q: 파일 0 질문 ${i + 10}${i === 0 ? ' (고침)' : ''}\nA: 답 ${i + 10}\n`)].join('\n'));
    expect(col.sync([decks], T0)).toMatchObject({ added: 0, retired: 0, updated: 1, unchanged: 99 });
  });

  it('a file or folder inside a synced deck folder is synced as part of it, never twice', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'sub/a.md', deckA);
    col.sync([decks], T0);
    expect(col.sync([join(decks, 'sub', 'a.md')], T0)).toMatchObject({ added: 0, unchanged: 3 });
    expect(col.sync([join(decks, 'sub')], T0)).toMatchObject({ added: 0, unchanged: 3 });
    expect(col.roots()).toEqual([decks]);
    expect(col.db.prepare('SELECT count(*) AS n FROM cards').get()).toEqual({ n: 3 });
  });

  it('a folder that contains a synced file or folder takes its files over, keeping their cards', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'sub/a.md', deckA);
    col.sync([join(decks, 'sub', 'a.md')], T0);
    reviewAll(col);
    expect(col.sync([decks], T0)).toMatchObject({ added: 0, retired: 0 });
    expect(col.roots()).toEqual([decks]);
    expect(col.db.prepare('SELECT count(*) AS n FROM cards WHERE reps = 1').get()).toEqual({ n: 3 });
  });
});

// Markdown from other tools: hashcards (TOML front matter, [bracket] clozes) and Obsidian Spaced
// Repetition (:: ::: ? ?? ==cloze== #flashcards <!--SR:-->); and our own format, synced in place.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertBracketCloze, detectFormat, importPath } from '../../src/core/import/index.js';
import { convertObsidianCloze, splitCards } from '../../src/core/import/obsidian.js';
import { T0 } from '../helpers/tmp.js';
import { PNG } from './anki-fixture.js';
import { count, dbState, fixture, haveFixtures, setup, tree, write } from './helpers.js';


describe('hashcards [bracket] clozes', () => {
  it('turns every [deletion] into {{cN::…}}, also inside math, but not LaTeX brackets, images or code', () => {
    expect(convertBracketCloze('The [dot product] measures [alignment].')).toEqual({ text: 'The {{c1::dot product}} measures {{c2::alignment}}.', count: 2 });
    expect(convertBracketCloze('$\\frac{A + [A^T]}{2}$ is [symmetric]').text).toBe('$\\frac{A + {{c1::A^T}}}{2}$ is {{c2::symmetric}}');
    expect(convertBracketCloze('$\\sqrt{[{\\text{trace}}](A^T A)}$').text).toBe('$\\sqrt{{{c1::{\\text{trace}}}}(A^T A)}$');
    expect(convertBracketCloze('$\\sqrt[3]{x}$ and $\\left[ a \\right]$ are [LaTeX]').text).toBe('$\\sqrt[3]{x}$ and $\\left[ a \\right]$ are {{c1::LaTeX}}');
    expect(convertBracketCloze('![img](a.png) `A[i]` \\[x\\] [yes]').text).toBe('![img](a.png) `A[i]` \\[x\\] {{c1::yes}}');
  });
});

describe.skipIf(!haveFixtures('markdown'))('a real hashcards deck (../shared/fixtures/markdown)', () => {
  it('LinearAlgebra.md: TOML name, 26 Q/A and 7 cloze notes (22 deletions), LaTeX kept', async () => {
    const { col, opts } = setup();
    const p = fixture('markdown', 'cocosberlucens_LinearAlgebra.md');
    expect(detectFormat(p)).toBe('hashcards');
    const r = await importPath(col, p, opts());
    expect(r).toMatchObject({ format: 'hashcards', decks: ['Linear Algebra'], notes: 33, cards: 26 + 22 });
    expect(r.sync!.issues).toEqual([]);
    expect(count(col, "SELECT count(*) AS n FROM notes WHERE kind = 'cloze'")).toBe(7);
    const md = readFileSync(r.files[0], 'utf8');
    expect(md).toContain('C: Matrix multiplication $(m \\times {{c1::n}}) \\cdot ({{c2::n}} \\times p) = (m \\times p)$ requires the {{c3::inner dimensions}}');
    expect(md).toContain('$\\sqrt{{{c2::{\\text{trace}}}}(A^T A)}$');
    // Brackets in Q/A cards are text, not clozes.
    expect(md).toContain('A patient with [age=65, LOS=4, cost=12000]');
    expect(md).not.toContain('<!-- Bite'); // authoring comments between cards are not copied
    const again = await importPath(col, p, opts());
    expect(again.sync).toMatchObject({ added: 0, updated: 0, retired: 0, unchanged: 48 });
  });
});

describe('hashcards', () => {
  it('reports malformed cards with their line, keeps the rest, copies images', async () => {
    const { col, base, opts } = setup();
    write(join(base, 'deck', 'img', 'a.png'), PNG);
    write(join(base, 'deck', 'b.md'), '---\nname = "Bio"\n---\n\nQ: What is shown? ![cell](img/a.png)\nA: A cell\n\nQ: orphan question\nQ: second\nA: answer\n\nA: stray answer\n\nC: no deletion here\n\nC: [Mitochondria] make [ATP]\n');
    const r = await importPath(col, join(base, 'deck'), opts());
    expect(r).toMatchObject({ format: 'hashcards', decks: ['Bio'], notes: 3, cards: 4, media: 1 });
    const reasons = r.skipped.map((s) => s.reason).join('\n');
    expect(reasons).toMatch(/question without an answer \(b\.md:8\)/);
    expect(reasons).toMatch(/answer without a question \(b\.md:12\)/);
    expect(reasons).toMatch(/cloze card without a \[deletion\] \(b\.md:14\)/);
    const md = readFileSync(r.files[0], 'utf8');
    expect(md).toContain('Q: What is shown? ![cell](media/a.png)');
  });
});

const NOTE = `---
tags: [flashcards/biology/cells]
---
# Cells

The cell is the unit of life. #flashcards/biology/cells

Mitochondria::the powerhouse of the cell
<!--SR:!2026-03-10,12,270-->

DNA:::deoxyribonucleic acid
<!--SR:!2026-03-05,4,250!2026-03-20,20,230-->

What does the nucleus hold?
?
The genetic material
- chromosomes
<!--SR:!2026-02-20,3,250-->

Name the
two main parts
??
cytoplasm and nucleus

The ==ribosome== makes ==proteins==.
<!--SR:!2026-03-04,2,250!2026-03-06,5,250-->

Curly {{clozes}} count too.

\`\`\`js
const notACard = "a::b";
\`\`\`

#flashcards/chemistry Water is::H2O
`;

describe('Obsidian Spaced Repetition notes', () => {
  it('splits cards as the plugin does', () => {
    const cards = splitCards(NOTE.split('---\n')[2]);
    expect(cards.map((c) => c.type)).toEqual(['single', 'single-rev', 'multi', 'multi-rev', 'cloze', 'cloze', 'single']);
    expect(convertObsidianCloze('The ==a== and {{b}}')).toEqual({ text: 'The {{c1::a}} and {{c2::b}}', count: 2 });
  });

  it('imports every card kind, decks from #flashcards tags, and carries the <!--SR:--> schedule over', async () => {
    const { col, base, opts } = setup();
    const p = write(join(base, 'vault', 'Cells.md'), NOTE);
    expect(detectFormat(p)).toBe('obsidian');
    const r = await importPath(col, p, opts());
    expect(r.decks.sort()).toEqual(['biology::cells', 'chemistry']);
    expect(r.notes).toBe(7);
    expect(r.cards).toBe(1 + 2 + 1 + 2 + 2 + 1 + 1);
    expect(r.scheduled).toBe(6);
    const md = readFileSync(r.files.find((f) => f.endsWith('biology__cells.md'))!, 'utf8');
    expect(md).not.toContain('SR:');
    expect(md).toContain('Q: Mitochondria\nA: the powerhouse of the cell');
    expect(md).toContain('R: DNA\nA: deoxyribonucleic acid');
    expect(md).toContain('Q: What does the nucleus hold?\nA:\nThe genetic material\n- chromosomes');
    expect(md).toContain('R:\nName the\ntwo main parts\nA: cytoplasm and nucleus');
    expect(md).toContain('C: The {{c1::ribosome}} makes {{c2::proteins}}.');
    expect(md).not.toContain('notACard');
    const rev = col.db.prepare("SELECT c.ord, c.state, c.due, c.scheduled_days, c.stability FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.front = 'DNA' ORDER BY c.ord").all();
    expect(rev).toEqual([
      { ord: 'fwd', state: 2, due: new Date(2026, 2, 5, 4).getTime(), scheduled_days: 4, stability: 4 },
      { ord: 'rev', state: 2, due: new Date(2026, 2, 20, 4).getTime(), scheduled_days: 20, stability: 20 },
    ]);
    expect(count(col, "SELECT count(*) AS n FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.kind = 'cloze' AND c.state = 2")).toBe(2);
    // The source is untouched; re-importing changes nothing.
    expect(readFileSync(p, 'utf8')).toBe(NOTE);
    const again = await importPath(col, p, opts());
    expect(again.sync).toMatchObject({ added: 0, updated: 0, retired: 0 });
    expect(again.scheduled).toBe(0);
  });

  it('keeps history when a card is edited in Obsidian and re-imported', async () => {
    const { col, base, opts } = setup();
    const p = write(join(base, 'vault', 'Cells.md'), NOTE);
    await importPath(col, p, opts());
    const id = (col.db.prepare("SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.front = 'Mitochondria'").get() as { id: number }).id;
    col.answer(id, 3, T0, 1000);
    write(p, NOTE.replace('the powerhouse of the cell', 'the power house of the cell'));
    const r = await importPath(col, p, opts());
    expect(r.sync).toMatchObject({ added: 0, updated: 1, retired: 0 });
    expect(col.cardRow(id).reps).toBeGreaterThan(0);
  });

  it('in a vault folder, only notes tagged #flashcards are read (as in the plugin)', async () => {
    const { col, base, opts } = setup();
    write(join(base, 'vault', '.obsidian', 'app.json'), '{}');
    write(join(base, 'vault', 'a.md'), '#flashcards\n\nq1::a1\n');
    write(join(base, 'vault', 'daily', 'b.md'), 'just notes: with a colon::inside\n');
    const r = await importPath(col, join(base, 'vault'), opts({ withHistory: false }));
    expect(r).toMatchObject({ format: 'obsidian', notes: 1, decks: ['a'] });
    expect(r.skipped[0]).toMatchObject({ count: 1 });
  });
});

describe('our own Markdown format', () => {
  it('is synced in place (as before), with a dry run that writes nothing', async () => {
    const { col, decks, into, opts } = setup();
    const p = write(join(decks, 'mine.md'), '---\nname: Mine\n---\n\nQ: one\nA: 1\n\nC: {{c1::two}} and {{c2::three}}\n');
    expect(detectFormat(p)).toBe('markdown');
    const before = dbState(col);
    const dry = await importPath(col, decks, opts({ dryRun: true }));
    expect(dry).toMatchObject({ format: 'markdown', notes: 2, cards: 3, dryRun: true });
    expect(dry.sync).toMatchObject({ added: 3 });
    expect(dbState(col)).toEqual(before);
    const r = await importPath(col, decks, opts());
    expect(r.sync).toMatchObject({ added: 3 });
    expect(tree(into)).toEqual({});
  });
});

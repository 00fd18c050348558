// CSV/TSV: Anki's plain-text exports (real ones from ../shared/fixtures and hand-written), column
// mapping from the command line, malformed rows reported with their line numbers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { detectFormat, importPath } from '../../src/core/import/index.js';
import { T0 } from '../helpers/tmp.js';
import { PNG } from './anki-fixture.js';
import { count, dbState, fixture, haveFixtures, setup, tree, write } from './helpers.js';


describe.skipIf(!haveFixtures('csv'))('real Anki text exports (../shared/fixtures/csv)', () => {
  it('"Notes in Plain Text" with deck and tags columns: 40 rows × 4 columns', async () => {
    const { col, opts } = setup();
    const p = fixture('csv', 'Alexuspo_Abstraktni_umeni_anki_export.txt');
    expect(detectFormat(p)).toBe('csv');
    const r = await importPath(col, p, opts());
    expect(r).toMatchObject({ format: 'csv', notes: 40, cards: 40, decks: ['Abstraktní umění'] });
    const md = readFileSync(r.files[0], 'utf8');
    // Quoted fields with doubled quotes inside <img> become images in the media folder.
    expect(md).toContain('Q: ![Improvisation No. 5 - Wassily Kandinsky jako tisk anebo olejomalba](media/Improvisation-No-5.jpg)\nA: Wassily Kandinsky Impresse3');
    expect(md).toContain('Francis Picabia - Mladá americká dívka');
    expect(md).not.toContain('&nbsp;');
    // Images are not in a text export: reported, links kept.
    expect(r.skipped.find((s) => s.reason.startsWith('media file not found'))?.count).toBeGreaterThanOrEqual(40);
    // Ids from the first field are unique (image-only fronts differ by their file).
    expect(count(col, 'SELECT count(DISTINCT explicit_id) AS n FROM notes')).toBe(40);
    const again = await importPath(col, p, opts());
    expect(again.sync).toMatchObject({ added: 0, updated: 0, retired: 0, unchanged: 40 });
  });

  it('"Cards in Plain Text": 25 rows × 2 columns, multi-line answers keep only the answer', async () => {
    const { col, opts } = setup();
    const r = await importPath(col, fixture('csv', 'Alexuspo_Literatura_cards_plaintext_export.txt'), opts({ csv: { deck: 'Literatura' } }));
    expect(r).toMatchObject({ notes: 25, cards: 25, decks: ['Literatura'] });
    const md = readFileSync(r.files[0], 'utf8');
    expect(md).toContain('Q: Májovci tvořili v\nA: v 2 polovině 19.století\n');
    expect(md).toContain('Q: V jejich čele stál\nA: Jan Neruda\n');
    expect(md).not.toContain('answer');
  });
});

const ANKI_HEADER = '#separator:tab\n#html:true\n#tags column:3\n#guid column:4\n';

describe('CSV/TSV', () => {
  it('reads Anki header lines, quoted multi-line fields, guid and tags columns', async () => {
    const { col, base, opts } = setup();
    const p = write(join(base, 'vocab.txt'), `${ANKI_HEADER}` +
      'hund\t"the <b>dog</b><br>der Hund"\tanimals de\tGuId:1\n' +
      '"multi\nline front"\t"answer with ""quotes"""\t\tg2\n' +
      '{{c1::Berlin}} is in {{c2::Germany}}\textra\tgeo\tg3\n');
    const r = await importPath(col, p, opts());
    expect(r).toMatchObject({ notes: 3, cards: 4 });
    const md = readFileSync(r.files[0], 'utf8');
    expect(md).toContain('Q: hund\nA:\nthe **dog**\\\nder Hund\n<!-- id: anki-GuId_3a1; tags: animals de -->');
    expect(md).toContain('Q: multi line front\nA: answer with "quotes"');
    expect(md).toContain('C: {{c1::Berlin}} is in {{c2::Germany}}\nA: extra');
  });

  it('maps columns given on the command line, for a file without a header', async () => {
    const { col, base, opts } = setup();
    const p = write(join(base, 'plain.csv'), 'skip me,question one,answer one,t1 t2,Deck A\nx,question two,answer two,,Deck B\n');
    const r = await importPath(col, p, opts({ csv: { columns: ['ignore', 'front', 'back', 'tags', 'deck'], html: false } }));
    expect(r.decks.sort()).toEqual(['Deck A', 'Deck B']);
    expect(r.notes).toBe(2);
    const a = readFileSync(r.files.find((f) => f.endsWith('Deck-A.md'))!, 'utf8');
    expect(a).toContain('Q: question one\nA: answer one\n<!-- id: csv-');
    expect(a).toContain('tags: t1 t2');
    expect(a).not.toContain('skip me');
  });

  it('reports malformed rows with their line numbers and reads on', async () => {
    const { col, base, opts } = setup();
    const p = write(join(base, 'broken.tsv'),
      'q1\ta1\n' + // line 1
      'lonely\n' + // line 2: one column
      '\ta3\n' + // line 3: empty question
      '"never closed\ta4\n' + // line 4: quote never closed
      'q5\ta5\n' + // line 5
      'q6\ta6\n');
    const r = await importPath(col, p, opts());
    expect(r.notes).toBe(3);
    const reasons = r.skipped.map((s) => s.reason).join('\n');
    expect(reasons).toMatch(/only one column.*line 2/);
    expect(reasons).toMatch(/empty question.*line 3/);
    expect(reasons).toMatch(/never closed.*line 4/);
    const md = readFileSync(r.files[0], 'utf8');
    expect(md).toContain('Q: q5');
    expect(md).toContain('Q: q6');
  });

  it('re-importing an edited file updates cards in place; duplicates of a first field get their own ids', async () => {
    const { col, base, opts } = setup();
    const p = write(join(base, 'w.csv'), 'front,back\napple,Apfel\npear,Birne\napple,Apfel (fruit)\n');
    const r1 = await importPath(col, p, opts({ csv: { columns: ['front', 'back'] } }));
    expect(r1.notes).toBe(3);
    const ids = col.db.prepare('SELECT explicit_id AS id FROM notes ORDER BY explicit_id').all() as { id: string }[];
    expect(new Set(ids.map((x) => x.id)).size).toBe(3);
    const cards = col.db.prepare('SELECT id FROM cards ORDER BY id').all() as { id: number }[];
    for (const c of cards) col.answer(c.id, 3, T0, 1000);
    write(p, 'front,back\napple,Apfel!\npear,Birne\napple,Apfel (fruit)\nplum,Pflaume\n');
    const r2 = await importPath(col, p, opts({ csv: { columns: ['front', 'back'] } }));
    expect(r2.sync).toMatchObject({ added: 1, updated: 1, retired: 0 });
    expect(count(col, 'SELECT count(*) AS n FROM cards WHERE reps = 1')).toBe(3);
  });

  it('copies images found beside the file into the media folder', async () => {
    const { col, base, opts } = setup();
    write(join(base, 'collection.media', 'cat one.png'), PNG);
    const p = write(join(base, 'pics.csv'), '#html:true\n"<img src=""cat one.png"">",cat\n');
    const r = await importPath(col, p, opts());
    expect(r.media).toBe(1);
    expect(readFileSync(r.files[0], 'utf8')).toContain('Q: ![](<media/cat one.png>)');
    expect(readFileSync(join(r.folder!, 'media', 'cat one.png'))).toEqual(Buffer.from(PNG));
  });

  it('refuses a binary file or an empty one with a clear error, changing nothing', async () => {
    const { col, base, into, opts } = setup();
    const before = dbState(col);
    const bin = write(join(base, 'data.csv'), new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 1, 2]));
    await expect(importPath(col, bin, opts())).rejects.toThrow(/data\.csv: this is a zip archive/);
    const empty = write(join(base, 'empty.csv'), '#separator:comma\n');
    await expect(importPath(col, empty, opts())).rejects.toBeInstanceOf(UserError);
    await expect(importPath(col, empty, opts())).rejects.toThrow(/empty\.csv: no rows/);
    expect(dbState(col)).toEqual(before);
    expect(tree(into)).toEqual({});
  });
});

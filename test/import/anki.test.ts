// Anki packages: written by a third-party writer (anki-apkg-export), built by hand (every note type,
// review histories, anki21b), and the real exports in ../shared/fixtures.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, renameSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { detectFormat, importPath, type ImportOptions } from '../../src/core/import/index.js';
import { T0, days } from '../helpers/tmp.js';
import { buildApkg, PNG, type SynthNote } from './anki-fixture.js';
import { count, dbState, fixture, haveFixtures, setup, tree, write } from './helpers.js';

const require = createRequire(import.meta.url);
// anki-apkg-export bundles sql.js 0.5, an asm.js build that V8 spends ~8 s validating; as plain JS it loads in 0.4 s.
setFlagsFromString('--no-validate-asm');


const DAY = 86_400_000;
const CRT = 1_600_000_000; // collection creation (s)

describe('Anki packages written by anki-apkg-export (a third-party writer)', () => {
  it('imports HTML, math, tags and media; a dry run writes nothing; re-importing changes nothing', async () => {
    const AnkiExport = require('anki-apkg-export').default;
    const apkg = new AnkiExport('Spanish::Verbs');
    apkg.addMedia('cat.png', Buffer.from(PNG));
    apkg.addCard('<b>hablar</b>', 'to <i>speak</i><br>line two &amp; more', { tags: ['verbs', 'ar'] });
    apkg.addCard('Cat <img src="cat.png" />', '<ul><li>gato</li><li>felino</li></ul>');
    apkg.addCard('Math [$]x^2[/$] and \\(\\alpha\\)', '[$$]\\sum_i x_i[/$$] costs $5&nbsp;net');
    const { col, base, into, opts } = setup();
    const pkg = write(join(base, 'spanish.apkg'), await apkg.save());
    expect(detectFormat(pkg)).toBe('apkg');

    const before = dbState(col);
    const dry = await importPath(col, pkg, opts({ dryRun: true }));
    expect(dry).toMatchObject({ format: 'apkg', dryRun: true, notes: 3, cards: 3, media: 1, decks: ['Spanish::Verbs'] });
    expect(dry.sync).toMatchObject({ added: 3, updated: 0 });
    expect(tree(into)).toEqual({});
    expect(dbState(col)).toEqual(before);

    const r = await importPath(col, pkg, opts());
    expect(r).toMatchObject({ notes: 3, cards: 3, media: 1, dryRun: false });
    expect(r.sync).toMatchObject({ added: 3, filesFailed: 0 });
    expect(r.sync!.issues).toEqual([]);
    const md = readFileSync(r.files[0], 'utf8');
    expect(md).toContain('name: "Spanish::Verbs"');
    expect(md).toContain('Q: **hablar**');
    expect(md).toContain('to *speak*\\\nline two & more');
    expect(md).toContain('tags: verbs ar');
    expect(md).toContain('Q: Cat ![](media/cat.png)');
    expect(md).toMatch(/- gato\n- felino/);
    expect(md).toContain('Q: Math $x^2$ and $\\alpha$');
    expect(md).toContain('A: $$\\sum_i x_i$$ costs \\$5 net');
    expect(md).toMatch(/<!-- id: anki-[0-9a-f]{40}/);
    expect(readFileSync(join(r.folder!, 'media', 'cat.png'))).toEqual(Buffer.from(PNG));

    const again = await importPath(col, pkg, opts());
    expect(again.sync).toMatchObject({ added: 0, updated: 0, retired: 0, unchanged: 3 });
    expect(count(col, 'SELECT count(*) AS n FROM cards')).toBe(3);
  });
});

/** A review history: learned on day 0, reviewed on days 1 and 4, answered Again on day 12, then Good. */
function history(start: number) {
  return [
    { id: start, ease: 3, ivl: -600, factor: 0, type: 0 },
    { id: start + 600_000, ease: 3, ivl: 1, factor: 2500, type: 0 },
    { id: start + 1 * DAY, ease: 3, ivl: 3, factor: 2500, type: 1 },
    { id: start + 4 * DAY, ease: 3, ivl: 8, factor: 2500, type: 1 },
    { id: start + 12 * DAY, ease: 1, ivl: -600, factor: 2300, type: 1 },
    { id: start + 12 * DAY + 600_000, ease: 3, ivl: 1, factor: 2300, type: 2 },
    { id: start + 14 * DAY, ease: 3, ivl: 5, factor: 2300, type: 1 },
  ];
}

const START = new Date(2025, 10, 1, 9).getTime();
const dueDay = (ms: number) => Math.round((ms / 1000 - CRT) / 86400);

function notes(): SynthNote[] {
  return [
    { guid: 'b1', type: 'basic', fields: ['Capital of <b>France</b>?', 'Paris'], tags: ['geo', 'europe::west'], deck: 'Geo::Europe',
      cards: [{ ord: 0, type: 2, queue: 2, ivl: 5, factor: 2300, reps: 7, lapses: 1, due: dueDay(START + 19 * DAY), revlog: history(START) }] },
    { guid: 'r1', type: 'reversed', fields: ['der Hund', 'the dog'], deck: 'German' },
    { guid: 'o1', type: 'optional-reversed', fields: ['la mer', 'the sea', 'y'], deck: 'French' },
    { guid: 'o2', type: 'optional-reversed', fields: ['le ciel', 'the sky', ''], deck: 'French' },
    { guid: 't1', type: 'typein', fields: ['2 + 2 =', '4'], deck: 'Math', cards: [{ ord: 0, type: 0, queue: -1 }] },
    { guid: 'c1', type: 'cloze', fields: ['{{c1::Paris}} is the capital of {{c2::France::country}}', 'Since 508'], deck: 'Geo::Europe' },
    { guid: 'v1', type: 'three-templates', fields: ['Katze', 'cat', 'Die Katze schläft'], deck: 'German' },
    { guid: 'x:weird"guid<>', type: 'basic', fields: ['Suspended?', 'yes'], deck: 'Math', cards: [{ ord: 0, type: 2, queue: -1, ivl: 30, factor: 2500, reps: 3, due: dueDay(START + 40 * DAY) }] },
  ];
}

describe('Anki packages: note types, decks, tags and review history', () => {
  it('maps every note type to the native format with the right cards', async () => {
    const { col, base, opts } = setup();
    const pkg = write(join(base, 'mixed.apkg'), buildApkg({ notes: notes(), crt: CRT }));
    const r = await importPath(col, pkg, opts());
    expect(r.decks.sort()).toEqual(['French', 'Geo::Europe', 'German', 'Math']);
    expect(r.notes).toBe(8);
    // basic 1 + reversed 2 + optional 2 + 1 + typein 1 + cloze 2 + three-templates 2 (third dropped) + 1
    expect(r.cards).toBe(12);
    expect(r.skipped.find((s) => s.reason.startsWith('cards of a third'))?.count).toBe(1);
    const ords = col.db.prepare('SELECT n.explicit_id AS id, group_concat(c.ord, \',\') AS ords FROM cards c JOIN notes n ON n.id = c.note_id GROUP BY n.id ORDER BY n.explicit_id').all();
    expect(ords).toEqual([
      { id: 'anki-b1', ords: 'fwd' }, { id: 'anki-c1', ords: 'c1,c2' }, { id: 'anki-o1', ords: 'fwd,rev' }, { id: 'anki-o2', ords: 'fwd' },
      { id: 'anki-r1', ords: 'fwd,rev' }, { id: 'anki-t1', ords: 'fwd' }, { id: 'anki-v1', ords: 'fwd,rev' }, { id: 'anki-x_3aweird_22guid_3c_3e', ords: 'fwd' },
    ]);
    const geo = readFileSync(r.files.find((f) => f.endsWith('Geo__Europe.md'))!, 'utf8');
    expect(geo).toContain('C: {{c1::Paris}} is the capital of {{c2::France::country}}\nA: Since 508');
    expect(geo).toContain('<!-- id: anki-b1; tags: geo europe::west -->');
    const german = readFileSync(r.files.find((f) => f.endsWith('German.md'))!, 'utf8');
    expect(german).toContain('R: Katze\nA:\n**Meaning:** cat\n\n**Example:** Die Katze schläft');
  });

  it('replays the review log with FSRS and keeps Anki\'s due dates; re-import adds no rows', async () => {
    const { col, base, opts } = setup();
    const pkg = write(join(base, 'mixed.apkg'), buildApkg({ notes: notes(), crt: CRT }));
    const r = await importPath(col, pkg, opts());
    expect(r.reviews).toBe(7);
    expect(r.scheduled).toBe(2);
    const card = col.db.prepare("SELECT c.* FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.explicit_id = 'anki-b1'").get() as Record<string, number>;
    expect(card.state).toBe(2);
    expect(card.due).toBe((CRT + dueDay(START + 19 * DAY) * 86400) * 1000);
    expect(card.scheduled_days).toBe(5);
    expect(card.reps).toBe(7);
    expect(card.lapses).toBe(1);
    expect(card.stability).toBeGreaterThan(0.5);
    expect(card.last_review).toBe(START + 14 * DAY);
    const rows = col.db.prepare('SELECT rating, source, state_before, state_after FROM revlog WHERE card_id = ? ORDER BY reviewed_at').all(card.id) as Record<string, unknown>[];
    expect(rows.map((x) => x.rating)).toEqual([3, 3, 3, 3, 1, 3, 3]);
    expect(rows.every((x) => x.source === 'import')).toBe(true);
    expect(rows[0].state_before).toBe(0);
    expect(rows[4].state_after).toBe(3); // relearning after the lapse
    // A suspended review card without a log keeps its schedule (seeded from SM-2) and its suspension.
    const susp = col.db.prepare("SELECT c.* FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.explicit_id LIKE 'anki-x%'").get() as Record<string, number>;
    expect(susp).toMatchObject({ state: 2, suspended: 1, scheduled_days: 30, stability: 30 });
    expect(count(col, "SELECT count(*) AS n FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.explicit_id = 'anki-t1' AND c.suspended = 1 AND c.state = 0")).toBe(1);

    const again = await importPath(col, pkg, opts());
    expect(again.reviews).toBe(0);
    expect(count(col, 'SELECT count(*) AS n FROM revlog')).toBe(7);
    expect(again.sync).toMatchObject({ added: 0, updated: 0, retired: 0 });
  });

  it('adds only the new rows of a later export, and never reschedules a card reviewed here', async () => {
    const { col, base, opts } = setup();
    const first = notes().slice(0, 2);
    const pkg1 = write(join(base, 'deck.apkg'), buildApkg({ notes: first, crt: CRT }));
    await importPath(col, pkg1, opts());
    // The reversed note's forward card gets a review of our own.
    const rev = col.db.prepare("SELECT c.id FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.explicit_id = 'anki-r1' AND c.ord = 'fwd'").get() as { id: number };
    col.answer(rev.id, 3, T0, 1000);
    const ours = col.cardRow(rev.id);
    const later = notes().slice(0, 2);
    const more = [{ id: START + 30 * DAY, ease: 4, ivl: 20, factor: 2450, type: 1 }];
    later[0].cards![0] = { ...later[0].cards![0], ivl: 20, due: dueDay(START + 50 * DAY), revlog: [...history(START), ...more] };
    later[1].cards = [{ ord: 0, type: 2, queue: 2, ivl: 4, due: dueDay(START + 9 * DAY), revlog: [{ id: START + 5 * DAY, ease: 3, ivl: 4, factor: 2500, type: 1 }] }, { ord: 1 }];
    const pkg2 = write(join(base, 'deck.apkg'), buildApkg({ notes: later, crt: CRT }));
    const r = await importPath(col, pkg2, opts());
    expect(r.reviews).toBe(2); // one new row for each card
    const b1 = col.db.prepare("SELECT c.due, c.scheduled_days FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.explicit_id = 'anki-b1'").get();
    expect(b1).toEqual({ due: (CRT + dueDay(START + 50 * DAY) * 86400) * 1000, scheduled_days: 20 });
    expect(col.cardRow(rev.id)).toEqual(ours);
    expect(count(col, `SELECT count(*) AS n FROM revlog WHERE card_id = ${rev.id}`)).toBe(2);
  });

  it('handles manual, forget, cram and v1-scheduler entries as Anki does', async () => {
    const { col, base, opts } = setup();
    const t = START;
    const cards = [{
      ord: 0, type: 2, queue: 2, ivl: 10, factor: 2500, due: dueDay(t + 30 * DAY), revlog: [
        { id: t, ease: 2, ivl: 1, factor: 0, type: 0 }, // v1: learning "2" is Good
        { id: t + 2 * DAY, ease: 3, ivl: 4, factor: 2500, type: 1 },
        { id: t + 3 * DAY, ease: 0, ivl: 0, factor: 0, type: 4 }, // Forget: new again
        { id: t + 4 * DAY, ease: 3, ivl: 4, factor: 0, type: 0 }, // v1: learning "3" is Easy
        { id: t + 5 * DAY, ease: 2, ivl: 0, factor: 0, type: 3 }, // cram without rescheduling
        { id: t + 6 * DAY, ease: 0, ivl: 10, factor: 2500, type: 4 }, // set due date
        { id: t + 7 * DAY, ease: 0, ivl: 12, factor: 2500, type: 5 }, // rescheduled
      ],
    }];
    const pkg = write(join(base, 'v1.apkg'), buildApkg({ notes: [{ guid: 'm1', type: 'basic', fields: ['q', 'a'], cards }], crt: CRT, schedVer: 1 }));
    const r = await importPath(col, pkg, opts());
    expect(r.reviews).toBe(7);
    const rows = col.db.prepare('SELECT rating, state_before, state_after, stability_before, stability_after, due_after FROM revlog ORDER BY reviewed_at').all() as Record<string, number>[];
    expect(rows.map((x) => x.rating)).toEqual([3, 3, 0, 4, 2, 0, 0]); // v1: learning 2 = Good, 3 = Easy
    expect(rows[2].state_after).toBe(0); // forgotten
    expect(rows[3].state_before).toBe(0);
    expect(rows[4].stability_after).toBe(rows[4].stability_before); // cram changes nothing
    expect(rows[5].stability_after).toBe(rows[5].stability_before); // set due date keeps memory
    expect(rows[5].due_after).toBe(t + 16 * DAY);
    expect(rows[6].due_after).toBe(t + 19 * DAY);
  });

  it('--no-history imports content only', async () => {
    const { col, base, opts } = setup();
    const pkg = write(join(base, 'mixed.apkg'), buildApkg({ notes: notes(), crt: CRT }));
    const r = await importPath(col, pkg, opts({ withHistory: false }));
    expect(r).toMatchObject({ reviews: 0, scheduled: 0, notes: 8 });
    expect(count(col, 'SELECT count(*) AS n FROM cards WHERE state != 0')).toBe(0);
  });

  it('reads collection.anki21b (zstd, meta version 3) with zstd media', async () => {
    const { col, base, opts } = setup();
    const pkg = write(join(base, 'new.apkg'), buildApkg({
      member: 'collection.anki21b', meta: 3, crt: CRT, media: { 'dot.png': PNG },
      notes: [{ guid: 'z1', type: 'basic', fields: ['dot <img src="dot.png">', 'a dot'] }],
      extra: { 'collection.anki2': new Uint8Array(0) },
    }));
    const r = await importPath(col, pkg, opts());
    expect(r).toMatchObject({ notes: 1, cards: 1, media: 1 });
    expect(readFileSync(join(r.folder!, 'media', 'dot.png'))).toEqual(Buffer.from(PNG));
  });

  it('does not duplicate notes already imported from another file', async () => {
    const { col, base, opts } = setup();
    const a = write(join(base, 'a.apkg'), buildApkg({ notes: notes().slice(0, 2), crt: CRT }));
    await importPath(col, a, opts());
    const b = write(join(base, 'b.apkg'), buildApkg({ notes: notes().slice(0, 3), crt: CRT }));
    const r = await importPath(col, b, opts());
    expect(r.notes).toBe(1);
    expect(r.skipped.find((s) => s.reason.startsWith('note already in the collection'))?.count).toBe(2);
    expect(count(col, 'SELECT count(*) AS n FROM notes')).toBe(3);
  });
});

describe('bad Anki input: a clear error, nothing changed', () => {
  async function expectRefused(bytes: Uint8Array | string, message: RegExp, name = 'bad.apkg', extra: Partial<ImportOptions> = {}) {
    const { col, base, into, opts } = setup();
    // Something imported before, so "nothing changed" is checked on a real collection and folder.
    await importPath(col, write(join(base, 'good.apkg'), buildApkg({ notes: notes().slice(0, 2), crt: CRT })), opts());
    const beforeDb = dbState(col);
    const beforeFiles = tree(base);
    const p = write(join(base, name), bytes);
    const err = await importPath(col, p, opts(extra)).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain(name);
    expect((err as Error).message).toMatch(message);
    expect(dbState(col)).toEqual(beforeDb);
    expect(tree(base)).toEqual({ ...beforeFiles, [name]: tree(base)[name] });
    void into;
  }

  const good = () => buildApkg({ notes: notes().slice(0, 2), crt: CRT });

  it('a truncated zip', async () => {
    const z = good();
    await expectRefused(z.subarray(0, Math.floor(z.length / 2)), /truncated/);
  });

  it('a file that is not a zip', async () => {
    await expectRefused('front,back\nq,a\n', /not a valid zip archive/);
  });

  it('an empty package', async () => {
    const { zipSync } = await import('fflate');
    await expectRefused(zipSync({}), /package is empty/);
  });

  it('a package without a collection', async () => {
    const { zipSync } = await import('fflate');
    await expectRefused(zipSync({ media: new TextEncoder().encode('{}') }), /holds no Anki collection/);
  });

  it('a collection that is not SQLite', async () => {
    const { zipSync } = await import('fflate');
    await expectRefused(zipSync({ 'collection.anki2': new TextEncoder().encode('hello, not a database at all') }), /not an SQLite database/);
  });

  it('an unknown collection version', async () => {
    await expectRefused(buildApkg({ notes: notes().slice(0, 1), ver: 99 }), /unknown Anki collection version 99/);
  });

  it('an unknown package version', async () => {
    await expectRefused(buildApkg({ notes: notes().slice(0, 1), meta: 9 }), /unknown Anki package version 9/);
  });

  it('only the placeholder collection of new exports', async () => {
    await expectRefused(buildApkg({ notes: [{ guid: 'd', type: 'basic', fields: ['Please update to the latest Anki version, then import the .colpkg/.apkg file again.', ''] }] }), /placeholder/);
  });

  it('a zip bomb: declared sizes over the limit', async () => {
    const big = new Uint8Array(300 * 1024);
    await expectRefused(buildApkg({ notes: notes().slice(0, 1), media: { 'big.bin': big } }), /refusing/, 'bomb.apkg', { limits: { maxTotal: 256 * 1024 } });
  });

  it('a zip bomb: an extreme compression ratio', async () => {
    const zeros = new Uint8Array(4 * 1024 * 1024);
    await expectRefused(buildApkg({ notes: notes().slice(0, 1), media: { 'zeros.bin': zeros } }), /zip bomb/, 'ratio.apkg', { limits: { ratioFloor: 1024 * 1024, maxRatio: 100 } });
  });

  it('a zstd bomb inside collection.anki21b', async () => {
    const { zipSync } = await import('fflate');
    const { zstdRleBomb } = await import('./anki-fixture.js');
    await expectRefused(zipSync({ 'collection.anki21b': zstdRleBomb(64) }), /refusing/, 'zstd.apkg', { limits: { maxTotal: 4 * 1024 * 1024 } });
  });

  it('an entry whose declared size lies', async () => {
    const z = good();
    // Shrink the declared size of the collection in the central directory.
    const buf = Buffer.from(z);
    const cd = buf.lastIndexOf(Buffer.from('collection.anki2')) - 46;
    buf.writeUInt32LE(buf.readUInt32LE(cd + 24) - 100, cd + 24);
    await expectRefused(buf, /damaged/);
  });
});

describe('zip entries never write outside the media folder', () => {
  it('skips ../ and absolute media names and ignores odd member names', async () => {
    const { col, base, into, opts } = setup();
    const evil = '/tmp/srs-import-evil-absolute.txt';
    const pkg = buildApkg({
      notes: [{ guid: 'p', type: 'basic', fields: ['<img src="ok.png">', 'x'] }],
      mediaMap: { 0: '../../evil.txt', 1: evil, 2: 'sub/dir.png', 3: '..', 4: 'ok.png', 5: 'notes.md' },
      extra: { 0: new Uint8Array([1]), 1: new Uint8Array([2]), 2: new Uint8Array([3]), 3: new Uint8Array([4]), 4: PNG, 5: new Uint8Array([5]), '../escape.txt': new Uint8Array([6]) },
    });
    const r = await importPath(col, write(join(base, 'evil.apkg'), pkg), opts());
    expect(r.media).toBe(2);
    expect(Object.keys(tree(base)).sort()).toEqual([
      'data/collection.db', 'data/collection.db-shm', 'data/collection.db-wal', 'decks/imported/evil/Default.md', 'decks/imported/evil/media/notes.md_',
      'decks/imported/evil/media/ok.png', 'evil.apkg',
    ].filter((f) => existsSync(join(base, f))));
    expect(existsSync(evil)).toBe(false);
    expect(existsSync(join(into, 'evil.txt'))).toBe(false);
    expect(r.skipped.find((s) => s.reason.startsWith('media file with an unsafe name'))?.count).toBe(4);
  });
});

describe('a failure during the sync leaves the collection and the folder as they were', () => {
  it('rolls back the transaction and puts the old deck files back', async () => {
    const { col, base, opts } = setup();
    const p = join(base, 'deck.apkg');
    write(p, buildApkg({ notes: notes().slice(1, 3), crt: CRT }));
    await importPath(col, p, opts());
    const beforeDb = dbState(col);
    const beforeFiles = tree(base);
    write(p, buildApkg({ notes: notes(), crt: CRT }));
    col.db.exec("CREATE TEMP TRIGGER boom BEFORE INSERT ON revlog BEGIN SELECT RAISE(ABORT, 'disk on fire'); END;");
    await expect(importPath(col, p, opts())).rejects.toThrow(/disk on fire/);
    col.db.exec('DROP TRIGGER boom');
    expect(dbState(col)).toEqual(beforeDb);
    expect({ ...tree(base), 'deck.apkg': '' }).toEqual({ ...beforeFiles, 'deck.apkg': '' });
  });
});

describe('an import killed half-way', () => {
  it('is repaired by the next import: the previous deck folder is put back', async () => {
    const { col, base, into, opts } = setup();
    const p = write(join(base, 'deck.apkg'), buildApkg({ notes: notes().slice(1, 3), crt: CRT }));
    await importPath(col, p, opts());
    const before = tree(join(into, 'deck'));
    // Simulate a crash between the two renames: the old folder sits in a stale staging folder.
    const stale = join(into, '.srs-import-crashed');
    mkdirSync(stale);
    writeFileSync(join(stale, 'folder'), 'deck');
    renameSync(join(into, 'deck'), join(stale, 'old'));
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(stale, old, old);
    await importPath(col, write(join(base, 'other.csv'), 'q,a\n'), opts());
    expect(tree(join(into, 'deck'))).toEqual(before);
    expect(existsSync(stale)).toBe(false);
  });
});

describe.skipIf(!haveFixtures('anki'))('real Anki exports (../shared/fixtures/anki)', () => {
  it('CategoryTheory (old export, collection.anki2): 11 notes, 11 cards, 36 review rows, 22 media, [$] math', async () => {
    const { col, opts } = setup();
    const p = fixture('anki', 'marekyggdrasil-AnkiCategoryTheory_deck.apkg');
    const r = await importPath(col, p, opts());
    expect(r).toMatchObject({ format: 'apkg', notes: 11, cards: 11, reviews: 36, media: 22, decks: ['Category Theory'] });
    expect(count(col, "SELECT count(*) AS n FROM revlog WHERE source = 'import'")).toBe(36);
    const md = readFileSync(r.files[0], 'utf8');
    expect(md).toContain('Q: $\\text{Definition of a Category } \\textbf{C}$');
    expect(md).not.toMatch(/\[\$\]|&nbsp;|<div>/);
    // The first note's card: Anki review card, interval 5, due on collection day 1312.
    const c = col.db.prepare("SELECT c.state, c.due, c.scheduled_days FROM cards c JOIN notes n ON n.id = c.note_id WHERE n.explicit_id = 'anki-jxp_5dBIPq_2b_7d'").get();
    expect(c).toEqual({ state: 2, due: (1462132800 + 1312 * 86400) * 1000, scheduled_days: 5 });
    const again = await importPath(col, p, opts());
    expect(again).toMatchObject({ reviews: 0 });
    expect(again.sync).toMatchObject({ added: 0, updated: 0, retired: 0, unchanged: 11 });
    expect(count(col, 'SELECT count(*) AS n FROM revlog')).toBe(36);
  });

  it('skinatro collection.anki21 (bare collection): 167 notes, 190 cards, 15 review rows, nested decks', async () => {
    const { col, opts } = setup();
    const p = fixture('anki', 'skinatro_Anki_Decks_collection.anki21');
    expect(detectFormat(p)).toBe('anki-collection');
    const src = new Database(p, { readonly: true });
    const deckNames = Object.values(JSON.parse((src.prepare('SELECT decks FROM col').get() as { decks: string }).decks) as Record<string, { name: string }>).map((d) => d.name);
    src.close();
    expect(deckNames).toHaveLength(16);
    const r = await importPath(col, p, opts());
    expect(r).toMatchObject({ notes: 167, cards: 190, reviews: 15 });
    for (const d of r.decks) expect(deckNames).toContain(d);
    expect(r.decks.every((d) => d.split('::').length === 4)).toBe(true);
    expect(count(col, 'SELECT count(*) AS n FROM decks WHERE name LIKE \'Mirage%\'')).toBe(r.decks.length);
    const again = await importPath(col, p, opts());
    expect(again.sync).toMatchObject({ added: 0, updated: 0, retired: 0, unchanged: 190 });
    expect(again.reviews).toBe(0);
  });

  it('zhongwen (new export, zstd collection.anki21b, schema 18): 3 notes, 6 cards', async () => {
    const { col, opts } = setup();
    const p = fixture('anki', 'thomashirtz-zhongwen-anki_deck.apkg');
    const r = await importPath(col, p, opts());
    expect(r).toMatchObject({ notes: 3, cards: 6, decks: ['Chinese'], media: 0 });
    const md = readFileSync(r.files[0], 'utf8');
    expect(md).toContain('R: 向量');
    expect(md).toContain('**Meaning:** vector');
    expect(md).not.toMatch(/<mark|<div|&nbsp;/);
    expect(count(col, "SELECT count(*) AS n FROM cards WHERE ord = 'rev'")).toBe(3);
  });

  it('a dry run on a real package reports without writing', async () => {
    const { col, into, opts } = setup();
    const before = dbState(col);
    const r = await importPath(col, fixture('anki', 'marekyggdrasil-AnkiCategoryTheory_deck.apkg'), opts({ dryRun: true }));
    expect(r).toMatchObject({ dryRun: true, notes: 11, reviews: 36, media: 22 });
    expect(r.sync).toMatchObject({ added: 11 });
    expect(tree(into)).toEqual({});
    expect(dbState(col)).toEqual(before);
    void days;
  });
});

// Store, scheduler and review session on real temporary SQLite databases, with pinned dates and fuzz off.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { createEmptyCard, fsrs, generatorParameters, type Grade as FG } from 'ts-fsrs';
import { describe, expect, it } from 'vitest';
import { Collection } from '../../src/core/collection.js';
import { SCHEMA_VERSION, withRevlogIndexesDeferred } from '../../src/core/db.js';
import { UserError } from '../../src/core/errors.js';
import { dayStart, formatInterval, LEECH_LAPSES, nextDayStart, rowToCard } from '../../src/core/scheduler.js';
import { days, minutes, openTemp, T0, tempDir, writeDeck } from '../helpers/tmp.js';

function deckWith(n: number, front = '', extra = '') {
  let s = `---\nname: d\n${front}---\n`;
  for (let i = 1; i <= n; i++) s += `\nQ: question ${i} ${'x'.repeat(i)}\nA: answer ${i}\n`;
  return s + extra;
}

describe('store', () => {
  it('creates a migrated WAL database with foreign keys and STRICT tables', () => {
    const { col, data } = openTemp();
    expect(col.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(col.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(col.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const strict = col.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND sql LIKE '%STRICT'").all().map((r) => (r as { name: string }).name);
    expect(strict).toEqual(expect.arrayContaining(['decks', 'notes', 'cards', 'revlog', 'files', 'roots', 'meta']));
    expect(() => col.db.prepare("INSERT INTO revlog (card_id, reviewed_at, rating, state_before, due_before, stability_before, difficulty_before, elapsed_days, card_before, state_after, due_after, stability_after, difficulty_after, scheduled_days) VALUES (999, 0, 3, 0, 0, 0, 0, 0, '{}', 0, 0, 0, 0, 0)").run()).toThrow(/FOREIGN KEY/);
    expect(() => col.db.prepare("INSERT INTO decks (name, created_at) VALUES ('x', 'not a number')").run()).toThrow(/cannot store TEXT value in INTEGER column/);
    col.close();
    // Re-opening an up-to-date database runs no migration and keeps the data.
    const again = Collection.open(data, { fuzz: false });
    expect(again.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    again.close();
  });

  it('refuses a database from a newer version, and leaves it unchanged', () => {
    const dir = tempDir();
    const path = join(dir, 'collection.db');
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.exec('CREATE TABLE future (x INTEGER)');
    raw.close();
    expect(() => Collection.open(dir)).toThrow(UserError);
    expect(() => Collection.open(dir)).toThrow(/newer version of srs \(schema \d+; this version knows up to \d+\)/);
    const check = new Database(path, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 5);
    expect(check.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'cards'").get()).toEqual({ n: 0 });
    check.close();
  });
});

describe('bulk review-log writes', () => {
  it('drop the review-log indexes for the work and rebuild them exactly, inside the transaction', () => {
    const { col } = openTemp();
    const before = col.db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'revlog' ORDER BY name").all();
    let during: string[] = [];
    col.db.transaction(() => {
      withRevlogIndexesDeferred(col.db, ['revlog_card'], () => {
        during = (col.db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'revlog' AND sql IS NOT NULL").all() as { name: string }[]).map((r) => r.name);
      });
    })();
    expect(during).toEqual(['revlog_card']);
    expect(col.db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'revlog' ORDER BY name").all()).toEqual(before);
    // A failure rolls the drop back with everything else.
    expect(() => col.db.transaction(() => withRevlogIndexesDeferred(col.db, [], () => { throw new Error('boom'); }))()).toThrow('boom');
    expect(col.db.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'revlog' ORDER BY name").all()).toEqual(before);
    expect(() => withRevlogIndexesDeferred(col.db, [], () => 0)).toThrow(/inside a transaction/);
  });
});

describe('scheduler helpers', () => {
  it('formats intervals like Anki', () => {
    expect([30e3, 60e3, 6 * 60e3, 10 * 60e3, 3 * 3600e3, 5 * 86400e3, 45 * 86400e3, 400 * 86400e3].map(formatInterval))
      .toEqual(['<1m', '1m', '6m', '10m', '3h', '5d', '1.5mo', '1.1y']);
  });

  it('puts the study day boundary at the configured hour', () => {
    const early = new Date(2026, 2, 2, 3, 59);
    const late = new Date(2026, 2, 2, 4, 0);
    expect(dayStart(early, 4)).toEqual(new Date(2026, 2, 1, 4, 0));
    expect(dayStart(late, 4)).toEqual(new Date(2026, 2, 2, 4, 0));
    expect(nextDayStart(early, 4)).toEqual(new Date(2026, 2, 2, 4, 0));
    expect(nextDayStart(late, 0)).toEqual(new Date(2026, 2, 3, 0, 0));
  });
});

describe('review session', () => {
  it('shows new cards in file order, previews four intervals and commits each answer with its review-log row', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'd.md', deckWith(3));
    col.sync([decks], T0);
    const s = col.session({ now: T0 });
    expect(s.counts(T0)).toEqual({ new: 3, learning: 0, review: 0 });
    const c = s.current(T0)!;
    expect(c.front).toBe('question 1 x');
    expect(c.back).toBe('answer 1');
    const p = s.preview(c.cardId, T0);
    expect(p.map((x) => x.label)).toEqual(['1m', '6m', '10m', '8d']);
    s.answer(c.cardId, 3, T0, 4200);
    // Committed: another connection sees it.
    const other = new Database(join(col.dataDir, 'collection.db'), { readonly: true });
    const log = other.prepare('SELECT card_id, rating, state_before, state_after, duration_ms, reviewed_at FROM revlog').all();
    expect(log).toEqual([{ card_id: c.cardId, rating: 3, state_before: 0, state_after: 1, duration_ms: 4200, reviewed_at: T0.getTime() }]);
    other.close();
    expect(s.counts(T0)).toEqual({ new: 2, learning: 1, review: 0 });
    expect(s.current(T0)!.front).toBe('question 2 xx');
  });

  it('undo restores the previous state, removes the review-log row and shows the card again', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'd.md', deckWith(3));
    col.sync([decks], T0);
    const s = col.session({ now: T0 });
    const c1 = s.current(T0)!;
    const before = col.cardRow(c1.cardId);
    s.answer(c1.cardId, 4, T0, 1000);
    const c2 = s.current(minutes(T0, 1))!;
    s.answer(c2.cardId, 1, minutes(T0, 1), 1000);
    expect(s.canUndo()).toBe(true);
    const back = s.undo(minutes(T0, 2))!;
    expect(back.cardId).toBe(c2.cardId);
    expect(col.db.prepare('SELECT count(*) AS n FROM revlog').get()).toEqual({ n: 1 });
    const back1 = s.undo(minutes(T0, 2))!;
    expect(back1.cardId).toBe(c1.cardId);
    expect(col.cardRow(c1.cardId)).toEqual(before);
    expect(s.canUndo()).toBe(false);
    expect(s.undo(T0)).toBeNull();
    expect(s.current(minutes(T0, 2))!.cardId).toBe(c1.cardId);
  });

  it('stores what an exercise asked and got, and undo gives back the seed it was shown with', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'd.md', '---\nname: ex\n---\n```exercise\nvars:\n  a: {range: [2, 9]}\nprompt: "{{a}} × 3?"\nanswer: a * 3\ntolerance: 0\n```\n');
    col.sync([decks], T0);
    const s = col.session({ now: T0 });
    const c = s.current(T0)!;
    expect(c.kind).toBe('exercise');
    expect(c.exerciseSource).toContain('answer: a * 3');
    s.answer(c.cardId, 1, T0, 9000, { seed: 1234, given: '20', expected: '21', correct: false });
    const row = col.db.prepare('SELECT exercise FROM revlog').get() as { exercise: string };
    expect(JSON.parse(row.exercise)).toEqual({ seed: 1234, given: '20', expected: '21', correct: false });
    const back = s.undo(T0)!;
    expect(back).toMatchObject({ cardId: c.cardId, exerciseSeed: 1234 });
    expect(col.db.prepare('SELECT count(*) AS n FROM revlog').get()).toEqual({ n: 0 });
  });

  it('suspends a card out of the queue; undo and unsuspend bring it back', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'd.md', deckWith(3));
    col.sync([decks], T0);
    const s = col.session({ now: T0 });
    const c = s.current(T0)!;
    s.suspend(c.cardId);
    expect(s.current(T0)!.cardId).not.toBe(c.cardId);
    expect(s.counts(T0).new).toBe(2);
    expect(col.decks(T0)[0]).toMatchObject({ suspended: 1, total: 3 });
    expect(s.undo(T0)!.cardId).toBe(c.cardId);
    expect(s.current(T0)!.cardId).toBe(c.cardId);
    s.suspend(c.cardId);
    expect(s.summary(T0).reviewed).toBe(0);
    expect(col.unsuspendAll()).toBe(1);
    expect(s.counts(T0).new).toBe(3);
  });

  it('brings learning cards back within the session when due (learn-ahead 20 minutes)', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'd.md', deckWith(1));
    col.sync([decks], T0);
    const s = col.session({ now: T0 });
    const c = s.current(T0)!;
    s.answer(c.cardId, 1, T0, 1000); // Again: due in 1 minute
    expect(s.current(T0)!.cardId).toBe(c.cardId); // nothing else left: shown early
    s.answer(c.cardId, 3, minutes(T0, 1), 1000); // Good: next step 10m
    expect(s.current(minutes(T0, 1))!.cardId).toBe(c.cardId);
    s.answer(c.cardId, 3, minutes(T0, 11), 1000); // graduates
    expect(s.current(minutes(T0, 11))).toBeNull();
    expect(s.nextLearningDue(minutes(T0, 11))).toBeNull();
    expect(col.cardRow(c.cardId).state).toBe(2);
  });

  it('waits for a learning card due later than the learn-ahead window', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'd.md', deckWith(1, 'learning_steps: [1h, 2h]\n'));
    col.sync([decks], T0);
    const s = col.session({ now: T0 });
    const c = s.current(T0)!;
    s.answer(c.cardId, 1, T0, 1000);
    expect(s.current(minutes(T0, 5))).toBeNull();
    expect(s.nextLearningDue(minutes(T0, 5))).toEqual(minutes(T0, 60));
    expect(s.current(minutes(T0, 60))!.cardId).toBe(c.cardId);
  });

  it('applies the daily new-card limit per deck, resetting at the day start hour', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'd.md', deckWith(5, 'new_per_day: 2\n'));
    col.sync([decks], T0);
    const s = col.session({ now: T0 });
    expect(s.counts(T0).new).toBe(2);
    for (let i = 0; i < 2; i++) s.answer(s.current(T0)!.cardId, 4, T0, 500); // Easy: straight to review
    expect(s.counts(T0)).toEqual({ new: 0, learning: 0, review: 0 });
    expect(col.decks(T0)[0]).toMatchObject({ newCount: 0, total: 5 });
    // 03:59 next morning still belongs to today's study day; 04:00 starts a new one.
    const before4 = new Date(2026, 2, 3, 3, 59);
    const at4 = new Date(2026, 2, 3, 4, 0);
    expect(col.session({ now: before4 }).counts(before4).new).toBe(0);
    expect(col.session({ now: at4 }).counts(at4).new).toBe(2);
  });

  it('applies the daily review limit', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'd.md', deckWith(4, 'reviews_per_day: 3\n'));
    col.sync([decks], T0);
    const s = col.session({ now: T0 });
    for (let i = 0; i < 4; i++) s.answer(s.current(T0)!.cardId, 4, T0, 500);
    const later = days(T0, 60);
    expect(col.session({ now: later }).counts(later)).toEqual({ new: 0, learning: 0, review: 3 });
  });

  it('buries siblings: the reverse card of a note is not shown the same day', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'd.md', '---\nname: r\n---\nR: 용어\nA: 정의\n\nQ: other\nA: card\n');
    col.sync([decks], T0);
    const s = col.session({ now: T0 });
    expect(s.counts(T0).new).toBe(2); // one card per note
    const first = s.current(T0)!;
    expect([first.front, first.back]).toEqual(['용어', '정의']);
    s.answer(first.cardId, 4, T0, 500);
    const second = s.current(T0)!;
    expect(second.front).toBe('other');
    s.answer(second.cardId, 4, T0, 500);
    expect(s.current(T0)).toBeNull();
    const tomorrow = days(T0, 1);
    const rev = col.session({ now: tomorrow }).current(tomorrow)!;
    expect([rev.ord, rev.front, rev.back]).toEqual(['rev', '정의', '용어']);
  });

  it('a note with a review card due does not introduce a new sibling that day', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'd.md', '---\nname: r\n---\nR: 용어\nA: 정의\n');
    col.sync([decks], T0);
    const s = col.session({ now: T0 });
    const fwd = s.current(T0)!;
    s.answer(fwd.cardId, 4, T0, 500); // Easy: a review card due in days; its reverse is still new
    const due = new Date(col.cardRow(fwd.cardId).due + 60_000);
    const later = col.session({ now: due });
    expect(later.counts(due)).toEqual({ new: 0, learning: 0, review: 1 });
    expect(later.current(due)!.cardId).toBe(fwd.cardId);
    later.answer(fwd.cardId, 3, due, 500);
    expect(later.counts(due)).toEqual({ new: 0, learning: 0, review: 0 }); // buried: the note was studied today
    const nextDay = days(due, 1);
    const rev = col.session({ now: nextDay });
    expect(rev.counts(nextDay)).toEqual({ new: 1, learning: 0, review: 0 });
    expect(rev.current(nextDay)!.ord).toBe('rev');
  });

  it('flags a card forgotten LEECH_LAPSES times as a leech', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'd.md', deckWith(1));
    col.sync([decks], T0);
    const c = col.session({ now: T0 }).current(T0)!;
    expect(c.leech).toBe(false);
    col.db.prepare('UPDATE cards SET lapses = ? WHERE id = ?').run(LEECH_LAPSES - 1, c.cardId);
    expect(col.cardView(c.cardId).leech).toBe(false);
    col.db.prepare('UPDATE cards SET lapses = ? WHERE id = ?').run(LEECH_LAPSES, c.cardId);
    expect(col.cardView(c.cardId)).toMatchObject({ leech: true, lapses: 8 });
  });

  it('renders cloze cards with the deletion hidden on the front and marked on the back', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'd.md', '---\nname: c\n---\nC: BN은 {{c1::배치}} 축, LN은 {{c2::feature::어느 축?}} 축.\nA: 추가 설명\n');
    col.sync([decks], T0);
    const c = col.session({ now: T0 }).current(T0)!;
    expect(c.front).toBe('BN은 **[…]** 축, LN은 feature 축.');
    expect(c.back).toBe('BN은 **[배치]** 축, LN은 feature 축.\n\n추가 설명');
  });

  it('summarises the session: reviewed, again-rate, time, due tomorrow', () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'd.md', deckWith(3));
    col.sync([decks], T0);
    const s = col.session({ now: T0 });
    s.answer(s.current(T0)!.cardId, 1, T0, 2000);
    s.answer(s.current(T0)!.cardId, 3, T0, 3000);
    s.answer(s.current(T0)!.cardId, 4, T0, 5000);
    const sum = s.summary(T0);
    expect(sum).toMatchObject({ reviewed: 3, again: 1, timeMs: 10000 });
    expect(sum.againRate).toBeCloseTo(1 / 3);
    expect(sum.dueTomorrow).toBe(0); // two learning cards due today, the Easy card due in 8 days
  });

  it("counts what tomorrow's study day asks for: reviews due by its end, learning cards due in it", () => {
    const { col, decks } = openTemp();
    writeDeck(decks, 'd.md', deckWith(3, 'maximum_interval: 1\nlearning_steps: [1m, 20h]\n'));
    col.sync([decks], T0);
    const s = col.session({ now: T0 });
    s.answer(s.current(T0)!.cardId, 4, T0, 1000); // Easy: review, 1 day (maximum interval)
    const second = s.current(T0)!;
    s.answer(second.cardId, 3, T0, 1000); // Good: next step 20h -> tomorrow 06:00
    expect(col.cardRow(second.cardId).due).toBe(T0.getTime() + 20 * 3_600_000);
    s.answer(s.current(T0)!.cardId, 1, T0, 1000); // Again: 1 minute, today
    expect(s.summary(T0).dueTomorrow).toBe(2);
  });

  it('the review log alone rebuilds every card by replaying it', () => {
    const { col, decks } = openTemp({ fuzz: true });
    writeDeck(decks, 'd.md', deckWith(6));
    col.sync([decks], T0);
    // A month of reviews with a deterministic mix of grades.
    let now = T0;
    let k = 0;
    for (let day = 0; day < 40; day++) {
      now = new Date(T0.getTime() + day * 86_400_000 + (k % 7) * 60_000);
      const s = col.session({ now });
      for (let guard = 0; guard < 50; guard++) {
        const c = s.current(now);
        if (!c) break;
        const grade = ([3, 1, 3, 4, 2, 3, 3][k++ % 7]) as 1 | 2 | 3 | 4;
        s.answer(c.cardId, grade, now, 1000);
        now = minutes(now, 11);
      }
    }
    expect((col.db.prepare('SELECT count(*) AS n FROM revlog').get() as { n: number }).n).toBeGreaterThan(30);
    const f = fsrs(generatorParameters({ enable_fuzz: true, enable_short_term: true, learning_steps: ['1m', '10m'], relearning_steps: ['10m'], request_retention: 0.9, maximum_interval: 36500 }));
    const cards = col.db.prepare('SELECT id FROM cards').all() as { id: number }[];
    for (const { id } of cards) {
      let card = createEmptyCard(new Date(T0));
      for (const r of col.db.prepare('SELECT reviewed_at, rating FROM revlog WHERE card_id = ? ORDER BY reviewed_at, id').all(id) as { reviewed_at: number; rating: number }[]) {
        card = f.next(card, new Date(r.reviewed_at), r.rating as FG).card;
      }
      const stored = rowToCard(col.cardRow(id));
      expect({ ...card, last_review: card.last_review ?? undefined }).toEqual({ ...stored, elapsed_days: card.elapsed_days });
    }
  });
});

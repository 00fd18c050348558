import { describe, expect, it } from 'vitest';
import type { Key } from 'ink';
import { appReducer, type AppState } from '../../src/ui/state/app.js';
import { deckRows, homeReducer, totals } from '../../src/ui/state/home.js';
import { answerDuration, initialReviewState, reviewReducer, type ReviewState, type Snapshot } from '../../src/ui/state/review.js';
import { BINDINGS, commandFor, footerItems } from '../../src/ui/keys.js';
import { footerLines } from '../../src/ui/components/Footer.js';
import { createTheme, noColorRequested, textStyle } from '../../src/ui/theme.js';
import { lineText, lineWidth } from '../../src/core/text/styled.js';
import { cardView, deck } from './fake.js';

const counts = { new: 2, learning: 0, review: 1 };
const c1 = cardView(1, { front: 'Q1', back: 'A1' });
const c2 = cardView(2, { front: 'Q2', back: 'A2' });
const snap = (card: typeof c1 | null, waitUntil: Date | null = null): Snapshot => ({ card, counts, waitUntil });
const previews = [1, 2, 3, 4].map((g) => ({ grade: g as 1, due: new Date(0), label: `${g}m` }));

function key(k: Partial<Key> = {}): Key {
  return {
    upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false,
    home: false, end: false, return: false, escape: false, ctrl: false, shift: false, tab: false,
    backspace: false, delete: false, meta: false, super: false, hyper: false, capsLock: false, numLock: false,
    ...k,
  };
}

describe('review reducer', () => {
  const start = (): ReviewState => reviewReducer(initialReviewState(), { type: 'NEXT', snapshot: snap(c1), at: 1000 });

  it('NEXT shows a card as a question and starts its timer', () => {
    const s = start();
    expect(s).toMatchObject({ phase: 'question', card: c1, shownAt: 1000, scroll: 0, counts });
  });

  it('SHOW_ANSWER reveals with the previews; only from the question', () => {
    const s = reviewReducer(start(), { type: 'SHOW_ANSWER', previews, scroll: 3 });
    expect(s).toMatchObject({ phase: 'answer', previews, scroll: 3 });
    expect(reviewReducer(s, { type: 'SHOW_ANSWER', previews: [] })).toBe(s);
  });

  it('GRADE counts the answer and shows the next card with a fresh timer', () => {
    const a = reviewReducer(start(), { type: 'SHOW_ANSWER', previews });
    const s = reviewReducer(a, { type: 'GRADE', snapshot: snap(c2), at: 5000 });
    expect(s).toMatchObject({ phase: 'question', card: c2, shownAt: 5000, answered: 1, previews: [] });
  });

  it('GRADE is ignored before the answer is shown', () => {
    const s = start();
    expect(reviewReducer(s, { type: 'GRADE', snapshot: snap(c2), at: 1 })).toBe(s);
  });

  it('GRADE of the same card again (learning step) restarts its timer', () => {
    const a = reviewReducer(start(), { type: 'SHOW_ANSWER', previews });
    const s = reviewReducer(a, { type: 'GRADE', snapshot: snap(c1), at: 9000 });
    expect(s).toMatchObject({ phase: 'question', card: c1, shownAt: 9000 });
  });

  it('goes to waiting when only later learning cards remain, and to empty when nothing does', () => {
    const a = reviewReducer(start(), { type: 'SHOW_ANSWER', previews });
    const until = new Date(60_000);
    const w = reviewReducer(a, { type: 'GRADE', snapshot: snap(null, until), at: 2 });
    expect(w).toMatchObject({ phase: 'waiting', waitUntil: until, card: null, answered: 1 });
    const back = reviewReducer(w, { type: 'NEXT', snapshot: snap(c1), at: 70_000 });
    expect(back).toMatchObject({ phase: 'question', card: c1, shownAt: 70_000 });
    const done = reviewReducer(w, { type: 'NEXT', snapshot: snap(null), at: 3 });
    expect(done.phase).toBe('empty');
  });

  it('a poll that returns the same question keeps its timer and scroll', () => {
    const s = { ...start(), scroll: 4 };
    expect(reviewReducer(s, { type: 'NEXT', snapshot: snap(c1), at: 99_999 })).toMatchObject({ shownAt: 1000, scroll: 4 });
  });

  it('UNDO brings the card back as a question with a notice', () => {
    const a = reviewReducer(start(), { type: 'SHOW_ANSWER', previews });
    const g = reviewReducer(a, { type: 'GRADE', snapshot: snap(c2), at: 5 });
    const u = reviewReducer(g, { type: 'UNDO', card: c1, counts, at: 6 });
    expect(u).toMatchObject({ phase: 'question', card: c1, shownAt: 6, answered: 0 });
    expect(u.notice?.text).toMatch(/undone/i);
    // the notice goes away once the answer is shown
    expect(reviewReducer(u, { type: 'SHOW_ANSWER', previews }).notice).toBeNull();
  });

  it('SCROLL stays within 0..max', () => {
    const s = start();
    expect(reviewReducer(s, { type: 'SCROLL', delta: 5, max: 3 }).scroll).toBe(3);
    expect(reviewReducer(s, { type: 'SCROLL', delta: -5, max: 3 })).toBe(s);
  });

  it('ERROR keeps the card and shows the message', () => {
    const s = reviewReducer(start(), { type: 'ERROR', message: 'disk full' });
    expect(s).toMatchObject({ phase: 'question', card: c1, notice: { kind: 'error', text: 'disk full' } });
  });

  it('caps the answer time at 60 s', () => {
    expect(answerDuration(1000, 4000)).toBe(3000);
    expect(answerDuration(0, 600_000)).toBe(60_000);
    expect(answerDuration(5000, 4000)).toBe(0);
  });
});

describe('app reducer', () => {
  const summary = { reviewed: 3, again: 1, againRate: 1 / 3, timeMs: 1000, dueTomorrow: 2 };
  const fromHome = { startedInReview: false };
  const fromReview = { startedInReview: true };
  const home: AppState = { screen: 'home' };

  it('home → review → summary → home keeps the selected deck', () => {
    const r = appReducer(home, { type: 'START_REVIEW', deckId: 4, title: 'D' }, fromHome);
    expect(r).toMatchObject({ screen: 'review', deckId: 4, run: 1 });
    const s = appReducer(r, { type: 'END_REVIEW', summary }, fromHome);
    expect(s).toMatchObject({ screen: 'summary', summary, title: 'D' });
    expect(appReducer(s, { type: 'HOME' }, fromHome)).toEqual({ screen: 'home', selectedDeckId: 4 });
  });

  it('a session with no answers skips the summary: home, or quit when started in review', () => {
    const r = appReducer(home, { type: 'START_REVIEW', title: 'All decks' }, fromHome);
    const empty = { ...summary, reviewed: 0 };
    expect(appReducer(r, { type: 'END_REVIEW', summary: empty }, fromHome).screen).toBe('home');
    expect(appReducer(r, { type: 'END_REVIEW', summary: empty }, fromReview).screen).toBe('exit');
  });

  it('QUIT exits from anywhere', () => {
    expect(appReducer(home, { type: 'QUIT' }, fromHome)).toEqual({ screen: 'exit' });
  });
});

describe('home state', () => {
  it('shows A::B indented under A, adding parent levels that are not decks', () => {
    const rows = deckRows([deck(2, 'ML::Basics', 1, 0, 0), deck(3, 'ML::Deep::CNN', 0, 0, 1), deck(1, 'Alpha', 0, 0, 0)]);
    expect(rows.map((r) => `${r.kind}:${'  '.repeat(r.depth)}${r.label}`)).toEqual([
      'deck:Alpha',
      'group:ML',
      'deck:  Basics',
      'group:  Deep',
      'deck:    CNN',
    ]);
  });

  it('moves the selection within the list', () => {
    let s = { selected: 0 };
    s = homeReducer(s, { type: 'MOVE', delta: -1, count: 3 });
    expect(s.selected).toBe(0);
    s = homeReducer(s, { type: 'MOVE', delta: 5, count: 3 });
    expect(s.selected).toBe(2);
  });

  it('adds up the totals', () => {
    expect(totals([deck(1, 'a', 1, 2, 3), deck(2, 'b', 10, 20, 30)])).toEqual({ newCount: 11, learningCount: 22, reviewCount: 33 });
  });
});

describe('key table and footer', () => {
  it('maps keys to commands per screen', () => {
    expect(commandFor('question', ' ', key())).toBe('reveal');
    expect(commandFor('question', '', key({ return: true }))).toBe('reveal');
    expect(commandFor('answer', '1', key())).toBe('grade1');
    expect(commandFor('answer', '4', key())).toBe('grade4');
    expect(commandFor('question', '1', key())).toBeUndefined();
    expect(commandFor('answer', 'u', key())).toBe('undo');
    expect(commandFor('answer', 'j', key())).toBe('scrollDown');
    expect(commandFor('answer', '', key({ pageDown: true }))).toBe('pageDown');
    expect(commandFor('answer', 'q', key())).toBe('endSession');
    expect(commandFor('answer', '', key({ escape: true }))).toBe('endSession');
    expect(commandFor('home', 'k', key())).toBe('up');
    expect(commandFor('home', '', key({ downArrow: true }))).toBe('down');
    expect(commandFor('home', 'a', key())).toBe('reviewAll');
    expect(commandFor('home', '', key({ return: true }))).toBe('openDeck');
    expect(commandFor('home', 'q', key())).toBe('quit');
    expect(commandFor('summary', 'x', key())).toBe('home');
    expect(commandFor('summary', 'q', key())).toBe('quit');
    expect(commandFor('summary', 'c', key({ ctrl: true }))).toBeUndefined();
    // typing an exercise answer: letters are text, Enter checks, Esc shows the solution;
    // u is 'undo' in the table, and the review screen types it when the input is not empty
    expect(commandFor('exercise', 'q', key())).toBe('type');
    expect(commandFor('exercise', 'u', key())).toBe('undo');
    expect(commandFor('exercise', '', key({ return: true }))).toBe('submit');
    expect(commandFor('exercise', '', key({ backspace: true }))).toBe('erase');
    expect(commandFor('exercise', '', key({ escape: true, meta: true }))).toBe('skip');
    expect(commandFor('exercise', 'j', key())).toBe('type');
    expect(commandFor('exercise', '', key({ downArrow: true }))).toBe('scrollDown');
    expect(commandFor('exerciseAnswer', '', key({ return: true }))).toBe('gradeSuggested');
    expect(commandFor('exerciseAnswer', ' ', key())).toBeUndefined();
  });

  it('no key means two things on one screen', () => {
    const contexts = ['home', 'question', 'answer', 'waiting', 'empty', 'summary', 'exercise', 'exerciseAnswer'] as const;
    for (const ctx of contexts) {
      const seen = new Map<string, string>();
      for (const b of BINDINGS.filter((x) => x.contexts.includes(ctx))) {
        for (const k of b.keys) {
          const id = k.input ?? k.key!;
          expect(seen.get(id) ?? b.command, `${ctx}: ${id}`).toBe(b.command);
          seen.set(id, b.command);
        }
      }
    }
  });

  it('the footer shows only what works on the screen now', () => {
    const labels = (ctx: Parameters<typeof footerItems>[0], st = {}) => footerItems(ctx, st).map((i) => `${i.label} ${i.help}`);
    expect(labels('question')).toEqual(['Space show answer', 'q end session']);
    expect(labels('question', { canUndo: true, scrollable: true })).toEqual([
      'Space show answer', 'u undo', '↑↓/jk scroll', 'PgUp/PgDn page', 'q end session',
    ]);
    expect(labels('answer', { canUndo: true })).toEqual(['s suspend', 'u undo', 'q end session']);
    expect(labels('home', { hasDecks: true })).toEqual(['↑↓/jk move', 'Enter review deck', 'a review all decks', 'q quit']);
    expect(labels('home', { hasDecks: false })).toEqual(['q quit']);
    expect(labels('summary')).toEqual(['any key home', 'q quit']);
    expect(labels('exercise', { canUndo: true })).toEqual(['Enter check', 'Esc show solution']);
    expect(labels('exercise', { canUndo: true, inputEmpty: true })).toEqual(['Enter check', 'Esc show solution', 'u undo']);
    expect(labels('exerciseAnswer', { canUndo: true, hasSuggestion: true })).toEqual(['Enter suggested grade', 's suspend', 'u undo', 'q end session']);
    expect(labels('exerciseAnswer', { canUndo: true })).toEqual(['s suspend', 'u undo', 'q end session']);
  });

  it('wraps the footer onto more lines when narrow', () => {
    const wide = footerLines('question', { canUndo: true, scrollable: true }, 100);
    expect(wide.length).toBe(1);
    const narrow = footerLines('question', { canUndo: true, scrollable: true }, 30);
    expect(narrow.length).toBeGreaterThan(1);
    for (const l of narrow) expect(lineWidth(l)).toBeLessThanOrEqual(30);
    expect(narrow.map(lineText).join(' ')).toContain('Space show answer');
  });
});

describe('theme', () => {
  it('maps tones to colours, and to none under NO_COLOR', () => {
    const colour = createTheme({ noColor: false });
    expect(colour.color('new')).toBe('blueBright');
    expect(colour.color('learning')).toBe('red');
    expect(colour.color('review')).toBe('green');
    const plain = createTheme({ noColor: true });
    for (const t of ['accent', 'muted', 'new', 'learning', 'review', 'again', 'hard', 'good', 'easy', 'error'] as const) {
      expect(plain.color(t)).toBeUndefined();
    }
    expect(textStyle(plain, { tone: 'muted' })).toEqual({ dimColor: true });
    expect(textStyle(plain, { tone: 'new', bold: true })).toEqual({ bold: true });
    expect(textStyle(colour, { tone: 'muted' })).toEqual({ color: 'gray' });
  });

  it('reads NO_COLOR as the spec says: set and not empty', () => {
    expect(noColorRequested({ NO_COLOR: '1' })).toBe(true);
    expect(noColorRequested({ NO_COLOR: '' })).toBe(false);
    expect(noColorRequested({})).toBe(false);
  });
});

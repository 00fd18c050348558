// A tiny in-memory stand-in for the core facade (Collection / ReviewSession), for component tests.
// Cards are shown in order; "Again" sends a card to a learning queue due 1 minute later.
import { CardState, type CardView, type DeckSummary, type ExerciseRecord, type Grade, type IntervalPreview, type SessionSummary } from '../../src/core/types.js';
import type { CollectionLike } from '../../src/ui/app.js';
import type { SessionLike } from '../../src/ui/screens/Review.js';

export interface FakeCard {
  front: string;
  back: string;
  deck?: string;
  state?: CardState;
}

export interface AnswerCall {
  cardId: number;
  grade: Grade;
  at: Date;
  durationMs: number;
  exercise?: ExerciseRecord;
}

export function cardView(id: number, c: FakeCard, deckId = 1): CardView {
  return {
    cardId: id,
    noteId: id,
    noteGuid: `n${id}`,
    deckId,
    deckName: c.deck ?? 'Test deck',
    kind: 'basic',
    ord: 'fwd',
    front: c.front,
    back: c.back,
    tags: [],
    file: '/decks/test.md',
    line: id * 3,
    state: c.state ?? CardState.New,
    due: new Date(0),
    reps: 0,
    lapses: 0,
  };
}

export class FakeSession implements SessionLike {
  queue: number[];
  learning: { id: number; due: number }[] = [];
  answers: AnswerCall[] = [];
  suspended: number[] = [];
  private log: { id: number; fromQueue: boolean; learningBefore: { id: number; due: number }[]; suspend?: boolean }[] = [];

  constructor(readonly cards: CardView[]) {
    this.queue = cards.map((c) => c.cardId);
  }

  private byId(id: number): CardView {
    return this.cards.find((c) => c.cardId === id)!;
  }

  current(now: Date): CardView | null {
    const due = this.learning.filter((l) => l.due <= now.getTime()).sort((a, b) => a.due - b.due)[0];
    if (due) return this.byId(due.id);
    if (this.queue.length) return this.byId(this.queue[0]);
    return null;
  }

  next(now: Date) {
    return { card: this.current(now), counts: this.counts(), waitUntil: this.nextLearningDue(now) };
  }

  counts(): { new: number; learning: number; review: number } {
    return { new: this.queue.length, learning: this.learning.length, review: 0 };
  }

  preview(): IntervalPreview[] {
    const labels = ['1m', '6m', '10m', '5d'];
    return ([1, 2, 3, 4] as Grade[]).map((g) => ({ grade: g, due: new Date(0), label: labels[g - 1] }));
  }

  answer(cardId: number, grade: Grade, now: Date, durationMs: number, exercise?: ExerciseRecord): void {
    this.answers.push(exercise ? { cardId, grade, at: now, durationMs, exercise } : { cardId, grade, at: now, durationMs });
    const learningBefore = this.learning.map((l) => ({ ...l }));
    const fromQueue = this.queue[0] === cardId;
    if (fromQueue) this.queue.shift();
    this.learning = this.learning.filter((l) => l.id !== cardId);
    if (grade === 1) this.learning.push({ id: cardId, due: now.getTime() + 60_000 });
    this.log.push({ id: cardId, fromQueue, learningBefore });
  }

  suspend(cardId: number): void {
    const learningBefore = this.learning.map((l) => ({ ...l }));
    const fromQueue = this.queue[0] === cardId;
    this.queue = this.queue.filter((id) => id !== cardId);
    this.learning = this.learning.filter((l) => l.id !== cardId);
    this.suspended.push(cardId);
    this.log.push({ id: cardId, fromQueue, learningBefore, suspend: true });
  }

  canUndo(): boolean {
    return this.log.length > 0;
  }

  undo(): CardView | null {
    const last = this.log.pop();
    if (!last) return null;
    if (last.suspend) this.suspended.pop();
    else this.answers.pop();
    if (last.fromQueue) this.queue.unshift(last.id);
    this.learning = last.learningBefore;
    return this.byId(last.id);
  }

  nextLearningDue(now: Date): Date | null {
    if (this.current(now)) return null;
    const next = this.learning.map((l) => l.due).sort((a, b) => a - b)[0];
    return next === undefined ? null : new Date(next);
  }

  summary(): SessionSummary {
    const reviewed = this.answers.length;
    const again = this.answers.filter((a) => a.grade === 1).length;
    const timeMs = this.answers.reduce((s, a) => s + a.durationMs, 0);
    return { reviewed, again, againRate: reviewed ? again / reviewed : 0, timeMs, dueTomorrow: 7 };
  }
}

export class FakeCollection implements CollectionLike {
  sessions: { deckId?: number; session: FakeSession }[] = [];
  constructor(
    readonly deckList: DeckSummary[],
    readonly cardsFor: (deckId?: number) => CardView[],
  ) {}

  decks(): DeckSummary[] {
    return this.deckList;
  }

  // The UI only uses the session methods above; the cast keeps the fake small.
  session(opts: { deckId?: number; now: Date }): never {
    const session = new FakeSession(this.cardsFor(opts.deckId));
    this.sessions.push({ deckId: opts.deckId, session });
    return session as never;
  }
}

export function deck(id: number, name: string, n: number, l: number, r: number, description?: string): DeckSummary {
  return { id, name, description, newCount: n, learningCount: l, reviewCount: r, total: n + l + r, suspended: 0, retired: 0 };
}

/** A clock the test moves by hand. */
export function manualClock(start = new Date(2026, 2, 2, 10, 0, 0)) {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance: (ms: number) => {
      t += ms;
    },
  };
}

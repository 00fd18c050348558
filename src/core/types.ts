// Shared plain-data types of the core. No Ink, no React, no SQL here.

/** A place in a deck file. Lines are 1-based. */
export interface SourceLoc {
  file: string;
  line: number;
}

/** A problem found in a deck file, with where it is and how to fix it. */
export interface DeckIssue extends SourceLoc {
  severity: 'error' | 'warning';
  message: string;
  hint?: string;
}

export type NoteKind = 'basic' | 'reversible' | 'cloze' | 'exercise';

/** Deck options from front matter, all resolved to values. */
export interface DeckConfig {
  retention: number;
  newPerDay: number;
  reviewsPerDay: number;
  learningSteps: string[];
  relearningSteps: string[];
  maximumInterval: number;
}

export const DEFAULT_DECK_CONFIG: DeckConfig = {
  retention: 0.9,
  newPerDay: 20,
  reviewsPerDay: 200,
  learningSteps: ['1m', '10m'],
  relearningSteps: ['10m'],
  maximumInterval: 36500,
};

/**
 * A note as parsed from Markdown (or produced by an importer).
 * `front`/`back` are Markdown. For cloze notes `front` is the text with {{cN::…}} and `back` the
 * optional extra. For exercises `front` is the YAML body of the fenced block and `back` is empty.
 */
export interface NoteDraft {
  kind: NoteKind;
  front: string;
  back: string;
  tags: string[];
  explicitId?: string;
  /** Card position keys this note makes: 'fwd', 'rev', 'c1', 'c2', …, 'ex'. */
  ords: string[];
  loc: SourceLoc;
}

export interface DeckFileDraft {
  /** Path as given to the parser (relative to the deck root when syncing). */
  file: string;
  deckName: string;
  description?: string;
  source?: string;
  tags: string[];
  /** Only the options this file sets explicitly. */
  config: Partial<DeckConfig>;
  notes: NoteDraft[];
}

export interface ParseResult {
  deck?: DeckFileDraft;
  issues: DeckIssue[];
}

/** FSRS states as stored (same numbers as ts-fsrs State). */
export const enum CardState {
  New = 0,
  Learning = 1,
  Review = 2,
  Relearning = 3,
}

export type Grade = 1 | 2 | 3 | 4;
export const GRADE_NAMES: Record<Grade, string> = { 1: 'Again', 2: 'Hard', 3: 'Good', 4: 'Easy' };

/** A card ready to show: what the review screen needs. */
export interface CardView {
  cardId: number;
  noteId: number;
  noteGuid: string;
  deckId: number;
  deckName: string;
  kind: NoteKind;
  ord: string;
  /** Markdown of the question side (cloze deletions already hidden). */
  front: string;
  /** Markdown of the answer side (for cloze: the full text with the deletion marked). */
  back: string;
  tags: string[];
  file: string;
  line: number;
  state: CardState;
  due: Date;
  reps: number;
  lapses: number;
  /** Forgotten so often (LEECH_LAPSES, as Anki) that reviewing it again is unlikely to help: rewrite or suspend it. */
  leech?: boolean;
  /** For exercises: the YAML body, drawn by the exercise engine at review time. */
  exerciseSource?: string;
}

export interface DeckSummary {
  id: number;
  name: string;
  description?: string;
  /** Counts for today, after daily limits and burying. */
  newCount: number;
  learningCount: number;
  reviewCount: number;
  total: number;
  suspended: number;
  retired: number;
}

export interface IntervalPreview {
  grade: Grade;
  due: Date;
  /** Human interval like "1m", "10m", "5d", "3mo", "1.2y". */
  label: string;
}

/** What an exercise asked and got, stored with the review. */
export interface ExerciseRecord {
  seed: number;
  given: string | null;
  expected: string;
  correct: boolean | null;
}

export interface SyncReport {
  added: number;
  updated: number;
  unchanged: number;
  retired: number;
  restored: number;
  filesScanned: number;
  filesSkipped: number;
  filesFailed: number;
  decks: string[];
  issues: DeckIssue[];
}

export interface SessionSummary {
  reviewed: number;
  again: number;
  againRate: number;
  timeMs: number;
  dueTomorrow: number;
  /** The whole study day so far (same queries as the statistics screen), for the session's decks. */
  today?: { reviews: number; timeMs: number; againRate: number | null; newCards: number };
}

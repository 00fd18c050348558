// What every foreign-format reader produces: decks of note drafts (Markdown text, like the deck
// parser's), media to copy, and optionally scheduling to carry over after the sync.
import type { DB } from '../db.js';

export type DraftKind = 'basic' | 'reversible' | 'cloze';

/** A schedule carried over without review history (Obsidian's `<!--SR:…-->`, Anki cards without a review log). */
export interface ScheduleSeed {
  /** Due date, epoch ms. */
  due: number;
  /** Interval in days. */
  interval: number;
  /** SM-2 ease as a factor (2.5 = 250 %). */
  ease: number;
}

export interface DraftNote {
  kind: DraftKind;
  /** Markdown. For cloze: the text with {{cN::…}}. */
  front: string;
  /** Markdown. For cloze: the optional extra shown on the back. */
  back: string;
  tags: string[];
  /** Explicit id (docs/deck-format.md): stable identity across re-imports. */
  id?: string;
  /** Where the note came from, for messages ("line 12", "note 1574759227241"). */
  source?: string;
  /** Per card (by position key fwd/rev/cN): the foreign card it came from, or a schedule seed. */
  cards?: Record<string, { foreign?: number; seed?: ScheduleSeed }>;
}

export interface DraftDeck {
  name: string;
  description?: string;
  source?: string;
  notes: DraftNote[];
}

export interface MediaItem {
  /** File name inside the media folder (already made safe). */
  name: string;
  read(): Uint8Array;
}

/** One of our cards, as the history replay needs it. */
export interface TargetCard {
  cardId: number;
  /** The deck's config JSON (FSRS parameters). */
  config: string;
  state: number;
  reps: number;
  /** Whether the card has review-log rows already (imported or its own). */
  hasLog: boolean;
}

/** What to do with the collection once the deck files are synced (inside the same transaction). */
export interface AfterSync {
  /**
   * `cards` maps each foreign card id to our card id (and the deck config it schedules with).
   * Returns the number of review-log rows written.
   */
  applyHistory?(db: DB, cards: Map<number, TargetCard>, ctx: { now: Date; dayStartHour: number; progress: (done: number, total: number) => void }): { reviews: number; scheduled: number };
}

export interface ImportSource extends AfterSync {
  format: string;
  /** Folder name under the target deck folder (from the source file's name). */
  folder: string;
  /** Human description, written to the files' front matter as `source:` and a header comment. */
  label: string;
  decks: DraftDeck[];
  media: MediaItem[];
  skips: Skips;
  close(): void;
}

/** Skipped items by reason, with a few examples of where. */
export class Skips {
  private readonly map = new Map<string, { count: number; where: string[] }>();

  add(reason: string, where?: string, n = 1): void {
    let e = this.map.get(reason);
    if (!e) this.map.set(reason, (e = { count: 0, where: [] }));
    e.count += n;
    if (where && e.where.length < 8) e.where.push(where);
  }

  list(): { reason: string; count: number }[] {
    return [...this.map].map(([reason, e]) => ({
      reason: e.where.length ? `${reason} (${e.where.join(', ')}${e.count > e.where.length ? ', …' : ''})` : reason,
      count: e.count,
    }));
  }

  get total(): number {
    let n = 0;
    for (const e of this.map.values()) n += e.count;
    return n;
  }
}

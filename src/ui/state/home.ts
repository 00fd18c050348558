// Home screen: the deck list as a tree (`A::B` shown indented under `A`) and the selection.
import type { DeckSummary } from '../../core/types.js';

export interface DeckRow {
  /** A deck of the collection, or a parent level that is no deck itself (not selectable). */
  kind: 'deck' | 'group';
  /** The last level of the name, shown indented. */
  label: string;
  fullName: string;
  depth: number;
  deck?: DeckSummary;
}

export function deckRows(decks: DeckSummary[]): DeckRow[] {
  const sorted = [...decks].sort((a, b) => a.name.localeCompare(b.name));
  const rows: DeckRow[] = [];
  const seen = new Set<string>();
  for (const d of sorted) {
    const parts = d.name.split('::').map((p) => p.trim());
    for (let i = 0; i < parts.length - 1; i++) {
      const prefix = parts.slice(0, i + 1).join('::');
      if (!seen.has(prefix) && !sorted.some((x) => x.name === prefix)) {
        rows.push({ kind: 'group', label: parts[i], fullName: prefix, depth: i });
      }
      seen.add(prefix);
    }
    seen.add(d.name);
    rows.push({ kind: 'deck', label: parts[parts.length - 1], fullName: d.name, depth: parts.length - 1, deck: d });
  }
  return rows;
}

export interface Totals {
  newCount: number;
  learningCount: number;
  reviewCount: number;
}

export function totals(decks: DeckSummary[]): Totals {
  return decks.reduce(
    (t, d) => ({
      newCount: t.newCount + d.newCount,
      learningCount: t.learningCount + d.learningCount,
      reviewCount: t.reviewCount + d.reviewCount,
    }),
    { newCount: 0, learningCount: 0, reviewCount: 0 },
  );
}

export interface HomeState {
  /** Index into the selectable (deck) rows. */
  selected: number;
}

export type HomeAction = { type: 'MOVE'; delta: number; count: number } | { type: 'SELECT'; index: number; count: number };

export function homeReducer(state: HomeState, action: HomeAction): HomeState {
  const clamp = (i: number) => Math.max(0, Math.min(action.count - 1, i));
  switch (action.type) {
    case 'MOVE':
      return action.count === 0 ? state : { selected: clamp(state.selected + action.delta) };
    case 'SELECT':
      return { selected: clamp(action.index) };
  }
}

// `srs check`: validate deck files without touching the collection.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseDeck } from './deck.js';
import { parseExercise, validateExercise } from './exercise/index.js';
import { listDeckFiles } from './sync.js';
import type { DeckConfig, DeckIssue } from './types.js';

export interface CheckResult {
  files: number;
  notes: number;
  cards: number;
  errors: number;
  warnings: number;
  issues: DeckIssue[];
}

export interface CheckOptions {
  /** Random draws per exercise. */
  seeds: number;
}

export function formatIssue(i: DeckIssue): string {
  return `${i.file}${i.line ? `:${i.line}` : ''}: ${i.severity}: ${i.message}${i.hint ? `\n  hint: ${i.hint}` : ''}`;
}

export function checkPaths(paths: string[], opts: CheckOptions): CheckResult {
  const result: CheckResult = { files: 0, notes: 0, cards: 0, errors: 0, warnings: 0, issues: [] };
  const ids = new Map<string, string>();
  const deckConfigs = new Map<string, { file: string; config: Partial<DeckConfig> }>();
  for (const p of paths) {
    let listing: { base: string; files: string[] };
    try {
      statSync(p);
      listing = listDeckFiles(p);
    } catch {
      result.issues.push({ file: p, line: 0, severity: 'error', message: 'no such file or folder', hint: 'give a deck file (.md) or a folder of decks' });
      continue;
    }
    for (const rel of listing.files) {
      const abs = join(listing.base, rel);
      result.files++;
      const parsed = parseDeck(readFileSync(abs, 'utf8'), abs, rel);
      result.issues.push(...parsed.issues);
      const deck = parsed.deck;
      if (!deck) continue;
      const prev = deckConfigs.get(deck.deckName);
      if (!prev) deckConfigs.set(deck.deckName, { file: abs, config: deck.config });
      else {
        for (const [k, v] of Object.entries(deck.config)) {
          const pv = (prev.config as Record<string, unknown>)[k];
          if (pv !== undefined && JSON.stringify(pv) !== JSON.stringify(v)) {
            result.issues.push({ file: abs, line: 1, severity: 'warning', message: `deck "${deck.deckName}" option ${k} differs from ${prev.file}; the first file wins` });
          }
        }
      }
      for (const n of deck.notes) {
        result.notes++;
        result.cards += n.ords.length;
        if (n.explicitId) {
          const at = `${n.loc.file}:${n.loc.line}`;
          const first = ids.get(n.explicitId);
          if (first) result.issues.push({ ...n.loc, severity: 'error', message: `id "${n.explicitId}" is also used at ${first}`, hint: 'ids must be unique in the collection' });
          else ids.set(n.explicitId, at);
        }
        if (n.kind === 'exercise') {
          // The parser already reported structural problems; draw it with many seeds.
          const { spec } = parseExercise(n.front, n.loc);
          if (spec) result.issues.push(...validateExercise(spec, n.loc, opts.seeds));
        }
      }
    }
  }
  result.errors = result.issues.filter((i) => i.severity === 'error').length;
  result.warnings = result.issues.length - result.errors;
  return result;
}

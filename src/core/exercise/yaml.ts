// YAML loading (js-yaml 4, safe core schema) and finding the line of a key for error messages.

import yaml from 'js-yaml';

export interface YamlLoadResult {
  value?: unknown;
  error?: { message: string; /** 0-based line in the body */ line?: number };
}

/**
 * Parse YAML with the core schema only (strings, numbers, booleans, null, lists, maps): no custom
 * tags, no dates, no code. Duplicate keys are errors. The schema is given explicitly, so this is safe
 * with js-yaml 4 (and would be with 3, whose plain `load` allowed !!js/function).
 */
export function loadYaml(src: string): YamlLoadResult {
  try {
    return { value: yaml.load(src, { schema: yaml.CORE_SCHEMA, json: false }) };
  } catch (e) {
    const err = e as { reason?: string; message?: string; mark?: { line?: number } };
    return {
      error: {
        message: err.reason ?? String(err.message ?? e).split('\n')[0]!,
        line: typeof err.mark?.line === 'number' ? err.mark.line : undefined,
      },
    };
  }
}

const indentOf = (s: string): number => s.length - s.trimStart().length;
const isBlank = (s: string): boolean => s.trim() === '' || s.trimStart().startsWith('#');
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Maps keys of a YAML body to 1-based file lines (best effort; falls back to the parent's line). */
export class LineMap {
  private readonly lines: string[];
  constructor(
    body: string,
    /** File line of the opening fence; body line 0 is the next line. */
    private readonly fenceLine: number,
  ) {
    this.lines = body.split(/\r?\n/);
  }

  /** File line of body line index i. */
  fileLine(i: number): number {
    return this.fenceLine + 1 + i;
  }

  /** Body index of a top-level key, or -1. */
  topIndex(key: string): number {
    const re = new RegExp(`^${escapeRe(key)}\\s*:`);
    let minIndent = Infinity;
    for (const l of this.lines) if (!isBlank(l)) minIndent = Math.min(minIndent, indentOf(l));
    return this.lines.findIndex((l) => !isBlank(l) && indentOf(l) === minIndent && re.test(l.trimStart()));
  }

  /** The line range [start+1, end) of the block under the key at index start. */
  private blockEnd(start: number): number {
    const base = indentOf(this.lines[start]!);
    let i = start + 1;
    for (; i < this.lines.length; i++) {
      const l = this.lines[i]!;
      if (isBlank(l)) continue;
      if (indentOf(l) <= base && !(l.trimStart().startsWith('- ') && indentOf(l) === base)) break;
    }
    return i;
  }

  /** Body index of `key:` inside the block that starts at index parent, or -1. */
  childIndex(parent: number, key: string): number {
    if (parent < 0) return -1;
    const re = new RegExp(`^(-\\s+)?${escapeRe(key)}\\s*:`);
    const end = this.blockEnd(parent);
    for (let i = parent + 1; i < end; i++) if (re.test(this.lines[i]!.trimStart())) return i;
    return -1;
  }

  /** Body index of the k-th (0-based) list item `- …` inside the block at index parent, or -1. */
  itemIndex(parent: number, k: number): number {
    if (parent < 0) return -1;
    const end = this.blockEnd(parent);
    let itemIndent = -1;
    let n = 0;
    for (let i = parent + 1; i < end; i++) {
      const l = this.lines[i]!;
      if (isBlank(l) || !/^-(\s|$)/.test(l.trimStart())) continue;
      if (itemIndent < 0) itemIndent = indentOf(l);
      if (indentOf(l) !== itemIndent) continue;
      if (n++ === k) return i;
    }
    return -1;
  }

  /** Body index of the first line at or after `from` that contains `text`, or -1. */
  findText(text: string, from: number): number {
    const needle = text.split('\n')[0]!;
    if (!needle) return -1;
    for (let i = Math.max(0, from); i < this.lines.length; i++) if (this.lines[i]!.includes(needle)) return i;
    return -1;
  }

  /** Body index of a path of keys (numbers = list items); the deepest one found, or -1. */
  indexOf(...path: (string | number)[]): number {
    let idx = -1;
    for (let p = 0; p < path.length; p++) {
      const seg = path[p]!;
      const next =
        p === 0 ? this.topIndex(String(seg)) : typeof seg === 'number' ? this.itemIndex(idx, seg) : this.childIndex(idx, seg);
      if (next < 0) return idx;
      idx = next;
    }
    return idx;
  }

  /** File line for a path of keys; the deepest key found wins, else the fence line. */
  line(...path: (string | number)[]): number {
    const i = this.indexOf(...path);
    return i < 0 ? this.fenceLine : this.fileLine(i);
  }

  /** File line of the first line holding `text` at or below the key at `path` (for a {{…}} in a prompt). */
  lineOfText(text: string, ...path: (string | number)[]): number {
    const start = this.indexOf(...path);
    if (start < 0) return this.fenceLine;
    const i = this.findText(text, start);
    return this.fileLine(i >= 0 ? i : start);
  }
}

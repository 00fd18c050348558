// Media file names: a name from a package never becomes a path outside the media folder.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, isAbsolute, join, resolve as resolvePath, sep } from 'node:path';
import type { MediaItem, Skips } from './model.js';

/**
 * A safe file name for a media file, or null when the name tries to leave the folder
 * (`../x`, `/etc/x`, `C:\x`, `a/b`). Characters that some file systems refuse become `_`;
 * a name ending in .md gets a trailing `_` so the deck sync never reads it as a deck.
 */
export function safeMediaName(name: string): string | null {
  if (!name || name.includes('\0')) return null;
  if (name.includes('/') || name.includes('\\') || isAbsolute(name) || /^[a-zA-Z]:/.test(name)) return null;
  let s = name.normalize('NFC').trim();
  if (s === '.' || s === '..' || !s) return null;
  // eslint-disable-next-line no-control-regex
  s = s.replace(/[\u0000-\u001f\u007f<>:"|?*]/g, '_');
  if (s.startsWith('.')) s = `_${s.slice(1)}`;
  if (/\.(md|markdown)$/i.test(s)) s += '_';
  if (Buffer.byteLength(s) > 180) {
    const ext = extname(s).slice(0, 16).replace(/[^A-Za-z0-9.]/g, '');
    s = `${createHash('sha1').update(name).digest('hex').slice(0, 20)}${ext}`;
  }
  return s;
}

/** `name`, or `name-2.ext`, `name-3.ext`… when taken (case-insensitively, for case-insensitive file systems). */
export function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) candidate = `${stem}-${i}${ext}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** Media files copied from a folder of Markdown notes (Obsidian vault, hashcards deck). */
export class MediaCollector {
  readonly items: MediaItem[] = [];
  private readonly byPath = new Map<string, string>();
  private readonly taken = new Set<string>();
  private index: Map<string, string> | null = null;
  readonly missing = new Set<string>();

  constructor(private readonly root: string, private readonly skips: Skips) {}

  /** Find a file by bare name anywhere below the root (Obsidian's `![[name]]`). */
  private byName(name: string): string | undefined {
    if (!this.index) {
      this.index = new Map();
      let budget = 50_000;
      const walk = (dir: string) => {
        let entries;
        try { entries = readdirSync(dir, { withFileTypes: true }); } catch { return; }
        for (const e of entries) {
          if (budget-- <= 0) return;
          if (e.name.startsWith('.') || e.name === 'node_modules') continue;
          const p = join(dir, e.name);
          if (e.isDirectory()) walk(p);
          else if (e.isFile() && !this.index!.has(e.name.toLowerCase())) this.index!.set(e.name.toLowerCase(), p);
        }
      };
      walk(this.root);
    }
    return this.index.get(name.toLowerCase());
  }

  /** The link (`media/name`) for a reference made from a note in `fromDir`; copies the file when found. */
  link(ref: string, fromDir: string): string {
    let decoded = ref.trim();
    try { decoded = decodeURIComponent(decoded); } catch { /* keep */ }
    if (/^(https?:)?\/\//i.test(decoded) || /^data:/i.test(decoded)) return decoded;
    const candidates = [isAbsolute(decoded) ? '' : resolvePath(fromDir, decoded), isAbsolute(decoded) ? '' : resolvePath(this.root, decoded)].filter(Boolean);
    let found = candidates.find((p) => p.startsWith(this.root + sep) && existsSync(p) && statSync(p).isFile());
    if (!found && !decoded.includes('/')) found = this.byName(decoded);
    const key = found ?? `missing:${decoded}`;
    const known = this.byPath.get(key);
    if (known) return `media/${known}`;
    const safe = safeMediaName(basename(decoded)) ?? 'file';
    const name = uniqueName(safe, this.taken);
    this.byPath.set(key, name);
    if (found) {
      const p = found;
      this.items.push({ name, read: () => readFileSync(p) });
    } else {
      this.missing.add(decoded);
    }
    return `media/${name}`;
  }

  finish(): void {
    if (this.missing.size) this.skips.add('media file not found (link kept)', [...this.missing].slice(0, 3).join(', '), this.missing.size);
  }
}

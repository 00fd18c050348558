// Reading text sources (CSV, Markdown) safely: size-limited, binary files refused with a clear message.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { UserError } from '../errors.js';

export const TEXT_LIMIT = 256 * 1024 * 1024;

export function readText(path: string, what: string): string {
  const file = basename(path);
  const size = statSync(path).size;
  if (size > TEXT_LIMIT) {
    throw new UserError(`${file}: ${Math.round(size / 1024 / 1024)} MiB is too large to import as ${what} (limit ${TEXT_LIMIT / 1024 / 1024} MiB)`,
      'split the file into smaller ones');
  }
  const buf = readFileSync(path);
  const head = buf.subarray(0, 8192);
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    throw new UserError(`${file}: this is a zip archive, not ${what}`, 'an Anki package must end in .apkg or .colpkg');
  }
  if (head.subarray(0, 15).toString('latin1') === 'SQLite format 3') {
    throw new UserError(`${file}: this is an SQLite database, not ${what}`, 'an Anki collection must end in .anki2 or .anki21');
  }
  if (head.includes(0)) throw new UserError(`${file}: this is a binary file, not ${what}`, 'check the file; nothing was imported');
  let text = buf.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text.replace(/\r\n?/g, '\n');
}

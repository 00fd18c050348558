// The plain commands, run as a user runs them: the built program in a child process, no terminal.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir, writeDeck } from '../helpers/tmp.js';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/srs.js');

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/cli.js'))) spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'inherit' });
});

function srs(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, SRS_FUZZ: '0', ...env }, input: '' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const deck = '---\nname: 테스트\n---\nQ: 질문 하나\nA: 답 하나\n\nR: 용어\nA: 정의\n';

describe('srs (plain commands)', () => {
  it('decks --json syncs the given deck folder and reports today\'s counts', () => {
    const dir = tempDir();
    writeDeck(join(dir, 'decks'), 'a.md', deck);
    const r = srs(['--data', join(dir, 'data'), '--decks', join(dir, 'decks'), 'decks', '--json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out);
    expect(json.decks).toEqual([expect.objectContaining({ name: '테스트', newCount: 2, learningCount: 0, reviewCount: 0, total: 3 })]);
    expect(json.sync).toMatchObject({ added: 3 });
    // The collection remembers the folder: a second run without --decks syncs it again (nothing new).
    const again = JSON.parse(srs(['--data', join(dir, 'data'), 'decks', '--json']).out);
    expect(again.sync).toMatchObject({ added: 0, unchanged: 3 });
  });

  it('SRS_DATA points at another collection folder', () => {
    const dir = tempDir();
    writeDeck(join(dir, 'decks'), 'a.md', deck);
    const r = srs(['decks'], { SRS_DATA: join(dir, 'elsewhere'), SRS_DECKS: join(dir, 'decks') });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/테스트\s+2\s+0\s+0\s+3/);
    expect(existsSync(join(dir, 'elsewhere', 'collection.db'))).toBe(true);
  });

  it('import --dry-run writes nothing; import adds; re-import keeps everything', () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    const file = writeDeck(join(dir, 'mine'), 'a.md', deck);
    const other = join(dir, 'decks');
    writeDeck(other, 'b.md', '---\nname: other\n---\nQ: x\nA: y\n');
    const g = ['--data', data, '--decks', other];
    const dry = srs([...g, 'import', file, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.out).toContain('(dry run, nothing written) synced 1 file(s): 3 added');
    const db0 = new Database(join(data, 'collection.db'), { readonly: true });
    expect(db0.prepare('SELECT count(*) AS n FROM cards').get()).toEqual({ n: 0 });
    db0.close();
    expect(srs([...g, 'import', file]).out).toContain('3 added, 0 updated, 0 unchanged, 0 retired');
    const again = JSON.parse(srs([...g, 'import', file, '--json']).out);
    expect(again).toMatchObject({ dryRun: false, format: 'markdown', notes: 2, cards: 3, sync: { added: 0, unchanged: 3, retired: 0 } });
    // Importing a file that lies inside a synced deck folder never counts its cards twice.
    srs([...g, 'import', join(other, 'b.md')]);
    const db = new Database(join(data, 'collection.db'), { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM cards').get()).toEqual({ n: 4 });
    db.close();
  });

  it('import of a deck with an error reports file:line and exits non-zero, keeping the rest', () => {
    const dir = tempDir();
    writeDeck(join(dir, 'decks'), 'good.md', deck);
    writeDeck(join(dir, 'decks'), 'bad.md', '---\nname: bad\n---\nQ: 답 없음\n');
    writeDeck(join(dir, 'other'), 'o.md', '---\nname: other\n---\nQ: x\nA: y\n');
    const r = srs(['--data', join(dir, 'data'), '--decks', join(dir, 'other'), 'import', join(dir, 'decks')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${join(dir, 'decks', 'bad.md')}:4: error: Q: card has no answer`);
    expect(r.err).toContain('hint: add a line starting with "A:"');
    expect(r.out).toContain('3 added');
    expect(r.out).toContain('1 file(s) skipped because of errors');
  });

  it('check validates without touching any collection and exits 1 on errors', () => {
    const dir = tempDir();
    writeDeck(join(dir, 'decks'), 'a.md', deck);
    const ok = srs(['--data', join(dir, 'data'), 'check', join(dir, 'decks')]);
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('1 file(s), 2 note(s), 3 card(s): 0 error(s), 0 warning(s)');
    expect(existsSync(join(dir, 'data'))).toBe(false);
    writeDeck(join(dir, 'decks'), 'b.md', 'A: orphan\n');
    const bad = srs(['check', join(dir, 'decks')]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`${join(dir, 'decks', 'b.md')}:1: error: "A:" without a question before it`);
  });

  it('the bundled decks pass check', () => {
    const r = srs(['check', join(ROOT, 'decks'), '--seeds', '10']);
    expect(r.out).toMatch(/0 error\(s\)/);
    expect(r.code).toBe(0);
  });

  it('interactive commands refuse clearly without a terminal', () => {
    const dir = tempDir();
    for (const args of [['review'], []]) {
      const r = srs(['--data', join(dir, 'data'), ...args]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/is interactive and needs a terminal, but stdout\/stdin is not a TTY/);
      expect(r.out).toBe('');
    }
  });

  it('refuses a collection written by a newer version, with a clear message', () => {
    const dir = tempDir();
    const db = new Database(join(dir, 'collection.db'));
    db.pragma('user_version = 999');
    db.close();
    const r = srs(['--data', dir, 'decks']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/newer version of srs \(schema 999/);
  });

  it('stats --json prints the figures; without a terminal stats prints a plain summary', () => {
    const dir = tempDir();
    writeDeck(join(dir, 'decks'), 'a.md', deck);
    const g = ['--data', join(dir, 'data'), '--decks', join(dir, 'decks')];
    const json = JSON.parse(srs([...g, 'stats', '--json', '--days', '7']).out);
    expect(json).toMatchObject({ days: 7, dayStartHour: 4, today: { reviews: 0 }, counts: expect.objectContaining({ new: 3 }) });
    expect(json.forecast.days).toHaveLength(7);
    const text = srs([...g, 'stats', '테스트']);
    expect(text.code).toBe(0);
    expect(text.out).toContain('Statistics · 테스트');
    expect(text.out).toContain('Forecast, next 30 days');
    expect(srs([...g, 'stats', 'nope']).err).toContain('no deck named "nope"');
    expect(srs([...g, 'stats', '--days', '0']).code).toBe(2);
  });

  it('every command has --help', () => {
    for (const c of ['review', 'decks', 'import', 'check', 'sync', 'roots', 'unsuspend', 'stats']) {
      const r = srs([c, '--help']);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`Usage: srs ${c}`);
    }
  });
});

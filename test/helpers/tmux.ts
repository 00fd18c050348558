// Shared by the end-to-end tests: drive the built program (node bin/srs.js) in a real
// pseudo-terminal with tmux, and read what it draws with `tmux capture-pane`.
// Every wait polls the screen until it shows what is expected (with a timeout), never a bare sleep.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { tempDir } from './tmp.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const hasTmux = spawnSync('tmux', ['-V'], { encoding: 'utf8' }).status === 0;

/** Generous: the machine running the tests may be loaded. */
export const WAIT_MS = 20_000;

/** Build dist/ once if it is not there (`npm test` builds before running vitest). */
export function ensureBuilt(): void {
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
  }
}

/** Quote words for the shell that tmux runs the session's command with. */
export function shellQuote(args: readonly string[]): string {
  return args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
}

/**
 * The shell command that runs the program with `args`. Ink draws only the final frame when it
 * thinks it runs in CI: the program must not see CI. Fuzz is off so intervals are predictable.
 */
export function srsCommand(args: readonly string[], env: Record<string, string> = {}): string {
  return shellQuote([
    'env', '-u', 'CI', '-u', 'CONTINUOUS_INTEGRATION', 'SRS_FUZZ=0',
    ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
    process.execPath, join(ROOT, 'bin', 'srs.js'), ...args,
  ]);
}

export const shows = (text: string | RegExp) => (s: string) => (typeof text === 'string' ? s.includes(text) : text.test(s));

/** One tmux server (its own socket) for one test file. */
export function tmuxServer(name: string) {
  const socket = `srs-e2e-${name}-${process.pid}`;

  function tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  }

  /** The pane's text; with `escapes`, with its colours and attributes as SGR escape sequences. */
  function capture(session: string, opts: { escapes?: boolean } = {}): string {
    return tmux('capture-pane', '-p', ...(opts.escapes ? ['-e'] : []), '-t', session);
  }

  async function waitForScreen(
    session: string,
    pred: (screen: string) => boolean,
    what: string,
    timeoutMs = WAIT_MS,
    opts: { escapes?: boolean } = {},
  ): Promise<string> {
    const start = Date.now();
    let screen = '';
    for (;;) {
      try {
        screen = capture(session, opts);
      } catch {
        screen = '';
      }
      if (pred(screen)) return screen;
      if (Date.now() - start > timeoutMs) {
        throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; the screen was:\n${screen}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Key names (Enter, Escape, BSpace, Space …) or single characters, one key press each. */
  function keys(session: string, ...k: string[]): void {
    tmux('send-keys', '-t', session, ...k);
  }

  /** Text sent as it is, in one write (as if pasted or typed very fast). */
  function typeText(session: string, text: string): void {
    tmux('send-keys', '-l', '-t', session, text);
  }

  /**
   * Start the server. One server for the whole file, kept alive between tests: a server that exits
   * when its last session closes and is started again at once can fail to come up ("server exited
   * unexpectedly").
   */
  function start(): void {
    tmux('new-session', '-d', '-s', 'keepalive', '-x', '80', '-y', '24', 'sleep 600');
  }

  /** Stop the server and remove its socket file (tmux may leave it behind). */
  function stop(): void {
    const path = spawnSync('tmux', ['-L', socket, 'display-message', '-p', '#{socket_path}'], { encoding: 'utf8' }).stdout?.trim();
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    if (path) rmSync(path, { force: true });
  }

  /**
   * Run the program in a new session of cols×rows; when it exits, the pane shows `SRS-EXIT=<code>`
   * and stays open for a minute so the last screen can be read.
   */
  function startSrs(session: string, cols: number, rows: number, args: readonly string[], env: Record<string, string> = {}): void {
    tmux('new-session', '-d', '-s', session, '-x', String(cols), '-y', String(rows), `${srsCommand(args, env)}; echo "SRS-EXIT=$?"; sleep 60`);
  }

  return { socket, tmux, capture, waitForScreen, keys, typeText, start, stop, startSrs };
}

/**
 * The text drawn in inverse video on a line captured with escapes (`capture(…, { escapes: true })`),
 * e.g. the suggested grade's digit in the grade bar. Follows SGR 0/7/27 through the line.
 */
export function inverseText(line: string): string {
  let inverse = false;
  let out = '';
  const re = /\u001b\[([0-9;:]*)m|\u001b[^[]|([^\u001b]+)/gu;
  for (const m of line.matchAll(re)) {
    if (m[2] !== undefined) {
      if (inverse) out += m[2];
      continue;
    }
    if (m[1] === undefined) continue;
    const params = m[1] === '' ? ['0'] : m[1].split(';');
    for (let i = 0; i < params.length; i++) {
      const p = params[i];
      if (p === '0' || p === '') inverse = false;
      else if (p === '7') inverse = true;
      else if (p === '27') inverse = false;
      // 38/48/58;5;n and 38/48/58;2;r;g;b: colour arguments, not attributes.
      else if (p === '38' || p === '48' || p === '58') i += params[i + 1] === '5' ? 2 : params[i + 1] === '2' ? 4 : 0;
    }
  }
  return out;
}

/** Remove SGR and other escape sequences. */
export function plain(text: string): string {
  return text.replace(/\u001b\[[0-9;:?]*[A-Za-z]|\u001b[^[]/gu, '');
}

/**
 * The tmux server of one test file, started before its tests (after building the program if
 * needed) and stopped after them.
 */
export function useTmuxServer(name: string) {
  const server = tmuxServer(name);
  beforeAll(() => {
    if (!hasTmux) return;
    ensureBuilt();
    server.start();
  }, 120_000);
  afterAll(() => {
    if (hasTmux) server.stop();
  });
  return server;
}

/** A temporary collection folder and deck folder holding one deck file (removed after the test). */
export function deckFolder(fileName: string, text: string): { data: string; decks: string } {
  const base = tempDir('srs-e2e-');
  const decks = join(base, 'decks');
  mkdirSync(decks, { recursive: true });
  writeFileSync(join(decks, fileName), text);
  return { data: join(base, 'data'), decks };
}


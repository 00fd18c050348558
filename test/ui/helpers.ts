// Test helpers for Ink screens: raw key sequences, and waiting for the frame to change
// (never a bare sleep).
import stringWidth from 'string-width';

export const KEY = {
  up: '\u001B[A',
  down: '\u001B[B',
  pageUp: '\u001B[5~',
  pageDown: '\u001B[6~',
  enter: '\r',
  escape: '\u001B',
  space: ' ',
};

export async function waitFor(cond: () => boolean, what = 'condition', timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface Inst {
  stdin: { write(s: string): void };
  lastFrame(): string | undefined;
}

/** Send a key and wait until the frame shows `expect` (or just changes). */
export async function press(inst: Inst, key: string, expect?: string | RegExp): Promise<string> {
  const before = inst.lastFrame();
  inst.stdin.write(key);
  const ok = () => {
    const f = inst.lastFrame() ?? '';
    if (expect === undefined) return f !== before;
    return typeof expect === 'string' ? f.includes(expect) : expect.test(f);
  };
  await waitFor(ok, `frame after ${JSON.stringify(key)} to show ${String(expect ?? 'a change')}\n--- last frame ---\n${inst.lastFrame()}`);
  return inst.lastFrame() ?? '';
}

export const frameLines = (f: string | undefined) => (f ?? '').split('\n');
export const maxLineWidth = (f: string | undefined) => Math.max(0, ...frameLines(f).map((l) => stringWidth(l)));

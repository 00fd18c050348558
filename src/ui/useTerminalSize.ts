// Terminal size that follows resizes. Tests (and odd streams without a size) get 80×24.
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export interface TerminalSize {
  columns: number;
  rows: number;
}

export function useTerminalSize(override?: TerminalSize): TerminalSize {
  const { stdout } = useStdout();
  const read = (): TerminalSize => ({
    columns: override?.columns ?? (stdout.columns || 80),
    rows: override?.rows ?? (stdout.rows || 24),
  });
  const [size, setSize] = useState<TerminalSize>(read);
  useEffect(() => {
    if (override) {
      setSize(read());
      return;
    }
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout, override?.columns, override?.rows]);
  return size;
}

/** Content width: the terminal less a one-column margin each side, at most 100 for readability. */
export const MAX_CONTENT_WIDTH = 100;
export function contentWidth(columns: number): number {
  return Math.max(10, Math.min(MAX_CONTENT_WIDTH, columns - 2));
}

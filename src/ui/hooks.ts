// Small hooks that keep key handling correct when keys arrive faster than React re-renders
// (typed ahead, pasted, or sent by a script): the handler always sees the latest state, and no
// key is lost while one screen replaces another.
import { useInput, type Key } from 'ink';
import { createContext, useCallback, useContext, useLayoutEffect, useReducer, useRef } from 'react';

/**
 * useReducer whose latest state is also readable synchronously through `ref.current`, updated the
 * moment an action is dispatched (before React re-renders).
 */
export function useLiveReducer<S, A>(reducer: (s: S, a: A) => S, init: () => S): [S, (a: A) => void, { current: S }] {
  const ref = useRef<S | null>(null);
  if (ref.current === null) ref.current = init();
  const [state, dispatch] = useReducer(reducer, ref.current);
  const live = useCallback(
    (a: A) => {
      ref.current = reducer(ref.current as S, a);
      dispatch(a);
    },
    [reducer],
  );
  return [state, live, ref as { current: S }];
}

type Handler = (input: string, key: Key) => void;

/**
 * Ink hands a chunk of typed-ahead or pasted text to the handler in one call ("jjj", "3 "): split
 * it into single key presses so each one counts.
 */
export function splitKeys(handler: Handler): Handler {
  return (input, key) => {
    const chars = [...input];
    if (chars.length <= 1 || key.ctrl || key.meta || input.includes('\u001B')) {
      handler(input, key);
      return;
    }
    for (const ch of chars) {
      const isReturn = ch === '\r' || ch === '\n';
      const isBackspace = ch === '\u007f' || ch === '\b';
      handler(isReturn || isBackspace ? '' : ch, {
        ...key,
        return: isReturn,
        backspace: isBackspace,
        shift: ch !== ch.toLowerCase(),
      });
    }
  };
}

/** The App listens to the keyboard once; the screen on top registers its handler here. */
export const KeyRouterContext = createContext<{ current: Handler | null } | null>(null);

/** Listen to the keyboard once for the whole app and hand each key to the registered screen. */
export function useKeyRouter(): { current: Handler | null } {
  const router = useRef<Handler | null>(null);
  const stable = useCallback(
    splitKeys((input: string, key: Key) => router.current?.(input, key)),
    [],
  );
  useInput(stable);
  return router;
}

/**
 * Handle keys on a screen. Under the App the handler is registered with the router synchronously
 * at commit (so a key typed right after a screen change reaches the new screen); on its own (tests)
 * the screen listens itself. The latest handler is always the one called.
 */
export function useKeys(handler: Handler): void {
  const router = useContext(KeyRouterContext);
  const ref = useRef(handler);
  ref.current = handler;
  const stable = useCallback((input: string, key: Key) => ref.current(input, key), []);
  const standalone = useCallback(splitKeys(stable), [stable]);
  useLayoutEffect(() => {
    if (!router) return;
    router.current = stable;
    return () => {
      if (router.current === stable) router.current = null;
    };
  }, [router, stable]);
  useInput(standalone, { isActive: !router });
}

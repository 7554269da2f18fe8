/**
 * useInput, with three fixes for a UI that gets keys faster than it draws:
 *
 * - The handler is read through a ref updated on every render. Ink
 *   re-subscribes a new handler in an effect, which runs after the render;
 *   keys that arrive in one chunk (a paste, tmux send-keys, fast typing) would
 *   otherwise all reach the handler of the render before the first of them.
 * - A run of characters Ink delivers at once is handed on one key at a
 *   time (internal/split-keys.ts); handlers keep the state they act on in
 *   refs, so each key sees what the one before it did.
 * - Only where the input can be read raw: in a pipe or a test without a TTY,
 *   Ink's useInput would throw when it turns raw mode on.
 */
import { useInput, useStdin, type Key } from 'ink';
import { useCallback, useRef } from 'react';
import { splitKeys } from './internal/split-keys.js';

export type KeyHandler = (input: string, key: Key) => void;

export function useKeys(handler: KeyHandler, active = true): void {
  const { isRawModeSupported } = useStdin();
  const ref = useRef(handler);
  ref.current = handler;
  const stable = useCallback<KeyHandler>((input, key) => {
    for (const [i, k] of splitKeys(input, key)) ref.current(i, k);
  }, []);
  useInput(stable, { isActive: active && isRawModeSupported === true });
}

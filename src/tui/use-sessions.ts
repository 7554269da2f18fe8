/**
 * Loads sessions in the background while the UI runs. Each session goes into
 * the SessionStore (outside React state) as it arrives, so that work is spread
 * over the read instead of coming in lumps between keys; the list model takes
 * them in batches: every `intervalMs`, never per session, so reading 100,000
 * sessions costs a few dozen renders. The first batch is taken at once, so
 * the first row shows as soon as the first session is decoded.
 */
import { useEffect, useRef, useState } from 'react';
import type { Session } from '../session/model.js';
import type { ListModel } from './list-model.js';
import type { ListRow } from './list-row.js';
import type { SessionStore } from './session-store.js';

export interface LoadProgress {
  frames: number;
  bytesRead: number;
  totalBytes: number;
  /** Set while loading from a ClickHouse store: how many sessions it has for the load (when known) and how many it lists at most. */
  store?: { total?: number; limit: number };
  /** Set while capturing live: what libpcap and the capture report (the bar then shows rates, not a fraction). */
  live?: { iface: string; backend: string; packets: number; drops: number | null; packetRate: number };
}

export interface LoadSink {
  onSession(session: Session): void;
  /** A session kept in a ClickHouse store: only its row, and where it is there (the UI fetches it when needed). */
  onRow?(row: ListRow, capture: string, storeId: number): void;
  onProgress(progress: LoadProgress): void;
}

/** What a finished load says: warnings (damage, skipped frames) and the exit code they imply. */
export interface LoadSummary {
  warnings: string[];
  code: number;
}

/** Reads the sessions into the sink; resolves when everything was read. */
export type SessionLoader = (sink: LoadSink) => Promise<LoadSummary>;

export interface LoadState {
  phase: 'loading' | 'done' | 'failed';
  progress: LoadProgress;
  /** Sessions taken in so far. */
  sessions: number;
  /** Of those, sessions still in progress (live capture). */
  open?: number;
  warnings: string[];
  /** Exit code implied by the load (2 or 3 on failure or damage). */
  code: number;
  /** Why the load failed. */
  error?: string;
  /** Milliseconds from the start to the first session shown, and to the end. */
  firstRowMs?: number;
  doneMs?: number;
  /** The same, in milliseconds since the process started. */
  firstRowAt?: number;
  doneAt?: number;
}

export function useSessions(loader: SessionLoader, store: SessionStore, model: ListModel, intervalMs = 100): LoadState {
  const [state, setState] = useState<LoadState>({
    phase: 'loading', progress: { frames: 0, bytesRead: 0, totalBytes: 0 }, sessions: 0, warnings: [], code: 0,
  });
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const t0 = performance.now();
    let pending = 0;
    let replaced: number[] = [];
    let progress: LoadProgress = { frames: 0, bytesRead: 0, totalBytes: 0 };
    let firstRowMs: number | undefined;
    let firstRowAt: number | undefined;
    let stopped = false;
    const flush = (final?: Partial<LoadState>) => {
      if (stopped) return;
      if (pending) {
        pending = 0;
        // Bounded: the rest of a filter's scan over a big store goes on between renders (see App).
        model.sync(performance.now() + 50);
        model.refresh(replaced);
        replaced = [];
        if (firstRowMs === undefined) {
          firstRowAt = performance.now();
          firstRowMs = firstRowAt - t0;
        }
      }
      setState((prev) => ({ ...prev, ...final, progress, sessions: store.length, open: store.open, firstRowMs, firstRowAt }));
    };
    const timer = setInterval(() => flush(), intervalMs);
    let firstScheduled = false;
    loader({
      onSession(s) {
        if (stopped) return;
        pending++;
        for (const at of store.add([s])) replaced.push(at);
        if (!firstScheduled) {
          firstScheduled = true;
          setImmediate(() => flush());
        }
      },
      onRow(row, capture, storeId) {
        if (stopped) return;
        pending++;
        store.addRow(row, capture, storeId);
        if (!firstScheduled) {
          firstScheduled = true;
          setImmediate(() => flush());
        }
      },
      onProgress(p) {
        // The UI is gone (quit during the load): stop reading.
        if (stopped) throw new Error('load abandoned');
        progress = p;
      },
    }).then(
      (summary) => {
        clearInterval(timer);
        flush({ phase: 'done', warnings: summary.warnings, code: summary.code, doneMs: performance.now() - t0, doneAt: performance.now() });
      },
      (err: unknown) => {
        clearInterval(timer);
        flush({ phase: 'failed', error: (err as Error)?.message ?? String(err), code: (err as { exitCode?: number })?.exitCode ?? 2 });
      },
    );
    return () => {
      clearInterval(timer);
      stopped = true;
    };
  }, [loader, store, model, intervalMs]);
  return state;
}

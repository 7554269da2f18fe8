/** Shared set-up for the UI's component tests: sessions from the demo capture, a controllable loader, and waiting for frames. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { defaultMachines } from '../../src/protocols/registry.js';
import type { Session } from '../../src/session/model.js';
import { readSessions } from '../../src/session/read-sessions.js';
import { App, type AppProps } from '../../src/tui/App.js';
import type { LoadProgress, LoadSink, LoadSummary, SessionLoader } from '../../src/tui/use-sessions.js';

let demo: Session[] | undefined;

/** The demo capture's sessions (21: SMTP, IMAP, POP3; failures of every kind), read once. */
export async function demoSessions(): Promise<Session[]> {
  if (!demo) demo = (await readSessions(['captures/demo.pcap'], { machines: defaultMachines, keepBodies: 2048 })).sessions;
  return demo;
}

/** `count` sessions: the demo's, repeated with new ids. */
export async function manySessions(count: number): Promise<Session[]> {
  const base = await demoSessions();
  return Array.from({ length: count }, (_, i) => ({ ...base[i % base.length], id: i + 1 }));
}

/** A loader that hands over all sessions at once. */
export function staticLoader(sessions: Session[]): SessionLoader {
  return async (sink) => {
    sink.onProgress({ frames: 100, bytesRead: 1000, totalBytes: 1000 });
    for (const s of sessions) sink.onSession(s);
    return { warnings: [], code: 0 };
  };
}

/** A loader the test drives: push sessions and progress, then finish. */
export function manualLoader() {
  let sink!: LoadSink;
  let finish!: (s: LoadSummary) => void;
  const loader: SessionLoader = (s) => {
    sink = s;
    return new Promise((resolve) => (finish = resolve));
  };
  return {
    loader,
    push: (sessions: Session[], progress?: LoadProgress) => {
      if (progress) sink.onProgress(progress);
      for (const s of sessions) sink.onSession(s);
    },
    finish: (summary: LoadSummary = { warnings: [], code: 0 }) => finish(summary),
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const KEY = {
  up: '\x1b[A', down: '\x1b[B', left: '\x1b[D', right: '\x1b[C', pageDown: '\x1b[6~', pageUp: '\x1b[5~',
  enter: '\r', escape: '\x1b', tab: '\t', backspace: '\x7f', ctrlU: '\x15',
} as const;

/** Renders the App with a terminal of the given size; `frame()` is the last frame, `press()` types keys one write at a time. */
export function renderApp(props: Partial<AppProps> & { loader: SessionLoader }, size = { columns: 100, rows: 24 }) {
  const app = render(<App title="test.pcap" batchMs={10} {...props} />);
  resize(app.stdout, size);
  return {
    ...app,
    /** The last frame without colours (SGR sequences only: anything else would be a bug). */
    frame: () => (app.lastFrame() ?? '').replace(/\x1b\[[0-9;]*m/g, ''),
    async press(...keys: string[]) {
      for (const k of keys) {
        app.stdin.write(k);
        await sleep(k === KEY.escape ? 60 : 15);
      }
      await sleep(20);
    },
    resize: (s: { columns: number; rows: number }) => resize(app.stdout, s),
  };
}

function resize(stdout: NodeJS.EventEmitter, size: { columns: number; rows: number }) {
  Object.defineProperty(stdout, 'columns', { value: size.columns, configurable: true });
  Object.defineProperty(stdout, 'rows', { value: size.rows, configurable: true });
  stdout.emit('resize');
}

/** Waits until the last frame passes `test` (or fails with the frame). */
export async function waitForFrame(get: () => string, test: (frame: string) => boolean, ms = 3000): Promise<string> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const f = get();
    if (test(f)) return f;
    await sleep(10);
  }
  throw new Error(`frame never matched:\n${get()}`);
}

/** Session ids of the list rows in a frame, top to bottom. */
export function rowIds(frame: string): number[] {
  return frame.split('\n').map((l) => /^\s*(\d+) (?:\d\d:\d\d:\d\d )?(SMTP|POP3|IMAP) /.exec(l)).filter((m) => m !== null).map((m) => Number(m![1]));
}

/**
 * Goes through every view of the demo capture's sessions as a person would:
 * the list, a filter, a session's detail, the findings, the statistics, and
 * an export of the filtered sessions to `dir/name`. Gives each frame and what
 * was exported, for comparing two ways of holding the same sessions.
 */
export async function walkViews(props: Partial<AppProps> & { loader: SessionLoader }, dir: string, name: string) {
  const ui = renderApp(props, { columns: 140, rows: 40 });
  await waitForFrame(ui.frame, (f) => f.includes('21 sessions') && !f.includes('reading'), 10_000);
  const frames: string[] = [ui.frame()];
  await ui.press('/', ...'smtp.response.code >= 500', KEY.enter);
  frames.push(await waitForFrame(ui.frame, (f) => /\d+ match(?! so far)/.test(f)));
  await ui.press('j', KEY.enter);
  frames.push(ui.frame());
  await ui.press(KEY.escape, 'f');
  frames.push(await waitForFrame(ui.frame, (f) => !f.includes('still reading')));
  await ui.press(KEY.escape, 'o');
  frames.push(await waitForFrame(ui.frame, (f) => !f.includes('(counting')));
  await ui.press(KEY.escape, 'e', 'a', 'n', KEY.ctrlU, ...join(dir, name), KEY.enter);
  frames.push((await waitForFrame(ui.frame, (f) => f.includes('wrote '))).replace(dir, 'DIR').replace(name, 'NAME'));
  ui.unmount();
  return { frames, exported: readFileSync(join(dir, name), 'utf8') };
}

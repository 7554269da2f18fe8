/**
 * `mailscope FILE` on a terminal, and `mailscope ui FILE`: checks the files,
 * switches to the terminal's alternate screen, runs the UI until q, then
 * prints a one-line summary (sessions read, matched) on stdout, what `read`
 * would have warned about on stderr, and returns the exit code.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { render } from 'ink';
import type { Lang } from '../explain/index.js';
import { App } from './App.js';
import { captureLoader, type CaptureLoadOptions } from './load-capture.js';
import { dropExitCursorOnRedirectedStderr } from './quiet-exit.js';
import { quitSummary, type QuitView } from './quit-summary.js';
import type { StoreSessions } from './store-sessions.js';
import type { LoadState, SessionLoader } from './use-sessions.js';

export interface UiArgs extends CaptureLoadOptions {
  /** A filter to start with (--filter / -Y). */
  filter?: string;
  /** Language of the explanations (--lang, else the locale). */
  lang?: Lang;
  /** The files x (extract) reads the messages back from, when they are not `files` (a live capture saved with -w). */
  extractFrom?: string[];
  /** The top line's name of what is shown, when it is not the files (a store). */
  title?: string;
}

const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[H';
const LEAVE_ALT_SCREEN = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';

/** `remote`: the sessions are in a ClickHouse store, and the loader gives their rows (load-store.ts). */
export async function runUi(args: UiArgs, loader: SessionLoader = captureLoader(args), remote?: StoreSessions): Promise<number> {
  const out = process.stdout;
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    out.write(SHOW_CURSOR + LEAVE_ALT_SCREEN);
  };
  out.write(ENTER_ALT_SCREEN);
  process.once('exit', restore);
  dropExitCursorOnRedirectedStderr();
  let final: LoadState | undefined;
  let view: QuitView | undefined;
  // MAILSCOPE_TIMING=1: after quitting, say how fast the load was and how long keys could have waited.
  const delay = process.env.MAILSCOPE_TIMING ? monitorEventLoopDelay({ resolution: 5 }) : undefined;
  delay?.enable();
  const title = args.title ?? args.files.join(' ');
  const extractFiles = args.extractFrom ?? args.files;
  const onQuit = (load: LoadState, shown: QuitView) => {
    final = load;
    view = shown;
  };
  const app = render(<App title={title} loader={loader} remote={remote} initialFilter={args.filter ?? ''} lang={args.lang} showSecrets={args.showSecrets} onQuit={onQuit}
    capture={extractFiles.length > 0 ? { files: extractFiles, showSecrets: args.showSecrets, decodeAs: args.decodeAs, keylog: args.keylog } : undefined} />, {
    // The App quits on Ctrl-C as on q, so the summary and the warnings are printed either way.
    exitOnCtrlC: false,
    patchConsole: true,
  });
  try {
    await app.waitUntilExit();
  } finally {
    restore();
  }
  if (delay && final) {
    delay.disable();
    const ms = (ns: number) => (ns / 1e6).toFixed(1);
    process.stderr.write(
      `timing: first row ${final.firstRowAt?.toFixed(0)} ms after start (${final.firstRowMs?.toFixed(0)} ms into the read), ` +
        `loaded ${final.doneAt?.toFixed(0)} ms after start, ${final.sessions} sessions; ` +
        `event-loop delay p50 ${ms(delay.percentile(50))} ms, p99 ${ms(delay.percentile(99))} ms, max ${ms(delay.max)} ms; ` +
        `peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB\n`,
    );
  }
  if (final && view) out.write(quitSummary(title, final, view) + '\n');
  for (const w of final?.warnings ?? []) process.stderr.write(w + '\n');
  if (final?.phase === 'failed') process.stderr.write(`mailscope: ${final.error}\n`);
  return final?.code ?? 0;
}

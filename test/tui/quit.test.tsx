/** Issue 16 item 3: quitting leaves a one-line summary (sessions read, matched) and no stray escape on a redirected stderr. */
import { Writable } from 'node:stream';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { dropExitCursorOnRedirectedStderr } from '../../src/tui/quiet-exit.js';
import { quitSummary, type QuitView } from '../../src/tui/quit-summary.js';
import type { LoadState } from '../../src/tui/use-sessions.js';
import { KEY, demoSessions, renderApp, staticLoader, waitForFrame } from './helpers.js';

afterEach(() => cleanup());

const done: LoadState = { phase: 'done', progress: { frames: 100, bytesRead: 1, totalBytes: 1 }, sessions: 21, warnings: [], code: 0 };

describe('the summary after quitting', () => {
  it('says how many sessions were read and how many the filter matched', () => {
    expect(quitSummary('captures/demo.pcap', done, { shown: 5, filter: 'smtp.response.code >= 500', complete: true }))
      .toBe('21 sessions read from captures/demo.pcap; 5 matched smtp.response.code >= 500');
    expect(quitSummary('captures/demo.pcap', done, { shown: 21, filter: '', complete: true }))
      .toBe('21 sessions read from captures/demo.pcap; no filter applied');
    expect(quitSummary('a.pcap', { ...done, phase: 'loading', sessions: 1 }, { shown: 1, filter: 'tls', complete: false }))
      .toBe('1 session read from a.pcap (quit before the end of the file); 1 so far matched tls');
  });

  it('names the interface, packets and drops of a live capture', () => {
    const live: LoadState = {
      ...done, phase: 'loading', open: 2,
      progress: { frames: 9, bytesRead: 9, totalBytes: 0, live: { iface: 'eth0', backend: 'cap', packets: 1234, drops: 0, packetRate: 3 } },
    };
    expect(quitSummary('', live, { shown: 3, filter: 'auth.failed', complete: true }))
      .toBe('21 sessions (2 still open) captured on eth0 (1234 packets, 0 dropped); 3 matched auth.failed');
  });

  it('the App hands over what the list showed, on q and on Ctrl-C', async () => {
    for (const key of ['q', '\x03']) {
      let got: { load: LoadState; view: QuitView } | undefined;
      const ui = renderApp({ loader: staticLoader(await demoSessions()), onQuit: (load, view) => (got = { load, view }) });
      await waitForFrame(ui.frame, (f) => f.includes('21 sessions'));
      await ui.press('/', ...'smtp.response.code >= 500', KEY.enter);
      await waitForFrame(ui.frame, (f) => f.includes('5 match'));
      await ui.press(key);
      expect(got?.load.sessions).toBe(21);
      expect(got?.view).toEqual({ shown: 5, filter: 'smtp.response.code >= 500', complete: true });
      cleanup();
    }
  });
});

describe('a redirected stderr', () => {
  const sink = (isTTY: boolean) => {
    const got: string[] = [];
    const stream = new Writable({ write: (chunk, _enc, cb) => (got.push(String(chunk)), cb()) }) as unknown as NodeJS.WriteStream;
    Object.assign(stream, { isTTY });
    return { stream, got };
  };

  it('gets no cursor escape at exit, and everything else unchanged', async () => {
    const file = sink(false);
    dropExitCursorOnRedirectedStderr(file.stream);
    file.stream.write('\x1b[?25h');
    file.stream.write('mailscope: a warning\n');
    await new Promise((r) => setImmediate(r));
    expect(file.got).toEqual(['mailscope: a warning\n']);

    const tty = sink(true);
    dropExitCursorOnRedirectedStderr(tty.stream);
    tty.stream.write('\x1b[?25h');
    await new Promise((r) => setImmediate(r));
    expect(tty.got).toEqual(['\x1b[?25h']);
  });
});

/**
 * The real program in a real terminal: tmux runs `mailscope captures/demo.pcap`,
 * keys go in with send-keys, the screen comes back with capture-pane.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { converse, smtpScript, smtpServer } from '../helpers/mail-servers.js';

const TMUX = '/usr/bin/tmux';
const name = `mailscope-e2e-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'mailscope-tmux-'));

const tmux = (...args: string[]) => execFileSync(TMUX, args, { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', name);
const keys = (...k: string[]) => tmux('send-keys', '-t', name, ...k);
const type = (text: string) => tmux('send-keys', '-t', name, '-l', text);

/** The screen once it passes `test` (of the tmux session `of` reads: the main one unless told). */
async function waitFor(test: (s: string) => boolean, ms = 10_000, of: () => string = screen): Promise<string> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const s = of();
    if (test(s)) return s;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`screen never matched:\n${of()}`);
}

afterAll(() => {
  if (existsSync(TMUX)) {
    try {
      tmux('kill-session', '-t', name);
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('the terminal UI in tmux', () => {
  it.runIf(existsSync(TMUX))('filters, opens a session, exports it, and quits', async () => {
    const out = join(dir, 'failed.txt');
    // CI=true as CI machines set it: Ink would then draw nothing until exit, so the UI must clear it.
    tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '40', '-c', process.cwd(), '-e', 'CI=true',
      `node bin/mailscope.js captures/demo.pcap 2>${join(dir, 'stderr.log')}; sleep 5`);
    let s = await waitFor((s) => s.includes('21 sessions'));
    expect(s).toMatch(/#▲ +Time +Proto +Client +Server/);

    keys('/');
    type('smtp.response.code >= 500');
    s = await waitFor((s) => /smtp\.response\.code >= 500 +valid/.test(s));
    keys('Enter');
    s = await waitFor((s) => s.includes('21 sessions, 5 match'));
    expect(s).toContain('RCPT 554 5.7.1');
    expect(s).not.toContain('RCPT 450 4.7.1');

    keys('Enter');
    s = await waitFor((s) => s.includes('Session 5  SMTP'));
    expect(s).toContain('auth LOGIN alice: failure');
    expect(s).toMatch(/C: EHLO client\.example\.test/);

    keys('e');
    await waitFor((s) => s.includes('Export session 5 as'));
    keys('t');
    await waitFor((s) => s.includes('to: session-0005-smtp.txt'));
    keys('C-u');
    type(out);
    keys('Enter');
    s = await waitFor((s) => s.includes('wrote 1 session'));
    expect(s).toContain(`text transcript) to ${out}`);

    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^Session 5: SMTP 127\.0\.0\.1:52170 -> 127\.0\.0\.1:587/);
    expect(text).toMatch(/^> .*S: 535 5\.7\.8 Error: authentication failed/m);

    keys('/');
    type('bye');
    keys('Enter');
    s = await waitFor((s) => s.includes('1 line with "bye"'));
    expect(s).toContain('S: 221 2.0.0 Bye');
    keys('Escape');
    await waitFor((s) => s.includes('n/N next/prev failure'));

    keys('Escape');
    await waitFor((s) => s.includes('Filter: smtp.response.code >= 500'));
    keys('o');
    s = await waitFor((s) => s.includes('Statistics of the sessions matching smtp.response.code >= 500'));
    expect(s).toMatch(/^5 mail sessions from /m);
    expect(s).toMatch(/2 +SMTP +550 5\.1\.1 +RCPT +Recipient does not exist \(7, 10\)/);
    keys('Escape');
    await waitFor((s) => s.includes('Filter: smtp.response.code >= 500'));
    keys('q');
    // The UI gone, the shell's screen keeps one line of what was looked at; stderr (a file here) got no stray escape.
    s = await waitFor((s) => !s.includes('Filter:') && s.includes('matched'));
    expect(s).toContain('21 sessions read from captures/demo.pcap; 5 matched smtp.response.code >= 500');
    expect(s).not.toMatch(/\x1b|\^\[/);
    expect(readFileSync(join(dir, 'stderr.log'), 'utf8')).toBe('');
  });

  it.runIf(existsSync(TMUX))('NO_COLOR: no colour on screen; S picks the sort column with one key', async () => {
    tmux('kill-session', '-t', name);
    tmux('new-session', '-d', '-s', name, '-x', '120', '-y', '40', '-c', process.cwd(), '-e', 'NO_COLOR=1',
      'node bin/mailscope.js captures/demo.pcap; sleep 5');
    await waitFor((s) => s.includes('21 sessions'));
    // capture-pane -e keeps the SGR codes: bold and inverse may stay, colours (30-37, 38;..., 9x) must not.
    const params = [...tmux('capture-pane', '-p', '-e', '-t', name).matchAll(/\x1b\[([0-9;]*)m/g)].flatMap((m) => m[1].split(';').map(Number));
    expect(params).toContain(7); // inverse: the selected row
    expect(params.filter((p) => (p >= 30 && p <= 38) || (p >= 40 && p <= 48) || (p >= 90 && p <= 107))).toEqual([]);
    keys('S');
    await waitFor((s) => /Sort by: +n number▲/.test(s));
    keys('o');
    const s = await waitFor((s) => s.includes('Outcome▲'));
    expect(s.split('\n').find((l) => /^\s+\d+ \d\d:/.test(l))).toMatch(/AUTH FAILED|RCPT|mail/);
    keys('q');
    await waitFor((s) => s.includes('21 sessions read from captures/demo.pcap; no filter applied'));
  });
});

describe('the live UI in tmux', () => {
  // Live capture on loopback needs root (or the capture capabilities) and a backend (cap or tcpdump), as CI has.
  const canCapture = existsSync(TMUX) && process.getuid?.() === 0;
  it.runIf(canCapture)('-w saves the packets, and x extracts a message from them', async () => {
    const live = `${name}-live`;
    const pcap = join(dir, 'live.pcap');
    const out = join(dir, 'live-out');
    const port = 20000 + (process.pid % 20000);
    const screenOf = () => execFileSync(TMUX, ['capture-pane', '-p', '-t', live], { encoding: 'utf8' });
    const send = (...k: string[]) => execFileSync(TMUX, ['send-keys', '-t', live, ...k]);
    const until = (test: (s: string) => boolean) => waitFor(test, 15_000, screenOf);
    tmux('new-session', '-d', '-s', live, '-x', '140', '-y', '30', '-c', process.cwd(),
      `node bin/mailscope.js ui -i lo --bpf 'tcp port ${port}' -w ${pcap} 2>${join(dir, 'live-stderr.log')}; sleep 5`);
    try {
      await until((s) => s.includes('mailscope live on lo'));
      await new Promise((r) => setTimeout(r, 1500)); // the capture is running once the UI shows it; give the backend a moment
      // One SMTP conversation with a message, from the live-capture tests' server and client.
      const server = smtpServer();
      await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
      await converse(port, smtpScript('alice', 'good'));
      await new Promise<void>((r) => server.close(() => r()));
      await until((s) => /1 SMTP? .*127\.0\.0\.1:\d+ +127\.0\.0\.1:\d+/.test(s) || s.includes('1 session'));
      send('Enter');
      await until((s) => s.includes('Session 1'));
      send('x');
      await until((s) => s.includes('Extract the messages'));
      send('C-u');
      execFileSync(TMUX, ['send-keys', '-t', live, '-l', out]);
      send('Enter');
      await until((s) => s.includes('extracted 1 message'));
      send('Escape');
      send('q');
      await until((s) => s.includes('captured on lo'));
      expect(readFileSync(join(out, 'session-0001-msg-1.eml'), 'latin1')).toContain('Subject: live');
      // The file is closed after the UI is gone (and its summary printed): wait for the line that says so.
      const stderrLog = join(dir, 'live-stderr.log');
      for (let i = 0; i < 100 && !readFileSync(stderrLog, 'utf8').includes('packets written'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(readFileSync(stderrLog, 'utf8')).toContain(`packets written to ${pcap}`);
      const back = execFileSync(process.execPath, ['bin/mailscope.js', 'read', pcap], { encoding: 'utf8' });
      expect(back).toMatch(/1 mail session/);
    } finally {
      try {
        tmux('kill-session', '-t', live);
      } catch {
        // already gone
      }
    }
  }, 60_000);
});

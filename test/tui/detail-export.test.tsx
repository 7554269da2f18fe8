import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { defaultMachines } from '../../src/protocols/registry.js';
import { splitAtMatches } from '../../src/tui/DetailView.js';
import { readSessions } from '../../src/session/read-sessions.js';
import { KEY, demoSessions, renderApp, rowIds, staticLoader, waitForFrame } from './helpers.js';

afterEach(() => cleanup());

async function ready(size = { columns: 120, rows: 30 }) {
  const ui = renderApp({ loader: staticLoader(await demoSessions()) }, size);
  await waitForFrame(ui.frame, (f) => f.includes('21 sessions'));
  return ui;
}

describe('detail view', () => {
  it('opens the selected session on Enter and goes back on Esc', async () => {
    const ui = await ready();
    await ui.press('j', 'j', 'j', 'j', KEY.enter); // session 5: AUTH LOGIN fails with 535
    const f = ui.frame();
    expect(f).toContain('Session 5  SMTP  127.0.0.1:52170 -> 127.0.0.1:587');
    expect(f).toContain('auth LOGIN alice: failure');
    expect(f).toMatch(/12:37:19\.148 +C: EHLO client\.example\.test/);
    expect(f).toMatch(/\+0\.041ms S: 250-mail\.example\.test/);
    expect(f).toContain('TCP: 0 retransmissions');
    await ui.press(KEY.escape);
    expect(rowIds(ui.frame())).toHaveLength(21);
  });

  it('scrolls, shows the explanation slot under a failing reply, and n jumps to it', async () => {
    const ui = await ready({ columns: 120, rows: 16 });
    await ui.press('j', 'j', 'j', 'j', KEY.enter);
    expect(ui.frame()).not.toContain('S: 535 5.7.8');
    await ui.press('n');
    let f = ui.frame();
    expect(f).toContain('C: AUTH LOGIN');
    expect(f).toMatch(/S: 535 5\.7\.8 Error: authentication failed/);
    expect(f).toMatch(/535 5\.7\.8[^\n]*\n(?:[^\n]*\n)?\s+\?\? Login failed: user name or password refused — /);
    await ui.press('g');
    expect(ui.frame()).toContain('Session 5');
    await ui.press('j', 'j');
    expect(ui.frame()).not.toContain('Session 5 ');
    await ui.press('G');
    f = ui.frame();
    expect(f).toContain('S: 221 2.0.0 Bye');
  });

  it('L switches the explanations to Simplified Chinese and back; the UI can start in Chinese', async () => {
    const ui = await ready({ columns: 120, rows: 16 });
    await ui.press('j', 'j', 'j', 'j', KEY.enter, 'n');
    expect(ui.frame()).toMatch(/\?\? Login failed: user name or password refused/);
    await ui.press('L');
    let f = ui.frame();
    expect(f).toContain('explanations in Simplified Chinese');
    expect(f).toMatch(/S: 535 5\.7\.8[^\n]*\n(?:[^\n]*\n)?\s+\?\? 登录失败/);
    expect(f).not.toContain('Login failed');
    await ui.press('L');
    expect(ui.frame()).toMatch(/\?\? Login failed/);
    cleanup();
    const zh = renderApp({ loader: staticLoader(await demoSessions()), lang: 'zh' }, { columns: 120, rows: 16 });
    await waitForFrame(zh.frame, (f) => f.includes('21 sessions'));
    await zh.press('j', 'j', 'j', 'j', KEY.enter, 'n');
    expect(zh.frame()).toMatch(/\?\? 登录失败/);
  });

  it('marks the exchanges the filter matched', async () => {
    const ui = await ready({ columns: 120, rows: 50 });
    await ui.press('/', ...'smtp.response.code >= 400', KEY.enter, KEY.enter);
    const lines = ui.frame().split('\n');
    const failing = lines.find((l) => l.includes('S: 535 5.7.8'))!;
    const ehlo = lines.find((l) => l.includes('C: EHLO'))!;
    expect(failing.startsWith('▌')).toBe(true);
    expect(ehlo.startsWith('▌')).toBe(false);
  });

  it('folds long message bodies and Tab unfolds them', async () => {
    const sessions = await demoSessions();
    const withBody = sessions.find((s) => s.messages.some((m) => (m.body ?? '').split('\r\n').length > 8))!;
    expect(withBody).toBeDefined();
    const ui = renderApp({ loader: staticLoader([withBody]) }, { columns: 120, rows: 200 });
    await waitForFrame(ui.frame, (f) => f.includes('1 session'));
    await ui.press(KEY.enter);
    expect(ui.frame()).toMatch(/… \d+ more lines? of the message folded \(Tab shows them\)/);
    const folded = ui.frame().split('\n').filter((l) => / [CS]: \| /.test(l)).length;
    await ui.press(KEY.tab);
    expect(ui.frame()).not.toContain('folded');
    expect(ui.frame().split('\n').filter((l) => / [CS]: \| /.test(l)).length).toBeGreaterThan(folded);
  });
});

describe('export', () => {
  it('writes the selected session as a text transcript and confirms', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailscope-ui-'));
    const path = join(dir, 'one.txt');
    const ui = await ready();
    await ui.press('j', 'j', 'j', 'j', 'e');
    expect(ui.frame()).toContain('the selected session 5');
    await ui.press('s');
    expect(ui.frame()).toContain('as t text transcript or n NDJSON?');
    await ui.press('t');
    expect(ui.frame()).toContain('to: session-0005-smtp.txt');
    await ui.press(KEY.ctrlU, ...path, KEY.enter);
    const f = await waitForFrame(ui.frame, (f) => f.includes('wrote 1 session'));
    expect(f).toContain(`wrote 1 session (`);
    expect(f).toContain(`text transcript) to ${path}`);
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/^Session 5: SMTP 127\.0\.0\.1:52170 -> 127\.0\.0\.1:587/);
    expect(text).toContain('S: 535 5.7.8 Error: authentication failed');
  });

  it('writes all filtered sessions as NDJSON from the list, and asks before replacing a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailscope-ui-'));
    const path = join(dir, 'failed.ndjson');
    writeFileSync(path, 'old\n');
    const ui = await ready();
    await ui.press('a', 'e', 'a', 'n', KEY.ctrlU, ...path, KEY.enter);
    await waitForFrame(ui.frame, (f) => f.includes('exists: replace it? y / n'));
    await ui.press('y');
    const f = await waitForFrame(ui.frame, (f) => f.includes('wrote 3 sessions'));
    expect(f).toContain(`NDJSON) to ${path}`);
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((s) => s.id)).toEqual([5, 15, 19]);
  });

  it('exports the open session from the detail view; Esc cancels', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailscope-ui-'));
    const ui = await ready();
    await ui.press(KEY.enter, 'e');
    expect(ui.frame()).toContain('Export session 1 as');
    await ui.press(KEY.escape);
    expect(ui.frame()).not.toContain('Export session 1 as');
    await ui.press('e', 'n', KEY.ctrlU, ...join(dir, 's1.ndjson'), KEY.enter);
    await waitForFrame(ui.frame, (f) => f.includes('wrote 1 session'));
    expect(JSON.parse(readFileSync(join(dir, 's1.ndjson'), 'utf8')).id).toBe(1);
    expect(ui.frame()).toContain('Session 1  SMTP');
  });

  it('a text export carries the explanations in the language the detail view shows (L)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailscope-ui-'));
    const ui = await ready();
    await ui.press('j', 'j', 'j', 'j', KEY.enter, 'L', 'e', 't', KEY.ctrlU, ...join(dir, 's5.txt'), KEY.enter);
    await waitForFrame(ui.frame, (f) => f.includes('wrote 1 session'));
    const text = readFileSync(join(dir, 's5.txt'), 'utf8');
    expect(text).toMatch(/S: 535 5\.7\.8 .*\n +\?\? 登录失败/);
  });
});

describe('messages', () => {
  const capture = { files: ['captures/demo.pcap'], showSecrets: false, decodeAs: [] };

  it('lists the messages of the open session with their subject', async () => {
    const ui = renderApp({ loader: staticLoader(await demoSessions()), capture }, { columns: 120, rows: 30 });
    await waitForFrame(ui.frame, (f) => f.includes('21 sessions'));
    await ui.press(KEY.enter);
    const f = ui.frame();
    expect(f).toContain('1 message (x extracts them with their attachments)');
    expect(f).toMatch(/message 1 {2}smtp\.data {2}\d+ B {2}from [^\n]*sender1@outside\.test[^\n]*subject "Test message 1 for alice"/);
    expect(f).toContain('e export  x extract  Esc back');
  });

  it('lists each attachment with its name, type, decoded size and SHA-256', async () => {
    const file = 'captures/smtp-medium-message.pcap';
    const { sessions } = await readSessions([file], { machines: defaultMachines });
    const ui = renderApp({ loader: staticLoader(sessions), capture: { ...capture, files: [file] } }, { columns: 160, rows: 30 });
    await waitForFrame(ui.frame, (f) => f.includes('1 session'));
    await ui.press(KEY.enter);
    const f = ui.frame();
    expect(f).toMatch(/message 1 {2}smtp\.data {2}[^\n]*subject "Medium message with attachment"/);
    // The SHA-256 of the decoded attachment, as `tshark --export-objects imf` and Python's email package give it (test/e2e).
    expect(f).toMatch(/part \d+ {2}"data\.bin" {2}application\/octet-stream {2}100\.0 kB {2}sha256 ac31dd9d790b7e0b6f6a29a05024a780c12e23246963adc1d6cb9d7f80975a06/);
  });

  it('x extracts the session\'s messages to the folder typed, and confirms', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mailscope-ui-')), 'out');
    const ui = renderApp({ loader: staticLoader(await demoSessions()), capture }, { columns: 200, rows: 30 });
    await waitForFrame(ui.frame, (f) => f.includes('21 sessions'));
    await ui.press(KEY.enter, 'x');
    expect(ui.frame()).toContain('to the folder: session-0001-messages');
    expect(ui.frame()).toContain('Enter extract  Esc cancel'); // the footer names what Enter does here
    await ui.press(KEY.ctrlU, ...dir, KEY.enter);
    const f = await waitForFrame(ui.frame, (f) => f.includes('extracted 1 message'));
    expect(f).toContain(`of session 1 to ${dir}`);
    expect(readFileSync(join(dir, 'session-0001-msg-1.eml'), 'utf8')).toContain('Subject: Test message 1 for alice');
    const manifest = readFileSync(join(dir, 'manifest.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(manifest[0]).toMatchObject({ session: 1, message: 1, part: null, path: 'session-0001-msg-1.eml' });
    expect(ui.frame()).toContain('Session 1  SMTP');
  });
});

describe('searching the transcript', () => {
  it('/ finds text in any case, n and N walk the matches, Esc clears, and typed q or ? stay in the search', async () => {
    const ui = renderApp({ loader: staticLoader(await demoSessions()) }, { columns: 120, rows: 14 });
    await waitForFrame(ui.frame, (f) => f.includes('21 sessions'));
    await ui.press('j', 'j', 'j', 'j', KEY.enter); // session 5: EHLO ... AUTH LOGIN ... 535 ... QUIT
    expect(ui.frame()).not.toContain('S: 221 2.0.0 Bye');
    await ui.press('/', ...'bye?q');
    expect(ui.frame()).toMatch(/^\/bye\?q/m);
    await ui.press(KEY.backspace, KEY.backspace, KEY.enter);
    let f = ui.frame();
    expect(f).toContain('S: 221 2.0.0 Bye'); // scrolled to it
    expect(f).toMatch(/1 line with "bye" +n\/N next\/prev match/);
    await ui.press('N');
    expect(ui.frame()).toContain('no earlier line with "bye"');
    await ui.press('g', '/', ...'AUTH', KEY.enter); // from the top: the EHLO reply's 250-AUTH first
    f = ui.frame();
    expect(f).toMatch(/\d+ lines with "AUTH"/);
    // The position in the top right ("12/40") moves down with each n, and back with N.
    const position = (frame: string) => Number(/ (\d+)\/\d+$/m.exec(frame)![1]);
    const p0 = position(f);
    await ui.press('n');
    const p1 = position(ui.frame());
    expect(p1).toBeGreaterThan(p0);
    await ui.press('n', 'N');
    expect(position(ui.frame())).toBe(p1);
    await ui.press(KEY.escape);
    expect(ui.frame()).toContain('n/N next/prev failure'); // still the detail view, the search gone
    expect(ui.frame()).not.toContain('lines with');
    await ui.press(KEY.escape);
    expect(rowIds(ui.frame()).length).toBeGreaterThan(0);
  });

  it('marks each occurrence (splitAtMatches)', () => {
    expect(splitAtMatches('C: RCPT TO:<bob@x> rcpt', 'rcpt')).toEqual(['C: ', 'RCPT', ' TO:<bob@x> ', 'rcpt', '']);
    expect(splitAtMatches('nothing here', 'zzz')).toEqual(['nothing here']);
    expect(splitAtMatches('İx İx', 'x')).toEqual(['İ', 'x', ' İ', 'x', '']);
  });
});

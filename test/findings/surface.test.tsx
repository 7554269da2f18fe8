/** The findings where people see them: `mailscope findings`, the finding.* filter fields, and the UI's findings view. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compileFilter } from '../../src/filter/index.js';
import { defaultMachines } from '../../src/protocols/registry.js';
import { readSessions } from '../../src/session/read-sessions.js';
import { demoSessions, KEY, renderApp, rowIds, sleep, staticLoader } from '../tui/helpers.js';

const cli = (...args: string[]) => spawnSync(process.execPath, ['bin/mailscope.js', ...args], { encoding: 'utf8' });

describe('mailscope findings', () => {
  it('text: a summary, then the findings grouped by severity with session numbers and one-line whys', () => {
    const r = cli('findings', 'captures/demo.pcap', 'captures/smtp-relay-closed.pcap');
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^\d+ findings in 22 mail sessions \(3 high, \d+ medium, \d+ low, 6 info\)$/);
    const heads = lines.filter((l) => /^[A-Z]+$/.test(l));
    expect(heads).toEqual(['HIGH', 'MEDIUM', 'LOW', 'INFO']);
    expect(r.stdout).toMatch(/\n {2}cleartext-credentials +session 4 ex 2 +AUTH PLAIN for alice sent without TLS on port 587, and the login succeeded/);
    expect(r.stdout).toMatch(/\n {2}failed-login +session 5 ex 2 +1 failed login \(alice\) via LOGIN: 535 5\.7\.8\n/);
    expect(r.stdout).toMatch(/INFO\n {2}greylisted +session 8 ex 3 +greylisting deferred the message/);
    expect(r.stdout).toMatch(/\n {2}relay-test +session 22 ex 6 +relay test, percent hack/);
  });

  it('ndjson: one finding per line, capture-level ones last; --guessing-threshold', () => {
    const r = cli('findings', 'captures/smtp-password-guessing.pcap', '-f', 'ndjson', '--guessing-threshold', '12');
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.filter((f) => f.kind === 'failed-login')).toHaveLength(12);
    const last = rows.at(-1);
    expect(last).toMatchObject({ kind: 'password-guessing', severity: 'medium', scope: 'capture', count: 12 });
    expect(last.evidence).toHaveLength(12);
    expect(Object.keys(rows[0]).sort()).toEqual(['count', 'evidence', 'kind', 'scope', 'severity', 'why']);
  });

  it('--filter selects the sessions looked at; --local-domain adds the server\'s domains', () => {
    const only = cli('findings', 'captures/demo.pcap', '-f', 'ndjson', '-Y', 'pop');
    const sessions = new Set(only.stdout.trim().split('\n').map((l) => JSON.parse(l).evidence[0].session));
    expect([...sessions].sort()).toEqual([18, 19]);
    const zeek = '../shared/captures/zeek/smtp-mail-transactions-invalid.pcap';
    expect(cli('findings', zeek).stdout).toContain('open-relay');
    expect(cli('findings', zeek, '--local-domain', 'example.org').stdout).not.toContain('open-relay');
  });

  it('a bad filter is a usage error', () => {
    const r = cli('findings', 'captures/demo.pcap', '-Y', 'finding.kind ==');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('invalid --filter');
  });
});

describe('filter fields finding.*', () => {
  it('finding.kind, finding.severity, finding.count and finding.why over the demo capture', async () => {
    const sessions = await demoSessions();
    const ids = (expr: string) => sessions.filter((s) => compileFilter(expr).matches(s)).map((s) => s.id);
    expect(ids('finding.kind == "cleartext-credentials"')).toEqual([4, 5, 14, 15, 18, 19]);
    expect(ids('finding.kind == "failed-login" && smtp')).toEqual([5]);
    expect(ids('finding.severity == "high"')).toEqual([4, 14, 18]);
    expect(ids('finding.count == 0')).toEqual([11, 12, 16, 17, 20, 21]);
    expect(ids('finding.why contains "STLS"')).toEqual([18]);
    expect(ids('!finding.kind')).toEqual([11, 12, 16, 17, 20, 21]);
  });

  it('exchange-level: the transcript marks the exchanges a finding cites', async () => {
    const { sessions } = await readSessions(['captures/smtp-relay-open.pcap'], { machines: defaultMachines });
    expect(compileFilter('finding.kind == "relay-test" && finding.severity == "high"').matchingExchanges(sessions[0])).toEqual([12, 15, 17, 18]);
  });
});

describe('the UI\'s findings view', () => {
  it('f lists the capture\'s findings, most severe first; Enter opens the session; Esc goes back to the findings, then f to the list', async () => {
    const sessions = await demoSessions();
    const ui = renderApp({ loader: staticLoader(sessions) }, { columns: 140, rows: 30 });
    await sleep(80);
    await ui.press('f');
    let f = ui.frame();
    expect(f).toMatch(/\d+ findings \(3 high, \d+ medium, \d+ low, 1 info\)/);
    const rows = f.split('\n').filter((l) => /^(HIGH|MEDIUM|LOW|INFO) /.test(l));
    expect(rows[0]).toMatch(/^HIGH +cleartext-credentials +session 4 ex 2 +AUTH PLAIN for alice/);
    // Long evidence ("session 14 ex 0,1") keeps a space before the reason, and the reasons line up.
    const long = rows.find((r) => r.includes('session 14 ex 0,1'))!;
    expect(long).toMatch(/session 14 ex 0,1 +the server offered STARTTLS/);
    expect(long.indexOf('the server')).toBe(rows[0]!.indexOf('AUTH PLAIN'));
    expect(f).toContain('Enter open the session');
    await ui.press(KEY.down, KEY.enter);
    f = ui.frame();
    expect(f).toContain('Session 14  IMAP');
    expect(f).toMatch(/finding HIGH cleartext-credentials: LOGIN for alice sent without TLS on port 143/);
    await ui.press(KEY.escape);
    expect(ui.frame()).toMatch(/findings \(3 high/);
    await ui.press('f');
    expect(ui.frame()).toContain('127.0.0.1:52166'); // the session list again
    expect(ui.frame()).not.toMatch(/findings \(3 high/);
    ui.unmount();
  });

  it('the detail view lists the session\'s findings at the top', async () => {
    const sessions = await demoSessions();
    const ui = renderApp({ loader: staticLoader(sessions) }, { columns: 140, rows: 30 });
    await sleep(80);
    await ui.press('j', 'j', 'j', 'j', KEY.enter);
    const lines = ui.frame().split('\n');
    const title = lines.findIndex((l) => l.includes('Session 5  SMTP'));
    expect(lines[title + 1]).toMatch(/finding MEDIUM cleartext-credentials: AUTH LOGIN for alice/);
    expect(lines.slice(title + 1, title + 4).join('\n')).toMatch(/finding LOW failed-login: 1 failed login \(alice\) via LOGIN: 535 5\.7\.8 \[ex 2\]/);
    ui.unmount();
  });

  it('capture-level findings appear once the load is done (password guessing)', async () => {
    const { sessions } = await readSessions(['captures/smtp-password-guessing.pcap'], { machines: defaultMachines });
    const ui = renderApp({ loader: staticLoader(sessions) }, { columns: 160, rows: 30 });
    await sleep(80);
    await ui.press('f');
    expect(ui.frame()).toMatch(/MEDIUM +password-guessing +sessions 1-12 +12 failed logins from 127\.0\.0\.1/);
    expect(compileFilter('finding.kind == "password-guessing"').matches(sessions[3])).toBe(true);
    ui.unmount();
  });
});

describe('statistics in the UI', () => {
  it('o shows mailscope stats of the sessions the list shows; the filter narrows them; Esc goes back', async () => {
    const ui = renderApp({ loader: staticLoader(await demoSessions()) }, { columns: 120, rows: 40 });
    await sleep(80);
    await ui.press('o');
    let f = ui.frame();
    expect(f).toMatch(/^Statistics$/m);
    expect(f).toMatch(/^21 mail sessions from .*: 13 SMTP, 4 IMAP, 4 POP3$/m);
    expect(f).toMatch(/ 2 +SMTP +550 5\.1\.1 +RCPT +Recipient does not exist \(7, 10\)/);
    expect(f).toContain('Esc/o back');
    await ui.press(KEY.escape, 'a', 'o');
    f = ui.frame();
    expect(f).toContain('Statistics of the sessions matching auth.failed');
    expect(f).toMatch(/^3 mail sessions /m);
    expect(f).toMatch(/Logins: 3 attempts, 0 succeeded, 3 failed/);
    await ui.press('o');
    expect(rowIds(ui.frame())).toEqual([5, 15, 19]);
    ui.unmount();
  });
});

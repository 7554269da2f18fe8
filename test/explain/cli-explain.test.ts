/** `mailscope explain`, and the explanations in `mailscope transcript` on the demo capture. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function mailscope(...args: string[]) {
  return mailscopeWith({}, ...args);
}

function mailscopeWith(env: NodeJS.ProcessEnv, ...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/mailscope.js', ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('mailscope explain', () => {
  it('explains a reply line in text', () => {
    const r = mailscope('explain', '550 5.7.1 Relaying denied');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^550 5\.7\.1 \(SMTP\): permanent failure\n  meaning: Relaying denied\n  cause: .+\n  fix: .+\n  recognised text: relay-denied\n  codes:\n    550 /);
    expect(r.stdout).toContain('x.7.1  Delivery not authorized, message refused');
  });

  it('takes the words unquoted, --lang zh and --format json', () => {
    const zh = mailscope('explain', '450', '4.7.1', 'Greylisted,', 'please', 'try', 'again', 'later', '--lang', 'zh');
    expect(zh.stdout).toMatch(/^450 4\.7\.1 \(SMTP\)：临时失败\n  含义：灰名单/);
    const json = JSON.parse(mailscope('explain', '-ERR [IN-USE] maildrop lock busy! Is another session active?', '-f', 'json').stdout);
    expect(json).toMatchObject({ protocol: 'pop3', label: '-ERR [IN-USE]', pattern: 'mailbox-in-use', temporary: true });
  });

  it('answers in the locale\'s language when it is one we have, and --lang wins', () => {
    const reply = '550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown';
    expect(mailscopeWith({ LC_ALL: '', LANG: 'zh_CN.UTF-8' }, 'explain', reply).stdout).toMatch(/^550 5\.1\.1 \(SMTP\)：永久失败/);
    expect(mailscopeWith({ LC_ALL: 'zh_TW.UTF-8', LANG: 'en_US.UTF-8' }, 'explain', reply).stdout).toMatch(/：永久失败/); // LC_ALL comes first
    expect(mailscopeWith({ LC_ALL: '', LANG: 'zh_CN.UTF-8' }, 'explain', reply, '--lang', 'en').stdout).toMatch(/^550 5\.1\.1 \(SMTP\): permanent failure/);
    expect(mailscopeWith({ LC_ALL: '', LANG: 'de_DE.UTF-8' }, 'explain', reply).stdout).toMatch(/: permanent failure/);
  });

  it('exits 1 on text that is not a reply', () => {
    const r = mailscope('explain', 'hello world');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/not a reply mailscope can read: "hello world"/);
  });
});

describe('explanations in transcripts (captures/demo.pcap)', () => {
  const transcript = mailscope('transcript', 'captures/demo.pcap').stdout;
  /** The two lines after the reply that matches. */
  const under = (reply: RegExp) => {
    const lines = transcript.split('\n');
    const i = lines.findIndex((l) => reply.test(l));
    expect(i, `reply ${reply} in the transcript`).toBeGreaterThan(-1);
    return lines.slice(i + 1, i + 3);
  };

  it.each([
    [/S: 535 5\.7\.8 Error: authentication failed/, 'Login failed: user name or password refused'],
    [/S: 554 5\.7\.1 .*Relay access denied/, 'Relaying denied'],
    [/S: 550 5\.1\.1 .*User unknown/, 'Recipient does not exist'],
    [/S: 450 4\.7\.1 .*Greylisted/, 'Greylisting: a deliberate first-time deferral'],
    [/S: 552 5\.3\.4 Message size exceeds fixed limit/, 'Message too big'],
    [/S: -ERR \[AUTH\] Authentication failed/, 'Login failed: user name or password refused'],
    [/S: \S+ NO \[AUTHENTICATIONFAILED\]/, 'Login failed: user name or password refused'],
  ])('%s gets "%s"', (reply, meaning) => {
    const [first, second] = under(reply);
    expect(first).toMatch(new RegExp(`^ {28}\\?\\? ${meaning.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} — `));
    expect(second).toMatch(/^ {28} {3}fix: /);
  });

  it('explains only failing replies', () => {
    const explained = transcript.split('\n').filter((l) => /^\s+\?\? /.test(l)).length;
    expect(explained).toBe(8); // sessions 5-10 (6), 15, 19
  });

  it('--no-explain leaves them out, --lang zh translates them', () => {
    expect(mailscope('transcript', 'captures/demo.pcap', '--no-explain').stdout).not.toMatch(/\?\? /);
    expect(mailscope('transcript', 'captures/demo.pcap', '-n', '6', '--lang', 'zh').stdout).toMatch(/\?\? 拒绝中继 — /);
  });

  it('leaves read\'s one-line output as it was', () => {
    expect(mailscope('read', 'captures/demo.pcap').stdout).not.toMatch(/\?\?/);
  });
});

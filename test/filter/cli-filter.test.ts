/** `read --filter`, `transcript --filter` and `fields` through the built CLI (npm test builds first). */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const cli = (...args: string[]) => spawnSync('node', ['bin/mailscope.js', ...args], { encoding: 'utf8' });

describe('mailscope --filter', () => {
  it('read prints only the matching sessions', () => {
    const r = cli('read', 'captures/demo.pcap', '-f', 'ndjson', '--filter', 'auth.failed');
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).id)).toEqual([5, 15, 19]);
  });
  it('-Y is the tshark-style alias', () => {
    const r = cli('read', 'captures/demo.pcap', '-Y', 'smtp.response.code in {400..599}');
    expect(r.stdout.trim().split('\n').pop()).toBe('6 mail sessions');
  });
  it('--local-domain changes what the finding.* fields see (the server\'s domains for open-relay)', () => {
    const relayedBoth = 'finding.kind == "open-relay" && finding.why contains "elsewhere.example, [192.0.2.1]"';
    expect(cli('read', 'captures/smtp-relay-open.pcap', '-Y', relayedBoth).stdout.trim().split('\n').pop()).toBe('1 mail session');
    // Told that the server accepts mail for elsewhere.example, only the IP-literal RCPT is relayed.
    const local = cli('read', 'captures/smtp-relay-open.pcap', '-Y', relayedBoth, '--local-domain', 'elsewhere.example');
    expect(local.stdout.trim().split('\n').pop()).toBe('0 mail sessions');
    const ipOnly = cli('transcript', 'captures/smtp-relay-open.pcap', '-Y', 'finding.why contains "a RCPT to [192.0.2.1]"', '--local-domain', 'elsewhere.example');
    expect(ipOnly.stdout).toMatch(/^> .*C: RCPT TO:<victim@\[192\.0\.2\.1\]>/m);
  });

  it('a bad filter: exit 1, the expression, a caret line and the message on stderr', () => {
    const r = cli('read', 'captures/demo.pcap', '--filter', 'smtp.respons.code == 250');
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'mailscope: invalid --filter:\nsmtp.respons.code == 250\n^~~~~~~~~~~~~~~~~\n"smtp.respons.code" is not a valid field (did you mean smtp.response.code?)\n',
    );
  });
  it('transcript marks the exchanges that matched with ">"', () => {
    const r = cli('transcript', 'captures/demo.pcap', '--filter', 'smtp.response.code >= 400 && smtp.req.command == "RCPT"', '-n', '6');
    expect(r.status).toBe(0);
    const marked = r.stdout.split('\n').filter((l) => l.startsWith('> '));
    // The explanation under the failing reply belongs to the exchange and is marked with it.
    expect(marked.filter((l) => /^> {29}(\?\? |   fix: )/.test(l))).toHaveLength(2);
    expect(marked.filter((l) => !/^> {29}/.test(l)).map((l) => l.replace(/^> \S+\s+(\+\S+\s+)?/, ''))).toEqual([
      'C: RCPT TO:<victim@elsewhere.example>',
      'S: 554 5.7.1 <victim@elsewhere.example>: Relay access denied',
    ]);
  });
  it('transcript with a filter shows only matching sessions', () => {
    const r = cli('transcript', 'captures/demo.pcap', '-Y', 'pop.response.indicator == "-ERR"');
    expect(r.stdout.match(/^Session \d+/gm)).toEqual(['Session 19']);
  });
});

describe('mailscope fields', () => {
  it('lists every field as JSON', () => {
    const r = cli('fields', '--format', 'json');
    const fields = JSON.parse(r.stdout) as Array<{ name: string; type: string; wireshark: boolean }>;
    expect(fields.find((f) => f.name === 'smtp.response.code')).toMatchObject({ type: 'number', wireshark: true });
    expect(fields.find((f) => f.name === 'auth.failed')).toMatchObject({ type: 'boolean', wireshark: false });
  });
  it('lists every field as text, one a line', () => {
    const r = cli('fields');
    expect(r.stdout).toMatch(/^smtp\.response\.code\s+number\s+W\s+SMTP reply code/m);
  });
  it('says, field by field, where a session-wide reading differs from Wireshark\'s, and which fields are secrets', () => {
    const fields = JSON.parse(cli('fields', '--format', 'json').stdout) as Array<{ name: string; wireshark: boolean; differs?: string; secret?: boolean }>;
    expect(fields.find((f) => f.name === 'frame.time')?.differs).toMatch(/first and last packets/);
    expect(fields.find((f) => f.name === 'smtp.req.command')?.differs).toMatch(/case/);
    expect(fields.find((f) => f.name === 'smtp.auth.password')).toMatchObject({ wireshark: true, secret: true });
    // Only Wireshark's fields can differ from Wireshark.
    expect(fields.filter((f) => f.differs && !f.wireshark).map((f) => f.name)).toEqual([]);
    const text = cli('fields').stdout;
    expect(text).toMatch(/^frame\.time\s+time\s+W .*\n\s+vs Wireshark: only the first and last packets/m);
    expect(text).toMatch(/^smtp\.auth\.password .*\n\s+secret: "<redacted>" unless --show-secrets/m);
  });
});

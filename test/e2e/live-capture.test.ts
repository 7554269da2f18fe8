/**
 * Live capture end to end (issue 7): captures on the loopback interface while
 * real SMTP, POP3 and IMAP conversations run against small servers started
 * here, checks the sessions printed live, then reads the written pcap back
 * with `mailscope read` and expects the same sessions. Runs once per backend
 * (cap, and tcpdump forced with MAILSCOPE_CAPTURE_BACKEND); needs root (or
 * the capture capabilities), so it is skipped when not root.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { converse, imapScript, imapServer, listen, pop3Script, pop3Server, smtpScript, smtpServer } from '../helpers/mail-servers.js';

const root = process.getuid?.() === 0;
const capLoads = (() => {
  try {
    createRequire(import.meta.url)('cap');
    return true;
  } catch {
    return false;
  }
})();
const tcpdump = ['/usr/bin/tcpdump', '/usr/sbin/tcpdump', '/sbin/tcpdump'].find((p) => existsSync(p)) ?? null;
const tshark = existsSync('/usr/bin/tshark');
const bin = join(import.meta.dirname, '../../bin/mailscope.js');

interface Exchange { command: { verb: string } | null; reply: { code?: number; indicator?: string; status?: string; tag?: string } | null }
interface SessionJson { id: number; protocol: string; client: { port: number }; server: { port: number }; auth: { result: string }[]; exchanges: Exchange[] }

/** What must agree between the live sessions and the ones read back: who, what was said, what was answered. */
function shape(s: SessionJson): string {
  const ex = s.exchanges.map((e) => `${e.command?.verb ?? '-'}:${e.reply?.code ?? e.reply?.indicator ?? e.reply?.status ?? '-'}`);
  return `${s.protocol} ${s.client.port}>${s.server.port} auth=${s.auth.map((a) => a.result).join(',')} ${ex.join(' ')}`;
}

describe('mailscope capture on loopback', () => {
  const servers: Server[] = [];
  const ports = { smtp: 0, pop3: 0, imap: 0 };
  let dir = '';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mailscope-live-'));
    const s = [smtpServer(), pop3Server(), imapServer()];
    servers.push(...s);
    [ports.smtp, ports.pop3, ports.imap] = await Promise.all(s.map((srv) => listen(srv)));
  });

  afterAll(() => {
    for (const s of servers) s.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function captureWhileTalking(backend: 'cap' | 'tcpdump', stop: 'sigint' | 'duration'): Promise<{ live: SessionJson[]; stderr: string; pcap: string; code: number | null }> {
    const pcap = join(dir, `live-${backend}.pcap`);
    const args = [bin, 'capture', '-i', 'lo',
      '--decode-as', `${ports.smtp}=smtp`, '--decode-as', `${ports.pop3}=pop3`, '--decode-as', `${ports.imap}=imap`,
      '--format', 'ndjson', '--write', pcap, '--duration', stop === 'duration' ? '8' : '60'];
    const child = spawn(process.execPath, args, { env: { ...process.env, MAILSCOPE_CAPTURE_BACKEND: backend }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        if (/listening on lo/.test(stderr)) resolve();
      });
      closed.then(() => reject(new Error(`capture exited early: ${stderr}`)));
    });
    // The conversations, one after the other, two of them failing their login.
    await converse(ports.smtp, smtpScript('alice', 'good'));
    await converse(ports.smtp, smtpScript('mallory', 'bad'));
    await converse(ports.pop3, pop3Script('bob', 'good'));
    await converse(ports.pop3, pop3Script('bob', 'wrong'));
    await converse(ports.imap, imapScript('carol', 'good'));
    await converse(ports.imap, imapScript('carol', 'nope'));
    // A session must be printed live, before the capture ends.
    await waitFor(() => stdout.split('\n').filter(Boolean).length >= 6, 10_000);
    if (stop === 'sigint') child.kill('SIGINT');
    const code = await closed;
    const live = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as SessionJson);
    return { live, stderr, pcap, code };
  }

  const cases: { backend: 'cap' | 'tcpdump'; stop: 'sigint' | 'duration'; available: boolean }[] = [
    { backend: 'cap', stop: 'sigint', available: capLoads },
    { backend: 'tcpdump', stop: 'duration', available: tcpdump !== null },
  ];
  for (const c of cases) {
    it.runIf(root && c.available)(`${c.backend}: sessions decoded live equal the written pcap read back (stopped by ${c.stop})`, async () => {
      const { live, stderr, pcap, code } = await captureWhileTalking(c.backend, c.stop);
      expect(code, stderr).toBe(0);
      expect(stderr).toContain(`with ${c.backend}`);
      expect(stderr).toMatch(/mailscope: \d+ packets .* 6 mail sessions; written to /);
      if (c.backend === 'tcpdump') expect(stderr).toMatch(/\d+ dropped by libpcap/);

      expect(live).toHaveLength(6);
      const byProto = (p: string) => live.filter((s) => s.protocol === p);
      for (const p of ['smtp', 'pop3', 'imap']) {
        const two = byProto(p);
        expect(two, p).toHaveLength(2);
        expect(two.map((s) => s.auth[0]?.result).sort(), p).toEqual(['failure', 'success']);
      }
      const smtpVerbs = byProto('smtp').map((s) => s.exchanges.map((e) => e.command?.verb ?? null));
      expect(smtpVerbs).toContainEqual([null, 'EHLO', 'AUTH', 'MAIL', 'RCPT', 'DATA', 'QUIT']);
      expect(smtpVerbs).toContainEqual([null, 'EHLO', 'AUTH', 'QUIT']);
      const failed = byProto('smtp').find((s) => s.auth[0]?.result === 'failure')!;
      expect(failed.exchanges.find((e) => e.command?.verb === 'AUTH')?.reply?.code).toBe(535);
      expect(byProto('imap').flatMap((s) => s.exchanges).some((e) => e.reply?.status === 'NO')).toBe(true);
      expect(byProto('pop3').flatMap((s) => s.exchanges).some((e) => e.reply?.indicator === '-ERR')).toBe(true);

      expect(statSync(pcap).size).toBeGreaterThan(24);
      const back = spawnSync(process.execPath, [bin, 'read', pcap, '-f', 'ndjson',
        '--decode-as', `${ports.smtp}=smtp`, '--decode-as', `${ports.pop3}=pop3`, '--decode-as', `${ports.imap}=imap`], { encoding: 'utf8' });
      expect(back.status, back.stderr).toBe(0);
      const read = back.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as SessionJson);
      const sortKey = (a: SessionJson, b: SessionJson) => a.client.port - b.client.port;
      expect(read.sort(sortKey).map(shape)).toEqual([...live].sort(sortKey).map(shape));

      if (tshark) {
        const t = spawnSync('/usr/bin/tshark', ['-r', pcap, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' });
        expect(t.status, t.stderr).toBe(0);
        expect(t.stdout.trim().split('\n').length).toBeGreaterThan(30);
      }
    });
  }

  it.runIf(root && (capLoads || tcpdump !== null))('a missing interface gets one clear message and exit status 2', () => {
    const r = spawnSync(process.execPath, [bin, 'capture', '-i', 'no-such-if0', '--duration', '1'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/there is no interface "no-such-if0"/);
  });
});

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

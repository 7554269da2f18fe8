/**
 * Live capture of VLAN-tagged traffic, as on a switch trunk port: a real
 * capture's frames, each given an 802.1Q tag, are sent into one end of a
 * veth pair and `mailscope capture` listens on the other end with its
 * default capture filter. On Linux the kernel takes the tag off before the
 * filter runs (VLAN offload) and libpcap puts it back in the saved frame, so
 * the default filter matches and the written pcap keeps the tag. Needs root,
 * iproute2 and python3; skipped without them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = process.getuid?.() === 0;
const ip = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip'].find((p) => existsSync(p)) ?? null;
const bin = join(import.meta.dirname, '../../bin/mailscope.js');
const a = `msv${process.pid % 10000}a`;
const b = `msv${process.pid % 10000}b`;
const dir = mkdtempSync(join(tmpdir(), 'mailscope-vlan-'));

/** The veth pair, up; false when this machine cannot make one. */
function makeVeth(): boolean {
  if (!ip || !root) return false;
  if (spawnSync(ip, ['link', 'add', a, 'type', 'veth', 'peer', 'name', b]).status !== 0) return false;
  return spawnSync(ip, ['link', 'set', a, 'up']).status === 0 && spawnSync(ip, ['link', 'set', b, 'up']).status === 0;
}

const veth = makeVeth();

afterAll(() => {
  if (veth) spawnSync(ip!, ['link', 'del', a]);
  rmSync(dir, { recursive: true, force: true });
});

describe('live capture of 802.1Q-tagged traffic', () => {
  it.runIf(veth)('decodes the same session as the untagged capture, with the default capture filter', async () => {
    const pcap = join(dir, 'vlan.pcap');
    const child = spawn(process.execPath, [bin, 'capture', '-i', b, '--duration', '5', '-f', 'ndjson', '-w', pcap], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const listening = Date.now() + 10_000;
    while (!stderr.includes('listening on') && Date.now() < listening) await new Promise((r) => setTimeout(r, 50));
    expect(stderr).toContain('listening on');
    const inject = spawnSync('python3', ['test/helpers/inject_vlan.py', 'captures/smtp-auth-success.pcap', a], { encoding: 'utf8' });
    expect(inject.stdout).toMatch(/^\d+ frames sent/);
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code, stderr).toBe(0);

    const live = stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
    const reference = JSON.parse(spawnSync(process.execPath, [bin, 'read', 'captures/smtp-auth-success.pcap', '-f', 'json'], { encoding: 'utf8' }).stdout);
    expect(live).toHaveLength(1);
    const verbs = (s: { exchanges: { command: { verb: string } | null; reply: { code?: number } | null }[] }) =>
      s.exchanges.map((e) => `${e.command?.verb ?? '-'} ${e.reply?.code ?? '-'}`);
    expect(verbs(live[0])).toEqual(verbs(reference[0]));
    expect(live[0].auth).toEqual(reference[0].auth);
    // The written file keeps the tags, and reads back to the same session.
    const back = JSON.parse(spawnSync(process.execPath, [bin, 'read', pcap, '-f', 'json'], { encoding: 'utf8' }).stdout);
    expect(verbs(back[0])).toEqual(verbs(reference[0]));
    const file = readFileSync(pcap);
    expect(file.readUInt16BE(24 + 16 + 12)).toBe(0x8100); // first frame: Ethernet, then the 802.1Q tag
    expect(file.readUInt16BE(24 + 16 + 14) & 0x0fff).toBe(100);
  });
});

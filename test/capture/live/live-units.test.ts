/** Live capture pieces that need no capturing: filter text, arguments, clock anchoring, rotation, backend choice. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArrivalClock } from '../../../src/capture/live/arrival-clock.js';
import { chooseBackend, describeOpenFailure } from '../../../src/capture/live/backend.js';
import { defaultBpf } from '../../../src/capture/live/bpf.js';
import { capLinkType } from '../../../src/capture/live/cap-binding.js';
import { parseTcpdumpList } from '../../../src/capture/live/interfaces.js';
import { listeningLinkType } from '../../../src/capture/live/live-capture.js';
import { originalLength } from '../../../src/capture/live/orig-len.js';
import { RotatingPcapWriter, rotatedName } from '../../../src/capture/live/rotating-writer.js';
import { parseTcpdumpStats, tcpdumpArgs } from '../../../src/capture/live/tcpdump.js';
import { readCaptureFile } from '../../../src/capture/read-file.js';
import { captureConfig, summary, type CaptureArgs } from '../../../src/cli/capture-command.js';

describe('default BPF filter', () => {
  it('covers the mail ports, in order', () => {
    expect(defaultBpf()).toBe('tcp and (port 25 or port 110 or port 143 or port 465 or port 587 or port 993 or port 995 or port 2525)');
  });
  it('adds --decode-as ports once', () => {
    expect(defaultBpf([8025, 25, 8025])).toBe('tcp and (port 25 or port 110 or port 143 or port 465 or port 587 or port 993 or port 995 or port 2525 or port 8025)');
  });
  it('rejects impossible ports', () => {
    expect(() => defaultBpf([70000])).toThrow(/70000/);
  });
});

const base: CaptureArgs = { iface: 'lo', decodeAs: [], format: 'text', showSecrets: false, listInterfaces: false };

describe('capture arguments', () => {
  it('fills in defaults', () => {
    const c = captureConfig(base);
    expect(c).toMatchObject({ iface: 'lo', snaplen: 262144, bufferMb: 64, write: null, rotateBytes: 0, durationMs: null, count: null });
    expect(c.bpf).toMatch(/^tcp and \(port 25 /);
  });
  it('puts --decode-as ports in the default filter, and --bpf replaces it', () => {
    expect(captureConfig({ ...base, decodeAs: ['8025=smtp'] }).bpf).toContain('port 8025');
    expect(captureConfig({ ...base, decodeAs: ['8025=smtp'], bpf: ' host 10.0.0.1 ' }).bpf).toBe('host 10.0.0.1');
  });
  it('converts units', () => {
    const c = captureConfig({ ...base, write: 'x.pcap', rotateMb: 1.5, duration: 2.5, count: 10 });
    expect(c).toMatchObject({ rotateBytes: 1572864, durationMs: 2500, count: 10, write: 'x.pcap' });
  });
  it.each<[Partial<CaptureArgs>, RegExp]>([
    [{ iface: undefined }, /needs an interface/],
    [{ rotateMb: 10 }, /--rotate-mb needs --write/],
    [{ count: 0 }, /--count 0/],
    [{ count: 2.5 }, /whole number/],
    [{ duration: -1 }, /--duration -1/],
    [{ snaplen: 10 }, /--snaplen 10/],
    [{ snaplen: 300000 }, /--snaplen 300000/],
    [{ bufferMb: Number.NaN }, /--buffer-mb/],
    [{ bpf: '  ' }, /--bpf needs an expression/],
    [{ decodeAs: ['25=ftp'] }, /--decode-as/],
  ])('rejects %o', (extra, message) => {
    expect(() => captureConfig({ ...base, ...extra })).toThrow(message);
  });
});

describe('arrival clock', () => {
  it('anchors the monotonic clock to the wall clock once', () => {
    let mono = 5_000n;
    let wall = 1_700_000_000_000_000_000n;
    const clock = new ArrivalClock({ wallNs: () => wall, monoNs: () => mono });
    expect(clock.now()).toBe(1_700_000_000_000_000_000n);
    mono += 1_234_567n;
    expect(clock.now()).toBe(1_700_000_000_001_234_567n);
  });
  it('does not follow the wall clock when it steps back after the anchor', () => {
    let mono = 0n;
    let wall = 2_000_000_000_000_000_000n;
    const clock = new ArrivalClock({ wallNs: () => wall, monoNs: () => mono });
    const before = clock.now();
    wall -= 3_600_000_000_000n; // an NTP step of an hour back
    mono += 10n;
    expect(clock.now()).toBe(before + 10n);
  });
  it('stays within a millisecond of Date.now with the real clocks', () => {
    const diff = Number(new ArrivalClock().now() / 1_000_000n) - Date.now();
    expect(Math.abs(diff)).toBeLessThanOrEqual(2);
  });
});

describe('rotation', () => {
  it('names files with a sequence number before the extension', () => {
    expect(rotatedName('/tmp/cap.pcap', 1)).toBe('/tmp/cap-00001.pcap');
    expect(rotatedName('out/mail', 12)).toBe(join('out', 'mail-00012.pcap'));
  });
  it('starts a new file before a record would pass the limit, and each file reads back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailscope-rotate-'));
    try {
      const w = new RotatingPcapWriter({ path: join(dir, 'c.pcap'), rotateBytes: 1000, linkType: 1, snapLen: 262144 });
      for (let i = 0; i < 10; i++) {
        w.write({ index: i + 1, ts: BigInt(i) * 1_000_000n + 1_700_000_000_000_000_000n, linkType: 1, data: Buffer.alloc(200, i), origLen: 200 });
      }
      await w.close();
      // 24 + 4 * 216 = 888 fits, a fifth record would make 1104.
      expect(readdirSync(dir).sort()).toEqual(['c-00001.pcap', 'c-00002.pcap', 'c-00003.pcap']);
      const counts: number[] = [];
      for (const f of w.files) {
        let n = 0;
        for await (const b of readCaptureFile(f, { onDamage: (e) => { throw e; } })) n += b.length;
        counts.push(n);
      }
      expect(counts).toEqual([4, 4, 2]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('writes exactly the named file without rotation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailscope-rotate-'));
    try {
      const w = new RotatingPcapWriter({ path: join(dir, 'one.pcap'), linkType: 1, snapLen: 65535 });
      await w.close();
      expect(readdirSync(dir)).toEqual(['one.pcap']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('backend choice', () => {
  const capMissing = 'the cap package is not installed';
  it('prefers cap when it loads', () => {
    expect(chooseBackend({ requested: undefined, capProblem: null, tcpdump: '/usr/bin/tcpdump' })).toMatchObject({ ok: true, backend: 'cap' });
  });
  it('falls back to tcpdump and says why', () => {
    const c = chooseBackend({ requested: 'auto', capProblem: capMissing, tcpdump: '/usr/bin/tcpdump' });
    expect(c).toMatchObject({ ok: true, backend: 'tcpdump' });
    expect(c.ok && c.note).toContain(capMissing);
  });
  it('honours MAILSCOPE_CAPTURE_BACKEND=tcpdump even when cap loads', () => {
    expect(chooseBackend({ requested: 'TCPDUMP', capProblem: null, tcpdump: '/usr/sbin/tcpdump' })).toMatchObject({ ok: true, backend: 'tcpdump' });
  });
  it('says what to install when neither is there', () => {
    const c = chooseBackend({ requested: undefined, capProblem: capMissing, tcpdump: null });
    expect(c.ok).toBe(false);
    expect(!c.ok && c.message).toMatch(/apt-get install libpcap-dev.*npm rebuild cap.*apt-get install tcpdump/);
  });
  it('refuses a forced backend that is missing, and an unknown one', () => {
    expect(chooseBackend({ requested: 'cap', capProblem: capMissing, tcpdump: '/usr/bin/tcpdump' }).ok).toBe(false);
    expect(chooseBackend({ requested: 'tcpdump', capProblem: null, tcpdump: null }).ok).toBe(false);
    expect(chooseBackend({ requested: 'pf_ring', capProblem: null, tcpdump: null })).toMatchObject({ ok: false, message: /expected cap, tcpdump or auto/ });
  });
});

describe('open failures become one line that says what to do', () => {
  it('permission: names the capability to grant', () => {
    const m = describeOpenFailure('eth0', 'cap', "eth0: You don't have permission to perform this capture on that device (socket: Operation not permitted)");
    expect(m).toMatch(/no permission to capture on eth0/);
    expect(m).toContain('setcap cap_net_raw,cap_net_admin=eip');
  });
  it('missing interface', () => {
    expect(describeOpenFailure('eth9', 'tcpdump', 'tcpdump: eth9: No such device exists')).toMatch(/there is no interface "eth9"/);
  });
  it('bad BPF', () => {
    expect(describeOpenFailure('lo', 'cap', 'syntax error in filter expression')).toMatch(/not valid BPF/);
  });
});

describe('small parsers', () => {
  it('reads tcpdump drop counts', () => {
    expect(parseTcpdumpStats('1234 packets dropped by kernel')).toBe(1234);
    expect(parseTcpdumpStats('5 packets captured')).toBeNull();
  });
  it('builds tcpdump arguments', () => {
    expect(tcpdumpArgs({ iface: 'lo', filter: 'tcp port 25', snaplen: 1500, bufferMb: 2 }))
      .toEqual(['-U', '-w', '-', '-n', '-i', 'lo', '-s', '1500', '-B', '2048', '--time-stamp-precision=nano', 'tcp port 25']);
  });
  it('reads the link type from a listening line', () => {
    expect(listeningLinkType('LISTENING 1')).toBe(1);
    expect(listeningLinkType('tcpdump: listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 262144 bytes')).toBe(276);
    expect(listeningLinkType('Warning: something')).toBeUndefined();
  });
  it("maps cap's link-type names", () => {
    expect(capLinkType('ETHERNET')).toBe(1);
    expect(capLinkType('LINKTYPE_LINUX_SLL')).toBe(113);
    expect(capLinkType('Unknown linktype 276')).toBe(276);
    expect(capLinkType('nonsense')).toBeNull();
  });
  it('lists tcpdump -D interfaces', () => {
    expect(parseTcpdumpList('1.eth0 [Up, Running, Connected]\n2.lo [Up, Running, Loopback]\n3.any (Pseudo-device that captures on all interfaces) [Up, Running]\n'))
      .toEqual([
        { name: 'eth0', description: undefined, addresses: [], loopback: false },
        { name: 'lo', description: undefined, addresses: [], loopback: true },
        { name: 'any', description: 'Pseudo-device that captures on all interfaces', addresses: [], loopback: false },
      ]);
  });
  it('recovers the wire length of a cut IPv4 packet from its header', () => {
    const pkt = Buffer.alloc(60);
    pkt.writeUInt16BE(0x0800, 12);
    pkt[14] = 0x45;
    pkt.writeUInt16BE(1500, 16);
    expect(originalLength(1, pkt)).toBe(1514);
    expect(originalLength(1, pkt.subarray(0, 16))).toBe(16);
  });
  it('summarises a capture', () => {
    const s = summary({ backend: 'tcpdump', packets: 120, bytes: 9000, drops: 0, packetRate: 0, byteRate: 0, elapsedMs: 2500 }, 3, 1, 0, ['a.pcap']);
    expect(s).toMatch(/^mailscope: 120 packets \(.*\) in 2\.5 s; 0 dropped by libpcap; 3 mail sessions \(1 matched the filter\); written to a\.pcap$/);
  });
});

/**
 * The damaged corpus (captures/damaged/, made by captures/damage.py from real
 * recordings): each gives a clear one-line message or a recorded gap, never a
 * stack trace, and nothing decoded before the damage is lost.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { collect } from '../helpers/collect.js';

function mailscope(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/mailscope.js', ...args], { encoding: 'latin1' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const D = 'captures/damaged';

describe('damaged captures', () => {
  for (const [name, pattern] of [
    ['truncated.pcap', /truncated at byte \d+, frame 12: the file ends inside a record/],
    ['truncated-mid-header.pcap', /truncated at byte \d+, frame 12: the file ends inside a record \(8 bytes/],
    ['corrupt-length.pcap', /corrupt at byte \d+, frame 12: record length 4294967040 is larger than the snap length/],
  ] as const) {
    it(`${name}: exit 3, one line naming the place, and every frame before it decoded`, async () => {
      const r = mailscope('follow', `${D}/${name}`, '-s', '0');
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
      expect(r.stdout).toMatch(/^220 /m);
      const { result, streams } = await collect([`${D}/${name}`]);
      expect(result.frames).toBe(11);
      const original = await collect(['captures/smtp-auth-success.pcap']);
      // What was read is a prefix of the real conversation.
      const got = streams.get(0)!.bytes[1];
      expect(got.length).toBeGreaterThan(0);
      expect(original.streams.get(0)!.bytes[1].subarray(0, got.length).equals(got)).toBe(true);
    });
  }

  for (const [name, code, pattern] of [
    ['bad-magic.bin', 2, /not a capture file: it starts with/],
    ['empty.pcap', 2, /not a capture file: the file is empty/],
    ['bad-version.pcap', 2, /unsupported at byte 4: pcap version 9\.4 is not 2\.0-2\.4/],
  ] as const) {
    it(`${name}: exit ${code} with one line`, () => {
      const r = mailscope('follow', `${D}/${name}`);
      expect(r.code).toBe(code);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    });
  }

  it('header-only.pcap is a valid, empty capture', () => {
    const r = mailscope('follow', `${D}/header-only.pcap`);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/0 TCP streams in 0 frames/);
  });

  it('dropped-segment.pcap: the lost reply becomes a gap of its exact length, and the stream goes on', async () => {
    const original = (await collect(['captures/smtp-auth-success.pcap'])).streams.get(0)!;
    const damaged = (await collect([`${D}/dropped-segment.pcap`])).streams.get(0)!;
    expect(damaged.gaps).toHaveLength(1);
    expect(damaged.gaps[0].dir).toBe(1);
    const lost = damaged.gaps[0].length;
    expect(damaged.bytes[0].equals(original.bytes[0])).toBe(true);
    expect(damaged.bytes[1].length).toBe(original.bytes[1].length - lost);
    // The bytes after the gap are the real continuation.
    const s = original.bytes[1].toString('latin1');
    const d = damaged.bytes[1].toString('latin1');
    const at = [...d].findIndex((ch, i) => ch !== s[i]);
    expect(s.slice(0, at) + s.slice(at + lost)).toBe(d);
    expect(damaged.conn.stats.gaps).toBe(1);
  });

  it('reordered.pcap: segments are put back in order with no gap', async () => {
    const original = (await collect(['captures/smtp-medium-message.pcap'])).streams.get(0)!;
    const damaged = (await collect([`${D}/reordered.pcap`])).streams.get(0)!;
    expect(damaged.gaps).toEqual([]);
    expect(damaged.conn.stats.outOfOrder).toBeGreaterThan(0);
    expect(damaged.bytes[0].equals(original.bytes[0])).toBe(true);
    expect(damaged.bytes[1].equals(original.bytes[1])).toBe(true);
  });

  it('midstream.pcap: a connection without its handshake is still decoded, server found by port', async () => {
    const original = (await collect(['captures/smtp-auth-success.pcap'])).streams.get(0)!;
    const damaged = (await collect([`${D}/midstream.pcap`])).streams.get(0)!;
    expect(damaged.conn.roleEvidence).toBe('port');
    expect(damaged.conn.server.port).toBe(587);
    expect(damaged.anomalies.map((a) => a.kind)).toContain('tcp.midstream');
    // Everything from the first captured byte on is there.
    expect(original.bytes[0].toString('latin1').endsWith(damaged.bytes[0].toString('latin1'))).toBe(true);
    expect(original.bytes[1].toString('latin1').endsWith(damaged.bytes[1].toString('latin1'))).toBe(true);
    expect(damaged.bytes[0].toString('latin1')).toMatch(/^EHLO /);
  });
});

describe('format variants of the same recording', () => {
  const reference = 'captures/smtp-auth-success.pcap';
  for (const variant of ['smtp-auth-success-be.pcap', 'smtp-auth-success-ns.pcap']) {
    it(`${variant} gives the same streams and timestamps`, async () => {
      const a = await collect([reference]);
      const b = await collect([`captures/variants/${variant}`]);
      const sa = a.streams.get(0)!;
      const sb = b.streams.get(0)!;
      expect(sb.bytes[0].equals(sa.bytes[0])).toBe(true);
      expect(sb.bytes[1].equals(sa.bytes[1])).toBe(true);
      expect(sb.conn.firstTs).toBe(sa.conn.firstTs);
    });
  }

  it('the pcapng, gzip and 3-file ring copies of the demo give the same streams', async () => {
    const plain = await collect(['captures/demo.pcap']);
    const ring = (await import('node:fs')).readdirSync('captures/variants').filter((n) => n.startsWith('demo-ring')).map((n) => `captures/variants/${n}`);
    expect(ring).toHaveLength(3);
    for (const paths of [['captures/variants/demo.pcapng'], ['captures/variants/demo.pcap.gz'], ring.reverse()]) {
      const other = await collect(paths);
      expect(other.result.frames).toBe(plain.result.frames);
      expect(other.streams.size).toBe(plain.streams.size);
      for (const [id, s] of plain.streams) {
        const o = other.streams.get(id)!;
        expect(o.conn.client).toEqual(s.conn.client);
        expect(o.bytes[0].equals(s.bytes[0])).toBe(true);
        expect(o.bytes[1].equals(s.bytes[1])).toBe(true);
      }
    }
  });

  it('the snap-length-cut copy reports truncated payload', async () => {
    const { streams } = await collect(['captures/variants/smtp-auth-success-snap96.pcap']);
    expect(streams.get(0)!.anomalies.map((a) => a.kind)).toContain('tcp.snaplen');
  });

  it('a pcapng with an injected key log hands the secrets on', async () => {
    const { openCapture } = await import('../../src/capture/open-capture.js');
    const input = await openCapture(['captures/variants/imaps-993-dsb.pcapng']);
    for await (const _ of input.batches());
    expect(input.secrets).toHaveLength(1);
    expect(input.secrets[0].data.toString()).toMatch(/CLIENT_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]{64} /);
  });
});

import { describe, expect, it } from 'vitest';
import { TcpFlag, type Segment } from '../../src/net/segment.js';
import { Reassembler, type ReassemblerOptions } from '../../src/tcp/reassembler.js';
import { Collector } from '../helpers/collect.js';

const { SYN, ACK, FIN, PSH } = TcpFlag;
const SERVER = { ip: '192.0.2.25', port: 25 };
const SEC = 1_000_000_000n;

let frame = 0;
/** A segment of client `n` (its own address and port) at `t` seconds. */
function seg(n: number, fromClient: boolean, t: number, seq: number, ack: number, flags: number, payload = ''): Segment {
  frame++;
  const client = { ip: `198.51.100.${n % 250}`, port: 40000 + n };
  const [a, b] = fromClient ? [client, SERVER] : [SERVER, client];
  return {
    frame, ts: BigInt(Math.round(t * 1e6)) * 1000n, ipVersion: 4, src: a.ip, dst: b.ip, srcPort: a.port, dstPort: b.port,
    seq: seq >>> 0, ack: ack >>> 0, flags, window: 64240, windowScale: -1, payload: Buffer.from(payload, 'latin1'), truncated: false,
  };
}

/** Handshake and greeting of client n at time t (the connection stays open). */
function opened(n: number, t: number): Segment[] {
  return [
    seg(n, true, t, 100, 0, SYN),
    seg(n, false, t, 500, 101, SYN | ACK),
    seg(n, true, t, 101, 501, ACK),
    seg(n, false, t, 501, 101, ACK | PSH, '220 mx ESMTP\r\n'),
  ];
}

/** opened(n, t), and the client's first command: a conversation, not a mere attempt. */
function talking(n: number, t: number): Segment[] {
  return [...opened(n, t), seg(n, true, t, 101, 515, ACK | PSH, 'EHLO x\r\n')];
}

/** The rest of a tiny session opened by opened(n, ...): QUIT, 221, FINs. */
function closed(n: number, t: number): Segment[] {
  return [
    seg(n, true, t, 101, 515, ACK | PSH, 'QUIT\r\n'),
    seg(n, false, t, 515, 107, ACK | PSH | FIN, '221 bye\r\n'),
    seg(n, true, t, 107, 525, ACK | FIN),
  ];
}

function reassembler(options: ReassemblerOptions = {}) {
  frame = 0;
  const collector = new Collector();
  return { collector, r: new Reassembler(collector, options) };
}

describe('the connection table', () => {
  it('lets go of a closed connection at its last ACK, and its later packets do not open a new one', () => {
    const { collector, r } = reassembler();
    for (const s of [...opened(1, 0), ...closed(1, 0.1)]) r.push(s);
    expect(r.liveConnections).toBe(1); // both FINs, the client's not acknowledged yet
    expect(collector.streams.get(0)!.closedBy).toBeUndefined();
    r.push(seg(1, false, 0.2, 525, 108, ACK)); // the server's last ACK
    expect(r.liveConnections).toBe(0);
    expect(collector.streams.get(0)!.closedBy).toBe('fin');
    r.push(seg(1, true, 0.3, 107, 525, ACK | FIN)); // a retransmitted FIN
    r.end();
    expect(r.connectionCount).toBe(1);
  });

  it('counts a RST after both FINs in the connection, as tshark does, and closes then', () => {
    const { collector, r } = reassembler();
    for (const s of [...opened(1, 0), ...closed(1, 0.1)]) r.push(s);
    r.push(seg(1, false, 0.2, 525, 108, ACK | TcpFlag.RST));
    expect(r.liveConnections).toBe(0);
    const st = collector.streams.get(0)!;
    expect(st.closedBy).toBe('fin');
    expect(st.conn.stats.resets).toBe(1);
  });

  it('keeps a refused connection\'s re-sent SYNs in it, as retransmissions, and closes it after the linger', () => {
    const { collector, r } = reassembler();
    r.push(seg(1, true, 0, 100, 0, SYN));
    r.push(seg(1, false, 0, 0, 101, ACK | TcpFlag.RST));
    r.push(seg(1, true, 1, 100, 0, SYN)); // the client tries again, 1 s later
    r.push(seg(1, false, 1, 0, 101, ACK | TcpFlag.RST));
    r.push(seg(1, true, 3, 100, 0, SYN));
    r.push(seg(1, false, 3, 0, 101, ACK | TcpFlag.RST));
    expect(r.connectionCount).toBe(1);
    expect(collector.streams.get(0)!.closedBy).toBeUndefined(); // still lingering
    r.push(seg(2, true, 6.5, 100, 0, SYN)); // capture time passes on another connection
    const st = collector.streams.get(0)!;
    expect(st.closedBy).toBe('rst');
    expect(st.conn.stats).toMatchObject({ resets: 3, retransmissions: 2 });
    expect(r.connectionCount).toBe(2);
  });

  it('a new SYN on the ports of a connection lingering after its end starts a new one, and the old one closes as it ended', () => {
    const { collector, r } = reassembler();
    r.push(seg(1, true, 0, 100, 0, SYN));
    r.push(seg(1, false, 0, 0, 101, ACK | TcpFlag.RST));
    r.push(seg(1, true, 0.5, 7000, 0, SYN));
    expect(r.connectionCount).toBe(2);
    expect(collector.streams.get(0)!.closedBy).toBe('rst');
  });

  it('without lingering (live capture) an ended connection closes at once', () => {
    const { collector, r } = reassembler({ limits: { closeLingerSec: 0 } });
    for (const s of [...opened(1, 0), ...closed(1, 0.1)]) r.push(s);
    expect(r.liveConnections).toBe(0);
    expect(collector.streams.get(0)!.closedBy).toBe('fin');
  });

  it('a full table lets ended connections go first, without counting them as evicted', () => {
    const { collector, r } = reassembler({ limits: { maxConnections: 2 } });
    for (const s of [...opened(1, 0), ...closed(1, 0.1)]) r.push(s); // ended, waiting for its last ACK
    for (const s of opened(2, 0.2)) r.push(s);
    for (const s of opened(3, 0.3)) r.push(s);
    expect(collector.streams.get(0)!.closedBy).toBe('fin');
    expect(collector.streams.get(1)!.closedBy).toBeUndefined();
    expect(r.tableCounters.evicted).toBe(0);
  });

  it('starts a new connection when a closed one\'s ports are reused with a new SYN', () => {
    const { collector, r } = reassembler();
    for (const s of [...opened(1, 0), ...closed(1, 0.1)]) r.push(s);
    r.push(seg(1, true, 1, 9000, 0, SYN)); // same ports, new initial sequence number
    r.end();
    expect(r.connectionCount).toBe(2);
    expect(collector.streams.get(1)!.closedBy).toBe('end');
  });

  it('closes an established connection quiet past the idle timeout, by capture time', () => {
    const { collector, r } = reassembler({ limits: { idleTimeoutSec: 300 } });
    for (const s of talking(1, 0)) r.push(s);
    for (const s of talking(2, 299)) r.push(s);
    expect(r.liveConnections).toBe(2);
    r.push(seg(2, true, 302, 101, 515, ACK)); // time passes on another connection
    expect(r.liveConnections).toBe(1);
    expect(collector.streams.get(0)!.closedBy).toBe('idle');
    expect(r.tableCounters.expired).toBe(1);
    // The client of the expired connection speaks again: a new connection, picked up mid-stream, loses nothing.
    r.push(seg(1, true, 310, 101, 515, ACK | PSH, 'NOOP\r\n'));
    r.end();
    const again = collector.streams.get(2)!;
    expect(again.bytes[0].toString()).toBe('NOOP\r\n');
    expect(again.anomalies.map((a) => a.kind)).toContain('tcp.midstream');
  });

  it('gives up on attempts (only one side spoke) sooner than on established connections', () => {
    const { collector, r } = reassembler({ limits: { attemptTimeoutSec: 60, idleTimeoutSec: 3600 } });
    for (const s of talking(1, 0)) r.push(s); // established
    r.push(seg(2, true, 1, 100, 0, SYN)); // a SYN flood's worth of one
    r.push(seg(3, true, 2, 100, 0, SYN));
    r.push(seg(4, true, 61.5, 100, 0, SYN));
    expect(r.liveConnections).toBe(3); // 2 quiet for 60.5 s: gone; 3 for 59.5 s: not yet
    r.push(seg(4, true, 62.5, 100, 0, SYN));
    expect(r.liveConnections).toBe(2); // the established one (quiet 62.5 s) and 4
    expect(collector.streams.get(1)!.closedBy).toBe('idle');
    expect(collector.streams.get(2)!.closedBy).toBe('idle');
    expect(collector.streams.get(0)!.closedBy).toBeUndefined();
    r.end();
    expect(collector.streams.get(0)!.closedBy).toBe('end');
  });

  it('evicts the least recently active connection past the cap, attempts first, and says so', () => {
    const { collector, r } = reassembler({ limits: { maxConnections: 3 } });
    for (const s of talking(1, 0)) r.push(s);
    for (const s of talking(2, 1)) r.push(s);
    r.push(seg(1, true, 2, 101, 515, ACK)); // 1 is now more recently active than 2
    r.push(seg(3, true, 3, 100, 0, SYN)); // an attempt
    expect(r.liveConnections).toBe(3);
    r.push(seg(4, true, 4, 100, 0, SYN)); // table full: the attempt (3) goes first
    expect(collector.streams.get(2)!.closedBy).toBe('evicted');
    for (const s of talking(5, 5)) r.push(s); // full again: now attempt 4, then...
    for (const s of talking(6, 6)) r.push(s); // ...the least recently active established one: 2
    expect(collector.streams.get(3)!.closedBy).toBe('evicted');
    expect(collector.streams.get(1)!.closedBy).toBe('evicted');
    expect(collector.streams.get(0)!.closedBy).toBeUndefined();
    const anomaly = collector.streams.get(1)!.anomalies.find((a) => a.kind === 'tcp.evicted');
    expect(anomaly?.detail).toMatch(/3 connections were open at once/);
    expect(r.tableCounters.evicted).toBe(3);
    expect(r.tableCounters.peak).toBe(3);
    r.end();
  });
  it('a client that took the greeting and never spoke is an attempt: it goes before a conversation when the table is full', () => {
    const { collector, r } = reassembler({ limits: { maxConnections: 2 } });
    for (const s of talking(1, 0)) r.push(s);
    for (const s of opened(2, 1)) r.push(s); // handshake and greeting, then a silent client
    for (const s of talking(3, 2)) r.push(s);
    expect(collector.streams.get(1)!.closedBy).toBe('evicted');
    expect(collector.streams.get(0)!.closedBy).toBeUndefined();
    r.end();
  });


  it('keeps no more than the cap however many connections come, and every one is reported once', () => {
    const { collector, r } = reassembler({ limits: { maxConnections: 100 } });
    for (let n = 0; n < 5000; n++) r.push(seg(n, true, n * 0.001, 100, 0, SYN));
    expect(r.liveConnections).toBe(100);
    r.end();
    expect(collector.streams.size).toBe(5000);
    expect([...collector.streams.values()].filter((s) => s.closedBy === 'evicted')).toHaveLength(4900);
  });

  it('detects a retransmission that differs from released bytes after the history ring grew', () => {
    const { collector, r } = reassembler();
    const first = 'A'.repeat(40);
    for (const s of opened(1, 0)) r.push(s);
    let seq = 101;
    for (const chunk of [first, 'B'.repeat(100), 'C'.repeat(5000)]) {
      r.push(seg(1, true, 1, seq, 515, ACK, chunk));
      seq += chunk.length;
    }
    r.push(seg(1, true, 2, 101, 515, ACK, first)); // an honest retransmission
    r.push(seg(1, true, 2, 101, 515, ACK, 'A'.repeat(39) + 'x')); // a lying one
    r.end();
    const conflicts = collector.streams.get(0)!.anomalies.filter((a) => a.kind === 'tcp.overlap_conflict');
    expect(conflicts).toHaveLength(1);
    expect(collector.streams.get(0)!.bytes[0].subarray(0, 40).toString()).toBe(first);
  });
});

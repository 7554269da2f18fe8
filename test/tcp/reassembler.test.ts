import { describe, expect, it } from 'vitest';
import { TcpFlag, type Segment } from '../../src/net/segment.js';
import { Reassembler } from '../../src/tcp/reassembler.js';
import { Collector } from '../helpers/collect.js';

const { SYN, ACK, FIN, RST, PSH } = TcpFlag;
const C = { ip: '192.0.2.10', port: 51234 };
const S = { ip: '192.0.2.25', port: 25 };
const CISN = 1000;
const SISN = 5000;

let frame = 0;
function seg(fromClient: boolean, seq: number, ack: number, flags: number, payload = '', window = 64240): Segment {
  frame++;
  const [a, b] = fromClient ? [C, S] : [S, C];
  return {
    frame, ts: BigInt(frame) * 1_000_000n, ipVersion: 4, src: a.ip, dst: b.ip, srcPort: a.port, dstPort: b.port,
    seq: seq >>> 0, ack: ack >>> 0, flags, window, windowScale: -1, payload: Buffer.from(payload, 'latin1'), truncated: false,
  };
}

function run(segments: Segment[], options = {}) {
  const collector = new Collector();
  const r = new Reassembler(collector, options);
  for (const s of segments) r.push(s);
  r.end();
  return { streams: collector.streams, r };
}

/** Handshake then the given segments (client data from CISN+1, server from SISN+1). */
function conversation(isnC: number, isnS: number, body: (c: number, s: number) => Segment[]): Segment[] {
  frame = 0;
  return [
    seg(true, isnC, 0, SYN),
    seg(false, isnS, isnC + 1, SYN | ACK),
    seg(true, isnC + 1, isnS + 1, ACK),
    ...body(isnC + 1, isnS + 1),
  ];
}

const text = (b: Buffer) => b.toString('latin1');

describe('TCP reassembly', () => {
  it('delivers both directions in order and closes on FIN', () => {
    const { streams } = run(conversation(CISN, SISN, (c, s) => [
      seg(false, s, c, ACK | PSH, '220 hi\r\n'),
      seg(true, c, s + 8, ACK | PSH, 'QUIT\r\n'),
      seg(false, s + 8, c + 6, ACK | PSH | FIN, '221 bye\r\n'),
      seg(true, c + 6, s + 18, ACK | FIN),
      seg(false, s + 18, c + 7, ACK),
    ]));
    const st = streams.get(0)!;
    expect(st.conn.client).toEqual(C);
    expect(st.conn.roleEvidence).toBe('syn');
    expect(text(st.bytes[0])).toBe('QUIT\r\n');
    expect(text(st.bytes[1])).toBe('220 hi\r\n221 bye\r\n');
    expect(st.closedBy).toBe('fin');
    expect(st.gaps).toEqual([]);
  });

  it('drops retransmissions and counts them', () => {
    const { streams } = run(conversation(CISN, SISN, (c, s) => [
      seg(false, s, c, ACK, '220 hi\r\n'),
      seg(false, s, c, ACK, '220 hi\r\n'),
      seg(true, c, s + 8, ACK, 'EHLO x\r\n'),
    ]));
    const st = streams.get(0)!;
    expect(text(st.bytes[1])).toBe('220 hi\r\n');
    expect(st.conn.stats.retransmissions).toBe(1);
  });

  it('counts FINs, and a FIN sent again as a retransmission (as tshark does)', () => {
    const { streams } = run(conversation(CISN, SISN, (c, s) => [
      seg(false, s, c, ACK | PSH, '220 hi\r\n'),
      seg(true, c, s + 8, ACK | FIN),
      seg(true, c, s + 8, ACK | FIN), // the server's ACK was lost: the client sends its FIN again
      seg(false, s + 8, c + 1, ACK | FIN),
      seg(true, c + 1, s + 9, ACK),
    ]));
    const st = streams.get(0)!;
    expect(st.conn.stats.fins).toBe(3);
    expect(st.conn.stats.retransmissions).toBe(1);
    expect(st.closedBy).toBe('fin');
  });

  it('puts out-of-order segments back in order', () => {
    const { streams } = run(conversation(CISN, SISN, (c, s) => [
      seg(false, s + 4, c, ACK, 'BBBB'),
      seg(false, s + 8, c, ACK, 'CCCC'),
      seg(false, s, c, ACK, 'AAAA'),
    ]));
    const st = streams.get(0)!;
    expect(text(st.bytes[1])).toBe('AAAABBBBCCCC');
    expect(st.conn.stats.outOfOrder).toBe(1);
    expect(st.gaps).toEqual([]);
    // Each byte range keeps the frame that carried it.
    expect(st.events.map((e) => e.frame)).toEqual([6, 4, 5]);
  });

  it('keeps the first copy of overlapping bytes and reports a conflict', () => {
    const { streams } = run(conversation(CISN, SISN, (c, s) => [
      seg(false, s + 4, c, ACK, 'BBBB'),
      seg(false, s + 2, c, ACK, 'xxXXXX'), // overlaps held BBBB with different bytes
      seg(false, s, c, ACK, 'AA'),
    ]));
    const st = streams.get(0)!;
    expect(text(st.bytes[1])).toBe('AAxxBBBB');
    expect(st.anomalies.map((a) => a.kind)).toContain('tcp.overlap_conflict');
  });

  it('reports a conflict when a segment that begins earlier arrives after a held later one and is released over it', () => {
    const { streams } = run(conversation(CISN, SISN, (c, s) => [
      seg(false, s + 4, c, ACK, 'BBBB'), // held: bytes 4-7 are missing their start
      seg(false, s, c, ACK, 'AAAAxx'), // continues the stream and covers bytes 4-5 with other bytes
    ]));
    const st = streams.get(0)!;
    expect(text(st.bytes[1])).toBe('AAAAxxBB');
    const conflicts = st.anomalies.filter((a) => a.kind === 'tcp.overlap_conflict');
    expect(conflicts).toHaveLength(1);
  });

  it('the same with equal bytes is no conflict', () => {
    const { streams } = run(conversation(CISN, SISN, (c, s) => [
      seg(false, s + 4, c, ACK, 'BBBB'),
      seg(false, s, c, ACK, 'AAAABB'),
    ]));
    const st = streams.get(0)!;
    expect(text(st.bytes[1])).toBe('AAAABBBB');
    expect(st.anomalies.filter((a) => a.kind === 'tcp.overlap_conflict')).toEqual([]);
  });

  it('a partial retransmission delivers only its new tail', () => {
    const { streams } = run(conversation(CISN, SISN, (c, s) => [
      seg(false, s, c, ACK, 'AAAA'),
      seg(false, s + 2, c, ACK, 'AABBBB'),
    ]));
    expect(text(streams.get(0)!.bytes[1])).toBe('AAAABBBB');
  });

  it('turns bytes acknowledged but never captured into a gap and carries on', () => {
    const { streams } = run(conversation(CISN, SISN, (c, s) => [
      seg(false, s, c, ACK, '220 hi\r\n'),
      // 10 server bytes lost in the capture; the client ACKs them.
      seg(true, c, s + 18, ACK, 'QUIT\r\n'),
      seg(false, s + 18, c + 6, ACK, '221 bye\r\n'),
    ]));
    const st = streams.get(0)!;
    expect(st.gaps).toEqual([{ dir: 1, length: 10 }]);
    expect(text(st.bytes[1])).toBe('220 hi\r\n221 bye\r\n');
    expect(st.events.filter((e) => e.dir === 1).map((e) => e.kind)).toEqual(['data', 'gap', 'data']);
    expect(st.conn.stats.gaps).toBe(1);
    expect(st.conn.stats.gapBytes).toBe(10);
  });

  it('gives up a hole as a gap when the out-of-order buffer bound is reached', () => {
    const { streams } = run(conversation(CISN, SISN, (c, s) => [
      seg(false, s + 100, c, ACK, 'x'.repeat(40)),
      seg(false, s + 140, c, ACK, 'y'.repeat(40)),
    ]), { maxBufferedBytes: 64 });
    const st = streams.get(0)!;
    expect(st.gaps).toEqual([{ dir: 1, length: 100 }]);
    expect(st.bytes[1].length).toBe(80);
    expect(st.anomalies.map((a) => a.kind)).toContain('tcp.buffer_limit');
  });

  it('releases what is held at the end of the capture, after a gap', () => {
    const { streams } = run(conversation(CISN, SISN, (c, s) => [
      seg(false, s, c, ACK, 'AAAA'),
      seg(false, s + 8, c, ACK, 'CCCC'),
    ]));
    const st = streams.get(0)!;
    expect(st.closedBy).toBe('end');
    expect(st.gaps).toEqual([{ dir: 1, length: 4 }]);
    expect(text(st.bytes[1])).toBe('AAAACCCC');
  });

  it('compares sequence numbers modulo 2^32 across the wrap', () => {
    const isn = 0xfffffffa;
    const { streams } = run(conversation(CISN, isn, (c, s) => [
      seg(false, s, c, ACK, 'ABCD'),
      seg(false, s + 8, c, ACK, 'IJKL'), // seq has wrapped past zero
      seg(false, s + 4, c, ACK, 'EFGH'),
    ]));
    const st = streams.get(0)!;
    expect(text(st.bytes[1])).toBe('ABCDEFGHIJKL');
    expect(st.gaps).toEqual([]);
  });

  it('decodes a connection picked up mid-stream, with the server found by its port', () => {
    frame = 0;
    const { streams } = run([
      seg(true, CISN, SISN, ACK, 'MAIL FROM:<a@b>\r\n'),
      seg(false, SISN, CISN + 17, ACK, '250 ok\r\n'),
    ]);
    const st = streams.get(0)!;
    expect(st.conn.roleEvidence).toBe('port');
    expect(st.conn.server).toEqual(S);
    expect(text(st.bytes[0])).toBe('MAIL FROM:<a@b>\r\n');
    expect(text(st.bytes[1])).toBe('250 ok\r\n');
    expect(st.anomalies.map((a) => a.kind)).toContain('tcp.midstream');
  });

  it('takes the server from the SYN-ACK when the SYN was not captured', () => {
    frame = 0;
    const { streams } = run([seg(false, SISN, CISN + 1, SYN | ACK), seg(false, SISN + 1, CISN + 1, ACK, '220 hi\r\n')]);
    expect(streams.get(0)!.conn.server).toEqual(S);
    expect(streams.get(0)!.conn.roleEvidence).toBe('syn');
  });

  it('starts a new connection when a SYN reuses a closed 4-tuple', () => {
    const first = conversation(CISN, SISN, (c, s) => [
      seg(false, s, c, ACK | FIN, 'bye'),
      seg(true, c, s + 4, ACK | FIN),
    ]);
    const second = [
      seg(true, 90000, 0, SYN),
      seg(false, 70000, 90001, SYN | ACK),
      seg(true, 90001, 70001, ACK, 'again'),
    ];
    const { streams, r } = run([...first, ...second]);
    expect(r.connectionCount).toBe(2);
    expect(text(streams.get(0)!.bytes[1])).toBe('bye');
    expect(text(streams.get(1)!.bytes[0])).toBe('again');
  });

  it('a retransmitted SYN is the same connection', () => {
    frame = 0;
    const { r, streams } = run([seg(true, CISN, 0, SYN), seg(true, CISN, 0, SYN), seg(false, SISN, CISN + 1, SYN | ACK)]);
    expect(r.connectionCount).toBe(1);
    expect(streams.get(0)!.conn.stats.retransmissions).toBe(1);
  });

  it('counts resets and zero windows, and closes on RST', () => {
    const { streams } = run(conversation(CISN, SISN, (c, s) => [
      seg(true, c, s, ACK, '', 0),
      seg(false, s, c, RST | ACK),
      seg(false, s, c, RST | ACK), // a repeated RST is counted too (tcp.flags.reset), and reads nothing
    ]));
    const st = streams.get(0)!;
    expect(st.conn.stats.zeroWindows).toBe(1);
    expect(st.conn.stats.resets).toBe(2);
    expect(st.closedBy).toBe('rst');
  });

  it('gives the bytes before a FIN that never arrived as a gap', () => {
    const { streams } = run(conversation(CISN, SISN, (c, s) => [
      seg(false, s, c, ACK, 'AAAA'),
      seg(false, s + 8, c, ACK | FIN),
    ]));
    expect(streams.get(0)!.gaps).toEqual([{ dir: 1, length: 4 }]);
  });

  it('numbers connections in order of their first packet', () => {
    frame = 0;
    const other = { ip: '192.0.2.11', port: 40000 };
    const segs = [seg(true, 1, 0, SYN)];
    frame++;
    segs.push({ ...segs[0], frame, src: other.ip, srcPort: other.port });
    const { streams } = run(segs);
    expect(streams.get(0)!.conn.client.ip).toBe(C.ip);
    expect(streams.get(1)!.conn.client.ip).toBe(other.ip);
  });
});

describe('retransmissions of bytes already released', () => {
  it('are compared with what was released, and a difference is reported', () => {
    const { streams } = run(conversation(CISN, SISN, (c, s) => [
      seg(false, s, c, ACK, '250 ok\r\n'),
      seg(false, s, c, ACK, '250 ok\r\n'), // same bytes: an ordinary retransmission
      seg(false, s + 4, c, ACK, 'OK\r\n'), // different bytes for the same sequence numbers
    ]));
    const st = streams.get(0)!;
    expect(text(st.bytes[1])).toBe('250 ok\r\n'); // the first copy wins
    const conflicts = st.anomalies.filter((a) => a.kind === 'tcp.overlap_conflict');
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0].frame).toBe(6);
    expect(st.conn.stats.retransmissions).toBe(2);
  });

  it('are compared across the history ring wrapping around', () => {
    const big = 'a'.repeat(16 * 1024 - 3) + 'XYZ' + 'b'.repeat(10);
    const { streams } = run(conversation(CISN, SISN, (c, s) => [
      seg(false, s, c, ACK, big),
      seg(false, s + big.length - 13, c, ACK, 'XYZ' + 'b'.repeat(10)),
      seg(false, s + big.length - 13, c, ACK, 'XYQ' + 'b'.repeat(10)),
    ]));
    const kinds = streams.get(0)!.anomalies.filter((a) => a.kind === 'tcp.overlap_conflict');
    expect(kinds).toHaveLength(1);
  });
});

/** Small hand-made captures for CLI tests: a real pcap file with one TCP conversation. */
import { writeFileSync } from 'node:fs';
import { ethernetIPv4Tcp } from '../../src/capture/packet-builder.js';
import { buildPcap } from '../../src/capture/pcap-writer.js';
import { TcpFlag } from '../../src/net/segment.js';

/** Writes a capture of one connection: handshake, then each [side, bytes] as one segment, then FINs. */
export function writeConversation(path: string, steps: ['C' | 'S', string | Buffer][], serverPort = 25): void {
  const c = { src: '192.0.2.10', dst: '192.0.2.25', srcPort: 40000, dstPort: serverPort };
  const s = { src: c.dst, dst: c.src, srcPort: serverPort, dstPort: 40000 };
  const { SYN, ACK, PSH, FIN } = TcpFlag;
  let cseq = 101;
  let sseq = 901;
  const frames = [
    ethernetIPv4Tcp({ ...c, seq: 100, ack: 0, flags: SYN, window: 65535 }),
    ethernetIPv4Tcp({ ...s, seq: 900, ack: 101, flags: SYN | ACK, window: 65535 }),
    ethernetIPv4Tcp({ ...c, seq: 101, ack: 901, flags: ACK, window: 65535 }),
  ];
  for (const [side, text] of steps) {
    const payload = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
    if (side === 'C') {
      frames.push(ethernetIPv4Tcp({ ...c, seq: cseq, ack: sseq, flags: ACK | PSH, window: 65535, payload }));
      cseq += payload.length;
    } else {
      frames.push(ethernetIPv4Tcp({ ...s, seq: sseq, ack: cseq, flags: ACK | PSH, window: 65535, payload }));
      sseq += payload.length;
    }
  }
  frames.push(ethernetIPv4Tcp({ ...c, seq: cseq, ack: sseq, flags: ACK | FIN, window: 65535 }));
  frames.push(ethernetIPv4Tcp({ ...s, seq: sseq, ack: cseq + 1, flags: ACK | FIN, window: 65535 }));
  frames.push(ethernetIPv4Tcp({ ...c, seq: cseq + 1, ack: sseq + 1, flags: ACK, window: 65535 }));
  writeFileSync(path, buildPcap(frames.map((data, i) => ({ ts: 1_714_557_600_000_000_000n + BigInt(i) * 1_000_000n, data })), { linkType: 1 }));
}

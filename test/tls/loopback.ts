/**
 * Real TLS from node's tls module on 127.0.0.1, recorded byte for byte
 * through a TCP proxy, with the key log from the client's 'keylog' events:
 * the ground truth for the decryption tests (each version and suite we claim).
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import type { Direction } from '../../src/tcp/types.js';

const key = readFileSync(new URL('./fixtures/server.key', import.meta.url));
const cert = readFileSync(new URL('./fixtures/server.crt', import.meta.url));

export interface Recording {
  /** Every chunk as the proxy saw it, in order, with its direction (0 client, 1 server). */
  chunks: { dir: Direction; data: Buffer }[];
  /** The NSS key log lines the client wrote. */
  keylog: string;
  /** The plaintext each side sent. */
  sent: [Buffer, Buffer];
  /** What the server negotiated. */
  cipher: string;
  version: string;
}

export interface RecordOptions {
  version: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
  ciphers?: string;
  secureOptions?: number;
  /** Key exchange groups (OpenSSL names) of the server and of the client, e.g. to force a HelloRetryRequest. */
  serverCurve?: string;
  clientCurve?: string;
  /** Client lines; the server answers each with one line (and greets first). */
  lines?: string[];
}

export async function recordTls(o: RecordOptions): Promise<Recording> {
  const sent: [Buffer[], Buffer[]] = [[], []];
  const server = tls.createServer({ key, cert, minVersion: o.version, maxVersion: o.version, ciphers: o.ciphers, secureOptions: o.secureOptions, ecdhCurve: o.serverCurve }, (sock) => {
    const say = (text: string) => {
      const b = Buffer.from(text);
      sent[1].push(b);
      sock.write(b);
    };
    say('220 mail.example.test ESMTP test\r\n');
    let buf = '';
    sock.on('data', (d: Buffer) => {
      buf += d.toString('latin1');
      let i: number;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        say(line === 'QUIT' ? '221 bye\r\n' : `250 ok ${line.length}\r\n`);
        if (line === 'QUIT') sock.end();
      }
    });
    sock.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const chunks: Recording['chunks'] = [];
  let closed!: () => void;
  const proxyDone = new Promise<void>((r) => (closed = r));
  const proxy = net.createServer((inbound) => {
    const outbound = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    inbound.on('data', (d: Buffer) => { chunks.push({ dir: 0, data: Buffer.from(d) }); outbound.write(d); });
    outbound.on('data', (d: Buffer) => { chunks.push({ dir: 1, data: Buffer.from(d) }); inbound.write(d); });
    let ends = 0;
    const end = () => { if (++ends === 2) closed(); };
    inbound.on('end', () => { outbound.end(); end(); });
    outbound.on('end', () => { inbound.end(); end(); });
    inbound.on('error', () => closed());
    outbound.on('error', () => closed());
  });
  proxy.listen(0, '127.0.0.1');
  await once(proxy, 'listening');

  let keylog = '';
  const client = tls.connect({
    port: (proxy.address() as net.AddressInfo).port, host: '127.0.0.1', rejectUnauthorized: false,
    minVersion: o.version, maxVersion: o.version, ciphers: o.ciphers, secureOptions: o.secureOptions, ecdhCurve: o.clientCurve, servername: 'mail.example.test',
  });
  client.on('keylog', (line: Buffer) => (keylog += line.toString('latin1')));
  await once(client, 'secureConnect');
  const cipher = client.getCipher().standardName;
  const version = client.getProtocol() ?? '';
  const lines = [...(o.lines ?? ['EHLO client.example.test', 'DATA ' + 'x'.repeat(40000), 'NOOP']), 'QUIT'];
  let received = '';
  client.on('data', (d: Buffer) => (received += d.toString('latin1')));
  const waitLines = async (n: number) => {
    while (received.split('\r\n').length - 1 < n) await once(client, 'data');
  };
  await waitLines(1);
  for (let i = 0; i < lines.length; i++) {
    const b = Buffer.from(lines[i] + '\r\n');
    sent[0].push(b);
    client.write(b);
    await waitLines(i + 2);
  }
  client.end();
  await proxyDone;
  client.destroy();
  server.close();
  proxy.close();
  return { chunks, keylog, sent: [Buffer.concat(sent[0]), Buffer.concat(sent[1])], cipher, version };
}

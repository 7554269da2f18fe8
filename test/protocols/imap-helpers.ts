/** Shared helpers for the IMAP machine tests: run a transcript, view exchanges compactly, deflate streams. */
import zlib from 'node:zlib';
import { ImapMachine } from '../../src/protocols/imap/index.js';
import type { Exchange, Session } from '../../src/session/model.js';
import type { RecorderOptions } from '../../src/session/recorder.js';
import { runMachine, type HarnessResult, type Step } from '../helpers/machine-harness.js';

export function runImap(steps: Step[], options: RecorderOptions = {}): HarnessResult {
  return runMachine('imap', (r) => new ImapMachine(r), steps, options);
}

export function imap(steps: Step[], options: RecorderOptions = {}): Session {
  return runImap(steps, options).session;
}

/** An exchange without times and frames: what the tests assert exactly. */
export function view(ex: Exchange): unknown {
  const out: Record<string, unknown> = {};
  out.command = ex.command === null ? null : `${ex.command.tag} ${ex.command.verb}${ex.command.args === '' ? '' : ` ${ex.command.args}`}`;
  out.reply = ex.reply === null ? null : { tag: ex.reply.tag, status: ex.reply.status, code: ex.reply.code, text: ex.reply.text };
  if (ex.interim !== undefined) out.interim = ex.interim.map((i) => ({ reply: i.reply.lines[0], response: i.response?.text }));
  if (ex.untagged !== undefined) out.untagged = ex.untagged;
  if (ex.bodies !== undefined) out.bodies = ex.bodies.map((b) => b.message);
  return out;
}

export function views(s: Session): unknown[] {
  return s.exchanges.map(view);
}

export function anomalies(s: Session): [string, string][] {
  return s.anomalies.map((a) => [a.kind, a.detail]);
}

/** One raw DEFLATE stream, sync-flushed after each piece (as RFC 4978 senders do): the compressed piece for each. */
export async function deflatePieces(pieces: string[]): Promise<Buffer[]> {
  const d = zlib.createDeflateRaw();
  const out: Buffer[] = [];
  let current: Buffer[] = [];
  d.on('data', (c: Buffer) => current.push(c));
  for (const p of pieces) {
    d.write(Buffer.from(p, 'latin1'));
    await new Promise<void>((resolve) => d.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve()));
    out.push(Buffer.concat(current));
    current = [];
  }
  d.destroy();
  return out;
}

export const GREETING = '* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR AUTH=PLAIN] ready\r\n';

export const MESSAGE = [
  'From: Alice <alice@example.test>',
  'To: bob@example.test',
  'Subject: hello',
  'Message-ID: <1@example.test>',
  '',
  'Body line 1',
  'a1 OK this line is message text, not a response',
  '* 2 EXISTS',
  '',
].join('\r\n');

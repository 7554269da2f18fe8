/** Shorthands for the POP3 machine tests: run a transcript, and build the expected model objects. */
import { createHash } from 'node:crypto';
import { Pop3Machine } from '../../src/protocols/pop3/index.js';
import type { Command, Reply } from '../../src/session/model.js';
import type { RecorderOptions } from '../../src/session/recorder.js';
import { runMachine, type HarnessResult, type Step } from '../helpers/machine-harness.js';

export function pop3(steps: Step[], options: RecorderOptions = {}): HarnessResult {
  return runMachine('pop3', (r) => new Pop3Machine(r), steps, options);
}

/** The harness's time of a frame: 2024-05-01T10:00:00Z plus one millisecond per step. */
export function t(frame: number): string {
  const s = Math.floor(frame / 1000);
  return `2024-05-01T10:00:${String(s).padStart(2, '0')}.${String(frame % 1000).padStart(3, '0')}000Z`;
}

export function cmd(frame: number, verb: string, args = ''): Command {
  return { ts: t(frame), frame, verb, args };
}

/** A status-line reply as the machine records it: lines[0] is the line, then any listing lines. */
export function reply(frame: number, line: string, more: string[] = []): Reply {
  const indicator = line.startsWith('+OK') ? '+OK' : '-ERR';
  const text = line.slice(indicator.length).replace(/^ /, '');
  const r: Reply = { ts: t(frame), frame, lines: [line, ...more], text };
  const code = /^\[([^\]]+)\]/.exec(text);
  if (code) r.code = code[1];
  r.indicator = indicator;
  return r;
}

/** A "+ " continuation. */
export function cont(frame: number, challenge: string): Reply {
  return { ts: t(frame), frame, lines: [`+ ${challenge}`], text: challenge };
}

export function sha256(text: string): string {
  return createHash('sha256').update(Buffer.from(text, 'latin1')).digest('hex');
}

/** RFC 1939 section 3: a message as a multi-line body on the wire (byte-stuffed, then ".CRLF"). */
export function stuffed(message: string): string {
  return message.replace(/^\./gm, '..') + '.\r\n';
}

export const GREETING = '+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>\r\n';

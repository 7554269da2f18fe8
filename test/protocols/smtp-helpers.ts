/** Shared helpers for the SMTP machine tests. */
import { createHash } from 'node:crypto';
import { SmtpMachine } from '../../src/protocols/smtp/index.js';
import type { Session } from '../../src/session/model.js';
import type { RecorderOptions } from '../../src/session/recorder.js';
import { runMachine, type HarnessResult, type Step } from '../helpers/machine-harness.js';

export function smtp(steps: Step[], options: RecorderOptions = {}): HarnessResult {
  return runMachine('smtp', (r) => new SmtpMachine(r), steps, options);
}

/** [verb or null, final code or null] per exchange. */
export function pairs(session: Session): Array<[string | null, number | string | null]> {
  return session.exchanges.map((e) => [e.command?.verb ?? null, e.reply?.code ?? null]);
}

export function kinds(session: Session): string[] {
  return session.anomalies.map((a) => a.kind);
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(typeof text === 'string' ? Buffer.from(text, 'latin1') : text).digest('hex');
}

export const b64 = (s: string) => Buffer.from(s, 'latin1').toString('base64');

export const GREETING = '220 mx.example.test ESMTP\r\n';
export const EHLO_REPLY = '250-mx.example.test\r\n250-PIPELINING\r\n250-CHUNKING\r\n250-AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2 OAUTHBEARER\r\n250 STARTTLS\r\n';

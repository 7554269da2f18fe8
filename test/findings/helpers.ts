/** Reading captures into sessions and findings for the findings tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FindingsAccumulator, type Finding, type FindingOptions } from '../../src/findings/index.js';
import { defaultMachines } from '../../src/protocols/registry.js';
import { parseDecodeAs } from '../../src/session/identify.js';
import type { Session } from '../../src/session/model.js';
import { readSessions } from '../../src/session/read-sessions.js';
import { writeConversation } from '../helpers/tiny-capture.js';

export interface Analysed {
  sessions: Session[];
  /** Per-session findings by session id. */
  own: Map<number, Finding[]>;
  capture: Finding[];
  all: Finding[];
}

export async function analyse(files: string[], options: FindingOptions = {}, decodeAs: string[] = []): Promise<Analysed> {
  const acc = new FindingsAccumulator(options);
  const own = new Map<number, Finding[]>();
  const { sessions } = await readSessions(files, { machines: defaultMachines, decodeAs: parseDecodeAs(decodeAs) });
  for (const s of sessions) own.set(s.id, acc.add(s));
  const capture = acc.finish();
  return { sessions, own, capture, all: [...own.values()].flat().concat(capture) };
}

export const kinds = (list: readonly Finding[]): string[] => [...new Set(list.map((f) => f.kind))].sort();

const dir = mkdtempSync(join(tmpdir(), 'mailscope-findings-'));
let n = 0;

/** A one-connection capture from [side, text] steps (see test/helpers/tiny-capture.ts); returns its path. */
export function conversation(steps: ['C' | 'S', string][], port = 25): string {
  const path = join(dir, `conv-${++n}.pcap`);
  writeConversation(path, steps, port);
  return path;
}

/** sessionRecordJson: the same bytes as jsonText(sessionRecord(s)), for every kind of session and for the odd ones. */
import { readdirSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { jsonText } from '../../src/export/json-line.js';
import { sessionRecord, sessionRecordJson } from '../../src/export/session-record.js';
import { defaultMachines } from '../../src/protocols/registry.js';
import type { Session } from '../../src/session/model.js';
import { readSessions } from '../../src/session/read-sessions.js';

let sessions: Session[];
beforeAll(async () => {
  const files = readdirSync('captures').filter((f) => f.endsWith('.pcap')).map((f) => `captures/${f}`);
  sessions = [];
  for (const f of files) sessions.push(...(await readSessions([f], { machines: defaultMachines })).sessions);
});

const expected = (s: Session) => jsonText(sessionRecord(s));

describe('sessionRecordJson', () => {
  it('writes what jsonText(sessionRecord(s)) writes, for every session of the bundled captures', () => {
    expect(sessions.length).toBeGreaterThan(20);
    expect(sessions.some((s) => sessionRecord(s).outcome.explanation !== null)).toBe(true);
    for (const s of sessions) expect(sessionRecordJson(s)).toBe(expected(s));
  });

  it('escapes labels from the wire as jsonText does (quotes, controls, C1, bidi, line separators)', () => {
    const s = structuredClone(sessions.find((x) => x.exchanges.some((e) => e.reply && typeof e.reply.code === 'number' && e.reply.code >= 500))!);
    for (const ex of s.exchanges) {
      if (ex.reply) ex.reply.text = ex.reply.lines[0] = `${ex.reply.code} "odd"\\ \u0001\u009b\u202e\u2028\ud800 text`;
    }
    expect(sessionRecordJson(s)).toBe(expected(s));
    expect(sessionRecordJson(s)).toContain('\\u009b');
  });

  it('takes the long way for a session with an outcome of its own, a toJSON, or no members', () => {
    const s = sessions[0];
    const own = { ...s, outcome: 'mine' } as unknown as Session;
    expect(sessionRecordJson(own)).toBe(expected(own));
    const withToJson = { ...s, toJSON: () => ({ replaced: true }) } as unknown as Session;
    expect(sessionRecordJson(withToJson)).toBe(expected(withToJson));
    const empty = {} as unknown as Session;
    expect(() => expected(empty)).toThrow(); // sessionOutcome needs exchanges: the same error either way
    expect(() => sessionRecordJson(empty)).toThrow();
  });

  it('leaves out members whose value is undefined, as JSON.stringify does (eth on a link without MACs)', () => {
    const s = { ...sessions[0], eth: undefined };
    expect(sessionRecordJson(s)).toBe(expected(s));
    expect(sessionRecordJson(s)).not.toContain('"eth"');
  });
});

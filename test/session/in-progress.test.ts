/**
 * Sessions still in progress (live capture): snapshots of what is decoded so
 * far, then the finished session with the same id. Driven by a real capture
 * fed one frame at a time, slowly, so the snapshot timer fires in between.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { openCapture, type CaptureInput } from '../../src/capture/open-capture.js';
import { defaultMachines } from '../../src/protocols/registry.js';
import type { Session } from '../../src/session/model.js';
import { readSessionsFrom } from '../../src/session/read-sessions.js';

const schema = JSON.parse(readFileSync('schema/session.schema.json', 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The capture, one frame per batch, with a pause after each (as packets arrive live). */
function slowly(input: CaptureInput, pauseMs: number): CaptureInput {
  return Object.assign(Object.create(input) as CaptureInput, {
    async *batches() {
      for await (const batch of input.batches()) {
        for (const frame of batch) {
          yield [frame];
          await sleep(pauseMs);
        }
      }
    },
  });
}

describe('sessions in progress', () => {
  it('snapshots grow with the conversation, share nothing with the session, and the finished session keeps the id', async () => {
    const input = slowly(await openCapture(['captures/imap-login-success.pcap']), 8);
    const snapshots: Session[] = [];
    const finished: Session[] = [];
    await readSessionsFrom(input, {
      machines: defaultMachines,
      inOrder: false,
      onSession: (s) => finished.push(s),
      inProgress: { everyMs: 20, onSnapshot: (s) => snapshots.push(s) },
    });
    expect(finished).toHaveLength(1);
    const done = finished[0]!;
    expect(done.closed).not.toBe('open');
    expect(snapshots.length).toBeGreaterThan(3);
    for (const s of snapshots) {
      expect(s.id).toBe(done.id);
      expect(s.closed).toBe('open');
      expect(s.exchanges.length).toBeLessThanOrEqual(done.exchanges.length);
      expect(s).not.toBe(done);
      expect(s.exchanges).not.toBe(done.exchanges);
      expect(validate(JSON.parse(JSON.stringify(s))), JSON.stringify(validate.errors)).toBe(true); // the public contract holds for snapshots too
    }
    // They grow: later snapshots know more, and the first ones less than the end.
    const counts = snapshots.map((s) => s.exchanges.length);
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
    expect(counts[0]).toBeLessThan(done.exchanges.length);
    expect(snapshots.at(-1)!.bytes.client).toBeLessThanOrEqual(done.bytes.client);
    // Only sessions that changed are sent again: no two snapshots are the same.
    for (let i = 1; i < snapshots.length; i++) expect(snapshots[i]).not.toEqual(snapshots[i - 1]);
  });

  it('no snapshots unless asked (files, the CLI)', async () => {
    const input = slowly(await openCapture(['captures/imap-login-success.pcap']), 2);
    const { sessions } = await readSessionsFrom(input, { machines: defaultMachines });
    expect(sessions.map((s) => s.closed)).not.toContain('open');
  });
});

/**
 * The foundation's acceptance test: for every real capture (ours and Zeek's),
 * each connection's bytes in each direction equal what tshark's
 * "follow,tcp,raw" gives, wherever neither tool saw missing data.
 */
import { describe, expect, it } from 'vitest';
import { endpointText } from '../../src/export/follow.js';
import { collect } from '../helpers/collect.js';
import { corpusFiles } from '../helpers/corpus.js';
import { hasTshark, tsharkFollow, tsharkLossyStreams } from '../helpers/tshark.js';

const files = corpusFiles();

describe.runIf(hasTshark)('stream bytes match tshark follow,tcp,raw', () => {
  it('finds the corpus', () => {
    expect(files.filter((f) => f.startsWith('captures/')).length).toBeGreaterThan(15);
    expect(files.filter((f) => f.includes('zeek')).length).toBeGreaterThan(15);
  });

  for (const file of files) {
    it(file, async () => {
      const { streams } = await collect([file]);
      const lossy = tsharkLossyStreams(file);
      const ids = [...streams.keys()];
      const theirs = tsharkFollow(file, ids);
      expect(theirs.size).toBe(ids.length);
      let compared = 0;
      for (const [id, ours] of streams) {
        // We never invent a gap: where we report missing bytes, tshark sees lost segments too,
        // and the bytes cannot be compared (tshark's follow splices across the hole).
        // Bytes cut by the snap length are missing too: tshark's follow leaves them out without
        // calling them lost, so there the captured bytes must still agree.
        const snapCut = ours.anomalies.some((a) => a.kind === 'tcp.snaplen');
        if (ours.gaps.length > 0 && !snapCut) {
          expect(lossy.has(id), `stream ${id}: we report a gap that tshark does not see`).toBe(true);
          compared++;
          continue;
        }
        const t = theirs.get(id)!;
        const client = endpointText(ours.conn.client);
        const server = endpointText(ours.conn.server);
        expect([client, server]).toContain(t.node0);
        const [tClient, tServer] = t.node0 === client ? t.bytes : [t.bytes[1], t.bytes[0]];
        expect(ours.bytes[0].equals(tClient), `stream ${id} client bytes (${ours.bytes[0].length} vs ${tClient.length})`).toBe(true);
        expect(ours.bytes[1].equals(tServer), `stream ${id} server bytes (${ours.bytes[1].length} vs ${tServer.length})`).toBe(true);
        compared++;
      }
      expect(compared).toBeGreaterThan(0);
    });
  }
});

/** The UI's loaders start reading at once and hand over what came before the UI attached. */
import { describe, expect, it } from 'vitest';
import { defaultMachines } from '../../src/protocols/registry.js';
import type { Session } from '../../src/session/model.js';
import { readSessions } from '../../src/session/read-sessions.js';
import { startLoad } from '../../src/tui/early-load.js';
import type { LoadProgress } from '../../src/tui/use-sessions.js';

describe('startLoad', () => {
  it('keeps sessions and progress read before the UI attaches, hands them over, then streams; ends with the read summary', async () => {
    const loader = startLoad((feed) => readSessions(['captures/demo.pcap'], {
      machines: defaultMachines, inOrder: false, onSession: feed.session, onProgress: feed.progress,
    }), { localDomain: ['example.test'] });
    await new Promise((r) => setTimeout(r, 300)); // the read runs (and finishes) before anyone listens
    const got: Session[] = [];
    let last: LoadProgress | undefined;
    const summary = await loader({ onSession: (s) => got.push(s), onProgress: (p) => (last = p) });
    expect(got.map((s) => s.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(last?.frames).toBeGreaterThan(0);
    expect(summary).toEqual({ warnings: [], code: 0 });
  });

  it('a damaged capture: the summary carries read\'s warning and exit code 3', async () => {
    const loader = startLoad((feed) => readSessions(['captures/damaged/truncated.pcap'], {
      machines: defaultMachines, onSession: feed.session, onProgress: feed.progress,
    }));
    const summary = await loader({ onSession: () => undefined, onProgress: () => undefined });
    expect(summary.code).toBe(3);
    expect(summary.warnings.join('\n')).toMatch(/truncated/);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEY, demoSessions, manualLoader, renderApp, rowIds, sleep, waitForFrame } from './helpers.js';

afterEach(() => cleanup());

describe('loading', () => {
  it('fills the list while reading, with a progress bar and counts, and keys keep working', async () => {
    const sessions = await demoSessions();
    const load = manualLoader();
    const ui = renderApp({ loader: load.loader });
    await sleep(30);
    expect(ui.frame()).toContain('loading');
    expect(ui.frame()).toContain('reading…');
    load.push(sessions.slice(0, 10), { frames: 1234, bytesRead: 400_000, totalBytes: 1_000_000 });
    let f = await waitForFrame(ui.frame, (f) => rowIds(f).length === 10);
    expect(f).toMatch(/loading .*█+░+ +40%/);
    expect(f).toContain('10 sessions');
    expect(f).toContain('1,234 frames');
    expect(f).toContain('400.0 kB of 1.0 MB');
    await ui.press('j', 'j', KEY.enter);
    expect(ui.frame()).toContain('Session 3 ');
    await ui.press(KEY.escape, 'a');
    load.push(sessions.slice(10), { frames: 2000, bytesRead: 1_000_000, totalBytes: 1_000_000 });
    load.finish();
    f = await waitForFrame(ui.frame, (f) => f.includes('21 sessions, 3 match'));
    expect(f).not.toContain('loading');
    expect(rowIds(f)).toEqual([5, 15, 19]); // the filter applied during the load covers the sessions read after it
  });

  it('shows packets, drops and rate instead of a progress bar while capturing live', async () => {
    const sessions = await demoSessions();
    const load = manualLoader();
    const ui = renderApp({ loader: load.loader }, { columns: 120, rows: 24 });
    load.push(sessions.slice(0, 2), {
      frames: 83, bytesRead: 9000, totalBytes: 0,
      live: { iface: 'lo', backend: 'tcpdump', packets: 83, drops: 4, packetRate: 41 },
    });
    const f = await waitForFrame(ui.frame, (f) => rowIds(f).length === 2);
    expect(f).toMatch(/mailscope live on lo +capturing 2 sessions · 83 packets · 4 dropped · 41 pkt\/s \(tcpdump\)/);
    expect(f).not.toMatch(/█|░/);
  });

  it('says why when the capture cannot be read', async () => {
    const ui = renderApp({ loader: async () => { throw new Error('captures/x.pcap: not a capture file'); } });
    await waitForFrame(ui.frame, (f) => f.includes('not a capture file'));
  });
});

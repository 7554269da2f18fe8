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

describe('live sessions in progress', () => {
  it('shows a session before it ends, then replaces it in place; filters and the open detail follow', async () => {
    const sessions = await demoSessions();
    const failed = sessions.find((s) => s.id === 5)!; // SMTP AUTH LOGIN, 535
    // What a snapshot taken before the AUTH looked like: greeting and EHLO only, still open.
    const early = { ...failed, exchanges: failed.exchanges.slice(0, 2), auth: [], closed: 'open' };
    const live = { iface: 'lo', backend: 'tcpdump', packets: 10, drops: 0, packetRate: 5 };
    const load = manualLoader();
    const ui = renderApp({ loader: load.loader }, { columns: 120, rows: 24 });
    load.push([sessions[0]!, early], { frames: 10, bytesRead: 1000, totalBytes: 0, live });
    let f = await waitForFrame(ui.frame, (f) => rowIds(f).length === 2);
    expect(f).toContain('2 sessions (1 in progress)');
    expect(f).toMatch(/^\s+5 .*… OK/m);
    await ui.press('a'); // failed auth: the snapshot does not match yet
    f = await waitForFrame(ui.frame, (f) => f.includes('0 match'));
    await ui.press('0', 'j', KEY.enter);
    f = ui.frame();
    expect(f).toContain('Session 5  SMTP');
    expect(f).toContain('still in progress (live)');
    expect(f).not.toContain('535 5.7.8');
    load.push([failed], { frames: 20, bytesRead: 2000, totalBytes: 0, live });
    f = await waitForFrame(ui.frame, (f) => f.includes('535 5.7.8'));
    expect(f).toContain('2 sessions ·'); // none in progress any more, and still two rows' worth
    expect(f).not.toContain('still in progress');
    await ui.press(KEY.escape, 'a');
    f = await waitForFrame(ui.frame, (f) => f.includes('1 match'));
    expect(rowIds(f)).toEqual([5]);
    expect(f).toMatch(/^\s+5 .*AUTH FAILED 535 5\.7\.8/m);
  });
});

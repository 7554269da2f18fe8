import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEY, demoSessions, manySessions, renderApp, rowIds, staticLoader, waitForFrame } from './helpers.js';

afterEach(() => cleanup());

describe('session list', () => {
  it('renders one row per session with the outcome, failures first in colour', async () => {
    const ui = renderApp({ loader: staticLoader(await demoSessions()) });
    const f = await waitForFrame(ui.frame, (f) => f.includes('21 sessions'));
    expect(f).toContain('AUTH FAILED 535 5.7.8');
    expect(f).toMatch(/#▲ +Time +Proto +Client/);
    expect(rowIds(f).slice(0, 3)).toEqual([1, 2, 3]);
  });

  it('renders only the visible rows and scrolls with j, k, PgDn, G and g through 100,000 sessions', async () => {
    const ui = renderApp({ loader: staticLoader(await manySessions(100_000)) });
    await waitForFrame(ui.frame, (f) => f.includes('100000 sessions'), 10_000);
    expect(rowIds(ui.frame())).toHaveLength(18); // 24 rows: one left free, top line, header, 18 rows, filter bar (2), footer
    await ui.press('j', 'j', KEY.down);
    expect(ui.frame()).toMatch(/^\s+4 /m);
    await ui.press(KEY.pageDown);
    expect(rowIds(ui.frame())[0]).toBeGreaterThan(1);
    await ui.press('G');
    expect(rowIds(ui.frame()).at(-1)).toBe(100_000);
    await ui.press('k');
    expect(rowIds(ui.frame()).at(-1)).toBe(100_000); // k moves the selection up inside the page: no scroll
    await ui.press('g');
    expect(rowIds(ui.frame())[0]).toBe(1);
  });

  it('sorts by the next column with s and reverses with S S', async () => {
    const ui = renderApp({ loader: staticLoader(await demoSessions()) });
    await waitForFrame(ui.frame, (f) => f.includes('21 sessions'));
    await ui.press('S', 'S');
    expect(ui.frame()).toContain('#▼');
    expect(rowIds(ui.frame()).at(-1)).toBe(1); // the selected session stays selected, now at the end
    await ui.press('g');
    expect(rowIds(ui.frame())[0]).toBe(21);
    await ui.press('s', 's');
    expect(ui.frame()).toContain('Prot▲');
    const protos = ui.frame().split('\n').map((l) => / (IMAP|POP3|SMTP) /.exec(l)?.[1]).filter(Boolean);
    expect(protos[0]).toBe('IMAP');
    expect([...protos].sort()).toEqual(protos);
  });

  it('adapts its columns to the width and follows a resize', async () => {
    const ui = renderApp({ loader: staticLoader(await demoSessions()) }, { columns: 80, rows: 24 });
    let f = await waitForFrame(ui.frame, (f) => f.includes('21 sessions'));
    expect(f).not.toContain('Server');
    expect(Math.max(...f.split('\n').map((l) => l.length))).toBeLessThanOrEqual(80);
    ui.resize({ columns: 160, rows: 40 });
    f = await waitForFrame(ui.frame, (f) => f.includes('Server') && f.includes('Bytes'));
    expect(rowIds(f)).toHaveLength(21);
    ui.resize({ columns: 80, rows: 12 });
    f = await waitForFrame(ui.frame, (f) => !f.includes('Server'));
    expect(rowIds(f).length).toBe(6);
  });

  it('shows wire text escaped: a banner with ESC cannot drive the terminal', async () => {
    const [s] = await demoSessions();
    const evil = structuredClone(s);
    evil.exchanges[1] = { ...evil.exchanges[1], reply: { ...evil.exchanges[1].reply!, code: 554, text: '\x1b[2Jgone', lines: ['554 \x1b[2Jgone'] } };
    const ui = renderApp({ loader: staticLoader([evil]) });
    const f = await waitForFrame(ui.frame, (f) => f.includes('1 session'));
    expect(f).toContain('\\x1b[2Jgone');
    expect(f).not.toContain('\x1b[2J');
    await ui.press(KEY.enter);
    expect(ui.frame()).toContain('554 \\x1b[2Jgone');
  });

  it('quits with q', async () => {
    let quit = false;
    const ui = renderApp({ loader: staticLoader(await demoSessions()), onQuit: () => (quit = true) });
    await waitForFrame(ui.frame, (f) => f.includes('21 sessions'));
    await ui.press('q');
    expect(quit).toBe(true);
  });

  it('shows the help screen on ? with the quick filters, and closes it', async () => {
    const ui = renderApp({ loader: staticLoader(await demoSessions()) }, { columns: 100, rows: 50 });
    await waitForFrame(ui.frame, (f) => f.includes('21 sessions'));
    await ui.press('?');
    expect(ui.frame()).toContain('Quick filters');
    expect(ui.frame()).toContain('pop.response.indicator == "-ERR"');
    await ui.press(KEY.escape);
    expect(ui.frame()).not.toContain('Quick filters');
    expect(rowIds(ui.frame()).length).toBeGreaterThan(0);
  });
});

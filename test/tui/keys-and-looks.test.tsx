/** Issue 16 item 2: NO_COLOR, the sort chooser, the outcome's width, the help's scroll position, the footer's keys. */
import chalk from 'chalk';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { layoutColumns } from '../../src/tui/columns.js';
import { fitEntries } from '../../src/tui/Footer.js';
import { KEY, demoSessions, renderApp, rowIds, staticLoader, waitForFrame } from './helpers.js';

afterEach(() => cleanup());

async function ready(size = { columns: 120, rows: 30 }) {
  const ui = renderApp({ loader: staticLoader(await demoSessions()) }, size);
  await waitForFrame(ui.frame, (f) => f.includes('21 sessions'));
  return ui;
}

/** SGR codes that set a colour: 30–37, 38;…, 40–47, 48;…, 90–97, 100–107 (39 and 49 only reset one). */
const COLOUR_SGR = /\x1b\[(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]/;

describe('NO_COLOR', () => {
  const level = chalk.level;
  afterEach(() => {
    chalk.level = level;
    delete process.env.NO_COLOR;
  });

  it('draws no colour when NO_COLOR is set and not empty; the selection stays inverse', async () => {
    // The tests' stdout is no terminal, so chalk would draw no colour anyway: make it, to see NO_COLOR take it away.
    chalk.level = 1;
    let ui = await ready();
    expect(ui.lastFrame()).toMatch(COLOUR_SGR);
    cleanup();

    process.env.NO_COLOR = '1';
    ui = await ready();
    await ui.press('j', 'j', 'j', 'j');
    let raw = ui.lastFrame() ?? '';
    expect(raw).not.toMatch(COLOUR_SGR);
    expect(raw).toContain('\x1b[7m'); // inverse: the selected row
    expect(raw).toContain('\x1b[1m'); // bold: failures, keys
    await ui.press(KEY.enter, 'n');
    raw = ui.lastFrame() ?? '';
    expect(ui.frame()).toContain('S: 535 5.7.8');
    expect(raw).not.toMatch(COLOUR_SGR);
    cleanup();

    process.env.NO_COLOR = ''; // empty: as if not set
    ui = await ready();
    expect(ui.lastFrame()).toMatch(COLOUR_SGR);
  });
});

describe('the sort chooser (S)', () => {
  it('S shows the columns with their keys; one key sorts by that column, the same again reverses', async () => {
    const ui = await ready();
    await ui.press('S');
    let f = ui.frame();
    expect(f).toMatch(/Sort by: +n number▲ +t time +p protocol +c client +v server +u user +o outcome/);
    expect(f).toContain('n t p c … column  S reverse  Esc cancel');
    await ui.press('o');
    f = ui.frame();
    expect(f).toContain('Outcome▲');
    expect(f).toContain('Filter:'); // the chooser closed
    // Failures first: the seven sessions that failed (red, then the yellow 450), then the rest.
    // Failures first: the seven permanent ones (red), then the greylisted 450 (yellow), then the rest.
    expect(rowIds(f).slice(0, 7).sort((a, b) => a - b)).toEqual([5, 6, 7, 9, 10, 15, 19]);
    expect(rowIds(f)[7]).toBe(8);
    await ui.press('S', 'o');
    f = ui.frame();
    expect(f).toContain('Outcome▼');
    expect(f.split('\n').filter((l) => /^\s+\d+ /.test(l))[0]).toMatch(/ OK[ ,]/);
    await ui.press('S', 'u');
    expect(ui.frame()).toContain('User▲');
    await ui.press('S', KEY.escape);
    expect(ui.frame()).toContain('User▲');
    expect(ui.frame()).toContain('Filter:');
  });

  it('the help screen tells the chooser', async () => {
    const ui = await ready({ columns: 160, rows: 80 });
    await ui.press('?');
    const f = ui.frame();
    expect(f).toContain('Sort chooser (S)');
    expect(f).toMatch(/S +sort by a column you choose/);
  });
});

describe('layout', () => {
  it('the outcome column takes the width the other columns leave', () => {
    for (const width of [80, 100, 120, 160, 200, 300]) {
      const cols = layoutColumns(width);
      const used = cols.reduce((n, c) => n + c.size, 0) + cols.length - 1;
      expect(used).toBe(width);
    }
  });

  it('a long outcome shows whole on a wide terminal', async () => {
    const ui = await ready({ columns: 220, rows: 30 });
    expect(ui.frame()).toContain('RCPT 550 5.1.1 <nobody@example.test>: Recipient address rejected: User unknown in virtual mailbox table');
  });

  it('the help shows that it scrolls, and where it is', async () => {
    const ui = await ready({ columns: 120, rows: 20 });
    await ui.press('?');
    let f = ui.frame();
    const position = /lines (\d+)–(\d+) of (\d+)/.exec(f);
    expect(position).not.toBeNull();
    expect(position![1]).toBe('1');
    expect(f).toContain('↑↓/jk PgUp/PgDn scroll');
    await ui.press('j', 'j');
    expect(ui.frame()).toContain(`lines 3–`);
    await ui.press('G');
    f = ui.frame();
    expect(f).toMatch(new RegExp(`lines \\d+–${position![3]} of ${position![3]}`));
    expect(f).toContain('magenta');
    await ui.press(KEY.pageUp, 'g');
    expect(ui.frame()).toContain('lines 1–');
  });

  it('the footer lists / filter and L language in the list, / search and L language in the detail view', async () => {
    const ui = await ready({ columns: 120, rows: 30 });
    expect(ui.frame()).toMatch(/\/ filter .*L language .*\? help +q quit/);
    await ui.press(KEY.enter);
    expect(ui.frame()).toMatch(/\/ search +L language .*Esc back +q quit/);
    await ui.press(KEY.escape, 'L');
    expect(ui.frame()).toContain('explanations in Simplified Chinese');
  });

  it('a narrow footer leaves out whole entries, keeping the last two', async () => {
    const entries = [['a', 'one'], ['b', 'two'], ['c', 'three'], ['?', 'help'], ['q', 'quit']] as const;
    expect(fitEntries(entries, 100)).toHaveLength(5);
    expect(fitEntries(entries, 28).map(([k]) => k)).toEqual(['a', 'b', '?', 'q']);
    expect(fitEntries(entries, 22).map(([k]) => k)).toEqual(['a', '?', 'q']);
    expect(fitEntries(entries, 5).map(([k]) => k)).toEqual(['?', 'q']);
    const ui = await ready({ columns: 80, rows: 24 });
    const footer = ui.frame().split('\n').at(-1)!;
    expect(footer).toMatch(/\? help +q quit$/);
    await ui.press(KEY.enter);
    expect(ui.frame().split('\n').at(-1)).toMatch(/Esc back +q quit$/);
  });
});

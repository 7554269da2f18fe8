import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { KEY, demoSessions, renderApp, rowIds, staticLoader, waitForFrame } from './helpers.js';

afterEach(() => cleanup());

async function ready() {
  const ui = renderApp({ loader: staticLoader(await demoSessions()) }, { columns: 120, rows: 30 });
  await waitForFrame(ui.frame, (f) => f.includes('21 sessions'));
  return ui;
}

describe('filter bar', () => {
  it('says valid as you type and applies on Enter', async () => {
    const ui = await ready();
    await ui.press('/', ...'smtp.response.code >= 400');
    expect(ui.frame()).toMatch(/Filter: smtp\.response\.code >= 400 +valid/);
    expect(rowIds(ui.frame())).toHaveLength(21); // not applied yet
    await ui.press(KEY.enter);
    const f = ui.frame();
    expect(f).toContain('21 sessions, 6 match');
    expect(f).toMatch(/smtp\.response\.code >= 400 applied/);
    expect(rowIds(f)).toEqual([5, 6, 7, 8, 9, 10]);
  });

  it('says invalid with the parser message and a caret under the bad field, and Enter keeps it open', async () => {
    const ui = await ready();
    await ui.press('/', ...'smtp.respons.code == 1');
    const f = ui.frame();
    expect(f).toContain('invalid');
    const lines = f.split('\n');
    const bar = lines.findIndex((l) => l.startsWith('Filter: '));
    expect(lines[bar + 1].indexOf('^')).toBe('Filter: '.length);
    expect(lines[bar + 1]).toMatch(/\^~+ .*smtp\.respons\.code.*smtp\.response\.code/);
    await ui.press(KEY.enter);
    expect(ui.frame()).toContain('invalid');
    expect(rowIds(ui.frame())).toHaveLength(21);
    await ui.press(KEY.escape);
    expect(ui.frame()).toContain('Filter: (none');
  });

  it('on a narrow terminal, gives the whole message its own line when it fits neither after nor before the caret', async () => {
    const ui = renderApp({ loader: staticLoader(await demoSessions()) }, { columns: 80, rows: 24 });
    await waitForFrame(ui.frame, (f) => f.includes('21 sessions'));
    await ui.press('/', ...'imap.response.status == "NO" and tls.decryptd');
    const lines = ui.frame().split('\n');
    const bar = lines.findIndex((l) => l.startsWith('Filter: '));
    expect(lines[bar + 1]).toMatch(/^"tls\.decryptd" .*tls\.decrypted/); // neither after nor before the caret has room
    expect(lines[bar]).toContain('imap.response.status == "NO" and tls.decryptd  invalid');
  });

  it('walks the history with up and down', async () => {
    const ui = await ready();
    await ui.press('/', ...'auth.failed', KEY.enter);
    await ui.press('/', KEY.ctrlU, ...'imap', KEY.enter);
    expect(ui.frame()).toMatch(/Filter: imap applied/);
    await ui.press('/', KEY.ctrlU, ...'tl', KEY.up);
    expect(ui.frame()).toMatch(/Filter: imap /);
    await ui.press(KEY.up);
    expect(ui.frame()).toMatch(/Filter: auth\.failed /);
    await ui.press(KEY.down, KEY.down);
    expect(ui.frame()).toMatch(/Filter: tl /);
    await ui.press(KEY.up, KEY.up, KEY.enter);
    expect(ui.frame()).toMatch(/auth\.failed applied/);
    expect(rowIds(ui.frame())).toEqual([5, 15, 19]);
  });

  it('completes a field name with Tab', async () => {
    const ui = await ready();
    await ui.press('/', ...'pop.response.ind', KEY.tab);
    expect(ui.frame()).toContain('Filter: pop.response.indicator');
  });

  it('quick filter keys fill in the expression and apply it', async () => {
    const ui = await ready();
    await ui.press('a');
    expect(ui.frame()).toMatch(/Filter: auth\.failed applied/);
    expect(rowIds(ui.frame())).toEqual([5, 15, 19]);
    await ui.press('5');
    expect(ui.frame()).toContain('Filter: smtp.response.code >= 500');
    expect(rowIds(ui.frame())).toEqual([5, 6, 7, 9, 10]);
    await ui.press('4');
    expect(rowIds(ui.frame())).toEqual([8]);
    await ui.press('p');
    expect(ui.frame()).toContain('Filter: pop.response.indicator == "-ERR"');
    expect(rowIds(ui.frame())).toEqual([19]);
    await ui.press('i');
    expect(ui.frame()).toContain('imap.response.status == "NO"');
    expect(rowIds(ui.frame())).toEqual([15]);
    await ui.press('t');
    expect(rowIds(ui.frame()).length).toBeGreaterThan(0);
    await ui.press('0');
    expect(rowIds(ui.frame())).toHaveLength(21);
  });
});

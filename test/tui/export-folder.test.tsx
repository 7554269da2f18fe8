/** Export to a folder: a path ending in "/" or naming a folder gets one file per session; errors read as sentences. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { describeWriteError } from '../../src/tui/write-error.js';
import { KEY, demoSessions, renderApp, staticLoader, waitForFrame } from './helpers.js';

afterEach(() => cleanup());

async function ready() {
  const ui = renderApp({ loader: staticLoader(await demoSessions()) }, { columns: 160, rows: 30 });
  await waitForFrame(ui.frame, (f) => f.includes('21 sessions'));
  return ui;
}

describe('export to a folder', () => {
  it('a path ending in / makes the folder and writes one transcript per session in it', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'mailscope-ui-')), 'failed', 'logins');
    const ui = await ready();
    // a: the failed-authentication quick filter (sessions 5, 15, 19); e a: all of them; t: text.
    await ui.press('a', 'e', 'a', 't');
    expect(ui.frame()).toContain('a folder (ending in /) gets one file per session');
    await ui.press(KEY.ctrlU, ...dir + '/', KEY.enter);
    const f = await waitForFrame(ui.frame, (f) => f.includes('wrote 3 sessions'));
    expect(f).toContain(`text transcripts) to 3 files in ${dir}/`);
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['session-0005-smtp.txt', 'session-0015-imap.txt', 'session-0019-pop3.txt'].sort());
    expect(readFileSync(join(dir, 'session-0005-smtp.txt'), 'utf8')).toMatch(/^Session 5: SMTP /);
    expect(readFileSync(join(dir, 'session-0015-imap.txt'), 'utf8')).toMatch(/^Session 15: IMAP /);
  });

  it('a folder that exists (no trailing /) gets NDJSON files; files there are replaced only after asking', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailscope-ui-'));
    writeFileSync(join(dir, 'session-0015-imap.ndjson'), 'old\n');
    const ui = await ready();
    await ui.press('a', 'e', 'a', 'n', KEY.ctrlU, ...dir, KEY.enter);
    await waitForFrame(ui.frame, (f) => f.includes(`1 of the files exists in ${dir}/: replace it? y / n`));
    expect(readdirSync(dir)).toEqual(['session-0015-imap.ndjson']); // nothing written before the answer
    await ui.press('n');
    expect(ui.frame()).toContain(`(NDJSON) to: ${dir}`);
    expect(readFileSync(join(dir, 'session-0015-imap.ndjson'), 'utf8')).toBe('old\n');
    await ui.press(KEY.enter);
    await waitForFrame(ui.frame, (f) => f.includes('replace it? y / n'));
    await ui.press('y');
    const f = await waitForFrame(ui.frame, (f) => f.includes('wrote 3 sessions'));
    expect(f).toContain(`NDJSON) to 3 files in ${dir}/`);
    expect(readdirSync(dir).sort()).toEqual(['session-0005-smtp.ndjson', 'session-0015-imap.ndjson', 'session-0019-pop3.ndjson']);
    expect(JSON.parse(readFileSync(join(dir, 'session-0015-imap.ndjson'), 'utf8')).id).toBe(15);
  });

  it('one session to a folder writes its file there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailscope-ui-'));
    const ui = await ready();
    await ui.press(KEY.enter, 'e', 't', KEY.ctrlU, ...dir, KEY.enter);
    await waitForFrame(ui.frame, (f) => f.includes('wrote 1 session'));
    expect(readdirSync(dir)).toEqual(['session-0001-smtp.txt']);
  });

  it('says what is wrong in a sentence, not an errno', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailscope-ui-'));
    const file = join(dir, 'plain');
    writeFileSync(file, 'x');
    mkdirSync(join(dir, 'sub'));
    const ui = await ready();
    await ui.press('a', 'e', 'a', 't', KEY.ctrlU, ...file + '/', KEY.enter);
    let f = await waitForFrame(ui.frame, (f) => f.includes('cannot write'));
    const dialog = (frame: string) => frame.split('\n').slice(-3).join('\n');
    expect(dialog(f)).toContain(`cannot write ${file}/: it is a file, not a folder`);
    expect(dialog(f)).not.toMatch(/E[A-Z]{3,}/);
    await ui.press(KEY.ctrlU, ...join(file, 'x.txt'), KEY.enter);
    f = await waitForFrame(ui.frame, (f) => f.includes(`cannot write ${join(file, 'x.txt')}`));
    expect(dialog(f)).toContain('a part of the path is a file, not a folder');
    expect(dialog(f)).not.toMatch(/E[A-Z]{3,}/);
  });

  it('describeWriteError words the errors a user meets', () => {
    const err = (code: string, path?: string) => Object.assign(new Error(`${code}: something, open '${path}'`), { code, path });
    expect(describeWriteError(err('EACCES', '/x'), '/x')).toBe('cannot write /x: permission denied');
    expect(describeWriteError(err('ENOSPC', '/x'), '/x')).toBe('cannot write /x: no space left on the device');
    expect(describeWriteError(err('EISDIR'), '/d')).toBe('cannot write /d: it is a folder');
    expect(describeWriteError(err('EWHATEVER', '/x'), '/x')).toBe('cannot write /x: something');
  });
});

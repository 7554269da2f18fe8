/** Wide text (CJK, emoji, combining marks) measured in terminal cells, in the helpers and on screen. */
import { cleanup } from 'ink-testing-library';
import stringWidth from 'string-width';
import { afterEach, describe, expect, it } from 'vitest';
import { cellWidth, fitCells, sliceCells, wrapCells } from '../../src/tui/cells.js';
import { demoSessions, renderApp, staticLoader, waitForFrame } from './helpers.js';

afterEach(() => cleanup());

describe('cells', () => {
  it('counts a CJK character and an emoji as two cells, a combining mark as none', () => {
    expect(cellWidth('abc')).toBe(3);
    expect(cellWidth('邮件')).toBe(4);
    expect(cellWidth('📧')).toBe(2);
    expect(cellWidth('e\u0301')).toBe(1);
  });

  it('fits to exactly the size asked, never cutting a wide character in two', () => {
    for (const text of ['用户名张三@例子.中国', 'abc邮件def', 'short', '📧📧📧📧']) {
      for (const size of [1, 2, 5, 6, 9, 30]) {
        const out = fitCells(text, size);
        expect(stringWidth(out)).toBe(size);
        expect(fitCells(text, size, 'right')).toHaveLength(out.length);
      }
    }
    expect(fitCells('邮件系统', 6)).toBe('邮件… ');
    expect(sliceCells('a邮b', 2)).toBe('a');
  });

  it('wraps by cells, indenting the pieces after the first', () => {
    const pieces = wrapCells('主题：' + '测试'.repeat(30), 40, 4);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(stringWidth(p)).toBeLessThanOrEqual(40);
    expect(pieces[1]!.startsWith('    ')).toBe(true);
    expect(pieces.join('').replace(/ /g, '')).toBe('主题：' + '测试'.repeat(30));
  });
});

describe('wide text on screen', () => {
  it('keeps every row of the list inside the terminal when a user name is Chinese', async () => {
    const base = await demoSessions();
    const failed = base.find((s) => s.auth.some((a) => a.result === 'failure'))!;
    const wide = { ...failed, id: 99, auth: failed.auth.map((a) => ({ ...a, user: '张伟@邮件.中国' })) };
    const ui = renderApp({ loader: staticLoader([...base, wide]) }, { columns: 100, rows: 30 });
    const frame = await waitForFrame(ui.frame, (f) => f.includes('22 sessions'));
    const row = frame.split('\n').find((l) => l.includes('张伟'))!;
    expect(row).toBeDefined();
    for (const line of frame.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(100);
    // The columns after the user line up with the rows of ASCII users.
    const ascii = frame.split('\n').find((l) => /^\s+\d+ /.test(l) && l.includes('AUTH FAILED') && !l.includes('张伟'))!;
    expect(cellIndex(row, 'AUTH FAILED')).toBe(cellIndex(ascii, 'AUTH FAILED'));
  });
});

/** The cell column where `needle` starts in `line`. */
function cellIndex(line: string, needle: string): number {
  return stringWidth(line.slice(0, line.indexOf(needle)));
}

describe('wrapping at words', () => {
  it('breaks after the last space that fits, cuts a long word only when it must', () => {
    const text = 'the quick brown fox jumps over the lazy dog again and again';
    const pieces = wrapCells(text, 20);
    expect(pieces).toEqual(['the quick brown fox ', 'jumps over the lazy ', 'dog again and again']);
    expect(pieces.join('')).toBe(text);
    // A word longer than half the room is cut where the room ends, not moved whole to a line of its own.
    const long = 'see ' + 'x'.repeat(50);
    expect(wrapCells(long, 20)[0]).toBe('see ' + 'x'.repeat(16));
    // A break right before a space: the next piece does not start with it.
    expect(wrapCells('aaaa bbbb cccc', 9)).toEqual(['aaaa bbbb', 'cccc']);
    expect(wrapCells('aaaaaaaaa bbbb', 9)).toEqual(['aaaaaaaaa', 'bbbb']);
  });

  it('does not break inside the time and latency columns before the transcript text (the indent)', () => {
    const prefix = '12:37:19.148   +0.041ms S: ';
    const line = prefix + '550-' + 'y'.repeat(60) + ' and then words that wrap';
    const pieces = wrapCells(line, 60, prefix.length);
    expect(pieces[0]!.startsWith(prefix + '550-yyy')).toBe(true);
    expect(pieces[0]).toHaveLength(60);
    for (const p of pieces.slice(1)) expect(p.startsWith(' '.repeat(prefix.length))).toBe(true);
  });
});

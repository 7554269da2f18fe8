import { describe, expect, it } from 'vitest';
import { layoutColumns } from '../../src/tui/columns.js';
import { FilterHistory } from '../../src/tui/filter-history.js';
import { editLine, lineOf } from '../../src/tui/internal/line-editor.js';
import { splitKeys } from '../../src/tui/internal/split-keys.js';
import { ListModel } from '../../src/tui/list-model.js';
import { SessionStore } from '../../src/tui/session-store.js';
import { manySessions } from './helpers.js';

describe('list model', () => {
  it('filters only the sessions that arrive, merges them into the sort order, keeps the selection', async () => {
    const all = await manySessions(1000);
    const store = new SessionStore();
    const model = new ListModel(store);
    let tested = 0;
    model.setFilter({ matches: (s) => (tested++, s.id % 2 === 0) });
    store.add(all.slice(0, 500));
    model.sync();
    expect(model.length).toBe(250);
    model.setSort({ column: 'id', descending: true });
    model.move(3);
    const selected = model.selected()!.id;
    tested = 0;
    store.add(all.slice(500));
    model.sync();
    expect(tested).toBe(500);
    expect(model.length).toBe(500);
    expect(store.at(model.indexAt(0)).id).toBe(1000);
    expect(model.selected()!.id).toBe(selected);
  });

  it('keeps the cursor in the window it returns', async () => {
    const store = new SessionStore();
    store.add(await manySessions(100));
    const model = new ListModel(store);
    model.setFilter(null);
    model.move(50);
    expect(model.window(10)).toEqual({ start: 41, end: 51 });
    model.end();
    expect(model.window(10)).toEqual({ start: 90, end: 100 });
    model.home();
    expect(model.window(10)).toEqual({ start: 0, end: 10 });
  });
});

describe('columns', () => {
  it('fit 80 columns exactly and give the outcome the rest', () => {
    for (const w of [60, 80, 100, 120, 200]) {
      const cols = layoutColumns(w);
      expect(cols.reduce((n, c) => n + c.size, 0) + cols.length - 1).toBeLessThanOrEqual(w);
      expect(cols.some((c) => c.key === 'outcome' && c.size >= 24)).toBe(true);
    }
    expect(layoutColumns(80).map((c) => c.key)).toEqual(['id', 'proto', 'client', 'user', 'outcome', 'tls', 'anomalies']);
  });
});

describe('filter history', () => {
  it('walks older and newer, keeping the draft', () => {
    const h = new FilterHistory();
    h.add('a');
    h.add('b');
    h.add('a');
    expect(h.entries).toEqual(['b', 'a']);
    expect(h.older('dra')).toBe('a');
    expect(h.older('a')).toBe('b');
    expect(h.older('b')).toBeUndefined();
    expect(h.newer()).toBe('a');
    expect(h.newer()).toBe('dra');
    expect(h.newer()).toBeUndefined();
  });
});

describe('line editor and key splitting', () => {
  it('edits like a shell line', () => {
    let s = lineOf('smtp');
    s = editLine(s, '.x', {})!;
    s = editLine(s, '', { delete: true })!;
    expect(s).toEqual({ text: 'smtp.', cursor: 5 });
    s = editLine(s, 'u', { ctrl: true })!;
    expect(s).toEqual({ text: '', cursor: 0 });
    expect(editLine(s, 'x', { ctrl: true })).toBeNull();
    expect(editLine(s, '\x1b[2J', {})!.text).toBe('[2J');
  });

  it('splits a run of characters into single keys', () => {
    const none = { return: false } as never;
    const keys = splitKeys('e\x15a\r', none);
    expect(keys.map(([i]) => i)).toEqual(['e', 'u', 'a', '']);
    expect(keys[1][1].ctrl).toBe(true);
    expect(keys[3][1].return).toBe(true);
  });
});

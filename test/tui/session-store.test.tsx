/**
 * The UI's session store past its memory budget: sessions go to a scratch
 * file and come back whole, with their findings; the list, a filter applied
 * in slices, statistics, the findings view, the detail view and exports give
 * exactly what they give with every session in memory.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { StatsAccumulator } from '../../src/export/stats.js';
import { formatStatsText } from '../../src/export/stats-text.js';
import { compileFilter } from '../../src/filter/index.js';
import { findingsFor, findingsHook } from '../../src/findings/index.js';
import { defaultMachines } from '../../src/protocols/registry.js';
import { readSessions } from '../../src/session/read-sessions.js';
import type { Session } from '../../src/session/model.js';
import { exportSessions, exportText } from '../../src/tui/export-sessions.js';
import { ListModel } from '../../src/tui/list-model.js';
import { SessionStore } from '../../src/tui/session-store.js';
import { StatsJob } from '../../src/tui/stats-job.js';
import { demoSessions, manySessions, staticLoader, walkViews } from './helpers.js';

afterEach(() => cleanup());

const plain = (s: Session) => JSON.parse(JSON.stringify(s)) as Session;

describe('session store past its memory budget', () => {
  it('gives every session back whole from the scratch file, rows as in memory, findings as computed', async () => {
    const { sessions } = await readSessions(['captures/demo.pcap', 'captures/smtp-relay-open.pcap'], { machines: defaultMachines, keepBodies: 2048 });
    // Findings computed with --local-domain when the session arrived must survive the round trip.
    const hook = findingsHook(['example.test'])!;
    for (const s of sessions) hook(s);
    const inMemory = new SessionStore();
    const spilled = new SessionStore({ residentBytes: 0 });
    inMemory.add(sessions);
    spilled.add(sessions);
    expect(spilled.spilled.sessions).toBe(sessions.length);
    expect(spilled.spilled.bytes).toBeGreaterThan(10_000);
    expect(inMemory.spilled.sessions).toBe(0);
    for (let i = 0; i < sessions.length; i++) {
      expect(spilled.cellsAt(i)).toEqual(inMemory.cellsAt(i));
      const back = spilled.peek(i);
      expect(back).not.toBe(sessions[i]);
      expect(back).toEqual(plain(sessions[i]));
      expect(findingsFor(back)).toEqual(JSON.parse(JSON.stringify(findingsFor(sessions[i]))));
    }
    // at() keeps what it read back: the detail view's session stays the same object.
    expect(spilled.byId(sessions[3].id)).toBe(spilled.byId(sessions[3].id));
    spilled.close();
  });

  it('replaces a spilled session by id in its place', async () => {
    const demo = await demoSessions();
    const store = new SessionStore({ residentBytes: 0 });
    store.add(demo);
    const newer = { ...demo[2], closed: 'rst' as const, exchanges: demo[2].exchanges.slice(0, 1) };
    expect(store.add([newer])).toEqual([2]);
    expect(store.length).toBe(demo.length);
    expect(store.at(2).closed).toBe('rst');
    expect(store.at(2).exchanges).toHaveLength(1);
    expect(store.cellsAt(2).ex).toBe('1');
    store.close();
  });

  it('applies a filter in slices: the same rows and selection as at once, a deadline at a time', async () => {
    const all = await manySessions(3000);
    const filter = compileFilter('smtp.response.code >= 500 || pop.response.indicator == "-ERR"');
    const inMemory = new SessionStore();
    inMemory.add(all);
    const reference = new ListModel(inMemory);
    reference.setSort({ column: 'outcome', descending: false });
    reference.setFilter(filter);
    const store = new SessionStore({ residentBytes: 0 });
    store.add(all);
    const model = new ListModel(store);
    model.setSort({ column: 'outcome', descending: false });
    model.sync();
    // Select a session the filter keeps, far down the list: it must be selected again once the scan reaches it.
    const kept = reference.allIndices()[reference.length - 3];
    model.move(model.allIndices().indexOf(kept));
    expect(model.selected()!.id).toBe(store.rows.id(kept));
    // A deadline in the past: each call looks at 256 sessions, then stops.
    model.setFilter(filter, 0);
    let slices = 1;
    while (model.behind > 0) {
      model.sync(0);
      slices++;
    }
    expect(slices).toBeGreaterThan(5);
    expect(model.allIndices()).toEqual(reference.allIndices());
    expect(model.length).toBeGreaterThan(100);
    expect(model.selected()!.id).toBe(store.rows.id(kept));
    store.close();
  });

  it('counts statistics in slices to the same text as at once', async () => {
    const all = await manySessions(2000);
    const store = new SessionStore({ residentBytes: 0 });
    store.add(all);
    const indices = all.map((_, i) => i);
    const job = new StatsJob(store, indices, 'en');
    job.step(0);
    expect(job.done).toBe(false);
    expect(job.lines()[0]).toMatch(/^\(counting: 128 of 2,000 sessions, 6%\)$/);
    while (!job.done) job.step(0);
    const acc = new StatsAccumulator('en');
    for (const s of all) acc.add(s);
    expect(job.lines()).toEqual(formatStatsText(acc.result()).trimEnd().split('\n'));
    store.close();
  });

  it('exports a thousand sessions from the scratch file a chunk at a time, as exportText would', async () => {
    const all = await manySessions(1000);
    const store = new SessionStore({ residentBytes: 0 });
    store.add(all);
    const dir = mkdtempSync(join(tmpdir(), 'mailscope-export-'));
    for (const format of ['text', 'ndjson'] as const) {
      const path = join(dir, `all.${format}`);
      const r = await exportSessions({ length: store.length, get: (i) => store.at(i) }, format, path);
      const expected = exportText(all.map(plain), format);
      expect(readFileSync(path, 'utf8')).toBe(expected);
      expect(r.bytes).toBe(Buffer.byteLength(expected));
      expect(r.sessions).toBe(1000);
    }
    store.close();
  });
});

describe('the UI with every session in the scratch file', () => {
  it('shows the same list, detail, findings, statistics and export as with them in memory', async () => {
    const demo = await demoSessions();
    const dir = mkdtempSync(join(tmpdir(), 'mailscope-ui-'));
    const run = (residentBytes: number | undefined, name: string) => walkViews({ loader: staticLoader(demo), residentBytes }, dir, name);
    const inMemory = await run(undefined, 'memory.ndjson');
    const spilled = await run(0, 'spilled.ndjson');
    expect(inMemory.frames[2]).toMatch(/Session \d+ {2}SMTP/);
    expect(inMemory.frames[4]).toContain('Statistics of the sessions matching smtp.response.code >= 500');
    expect(spilled.frames).toEqual(inMemory.frames);
    expect(spilled.exported).toBe(inMemory.exported);
    expect(spilled.exported.trim().split('\n').length).toBeGreaterThan(1);
  });
});

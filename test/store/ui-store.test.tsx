/**
 * The UI over a ClickHouse store (ui --clickhouse) against a real two-shard
 * cluster (clickhouse-cluster.ts, HTTP 18321/18322): it loads only the
 * sessions' list rows, fetches whole sessions when a view needs them, and
 * asks the store which sessions a filter selects; and it shows exactly what
 * it shows with the same sessions whole in memory: list, filter, detail,
 * findings, statistics and export.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@clickhouse/client';
import { cleanup } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../src/session/model.js';
import { ClickHouseStore } from '../../src/store/clickhouse-store.js';
import { listRow } from '../../src/tui/list-row.js';
import { storeSource } from '../../src/tui/load-store.js';
import { KEY, renderApp, rowIds, staticLoader, waitForFrame, walkViews } from '../tui/helpers.js';
import { startClickHouseCluster, type ClickHouseCluster } from './clickhouse-cluster.js';

let cluster: ClickHouseCluster;
let urls = '';
/** The demo capture's sessions as the store gives them back whole (the reference the UI over rows must match). */
let stored: Session[] = [];
const DB = 'ui';

const mailscope = (...args: string[]) => spawnSync(process.execPath, ['bin/mailscope.js', ...args], { encoding: 'utf8', env: { ...process.env, SSLKEYLOGFILE: '' } });

afterEach(() => cleanup());

describe('the UI over a ClickHouse store', () => {
  beforeAll(async () => {
    cluster = await startClickHouseCluster({ portOffset: 200 });
    urls = cluster.urls.join(',');
    const indexed = mailscope('index', 'captures/demo.pcap', '--keylog', 'captures/demo.keys', '--clickhouse', urls, '--cluster', 'mail', '--database', DB);
    expect(indexed.status, indexed.stderr).toBe(0);
    const store = await ClickHouseStore.open({ urls: cluster.urls, database: DB, cluster: 'mail' });
    try {
      for await (const s of store.sessions('1')) stored.push(s);
    } finally {
      await store.close();
    }
    expect(stored).toHaveLength(21);
  }, 90_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  const source = (filter?: string) => storeSource({ clickhouse: urls, cluster: 'mail', database: DB, filter }, () => undefined);

  it('loads list rows only, and fetches a session when the detail view opens it', async () => {
    const { loader, sessions } = source();
    const ui = renderApp({ loader, remote: sessions }, { columns: 140, rows: 40 });
    const listed = await waitForFrame(ui.frame, (f) => f.includes('21 sessions') && !f.includes('reading'), 10_000);
    expect(rowIds(listed)).toEqual(stored.slice(0, rowIds(listed).length).map((s) => s.id));
    expect(sessions.fetched).toBe(0);
    await ui.press('j', 'j', KEY.enter);
    expect(ui.frame()).toMatch(new RegExp(`Session 3 {2}SMTP {2}127\\.0\\.0\\.1:${stored[2].client.port} -> `));
    expect(sessions.fetched).toBe(1);
  });

  it('asks the store which sessions a filter selects: an exact one reads none of them', async () => {
    const { loader, sessions } = source();
    const ui = renderApp({ loader, remote: sessions }, { columns: 140, rows: 40 });
    await waitForFrame(ui.frame, (f) => f.includes('21 sessions') && !f.includes('reading'), 10_000);
    await ui.press('/', ...'smtp.response.code >= 500 || pop.response.indicator == "-ERR"', KEY.enter);
    const f = await waitForFrame(ui.frame, (fr) => /\d+ match(?! so far)/.test(fr));
    expect(sessions.fetched).toBe(0);
    const { compileFilter } = await import('../../src/filter/index.js');
    const want = stored.filter((s) => compileFilter('smtp.response.code >= 500 || pop.response.indicator == "-ERR"').matches(s)).map((s) => s.id);
    expect(want.length).toBeGreaterThan(3);
    expect(rowIds(f)).toEqual(want);
    // Not translated (matches): the store's answer narrows nothing, and every session is read and checked here.
    await ui.press('/', KEY.ctrlU, ...'smtp.response matches "Relay"', KEY.enter);
    const g = await waitForFrame(ui.frame, (fr) => /\d+ match(?! so far)/.test(fr));
    expect(g).toContain('not translated to SQL: smtp.response matches (a JavaScript regular expression); every session is read from the store and checked here');
    expect(rowIds(g)).toEqual(stored.filter((s) => compileFilter('smtp.response matches "Relay"').matches(s)).map((s) => s.id));
    expect(sessions.fetched).toBe(21);
    // In batches, not one query a session.
    expect(sessions.queries).toBeLessThanOrEqual(2);
  });

  it('shows the same list, filter, detail, findings, statistics and export as with the sessions in memory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mailscope-ui-store-'));
    const inMemory = await walkViews({ loader: staticLoader(stored) }, dir, 'memory.ndjson');
    const { loader, sessions } = source();
    const fromStore = await walkViews({ loader, remote: sessions }, dir, 'store.ndjson');
    expect(inMemory.frames[2]).toMatch(/Session \d+ {2}SMTP/);
    expect(inMemory.frames[3]).toMatch(/password-guessing|failed-login/);
    expect(inMemory.frames[4]).toContain('Statistics of the sessions matching smtp.response.code >= 500');
    expect(fromStore.frames).toEqual(inMemory.frames);
    expect(fromStore.exported).toBe(inMemory.exported);
    expect(fromStore.exported.trim().split('\n').length).toBeGreaterThan(1);
  });

  it('fetches the latest version of a session indexed again, as the store keeps it', async () => {
    expect(mailscope('index', 'captures/demo.pcap', '--clickhouse', urls, '--cluster', 'mail', '--database', 'again').status).toBe(0);
    const node = createClient({ url: cluster.urls[0] });
    try {
      // A later copy of session 3 whose JSON says something else (as a newer mailscope would): FINAL would keep it.
      // Session 3 again, later and with other JSON (as a newer mailscope might give): it is the one kept.
      // Session 4 again, earlier (inserted after, so without versions it would come last): it is not.
      const copy = async (id: number, stream: number, indexedAt: string) => {
        const [row] = await (await node.query({ query: `SELECT * FROM again.sessions WHERE id = ${id}`, format: 'JSONEachRow' })).json<Record<string, unknown>>();
        row.json = String(row.json).replace(`"stream":${id - 1},`, `"stream":${stream},`);
        row.indexed_at = indexedAt;
        await node.insert({ table: 'again.sessions', values: [row], format: 'JSONEachRow', clickhouse_settings: { insert_distributed_sync: 1 } });
      };
      await copy(3, 77, '2037-01-01 00:00:00');
      await copy(4, 88, '2001-01-01 00:00:00');
      const { loader, sessions } = storeSource({ clickhouse: urls, cluster: 'mail', database: 'again' }, () => undefined);
      const places: Array<[string, number]> = [];
      await loader({ onSession: () => undefined, onRow: (_r, capture, id) => places.push([capture, id]), onProgress: () => undefined });
      expect(places).toHaveLength(21);
      places.forEach(([capture, id], i) => sessions.place(i, capture, id));
      const got = sessions.fetch(places.map((_p, i) => i), (i) => i + 1);
      expect(got.size).toBe(21);
      expect(got.get(2)!.stream).toBe(77);
      expect(got.get(3)!.stream).toBe(3);
      expect(got.get(4)!.stream).toBe(4);
      sessions.close();
    } finally {
      await node.close();
    }
  });

  it('lists at most --limit sessions, and says how many the store has', async () => {
    const rows: number[] = [];
    const { loader } = storeSource({ clickhouse: urls, cluster: 'mail', database: DB, limit: 5 }, () => undefined);
    const summary = await loader({ onSession: () => undefined, onRow: (r) => rows.push(r.id), onProgress: () => undefined });
    expect(rows).toEqual([1, 2, 3, 4, 5]);
    expect(summary).toEqual({ code: 0, warnings: ['showing the first 5 of 21 sessions in the store: narrow them with -Y or --capture, or raise --limit'] });
  });

  it('says in the footer when the store stops answering, and keeps going', async () => {
    expect(mailscope('index', 'captures/demo.pcap', '--clickhouse', urls, '--cluster', 'mail', '--database', 'gone').status).toBe(0);
    const { loader, sessions } = storeSource({ clickhouse: urls, cluster: 'mail', database: 'gone' }, () => undefined);
    const ui = renderApp({ loader, remote: sessions }, { columns: 140, rows: 40 });
    await waitForFrame(ui.frame, (f) => f.includes('21 sessions') && !f.includes('reading'), 10_000);
    const node = createClient({ url: cluster.urls[0] });
    try {
      await node.command({ query: 'DROP TABLE gone.sessions' });
    } finally {
      await node.close();
    }
    await ui.press(KEY.enter);
    expect(await waitForFrame(ui.frame, (f) => f.includes('could not read'))).toMatch(/could not read the session: ClickHouse at http:\/\/127\.0\.0\.1:\d+ said \(code 60\)/);
    await ui.press('/', ...'smtp.response.code >= 500', KEY.enter);
    expect(await waitForFrame(ui.frame, (f) => f.includes('the store did not answer: ClickHouse at'))).toContain('Filter: smtp.response.code >= 500');
    // The statistics of every session: counting stops at the first it cannot read, and says so.
    await ui.press('/', KEY.ctrlU, KEY.enter, 'o');
    expect(await waitForFrame(ui.frame, (f) => f.includes('(stopped after 0 of'))).toMatch(/\(stopped after 0 of \d+ sessions: ClickHouse at .* said \(code 60\)/);
    // Still a working UI: back to the list, and q quits.
    await ui.press(KEY.escape);
    expect(ui.frame()).toMatch(/21 sessions\n/);
  });

  it('lists the sessions of a store indexed before it kept list rows, from their JSON', async () => {
    const node = createClient({ url: cluster.urls[0] });
    const other = createClient({ url: cluster.urls[1] });
    try {
      mailscope('index', 'captures/demo.pcap', '--keylog', 'captures/demo.keys', '--clickhouse', urls, '--cluster', 'mail', '--database', 'older');
      // As a store made before the `row` column: every session's row empty.
      for (const c of [node, other]) await c.command({ query: "ALTER TABLE older.sessions_local UPDATE row = '' WHERE 1" });
      // A mutation runs in the background: wait until no row is left.
      for (let i = 0; i < 100; i++) {
        const left = await (await node.query({ query: "SELECT count() AS n FROM older.sessions WHERE row != ''", format: 'JSONEachRow' })).json<{ n: string }>();
        if (Number(left[0].n) === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const rows: string[] = [];
      const got: Array<ReturnType<typeof listRow>> = [];
      const { loader } = storeSource({ clickhouse: urls, cluster: 'mail', database: 'older' }, () => undefined);
      await loader({ onSession: () => undefined, onRow: (r) => got.push(r), onProgress: () => undefined });
      const store = await ClickHouseStore.open({ urls: cluster.urls, database: 'older', cluster: 'mail' });
      try {
        for await (const r of store.listRows('1')) rows.push(r.row);
      } finally {
        await store.close();
      }
      expect(rows.every((r) => r === '')).toBe(true);
      expect(got).toEqual(stored.map((s) => listRow(s)));
    } finally {
      await node.close();
      await other.close();
    }
  }, 60_000);
});

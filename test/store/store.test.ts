/**
 * The ClickHouse store against real servers: a two-shard cluster ("mail") of
 * Debian's clickhouse-server on loopback (clickhouse-cluster.ts, ports
 * offset by 100 from the smoke test's: HTTP 18221 and 18222, so both files can run at once).
 *
 * - `mailscope index` spreads a capture's sessions over both shards, and
 *   indexing it again adds nothing;
 * - `read --clickhouse` prints the same bytes as reading the file;
 * - for every stored field, filters built from the values the captures
 *   really have select, through SQL alone where the translation says it is
 *   exact (a superset where it says not), the same sessions as the filter
 *   engine on the file's sessions.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileFilter } from '../../src/filter/index.js';
import { FIELDS } from '../../src/filter/fields.js';
import { formatIp, type Value } from '../../src/filter/values.js';
import { defaultMachines } from '../../src/protocols/registry.js';
import type { Session } from '../../src/session/model.js';
import { readSessions } from '../../src/session/read-sessions.js';
import { captureId } from '../../src/store/capture-id.js';
import { ClickHouseStore } from '../../src/store/clickhouse-store.js';
import { STORED_FIELDS } from '../../src/store/columns.js';
import { filterToSql } from '../../src/store/filter-sql.js';
import { SessionSink } from '../../src/store/session-sink.js';
import { listRow, type ListRow } from '../../src/tui/list-row.js';
import { storeSource } from '../../src/tui/load-store.js';
import { KeyLog } from '../../src/tls/keylog.js';
import { converse, listen, smtpScript, smtpServer } from '../helpers/mail-servers.js';
import { startClickHouseCluster, type ClickHouseCluster } from './clickhouse-cluster.js';

const OFFSET = 100;
let cluster: ClickHouseCluster;
let nodes: ClickHouseClient[] = [];
let urls = '';

const mailscope = (...args: string[]) => spawnSync(process.execPath, ['bin/mailscope.js', ...args], { encoding: 'utf8', env: { ...process.env, SSLKEYLOGFILE: '' } });

async function count(node: ClickHouseClient, query: string): Promise<number> {
  const rows = await (await node.query({ query, format: 'JSONEachRow' })).json<{ n: string }>();
  return Number(rows[0].n);
}

describe('the ClickHouse store', () => {
  beforeAll(async () => {
    cluster = await startClickHouseCluster({ portOffset: OFFSET });
    nodes = cluster.urls.map((url) => createClient({ url }));
    urls = cluster.urls.join(',');
  }, 90_000);

  afterAll(async () => {
    await Promise.all(nodes.map((c) => c.close()));
    await cluster?.stop();
  }, 60_000);

  it('indexes a capture over both shards, and the same capture again adds nothing', () => {
    const first = mailscope('index', 'captures/demo.pcap', '--keylog', 'captures/demo.keys', '--clickhouse', urls, '--cluster', 'mail', '--database', 'cli');
    expect(first.stderr).toBe('');
    expect(first.stdout).toMatch(/^demo\.pcap: 21 sessions into `cli`\.`sessions` \(cluster mail, 2 nodes\), capture [0-9a-f]{12}\n$/);
    const again = mailscope('index', 'captures/demo.pcap', '--keylog', 'captures/demo.keys', '--clickhouse', urls, '--cluster', 'mail', '--database', 'cli');
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/already in `cli`\.`sessions` \(21 sessions/);
    return (async () => {
      const perShard = await Promise.all(nodes.map((n) => count(n, 'SELECT count() AS n FROM cli.sessions_local')));
      expect(perShard.every((n) => n > 0)).toBe(true);
      expect(perShard[0] + perShard[1]).toBe(21);
      // --reindex reads it again; the store still has one row per session.
      expect(mailscope('index', 'captures/demo.pcap', '--keylog', 'captures/demo.keys', '--clickhouse', urls, '--cluster', 'mail', '--database', 'cli', '--reindex').status).toBe(0);
      expect(await count(nodes[0], 'SELECT count() AS n FROM cli.sessions FINAL')).toBe(21);
    })();
  }, 60_000);

  it('index --each makes every file a capture of its own, each known again on its own', () => {
    const args = ['index', 'captures/pop3-failure.pcap', 'captures/smtp-ipv6.pcap', '--each', '--clickhouse', urls, '--cluster', 'mail', '--database', 'each'];
    const first = mailscope(...args);
    expect(first.stdout).toMatch(/^pop3-failure\.pcap: 1 session into .*\nsmtp-ipv6\.pcap: 1 session into /);
    const again = mailscope(...args);
    expect(again.stdout.match(/already in/g)).toHaveLength(2);
    const read = mailscope('read', '--clickhouse', urls, '--cluster', 'mail', '--database', 'each', '--capture', 'smtp-ipv6.pcap');
    expect(read.stdout).toMatch(/^\s+1 \S+ SMTP \[::1\]:\d+ > \[::1\]:25 OK .*\n1 mail session\n$/);
  }, 60_000);

  it('read, stats, transcript, messages and findings --clickhouse print what reading the file prints', () => {
    const store = ['--clickhouse', urls, '--cluster', 'mail', '--database', 'cli'];
    for (const args of [['read'], ['read', '--format', 'ndjson'], ['read', '-Y', 'smtp.response.code >= 400'], ['stats'], ['transcript', '-Y', 'auth.failed'],
      ['messages'], ['findings'], ['findings', '-Y', 'auth.failed', '--format', 'ndjson']]) {
      const fromFile = mailscope(...args, 'captures/demo.pcap', '--keylog', 'captures/demo.keys');
      const fromStore = mailscope(...args, ...store);
      expect(fromStore.stdout, args.join(' ')).toBe(fromFile.stdout);
      expect(fromStore.status).toBe(fromFile.status);
    }
    // A filter with no SQL form is checked here, and says so.
    const regex = mailscope('read', '-Y', 'smtp.req.parameter matches "(?i)^from:<alice"', ...store);
    expect(regex.stderr).toMatch(/not translated to SQL: smtp\.req\.parameter matches/);
    expect(regex.stdout).toBe(mailscope('read', 'captures/demo.pcap', '--keylog', 'captures/demo.keys', '-Y', 'smtp.req.parameter matches "(?i)^from:<alice"').stdout);
  }, 120_000);

  it('reads a page of session ids at a time, in capture and session order, pages of any size alike', async () => {
    const read = async (pageSize?: number, where = '1') => {
      const store = await ClickHouseStore.open({ urls: cluster.urls, database: 'cli', cluster: 'mail', pageSize });
      const out: number[] = [];
      try {
        for await (const s of store.sessions(where)) out.push(s.id);
      } finally {
        await store.close();
      }
      return out;
    };
    const whole = await read();
    expect(whole).toEqual(Array.from({ length: 21 }, (_v, i) => i + 1));
    expect(await read(4)).toEqual(whole);
    expect(await read(1)).toEqual(whole);
    // Pages with nothing that matches are skipped, the next ones still read: the ids reading the file gives.
    const expr = 'smtp.response.code >= 500 || pop';
    const fromFile = mailscope('read', 'captures/demo.pcap', '--keylog', 'captures/demo.keys', '-Y', expr).stdout
      .split('\n').filter((l) => /^\s*\d+ \d\d:/.test(l)).map((l) => Number(l.trim().split(' ')[0]));
    expect(fromFile.length).toBeGreaterThan(3);
    expect(await read(3, filterToSql(expr).where)).toEqual(fromFile);
  }, 60_000);

  it('the UI\'s loader takes the store\'s list rows, numbered on across captures, and fetches the sessions whole', async () => {
    const got: Array<{ row: ListRow; capture: string; id: number }> = [];
    const warnings: string[] = [];
    const { loader, sessions } = storeSource({ clickhouse: urls, cluster: 'mail', database: 'cli', filter: 'smtp' }, (w) => warnings.push(w));
    const summary = await loader({
      onSession: () => { throw new Error('a store gives rows, not sessions'); },
      onRow: (row, capture, id) => got.push({ row, capture, id }),
      onProgress: () => undefined,
    });
    expect(summary.code).toBe(0);
    expect(warnings).toEqual([]); // smtp translates exactly
    const keylog = new KeyLog();
    keylog.add(readFileSync('captures/demo.keys', 'latin1'));
    const fromFile = (await readSessions(['captures/demo.pcap'], { machines: defaultMachines, keylog })).sessions.filter((s) => compileFilter('smtp').matches(s));
    expect(got.map((g) => g.row)).toEqual(fromFile.map((s, i) => ({ ...listRow(s), id: i + 1 })));
    expect(got.map((g) => g.id)).toEqual(fromFile.map((s) => s.id));
    // Whole sessions come from the store by where the rows say they are, numbered as the list numbers them.
    got.forEach((g, i) => sessions.place(i, g.capture, g.id));
    const uiId = (i: number) => got[i].row.id;
    const fetched = sessions.fetch(got.map((_g, i) => i), uiId);
    expect(sessions.queries).toBe(1);
    const whole = got.map((_g, i) => fetched.get(i)!);
    expect(whole.map((s) => s.client.port)).toEqual(fromFile.map((s) => s.client.port));
    expect(whole.map((s) => s.id)).toEqual(fromFile.map((_s, i) => i + 1));
    // One by one (the detail view's), the same session.
    expect(sessions.get(4, uiId)).toEqual(whole[4]);
    sessions.close();
  }, 60_000);

  it('a sink retries a failed insert, then counts its sessions as dropped; past its backlog it drops new ones and counts them', async () => {
    const store = await ClickHouseStore.open({ urls: [cluster.urls[0]], database: 'sinks', cluster: null });
    try {
      const { sessions } = await readSessions(['captures/demo.pcap'], { machines: defaultMachines });
      // A backlog of 5: the first batch goes out, and what comes while it is in flight is dropped.
      const busy = new SessionSink(store, { capture: 'busy', name: 'busy', start: 0 }, { batchSize: 5, dropAbove: 5 });
      sessions.forEach((s) => busy.add(s));
      const b = await busy.finish();
      expect(b.inserted).toBe(5);
      expect(b.dropped).toBe(sessions.length - 5);
      // The table gone: every try fails, and the batch is given up after them.
      await store.select('SELECT 1');
      const errors: string[] = [];
      const failing = new SessionSink(store, { capture: 'gone', name: 'gone', start: 0 }, { retryDelaysMs: [10, 10], onError: (m) => errors.push(m) });
      const client = createClient({ url: cluster.urls[0] });
      await client.command({ query: 'DROP TABLE sinks.sessions' });
      await client.close();
      sessions.forEach((s) => failing.add(s));
      const f = await failing.finish();
      expect(f).toEqual({ inserted: 0, dropped: sessions.length, failedBatches: 1 });
      expect(errors[0]).toMatch(/ClickHouse at http:\/\/127\.0\.0\.1:\d+ said \(code 60\): .*sessions.* doesn't exist/);
    } finally {
      await store.close();
    }
  }, 60_000);

  it.runIf(process.getuid?.() === 0)('capture -i lo --clickhouse stores each session as it ends', async () => {
    const server = smtpServer();
    const port = await listen(server);
    try {
      const child = spawn(process.execPath, ['bin/mailscope.js', 'capture', '-i', 'lo', '--decode-as', `${port}=smtp`, '--format', 'ndjson',
        '--duration', '6', '--clickhouse', cluster.urls[0], '--database', 'live'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => { stdout += d; });
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      await new Promise<void>((resolve, reject) => {
        child.stderr.on('data', (d) => {
          stderr += d;
          if (/listening on lo/.test(stderr)) resolve();
        });
        closed.then(() => reject(new Error(`capture exited early: ${stderr}`)));
      });
      await converse(port, smtpScript('alice', 'good'));
      await converse(port, smtpScript('mallory', 'bad'));
      expect(await closed).toBe(0);
      expect(stderr).toMatch(/2 sessions stored\n/);
      // What the store gives back is what was printed live.
      const live = stdout.trim().split('\n');
      const stored = mailscope('read', '--format', 'ndjson', '--clickhouse', cluster.urls[0], '--database', 'live');
      expect(stored.stdout.trim().split('\n')).toEqual(live);
      expect(mailscope('read', '-Y', 'auth.failed', '--clickhouse', cluster.urls[0], '--database', 'live').stdout).toMatch(/mallory AUTH FAILED 535/);
    } finally {
      server.close();
    }
  }, 60_000);

  it('for every field, SQL selects the sessions the filter engine selects', async () => {
    const files = readdirSync('captures').filter((f) => /\.pcap$/.test(f)).map((f) => `captures/${f}`);
    const store = await ClickHouseStore.open({ urls: cluster.urls, database: 'fields', cluster: 'mail' });
    const sessions = new Map<string, Session[]>();
    try {
      for (const file of files) {
        const id = captureId([file]);
        const sink = new SessionSink(store, { capture: id, name: file, start: 0 });
        const { sessions: read } = await readSessions([file], { machines: defaultMachines });
        read.forEach((s) => sink.add(s));
        await sink.finish();
        sessions.set(id, read);
      }
      const all = [...sessions.entries()].flatMap(([id, list]) => list.map((s) => ({ key: `${id}/${s.id}`, s })));
      const expressions = STORED_FIELDS.flatMap((f) => expressionsFor(f.name, all.map((x) => x.s)));
      expect(expressions.length).toBeGreaterThan(STORED_FIELDS.length);
      const problems: string[] = [];
      let exact = 0;
      for (const expr of expressions) {
        const sql = filterToSql(expr);
        const want = new Set(all.filter((x) => compileFilter(expr).matches(x.s)).map((x) => x.key));
        const rows = await store.select<{ capture: string; id: number }>(`SELECT capture, id FROM ${store.sessionTable} FINAL WHERE ${sql.where}`);
        const got = new Set(rows.map((r) => `${r.capture}/${r.id}`));
        const missing = [...want].filter((k) => !got.has(k));
        const extra = [...got].filter((k) => !want.has(k));
        if (missing.length) problems.push(`${expr}: SQL misses ${missing.length} (${missing.slice(0, 3).join(' ')})`);
        if (sql.exact) {
          exact++;
          if (extra.length) problems.push(`${expr}: SQL (exact) also selects ${extra.length} (${extra.slice(0, 3).join(' ')})`);
        }
      }
      expect(problems).toEqual([]);
      // Most of them translate exactly: the store does the selecting, not mailscope.
      expect(exact / expressions.length).toBeGreaterThan(0.9);
    } finally {
      await store.close();
    }
  }, 300_000);
});

/** Filters on a field from values the sessions really have: present, counted, equal, not equal, ordered, in a set, contains. */
function expressionsFor(name: string, sessions: Session[]): string[] {
  const def = FIELDS.find((f) => f.name === name)!;
  const out = [name, `count(${name}) >= 2`, `count(${name}) == 0`];
  if (def.type === 'protocol') return out;
  const seen = sessions.flatMap((s) => def.session(s)).find((v) => literal(def.type, v) !== null);
  if (seen === undefined) return out;
  const v = literal(def.type, seen)!;
  out.push(`${name} == ${v}`, `${name} != ${v}`, `!(${name} == ${v})`, `${name} in {${v}}`, `${name} === ${v}`, `${name} ~= ${v}`);
  if (def.type === 'number' || def.type === 'time') out.push(`${name} >= ${v}`, `${name} < ${v}`);
  if (def.type === 'string' && typeof seen === 'string' && seen.length > 2) out.push(`${name} contains ${literal('string', seen.slice(1, -1))}`);
  if (def.type === 'ipv4' || (def.type === 'address' && typeof seen === 'object' && seen.family === 4)) out.push(`${name} in {10.0.0.0/8 127.0.0.0/8}`);
  return out;
}

function literal(type: string, v: Value): string | null {
  if (typeof v === 'object') return formatIp(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'number') return String(v);
  if (type === 'ether') return v;
  if (/["\\\x00-\x1f\x7f]/.test(v) || v.length > 200) return null;
  return `"${v}"`;
}

/**
 * Smoke test of the two-shard ClickHouse cluster the store tests run on: rows
 * written through a Distributed table must land on both shards' local tables.
 * It uses only what the Debian server (18.16) and @clickhouse/client agree on:
 * no ON CLUSTER (distributed DDL needs ZooKeeper), JSONEachRow rather than the
 * client's default insert format JSONCompactEachRow (unknown to 18.16).
 */
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClickHouseCluster, type ClickHouseCluster } from './clickhouse-cluster.js';

let cluster: ClickHouseCluster;
let nodes: ClickHouseClient[] = [];

beforeAll(async () => {
  cluster = await startClickHouseCluster();
  nodes = cluster.urls.map((url) => createClient({ url }));
}, 90_000);

afterAll(async () => {
  // Close the clients first: their idle keep-alive sockets would hold up the servers' shutdown.
  await Promise.all(nodes.map((c) => c.close()));
  await cluster?.stop();
}, 60_000);

async function count(client: ClickHouseClient, table: string): Promise<number> {
  const rows = await (await client.query({ query: `SELECT count() AS n FROM ${table}`, format: 'JSONEachRow' })).json<{ n: string }>();
  return Number(rows[0].n); // UInt64 comes back as a string in JSON formats
}

describe('ClickHouse test cluster', () => {
  it('has two shards, each its own server', async () => {
    expect(cluster.urls).toHaveLength(2);
    const [first] = nodes;
    const shards = await (await first.query({
      query: `SELECT shard_num, port FROM system.clusters WHERE cluster = '${cluster.cluster}' ORDER BY shard_num`,
      format: 'JSONEachRow',
    })).json<{ shard_num: number; port: number }>();
    expect(shards).toEqual([{ shard_num: 1, port: 18131 }, { shard_num: 2, port: 18132 }]);
    // Each server reports its own shard macro, so the two URLs are two different servers.
    const macros = await Promise.all(nodes.map(async (c) =>
      (await (await c.query({ query: "SELECT substitution AS s FROM system.macros WHERE macro = 'shard'", format: 'JSONEachRow' })).json<{ s: string }>())[0].s));
    expect(macros).toEqual(['1', '2']);
  });

  it('spreads rows inserted through a Distributed table over both shards', async () => {
    // ON CLUSTER would need ZooKeeper in 18.16, so each node gets its own DDL.
    for (const c of nodes) {
      await c.command({ query: 'DROP DATABASE IF EXISTS t_smoke' });
      await c.command({ query: 'CREATE DATABASE t_smoke' });
      await c.command({
        query: `CREATE TABLE t_smoke.events_local (ts DateTime, id UInt64, tags Array(String))
                ENGINE = MergeTree ORDER BY (ts, id)`,
      });
    }
    // Only the node we write through needs the Distributed table.
    const [first] = nodes;
    await first.command({
      query: `CREATE TABLE t_smoke.events AS t_smoke.events_local
              ENGINE = Distributed(${cluster.cluster}, t_smoke, events_local, cityHash64(id))`,
    });

    const rows = Array.from({ length: 100 }, (_, i) => ({ ts: 1_704_067_200 + i, id: i, tags: [`t${i % 3}`] }));
    await first.insert({
      table: 't_smoke.events',
      values: rows,
      format: 'JSONEachRow',
      // Write to the shards before answering, instead of queueing for a background send.
      clickhouse_settings: { insert_distributed_sync: 1 },
    });

    const perShard = await Promise.all(nodes.map((c) => count(c, 't_smoke.events_local')));
    expect(perShard[0]).toBeGreaterThan(0);
    expect(perShard[1]).toBeGreaterThan(0);
    expect(perShard[0] + perShard[1]).toBe(100);
    expect(await count(first, 't_smoke.events')).toBe(100);

    // A distributed query with an array lambda: both shards answer, the results merge.
    const tagged = await (await first.query({
      query: "SELECT count() AS n FROM t_smoke.events WHERE arrayExists(t -> t = 't0', tags)",
      format: 'JSONEachRow',
    })).json<{ n: string }>();
    expect(Number(tagged[0].n)).toBe(rows.filter((r) => r.tags[0] === 't0').length);
  });
});

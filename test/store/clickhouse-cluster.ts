/**
 * A real two-shard ClickHouse cluster for the store tests: two servers on
 * loopback, started as the current user from config files in a fresh temp dir,
 * never through the Debian service (CI has no systemd, and the system server's
 * ports and data dir are not ours to touch).
 *
 * Debian bookworm ships ClickHouse 18.16.1: its root config tag is <yandex>,
 * and the server binary is /usr/sbin/clickhouse-server (newer builds have one
 * `clickhouse` binary with a `server` sub-command). `.ci/run` installs it.
 *
 * Stale servers: the servers are detached (own process group), so a test run
 * that is killed before stop() leaves them running and holding the ports. Each
 * temp dir's name carries the pid of the node process that owns it; before
 * starting, servers whose owner is dead are killed and their dirs removed. A
 * port held by anything else (a live run, another program) is an error, never
 * a kill.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { get } from 'node:http';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface ClickHouseCluster {
  /** HTTP endpoint of each server, shard 1 first. */
  urls: string[];
  /** The cluster name for Distributed tables (defined in remote_servers). */
  cluster: 'mail';
  /** Each server's data path (config `path`). */
  dataDirs: string[];
  /** SIGTERM each server, wait for it to exit (SIGKILL after 15 s), remove the temp dir. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Added to every port (18121/18131/18141 and up) so two test files could run clusters side by side. */
  portOffset?: number;
  /** How long to wait for both servers to answer /ping. */
  startTimeoutMs?: number;
}

const DIR_PREFIX = 'mailscope-clickhouse-';
const SHARDS = 2;

/** The command that runs a server, or null when ClickHouse is not installed. */
function serverCommand(): string[] | null {
  const dirs = ['/usr/bin', '/usr/sbin', ...(process.env.PATH ?? '').split(delimiter)].filter(Boolean);
  for (const dir of dirs) {
    if (existsSync(join(dir, 'clickhouse-server'))) return [join(dir, 'clickhouse-server')];
  }
  for (const dir of dirs) {
    if (existsSync(join(dir, 'clickhouse'))) return [join(dir, 'clickhouse'), 'server'];
  }
  return null;
}

export function clickHouseAvailable(): boolean {
  return serverCommand() !== null;
}

interface Ports { http: number; tcp: number; interserver: number }

function portsOf(shard: number, offset: number): Ports {
  return { http: 18120 + shard + offset, tcp: 18130 + shard + offset, interserver: 18140 + shard + offset };
}

function configXml(dir: string, shard: number, ports: Ports, all: Ports[]): string {
  const shards = all.map((p) => `
        <shard><replica><host>127.0.0.1</host><port>${p.tcp}</port></replica></shard>`).join('');
  return `<?xml version="1.0"?>
<yandex>
    <logger>
        <level>warning</level>
        <log>${dir}/server.log</log>
        <errorlog>${dir}/server.err.log</errorlog>
        <size>100M</size>
        <count>1</count>
    </logger>
    <listen_host>127.0.0.1</listen_host>
    <http_port>${ports.http}</http_port>
    <tcp_port>${ports.tcp}</tcp_port>
    <interserver_http_port>${ports.interserver}</interserver_http_port>
    <interserver_http_host>127.0.0.1</interserver_http_host>
    <path>${dir}/data/</path>
    <tmp_path>${dir}/tmp/</tmp_path>
    <user_files_path>${dir}/user_files/</user_files_path>
    <format_schema_path>${dir}/format_schemas/</format_schema_path>
    <users_config>${dir}/users.xml</users_config>
    <default_profile>default</default_profile>
    <default_database>default</default_database>
    <!-- Tests must not depend on the machine's zone. -->
    <timezone>UTC</timezone>
    <!-- The stock config reserves 5 GiB of mark cache and 8 GiB of uncompressed
         cache per server (allocated on demand); test tables are tiny. -->
    <mark_cache_size>67108864</mark_cache_size>
    <uncompressed_cache_size>67108864</uncompressed_cache_size>
    <max_concurrent_queries>50</max_concurrent_queries>
    <keep_alive_timeout>10</keep_alive_timeout>
    <mlock_executable>false</mlock_executable>
    <remote_servers>
        <mail>${shards}
        </mail>
    </remote_servers>
    <macros>
        <shard>${shard}</shard>
        <replica>r1</replica>
    </macros>
</yandex>
`;
}

// The stock users.xml, trimmed: user default, no password, loopback only.
const USERS_XML = `<?xml version="1.0"?>
<yandex>
    <profiles>
        <default>
            <max_memory_usage>2000000000</max_memory_usage>
            <load_balancing>random</load_balancing>
        </default>
    </profiles>
    <users>
        <default>
            <password></password>
            <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
    </users>
    <quotas>
        <default>
            <interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval>
        </default>
    </quotas>
</yandex>
`;

/** Whether something accepts TCP connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

/** Whether GET /ping answers "Ok.". No keep-alive: an idle pooled socket would make the server's shutdown wait for it. */
function ping(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(`${url}/ping`, { agent: false, timeout: 2000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body === 'Ok.\n'));
      res.on('error', () => resolve(false));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** Whether pid runs. A zombie counts as gone: here pid 1 may never reap orphans. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // /proc/<pid>/stat: "pid (comm) S ..."; the state letter follows the last ')'.
  const stat = readOr(`/proc/${pid}/stat`);
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** A file's text, or '' if it cannot be read (missing, or a /proc entry of a gone process). */
function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitGone(pid: number, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(50)) if (!alive(pid)) return true;
  return !alive(pid);
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
async function terminate(pid: number, graceMs: number): Promise<void> {
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  if (!(await waitGone(pid, graceMs))) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    await waitGone(pid, 5000);
  }
}

/** Kill servers left by earlier runs whose node process is dead, and remove their dirs. */
async function reapStale(): Promise<void> {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    const owner = Number(name.slice(DIR_PREFIX.length).split('-')[0]);
    if (!owner || alive(owner)) continue; // a live run's cluster (or not a dir of ours): not ours to kill
    for (let i = 1; i <= SHARDS; i++) {
      const pid = Number(readOr(join(dir, `s${i}`, 'server.pid')).trim());
      // Guard against pid reuse: only kill a process whose command line names this dir.
      const cmdline = pid ? readOr(`/proc/${pid}/cmdline`) : '';
      if (cmdline.includes(dir)) await terminate(pid, 5000);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Servers started by this process, killed if it exits without calling stop(). */
const running = new Set<number>();
process.once('exit', () => {
  for (const pid of running) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
});

export async function startClickHouseCluster(opts: ClusterOptions = {}): Promise<ClickHouseCluster> {
  const command = serverCommand();
  if (!command) {
    throw new Error('ClickHouse is not installed (no clickhouse-server or clickhouse binary on /usr/bin, /usr/sbin or PATH): run `bash .ci/run` once, or `apt-get install clickhouse-server clickhouse-client` as it does.');
  }
  const offset = opts.portOffset ?? 0;
  const all = Array.from({ length: SHARDS }, (_, i) => portsOf(i + 1, offset));

  await reapStale();
  for (const p of all) {
    for (const port of [p.http, p.tcp, p.interserver]) {
      if (await listening(port)) {
        throw new Error(`port ${port} on 127.0.0.1 is in use (another test run's ClickHouse cluster, or some other server; see \`ss -ltnp | grep ${port}\`): stop it or pass a portOffset.`);
      }
    }
  }

  // The owner's pid is in the name, so a concurrent run never sees a dir of ours without it.
  const root = await mkdtemp(join(tmpdir(), `${DIR_PREFIX}${process.pid}-`));
  const pids: number[] = [];
  const dataDirs: string[] = [];
  const urls = all.map((p) => `http://127.0.0.1:${p.http}`);

  const stop = async (): Promise<void> => {
    await Promise.all(pids.map(async (pid) => {
      await terminate(pid, 15_000);
      running.delete(pid);
    }));
    rmSync(root, { recursive: true, force: true });
  };

  try {
    for (const [i, ports] of all.entries()) {
      const dir = join(root, `s${i + 1}`);
      for (const sub of ['data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(dir, sub), { recursive: true });
      writeFileSync(join(dir, 'config.xml'), configXml(dir, i + 1, ports, all));
      writeFileSync(join(dir, 'users.xml'), USERS_XML);
      dataDirs.push(join(dir, 'data'));
      const out = openSync(join(dir, 'stdout.log'), 'a');
      const err = openSync(join(dir, 'stderr.log'), 'a');
      const child = spawn(command[0], [...command.slice(1), `--config-file=${dir}/config.xml`], {
        cwd: dir, detached: true, stdio: ['ignore', out, err],
      });
      closeSync(out);
      closeSync(err);
      child.once('error', () => undefined); // a failed spawn leaves pid undefined, reported just below
      if (child.pid === undefined) throw new Error(`could not spawn ${command.join(' ')}`);
      child.unref();
      // 18.16 ignores --pid-file unless daemonized, so record the pid for reapStale() ourselves.
      writeFileSync(join(dir, 'server.pid'), String(child.pid));
      pids.push(child.pid);
      running.add(child.pid);
    }

    // Both servers start at once; wait until each answers /ping.
    const end = Date.now() + (opts.startTimeoutMs ?? 60_000);
    for (const [i, url] of urls.entries()) {
      while (!(await ping(url))) {
        const dir = join(root, `s${i + 1}`);
        if (!alive(pids[i]) || Date.now() > end) {
          const log = ['stderr.log', 'server.err.log'].map((f) => readOr(join(dir, f))).join('').slice(-2000);
          throw new Error(`ClickHouse server ${i + 1} (${url}) ${alive(pids[i]) ? 'did not answer /ping in time' : 'exited'}:\n${log}`);
        }
        await sleep(100);
      }
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { urls, cluster: 'mail', dataDirs, stop };
}

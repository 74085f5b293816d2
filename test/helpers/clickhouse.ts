import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Debian's clickhouse-server (18.16), started on loopback from a config in a temporary folder and
 * stopped by its pid: the tests run against a real server, never a mock. In CI, .ci/run installs
 * the package; where it is missing these tests fail with a message that says so.
 */
export const CLICKHOUSE_SERVER = '/usr/sbin/clickhouse-server';

export interface ClickHouseServer {
  /** `clickhouse://127.0.0.1:PORT/DATABASE` of this server. */
  url(database: string): string;
  httpPort: number;
  tcpPort: number;
  pid: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}

/** A `remote_servers` entry: a cluster with one shard per TCP port, all on loopback. */
export interface ClusterSpec {
  name: string;
  tcpPorts: number[];
}

function config(dir: string, http: number, tcp: number, inter: number, clusters: ClusterSpec[]): string {
  const remote = clusters.map((c) => `<${c.name}>${c.tcpPorts.map((p) => `<shard><replica><host>127.0.0.1</host><port>${p}</port></replica></shard>`).join('')}</${c.name}>`).join('');
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/log/server.log</log><errorlog>${dir}/log/server.err.log</errorlog><size>10M</size><count>1</count></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${http}</http_port><tcp_port>${tcp}</tcp_port>
  <interserver_http_host>127.0.0.1</interserver_http_host><interserver_http_port>${inter}</interserver_http_port>
  <max_connections>64</max_connections><keep_alive_timeout>10</keep_alive_timeout><max_concurrent_queries>50</max_concurrent_queries>
  <uncompressed_cache_size>67108864</uncompressed_cache_size><mark_cache_size>67108864</mark_cache_size>
  <path>${dir}/data/</path><tmp_path>${dir}/tmp/</tmp_path><user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config><default_profile>default</default_profile><default_database>default</default_database>
  <timezone>UTC</timezone><mlock_executable>false</mlock_executable>
  <remote_servers>${remote}</remote_servers>
</yandex>
`;
}

const USERS = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default><readonly><readonly>1</readonly></readonly></profiles>
  <users>
    <default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default>
    <ftplog><password>s3cret-pw</password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></ftplog>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;

/** Ports for a server, chosen before it starts so that a cluster can name its peers. */
export async function serverPorts(): Promise<{ http: number; tcp: number; inter: number }> {
  return { http: await freePort(), tcp: await freePort(), inter: await freePort() };
}

/** Starts a server and waits for its /ping; `clusters` become its remote_servers. */
export async function startClickHouse(
  ports?: { http: number; tcp: number; inter: number }, clusters: ClusterSpec[] = [],
): Promise<ClickHouseServer> {
  if (!existsSync(CLICKHOUSE_SERVER)) {
    throw new Error(`${CLICKHOUSE_SERVER} is missing: install Debian's clickhouse-server (apt-get install clickhouse-server clickhouse-client), as .ci/run does`);
  }
  const { http, tcp, inter } = ports ?? (await serverPorts());
  const dir = mkdtempSync(join(tmpdir(), 'ftplog-clickhouse-'));
  for (const d of ['log', 'data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(dir, d));
  writeFileSync(join(dir, 'config.xml'), config(dir, http, tcp, inter, clusters));
  writeFileSync(join(dir, 'users.xml'), USERS);
  const child = spawn(CLICKHOUSE_SERVER, [`--config-file=${join(dir, 'config.xml')}`], { cwd: dir, stdio: 'ignore', detached: false });
  const pid = child.pid!;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(`http://127.0.0.1:${http}/ping`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      const log = existsSync(join(dir, 'log/server.err.log')) ? readFileSync(join(dir, 'log/server.err.log'), 'utf8').slice(-2000) : '';
      child.kill('SIGKILL');
      throw new Error(`clickhouse-server did not answer /ping on port ${http}: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: (database) => `clickhouse://127.0.0.1:${http}/${database}`,
    httpPort: http,
    tcpPort: tcp,
    pid,
    async stop() {
      if (child.exitCode === null) {
        process.kill(pid, 'SIGTERM');
        const killer = setTimeout(() => child.exitCode === null && process.kill(pid, 'SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

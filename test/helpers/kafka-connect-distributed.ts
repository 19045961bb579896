// Apache Kafka Connect 4.3.1 in distributed mode, from the Maven jars (scripts/kafka/maven.mjs),
// against the test broker: the reference that sluice's internal topics are checked against.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface MavenModule {
  resolveArtifacts(set: 'connect', options?: { quiet?: boolean }): Promise<{ classpath: string }>;
  log4jConfig(configFile: string, logFile: string, options?: { level?: string }): string;
  javaBin(): string;
  tail(file: string, lines?: number): string;
}
interface BrokerModule {
  freePort(): Promise<number>;
}

// Plain-JavaScript scripts without type declarations: string specifiers keep tsc from asking.
const MAVEN_MODULE: string = new URL('../../scripts/kafka/maven.mjs', import.meta.url).href;
const BROKER_MODULE: string = new URL('../../scripts/kafka/broker.mjs', import.meta.url).href;

export interface ConnectDistributed {
  /** http://127.0.0.1:<port> */
  url: string;
  /** The worker id Kafka Connect writes into statuses: its advertised host:port. */
  workerId: string;
  logFile: string;
  stop(): Promise<void>;
}

export interface ConnectDistributedOptions {
  bootstrap: string;
  dir: string;
  groupId: string;
  configTopic: string;
  offsetsTopic: string;
  statusTopic: string;
  /** Extra worker properties. */
  props?: Record<string, string>;
  readyTimeoutMs?: number;
}

/** Starts one distributed worker and resolves once its REST API lists connectors. */
export async function startConnectDistributed(o: ConnectDistributedOptions): Promise<ConnectDistributed> {
  const maven = (await import(MAVEN_MODULE)) as MavenModule;
  const { freePort } = (await import(BROKER_MODULE)) as BrokerModule;
  const { classpath } = await maven.resolveArtifacts('connect', { quiet: true });
  const port = await freePort();
  mkdirSync(o.dir, { recursive: true });
  const props: Record<string, string> = {
    'bootstrap.servers': o.bootstrap,
    'group.id': o.groupId,
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'key.converter.schemas.enable': 'false',
    'value.converter.schemas.enable': 'false',
    'config.storage.topic': o.configTopic,
    'offset.storage.topic': o.offsetsTopic,
    'status.storage.topic': o.statusTopic,
    // One broker in the test cluster.
    'config.storage.replication.factor': '1',
    'offset.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    'offset.flush.interval.ms': '500',
    listeners: `http://127.0.0.1:${port}`,
    'rest.advertised.host.name': '127.0.0.1',
    'rest.advertised.port': String(port),
    ...o.props,
  };
  const workerFile = join(o.dir, 'worker.properties');
  writeFileSync(workerFile, Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  const logFile = join(o.dir, 'connect.log');
  const log4j = maven.log4jConfig(join(o.dir, 'log4j2.properties'), logFile);
  const out = openSync(join(o.dir, 'connect.out'), 'w');
  let child: ChildProcess;
  try {
    child = spawn(
      maven.javaBin(),
      ['-Xms128M', '-Xmx512M', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true', log4j, '-cp', classpath,
        'org.apache.kafka.connect.cli.ConnectDistributed', workerFile],
      { stdio: ['ignore', out, out] },
    );
  } finally {
    closeSync(out);
  }
  let exited: number | string | null = null;
  const exit = new Promise<void>((resolve) => child.once('exit', (code, signal) => {
    exited = code ?? signal;
    resolve();
  }));

  const url = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (exited !== null) return;
    child.kill('SIGTERM');
    const killed = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await exit;
    clearTimeout(killed);
  };

  const deadline = Date.now() + (o.readyTimeoutMs ?? 120_000);
  for (;;) {
    if (exited !== null) throw new Error(`Kafka Connect exited (${exited}) before it was ready; log:\n${maven.tail(logFile, 40)}`);
    try {
      const res = await fetch(`${url}/connectors`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`Kafka Connect was not ready within ${o.readyTimeoutMs ?? 120_000} ms; log:\n${maven.tail(logFile, 40)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, workerId: `127.0.0.1:${port}`, logFile, stop };
}

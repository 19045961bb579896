/**
 * Runs `sluice distributed worker.properties` (the real CLI, compiled dist/) as a child process,
 * one per worker of a test cluster.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrap } from './kafka.js';
import { freePort, SLUICE_BIN, writeProperties, type SluiceRun } from './sluice-process.js';

export interface DistributedWorker extends SluiceRun {
  name: string;
  /** The worker id statuses carry: its advertised host:port. */
  workerId: string;
  log(): string;
}

export interface ClusterSettings {
  groupId: string;
  configTopic: string;
  offsetTopic: string;
  statusTopic: string;
  /** bootstrap.servers; the integration project's broker when omitted. */
  bootstrap?: string;
  /** Replication factor of the three internal topics; 1 when omitted (the single test broker). */
  replicationFactor?: number;
  /** Extra worker properties (timeouts, converters). */
  extra?: Record<string, string | number>;
}

export async function startDistributedWorker(dir: string, name: string, cluster: ClusterSettings): Promise<DistributedWorker> {
  const port = await freePort();
  const workerFile = writeProperties(join(dir, `${name}.properties`), {
    'bootstrap.servers': cluster.bootstrap ?? bootstrap(),
    'group.id': cluster.groupId,
    'config.storage.topic': cluster.configTopic,
    'offset.storage.topic': cluster.offsetTopic,
    'status.storage.topic': cluster.statusTopic,
    'config.storage.replication.factor': cluster.replicationFactor ?? 1,
    'offset.storage.replication.factor': cluster.replicationFactor ?? 1,
    'status.storage.replication.factor': cluster.replicationFactor ?? 1,
    'offset.storage.partitions': 5,
    'status.storage.partitions': 2,
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter.schemas.enable': 'false',
    listeners: `http://127.0.0.1:${port}`,
    ...cluster.extra,
  });
  const logFile = join(dir, `${name}.log`);
  const out = createWriteStream(logFile, { flags: 'a' });
  const proc = spawn(process.execPath, [SLUICE_BIN, 'distributed', workerFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.pipe(out, { end: false });
  proc.stderr!.pipe(out, { end: false });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => proc.on('exit', (code, signal) => res({ code, signal })));
  return {
    name,
    proc,
    restUrl: `http://127.0.0.1:${port}`,
    workerId: `127.0.0.1:${port}`,
    logFile,
    exited,
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '(no log)'),
  };
}

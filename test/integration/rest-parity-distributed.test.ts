// REST parity with Apache Kafka Connect 4.3.1, distributed mode: one ConnectDistributed worker
// (jars from Maven Central, test/helpers/kafka-connect-distributed.ts) and one `sluice
// distributed` worker, each in its own group with its own three internal topics on the test
// broker, get the request sequence of test/helpers/rest-parity.ts, compared step by step as in
// standalone mode (rest-parity.test.ts).
//
// Writes that meet a rebalance answer 409 in both, at moments neither controls: the sequence
// starts once each worker has joined its group and holds an assignment. A single worker is its
// group's leader, so nothing is forwarded; `?forward=false` is internal to a cluster and is not
// compared.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDistributedWorker, type DistributedWorker } from '../helpers/distributed-process.js';
import { bootstrap, uniqueTopic } from '../helpers/kafka.js';
import { startConnectDistributed, type ConnectDistributed } from '../helpers/kafka-connect-distributed.js';
import { COMMON_KNOWN_DIFFERENCES, ParityRun, SYSTEMS, runParitySequence } from '../helpers/rest-parity.js';
import { waitFor } from '../helpers/sluice-process.js';

/**
 * Differences kept on purpose in distributed mode, by step name (with the common ones). Each must
 * still occur, and the reason is what the README documents.
 */
const KNOWN_DIFFERENCES: Record<string, string> = {
  ...COMMON_KNOWN_DIFFERENCES,
};

/** The worker settings both get (the helpers add group, topics, replication factor 1 and listeners). */
const WORKER_PROPS: Record<string, string> = {
  'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
  'offset.storage.partitions': '5',
  'status.storage.partitions': '2',
  'offset.flush.interval.ms': '500',
};

let dir: string;
let kc: ConnectDistributed | undefined;
let sluice: DistributedWorker | undefined;
const run = new ParityRun('distributed', KNOWN_DIFFERENCES);

function tail(file: string | undefined): string {
  return file && existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-40).join('\n') : '(none)';
}
function logs(): string {
  return `--- Kafka Connect log ---\n${tail(kc?.logFile)}\n--- sluice log ---\n${tail(sluice?.logFile)}`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-parity-distributed-'));
  const stamp = Date.now().toString(36);
  for (const sys of SYSTEMS) mkdirSync(join(dir, sys), { recursive: true });
  const internal = (sys: string) => ({
    groupId: uniqueTopic(`parity-${sys}-cluster`),
    configTopic: uniqueTopic(`parity-${sys}-configs`),
    offsetTopic: uniqueTopic(`parity-${sys}-offsets`),
    statusTopic: uniqueTopic(`parity-${sys}-status`),
  });
  const kcTopics = internal('kc');
  const slTopics = internal('sluice');
  // One at a time: the JVM's startup (a classpath scan for plugins) takes both cores for a while.
  sluice = await startDistributedWorker(join(dir, 'sluice'), 'sluice', { ...slTopics, extra: WORKER_PROPS });
  try {
    kc = await startConnectDistributed({
      bootstrap: bootstrap(),
      dir: join(dir, 'kc'),
      groupId: kcTopics.groupId,
      configTopic: kcTopics.configTopic,
      offsetsTopic: kcTopics.offsetTopic,
      statusTopic: kcTopics.statusTopic,
      props: WORKER_PROPS,
      readyTimeoutMs: 120_000,
    });
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${logs()}`);
  }
  run.ctx.kc = { sys: 'kc', url: kc.url, tag: `dk${stamp}`, dir: join(dir, 'kc') };
  run.ctx.sluice = { sys: 'sluice', url: sluice.restUrl, tag: `ds${stamp}`, dir: join(dir, 'sluice') };
  try {
    await run.bothUntil(() => '/health', 'startup', (b) => b.status === 'healthy', 100_000);
    // Joined and holding an assignment: a write reaches the herder (Kafka Connect's waits in the
    // herder's queue until the worker is in the group; sluice's answers 409 until then) and
    // finds no such connector.
    await Promise.all(
      SYSTEMS.map((sys) =>
        waitFor(`${sys}: a write answered by the group's leader`, async () => {
          const r = await run.call(run.ctx[sys], 'PUT', `/connectors/${run.ctx[sys].tag}-probe/stop`);
          return r.status === 404;
        }, 100_000, 250),
      ),
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${logs()}`);
  }
}, 300_000);

afterAll(async () => {
  await kc?.stop();
  if (sluice && sluice.proc.exitCode === null && sluice.proc.signalCode === null) {
    sluice.proc.kill('SIGTERM');
    const killed = setTimeout(() => sluice?.proc.kill('SIGKILL'), 20_000);
    await sluice.exited;
    clearTimeout(killed);
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('REST parity with Apache Kafka Connect 4.3.1 (distributed)', () => {
  it('answers the same request sequence with the same status codes and body shapes', async () => {
    try {
      await runParitySequence(run);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${logs()}`, { cause: err });
    }
    expect(run.report()).toBe('');
  });
});

/**
 * A three-node Apache Kafka cluster (KRaft, every node broker+controller) for distributed-mode
 * tests, separate from the integration project's single broker: its own data directory and its
 * own ports. Plus the few things such a test asks the cluster: create a replicated topic, and
 * which node coordinates a group.
 */
import Kafka from 'node-rdkafka';
import type { LibrdKafkaError, PartitionMetadata } from 'node-rdkafka';
import { KafkaConnection, parseBootstrap } from '../../src/kafka/protocol/connection.js';
import { COORDINATOR_KEY_TYPE_GROUP, FindCoordinator } from '../../src/kafka/protocol/find-coordinator.js';

/** One node of the cluster (scripts/kafka/broker.mjs's BrokerHandle, as far as tests use it). */
export interface BrokerNode {
  readonly nodeId: number;
  readonly port: number;
  readonly bootstrap: string;
  readonly logFile: string;
  readonly running: boolean;
  /** SIGTERM (Kafka's controlled shutdown); `signal: 'SIGKILL'` simulates a crash. */
  stop(options?: { timeoutMs?: number; signal?: NodeJS.Signals }): Promise<void>;
  /** Starts a stopped node again on the same ports and data dir; resolves once it serves metadata. */
  start(readyTimeoutMs?: number): Promise<unknown>;
}

export interface KafkaCluster {
  bootstrap: string;
  clusterId: string;
  nodes: BrokerNode[];
  stop(): Promise<void>;
}

interface BrokerModule {
  startCluster(options: { brokers: number; basePort?: number; dataDir: string; jvmOpts?: string[]; readyTimeoutMs?: number }): Promise<KafkaCluster>;
}

// broker.mjs is plain JavaScript without declarations: a string-typed specifier keeps tsc from
// demanding them (as test/setup/kafka-global-setup.ts does); BrokerModule states what is used.
const BROKER_MODULE: string = new URL('../../scripts/kafka/broker.mjs', import.meta.url).href;

/**
 * Three JVMs share two cores with the workers under test: C1 only (no C2 compiler threads) starts
 * and restarts a node in about half the CPU time, and a test broker's load does not need C2 code.
 */
const JVM_OPTS = ['-XX:TieredStopAtLevel=1'];

/**
 * Starts `brokers` nodes in `dataDir`. The ports are picked below the kernel's ephemeral range
 * (32768+ on Linux): a node stopped and restarted by the test gets its ports back, where an
 * ephemeral port could meanwhile be taken as the local end of some outgoing connection. A base
 * port already in use by something else is skipped.
 */
export async function startKafkaCluster(dataDir: string, brokers = 3): Promise<KafkaCluster> {
  const { startCluster } = (await import(BROKER_MODULE)) as BrokerModule;
  let lastError: unknown;
  for (let attempt = 0; attempt < 8; attempt++) {
    const basePort = 20_000 + 10 * Math.floor(Math.random() * 1_200);
    try {
      return await startCluster({ brokers, basePort, dataDir, jvmOpts: JVM_OPTS, readyTimeoutMs: 180_000 });
    } catch (err) {
      lastError = err;
      // Only a busy port is worth another base; anything else (Java, Maven cache) would fail again.
      if (!/already in use/.test((err as Error).message)) throw err;
    }
  }
  throw lastError;
}

/** Creates a topic replicated on `replicationFactor` nodes and waits until every partition has a leader. */
export async function createReplicatedTopic(bootstrap: string, topic: string, partitions: number, replicationFactor = 3): Promise<void> {
  const admin = Kafka.AdminClient.create({ 'metadata.broker.list': bootstrap, 'client.id': 'sluice-test-cluster-admin' });
  try {
    await new Promise<void>((ok, fail) =>
      admin.createTopic({ topic, num_partitions: partitions, replication_factor: replicationFactor }, 30_000, (err: LibrdKafkaError | undefined) =>
        err ? fail(new Error(`could not create topic ${topic}: ${err.message}`)) : ok(),
      ),
    );
  } finally {
    admin.disconnect();
  }
  const producer = new Kafka.Producer({ 'metadata.broker.list': bootstrap });
  await new Promise<void>((ok, fail) => producer.connect({ timeout: 30_000 }, (err) => (err ? fail(new Error(err.message)) : ok())));
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = await new Promise<PartitionMetadata[]>((ok) =>
        producer.getMetadata({ topic, timeout: 5_000 }, (err, md) => ok(err ? [] : (md.topics.find((t) => t.name === topic)?.partitions ?? []))),
      );
      if (found.length === partitions && found.every((p) => p.leader >= 0 && p.isrs.length === replicationFactor)) return;
      if (Date.now() > deadline) throw new Error(`topic ${topic} is not fully replicated with leaders after 30 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    await new Promise<void>((ok) => producer.disconnect(() => ok()));
  }
}

/** How many replicas each partition of `topic` has, by partition (from the cluster's metadata). */
export async function topicReplication(bootstrap: string, topic: string): Promise<number[]> {
  const producer = new Kafka.Producer({ 'metadata.broker.list': bootstrap });
  await new Promise<void>((ok, fail) => producer.connect({ timeout: 30_000 }, (err) => (err ? fail(new Error(err.message)) : ok())));
  try {
    const partitions = await new Promise<PartitionMetadata[]>((ok, fail) =>
      producer.getMetadata({ topic, timeout: 10_000 }, (err, md) =>
        err ? fail(new Error(`metadata of ${topic}: ${err.message}`)) : ok(md.topics.find((t) => t.name === topic)?.partitions ?? []),
      ),
    );
    return [...partitions].sort((a, b) => a.id - b.id).map((p) => p.replicas.length);
  } finally {
    await new Promise<void>((ok) => producer.disconnect(() => ok()));
  }
}

/** The node id of the broker coordinating `groupId` (FindCoordinator through the first node that answers). */
export async function groupCoordinator(bootstrap: string, groupId: string): Promise<number> {
  let lastError: unknown = new Error(`no broker in ${bootstrap}`);
  for (const address of parseBootstrap(bootstrap)) {
    let conn: KafkaConnection | null = null;
    try {
      conn = await KafkaConnection.connect(address, { clientId: 'sluice-test-probe', timeoutMs: 5_000 });
      const res = await conn.send(FindCoordinator, { keyType: COORDINATOR_KEY_TYPE_GROUP, coordinatorKeys: [groupId] });
      const found = res.coordinators.find((c) => c.key === groupId);
      if (found && found.errorCode === 0) return found.nodeId;
      lastError = new Error(`FindCoordinator for ${groupId}: error code ${found?.errorCode}`);
    } catch (err) {
      lastError = err;
    } finally {
      conn?.close();
    }
  }
  throw lastError;
}

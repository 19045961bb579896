/**
 * Connector and task statuses in the status topic, as Kafka Connect's KafkaStatusBackingStore
 * keeps them: the latest record per key wins, in the order the topic holds them.
 *
 * put() writes unconditionally; putSafe() (used when a worker may be a zombie) writes only if no
 * status is known, or the known one was written by the same worker, or at an older or equal
 * group generation, so a worker that fell out of the group cannot overwrite the status written
 * by the worker that took the work over. Nor does it write for a connector whose status was last
 * deleted (DESTROYED): an instance shutting down after its connector was deleted must not bring
 * the deleted connector's statuses back as UNASSIGNED.
 *
 * What is known is what was read back from the topic: a write becomes visible to get() once
 * consumed (readToEnd() waits for that), as in Kafka Connect.
 *
 * Difference: Kafka Connect sets retries=0 on this producer and resends retriable failures itself
 * unless a newer status superseded them; sluice leaves retries to librdkafka, whose ordering is
 * kept by the log's single in-flight request.
 */
import { ConfigError } from '../../api/errors.js';
import type { Logger } from '../../util/logger.js';
import type { ClientConfig } from '../../kafka/client-config.js';
import type { ConnectionSecurity } from '../../kafka/protocol/security.js';
import { KafkaBasedLog, type LogRecord } from './kafka-based-log.js';
import { TopicAdmin } from './topic-admin.js';
import { InternalJson, asInt, asObject, struct, type InternalValue } from './internal-json.js';
import type { ConnectorTaskId } from './config-records.js';
import {
  CONNECTOR_STATUS_PREFIX, STATUS_SCHEMA_V0, canWriteSafely, STATUS_STATES, TASK_STATUS_PREFIX, TOPIC_STATUS_PREFIX, TOPIC_STATUS_SCHEMA_V0,
  TOPIC_STATUS_VALUE_SCHEMA_V0, connectorStatusKey, parseTaskStatusKey, parseTopicStatusKey, taskStatusKey, topicStatusKey,
  type ConnectorStatus, type StatusFields, type StatusState, type TaskStatus, type TopicStatus,
} from './status-records.js';

export type { ConnectorStatus, StatusState, TaskStatus, TopicStatus };

export const STATUS_STORAGE_TOPIC_CONFIG = 'status.storage.topic';

export interface KafkaStatusStoreOptions {
  topic: string;
  /** status.storage.partitions (-1: broker default) */
  partitions: number;
  /** status.storage.replication.factor (-1: broker default) */
  replicationFactor: number;
  topicSettings?: Record<string, string>;
  clientConfig: ClientConfig;
  clientIdBase?: string;
  log?: Logger;
  /** How topic-admin's protocol connection is secured (from the worker's security settings). */
  security?: ConnectionSecurity;
}

export class KafkaStatusStore {
  private readonly json: InternalJson;
  private readonly kafkaLog: KafkaBasedLog | null;
  private readonly log?: Logger;
  private readonly connectors = new Map<string, ConnectorStatus>();
  /** connector -> task number -> status */
  private readonly tasks = new Map<string, Map<number, TaskStatus>>();
  /** connector -> topic -> status */
  private readonly topics = new Map<string, Map<string, TopicStatus>>();
  /** Connectors whose last connector status record is a tombstone (deleted), until a status follows. */
  private readonly destroyed = new Set<string>();

  /** With `options` null the store only applies records given to applyRecord (tests of the format). */
  constructor(options: KafkaStatusStoreOptions | null) {
    if (options && options.topic.trim() === '') throw new ConfigError('Must specify topic for connector status.', STATUS_STORAGE_TOPIC_CONFIG);
    this.json = new InternalJson(options?.topic ?? 'status');
    this.log = options?.log;
    this.kafkaLog = options
      ? new KafkaBasedLog({
          topic: options.topic,
          clientConfig: options.clientConfig,
          clientId: `${options.clientIdBase ?? 'sluice-'}statuses`,
          onRecord: (r) => this.onRecord(r),
          initializer: async () => {
            await new TopicAdmin(options.clientConfig, options.log, options.security).createOrVerify({
              name: options.topic,
              partitions: options.partitions,
              replicationFactor: options.replicationFactor,
              configs: options.topicSettings,
              workerTopicConfig: STATUS_STORAGE_TOPIC_CONFIG,
              purpose: 'connector and task statuses',
            });
          },
        })
      : null;
  }

  /** Create or check the topic and read it to the end, so the first get() sees the latest statuses. */
  async start(): Promise<void> {
    await this.kafkaLog?.start();
  }

  async stop(): Promise<void> {
    await this.kafkaLog?.stop();
  }

  /** Write a connector status; resolves once Kafka acknowledged it. DESTROYED deletes it. */
  put(status: ConnectorStatus): Promise<void> {
    return this.send(connectorStatusKey(status.connector), status);
  }

  /** Write a connector status unless a newer generation of another worker wrote the current one. */
  putSafe(status: ConnectorStatus): Promise<void> {
    if (this.destroyed.has(status.connector) || !canWriteSafely(this.get(status.connector), status)) return Promise.resolve();
    return this.put(status);
  }

  putTask(status: TaskStatus): Promise<void> {
    return this.send(taskStatusKey(status.id), status);
  }

  putTaskSafe(status: TaskStatus): Promise<void> {
    if (this.destroyed.has(status.id.connector) || !canWriteSafely(this.getTask(status.id), status)) return Promise.resolve();
    return this.putTask(status);
  }

  /** Record that a connector used a topic (topic.tracking.enable). */
  async putTopic(status: TopicStatus): Promise<void> {
    const value = this.json.write(
      TOPIC_STATUS_SCHEMA_V0,
      new Map([
        ['topic', struct(TOPIC_STATUS_VALUE_SCHEMA_V0, {
          name: status.topic, connector: status.connector, task: status.task, discoverTimestamp: status.discoverTimestamp,
        })],
      ]),
    );
    await this.requireLog().send(topicStatusKey(status.connector, status.topic), value);
  }

  /** Forget that a connector used a topic (PUT /connectors/{name}/topics/reset). */
  async deleteTopic(connector: string, topic: string): Promise<void> {
    await this.requireLog().send(topicStatusKey(connector, topic), null);
  }

  get(connector: string): ConnectorStatus | null {
    return this.connectors.get(connector) ?? null;
  }

  getTask(id: ConnectorTaskId): TaskStatus | null {
    return this.tasks.get(id.connector)?.get(id.task) ?? null;
  }

  /** Every task status of a connector, by task number. */
  getAll(connector: string): TaskStatus[] {
    return [...(this.tasks.get(connector)?.values() ?? [])].sort((a, b) => a.id.task - b.id.task);
  }

  /** Connectors with a known status. */
  connectorNames(): string[] {
    return [...this.connectors.keys()].sort();
  }

  getTopic(connector: string, topic: string): TopicStatus | null {
    return this.topics.get(connector)?.get(topic) ?? null;
  }

  getAllTopics(connector: string): TopicStatus[] {
    return [...(this.topics.get(connector)?.values() ?? [])];
  }

  /** Wait until every status written so far was acknowledged. */
  async flush(): Promise<void> {
    await this.kafkaLog?.flush();
  }

  /** Read the topic to its current end: statuses written so far become visible to get(). */
  async readToEnd(timeoutMs = 30000): Promise<void> {
    await this.requireLog().readToEnd(timeoutMs);
  }

  serializeStatus(status: StatusFields): Buffer {
    return this.json.write(
      STATUS_SCHEMA_V0,
      struct(STATUS_SCHEMA_V0, {
        state: status.state, trace: status.trace, worker_id: status.workerId, generation: status.generation, version: status.version ?? null,
      }),
    );
  }

  private async send(key: string, status: StatusFields): Promise<void> {
    const value = status.state === 'DESTROYED' ? null : this.serializeStatus(status);
    await this.requireLog().send(key, value);
  }

  private onRecord(record: LogRecord): void {
    if (record.key === null) {
      this.log?.warn(`Discarding status record without a key at ${this.kafkaLog?.topic}-${record.partition}@${record.offset}`);
      return;
    }
    this.applyRecord(record.key.toString('utf8'), record.value);
  }

  /** Apply one record of the status topic (KafkaStatusBackingStore.read). */
  applyRecord(key: string, bytes: Buffer | null): void {
    if (key.startsWith(CONNECTOR_STATUS_PREFIX)) this.readConnectorStatus(key, bytes);
    else if (key.startsWith(TASK_STATUS_PREFIX)) this.readTaskStatus(key, bytes);
    else if (key.startsWith(TOPIC_STATUS_PREFIX)) this.readTopicStatus(key, bytes);
    else this.log?.warn(`Discarding record with invalid key ${key}`);
  }

  private readConnectorStatus(key: string, bytes: Buffer | null): void {
    const connector = key.slice(CONNECTOR_STATUS_PREFIX.length);
    if (connector === '') {
      this.log?.warn(`Discarding record with invalid connector status key ${key}`);
      return;
    }
    if (bytes === null) {
      // The connector was deleted: its tasks go with it.
      this.connectors.delete(connector);
      this.tasks.delete(connector);
      this.destroyed.add(connector);
      return;
    }
    const fields = this.parseStatus(key, bytes);
    if (!fields) return;
    this.connectors.set(connector, { connector, ...fields });
    this.destroyed.delete(connector);
  }

  private readTaskStatus(key: string, bytes: Buffer | null): void {
    const id = parseTaskStatusKey(key);
    if (!id) {
      this.log?.warn(`Discarding record with invalid task status key ${key}`);
      return;
    }
    if (bytes === null) {
      this.tasks.get(id.connector)?.delete(id.task);
      return;
    }
    const fields = this.parseStatus(key, bytes);
    if (!fields) return;
    let byTask = this.tasks.get(id.connector);
    if (!byTask) this.tasks.set(id.connector, (byTask = new Map()));
    byTask.set(id.task, { id, ...fields });
  }

  private readTopicStatus(key: string, bytes: Buffer | null): void {
    const parsed = parseTopicStatusKey(key);
    if (!parsed) {
      this.log?.warn(`Discarding record with invalid topic status key ${key}`);
      return;
    }
    if (bytes === null) {
      this.topics.get(parsed.connector)?.delete(parsed.topic);
      return;
    }
    let value: InternalValue;
    try {
      value = this.json.read(bytes);
    } catch (err) {
      this.log?.error(`Failed to deserialize topic status ${key}: ${(err as Error).message}`);
      return;
    }
    const inner = asObject(asObject(value)?.topic ?? null);
    const task = asInt(inner?.task);
    const timestamp = asInt(inner?.discoverTimestamp);
    if (!inner || typeof inner.name !== 'string' || typeof inner.connector !== 'string' || task === null || timestamp === null) {
      this.log?.warn(`Failed to parse topic status with key ${key}`);
      return;
    }
    let byTopic = this.topics.get(parsed.connector);
    if (!byTopic) this.topics.set(parsed.connector, (byTopic = new Map()));
    // As Kafka Connect: keyed by the topic of the record key, described by the value.
    byTopic.set(parsed.topic, { topic: inner.name, connector: inner.connector, task, discoverTimestamp: timestamp });
  }

  private parseStatus(key: string, bytes: Buffer): StatusFields | null {
    let value: InternalValue;
    try {
      value = this.json.read(bytes);
    } catch (err) {
      this.log?.error(`Failed to deserialize status ${key}: ${(err as Error).message}`);
      return null;
    }
    const map = asObject(value);
    const generation = asInt(map?.generation);
    if (
      !map || !STATUS_STATES.includes(map.state as StatusState) || typeof map.worker_id !== 'string' ||
      (map.trace != null && typeof map.trace !== 'string') || (map.version != null && typeof map.version !== 'string') || generation === null
    ) {
      this.log?.error(`Failed to deserialize status ${key}: not a status record`);
      return null;
    }
    return {
      state: map.state as StatusState,
      trace: (map.trace as string | null | undefined) ?? null,
      workerId: map.worker_id,
      generation,
      version: (map.version as string | null | undefined) ?? null,
    };
  }

  private requireLog(): KafkaBasedLog {
    if (!this.kafkaLog) throw new Error('This status store has no Kafka topic');
    return this.kafkaLog;
  }
}

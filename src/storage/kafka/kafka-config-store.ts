/**
 * Connector and task configurations in the config topic, as Kafka Connect's
 * KafkaConfigBackingStore keeps them: same keys, same JSON, same semantics, so a sluice cluster and
 * a Kafka Connect cluster read each other's config topic.
 *
 * - The topic has one partition and is compacted: it is the ordered write-ahead log of the cluster.
 * - Connector configs apply as soon as they are read; a null value deletes the connector.
 * - Task configs are buffered per connector and applied only when a `commit-<name>` record with
 *   the task count arrives and every task 0..N-1 has a buffered config; otherwise the connector is
 *   marked inconsistent (compaction or a leader dying mid-write) until a complete commit follows.
 * - Every connector has a target state (STARTED unless a target-state record says otherwise).
 *   Written in the v1 format Kafka 3.5+ writes: "state" (STOPPED downgraded to PAUSED for older
 *   workers) and "state.v2"; read in either format.
 * - Listeners are called only after start() has caught up with the topic, as in Kafka Connect.
 *
 * Writes are awaited (acknowledged) and, where Kafka Connect does so, read back to the end of the
 * log before resolving, so the change is visible in snapshot() when the promise resolves.
 *
 * Not implemented (left for exactly-once source support): the transactional "fencable" producer
 * of the leader and AppliedConnectorConfig tracking; task count records are read and written.
 */
import { ConfigError, ConnectError } from '../../api/errors.js';
import type { Logger } from '../../util/logger.js';
import type { ClientConfig } from '../../kafka/client-config.js';
import type { ConnectionSecurity } from '../../kafka/protocol/security.js';
import { KafkaBasedLog, type LogRecord } from './kafka-based-log.js';
import { TopicAdmin } from './topic-admin.js';
import { InternalJson, asInt, asObject, struct, type InternalValue } from './internal-json.js';
import {
  CONNECTOR_CONFIGURATION_V0, CONNECTOR_TASKS_COMMIT_V0, LOGGER_LEVEL_V0, RESTART_REQUEST_V0, SESSION_KEY_KEY,
  SESSION_KEY_V0, TARGET_STATES, TARGET_STATE_V1, TASK_CONFIGURATION_V0, TASK_COUNT_RECORD_V0, classifyConfigKey,
  commitTasksKey, connectorKey, loggerClusterKey, restartKey, targetStateKey, taskCountRecordKey, taskKey,
  type ConnectorTaskId, type RestartRequest, type SessionKey, type TargetState,
} from './config-records.js';

export type { ConnectorTaskId, RestartRequest, SessionKey, TargetState };
export type Properties = Record<string, string>;

/** ConfigBackingStore.UpdateListener: every method optional. */
export interface ConfigUpdateListener {
  onConnectorConfigRemove?(connector: string): void;
  onConnectorConfigUpdate?(connector: string): void;
  onTaskConfigUpdate?(tasks: ConnectorTaskId[]): void;
  onConnectorTargetStateChange?(connector: string): void;
  onSessionKeyUpdate?(key: SessionKey): void;
  onRestartRequest?(request: RestartRequest): void;
  onLoggingLevelUpdate?(namespace: string, level: string): void;
}

/** An immutable view of the config topic at one offset (ClusterConfigState). */
export class ClusterConfigState {
  constructor(
    /** Offset of the next record to read from the config topic; -1 before any was read. */
    readonly offset: number,
    readonly sessionKey: SessionKey | null,
    private readonly taskCounts: ReadonlyMap<string, number>,
    private readonly connectorConfigs: ReadonlyMap<string, Properties>,
    private readonly targetStates: ReadonlyMap<string, TargetState>,
    private readonly taskConfigs: ReadonlyMap<string, Properties>,
    readonly taskCountRecords: ReadonlyMap<string, number>,
    readonly taskConfigGenerations: ReadonlyMap<string, number>,
    readonly connectorsPendingFencing: ReadonlySet<string>,
    readonly inconsistentConnectors: ReadonlySet<string>,
  ) {}

  /** Names of the connectors that have a config, sorted. */
  connectors(): string[] {
    return [...this.connectorConfigs.keys()].sort();
  }

  contains(connector: string): boolean {
    return this.connectorConfigs.has(connector);
  }

  connectorConfig(connector: string): Properties | null {
    return this.connectorConfigs.get(connector) ?? null;
  }

  /** The connector's target state; null when it has no config. */
  targetState(connector: string): TargetState | null {
    return this.targetStates.get(connector) ?? null;
  }

  /** The committed number of tasks; 0 when none were committed. */
  taskCount(connector: string): number {
    return this.taskCounts.get(connector) ?? 0;
  }

  taskConfig(id: ConnectorTaskId): Properties | null {
    return this.taskConfigs.get(`${id.connector}-${id.task}`) ?? null;
  }

  /** The committed task ids of a connector, empty while it is inconsistent (as Java's tasks()). */
  tasks(connector: string): ConnectorTaskId[] {
    if (this.inconsistentConnectors.has(connector)) return [];
    const count = this.taskCounts.get(connector) ?? 0;
    return Array.from({ length: count }, (_, task) => ({ connector, task }));
  }
}

export interface KafkaConfigStoreOptions {
  topic: string;
  /** config.storage.replication.factor */
  replicationFactor: number;
  /** config.storage.* topic settings for creation. */
  topicSettings?: Record<string, string>;
  /** librdkafka settings for the internal clients (bootstrap.servers, security). */
  clientConfig: ClientConfig;
  /** client.id base, e.g. "connect-cluster-" (Kafka Connect: "<client.id or connect-><group>-configs"). */
  clientIdBase?: string;
  log?: Logger;
  /** How topic-admin's protocol connection is secured (from the worker's security settings). */
  security?: ConnectionSecurity;
  /** Total time for one write plus its read-back (Kafka Connect: 30 s). */
  timeoutMs?: number;
}

export const CONFIG_TOPIC_CONFIG = 'config.storage.topic';

export class KafkaConfigStore {
  private readonly json: InternalJson;
  private readonly log?: Logger;
  private readonly timeoutMs: number;
  private readonly kafkaLog: KafkaBasedLog | null;
  private listener: ConfigUpdateListener = {};
  private started = false;

  private offset = -1;
  private sessionKey: SessionKey | null = null;
  private readonly connectorTaskCounts = new Map<string, number>();
  private readonly connectorConfigs = new Map<string, Properties>();
  private readonly taskConfigs = new Map<string, Properties>();
  private readonly deferredTaskUpdates = new Map<string, Map<number, Properties>>();
  private readonly connectorTargetStates = new Map<string, TargetState>();
  private readonly connectorTaskCountRecords = new Map<string, number>();
  private readonly connectorTaskConfigGenerations = new Map<string, number>();
  private readonly connectorsPendingFencing = new Set<string>();
  private readonly inconsistent = new Set<string>();

  /** With `options` null the store only applies records given to applyRecord (tests of the format). */
  constructor(private readonly options: KafkaConfigStoreOptions | null) {
    if (options && options.topic.trim() === '') throw new ConfigError('Must specify topic for connector configuration.', CONFIG_TOPIC_CONFIG);
    this.json = new InternalJson(options?.topic ?? 'config');
    this.log = options?.log;
    this.timeoutMs = options?.timeoutMs ?? 30000;
    this.kafkaLog = options
      ? new KafkaBasedLog({
          topic: options.topic,
          clientConfig: options.clientConfig,
          clientId: `${options.clientIdBase ?? 'sluice-'}configs`,
          onRecord: (r) => this.onRecord(r),
          initializer: async () => {
            await new TopicAdmin(options.clientConfig, options.log, options.security).createOrVerify({
              name: options.topic,
              partitions: 1,
              replicationFactor: options.replicationFactor,
              configs: options.topicSettings,
              workerTopicConfig: CONFIG_TOPIC_CONFIG,
              purpose: 'connector configurations',
            });
          },
        })
      : null;
  }

  setUpdateListener(listener: ConfigUpdateListener): void {
    this.listener = listener;
  }

  /**
   * Create or check the topic, read it to the end, then start calling the listener.
   * @throws ConfigError when the topic has more than one partition or is not compacted.
   */
  async start(): Promise<void> {
    const log = this.requireLog();
    await log.start();
    const partitions = log.partitionCount();
    if (partitions > 1) {
      await log.stop();
      throw new ConfigError(
        `Topic '${log.topic}' supplied via the '${CONFIG_TOPIC_CONFIG}' property is required to have a single partition in ` +
          `order to guarantee consistency of connector configurations, but found ${partitions} partitions.`,
        CONFIG_TOPIC_CONFIG,
      );
    }
    this.started = true;
  }

  async stop(): Promise<void> {
    this.started = false;
    await this.kafkaLog?.stop();
  }

  snapshot(): ClusterConfigState {
    return new ClusterConfigState(
      this.offset,
      this.sessionKey,
      new Map(this.connectorTaskCounts),
      new Map(this.connectorConfigs),
      new Map(this.connectorTargetStates),
      new Map(this.taskConfigs),
      new Map(this.connectorTaskCountRecords),
      new Map(this.connectorTaskConfigGenerations),
      new Set(this.connectorsPendingFencing),
      new Set(this.inconsistent),
    );
  }

  contains(connector: string): boolean {
    return this.connectorConfigs.has(connector);
  }

  /** Read the topic to its current end (ConfigBackingStore.refresh). */
  async refresh(timeoutMs = this.timeoutMs): Promise<void> {
    await this.requireLog().readToEnd(timeoutMs);
  }

  /** Write a connector config (and, first, a target state when given); resolves once read back. */
  async putConnectorConfig(connector: string, properties: Properties, targetState: TargetState | null = null): Promise<void> {
    const log = this.requireLog();
    const writes: Promise<unknown>[] = [];
    if (targetState !== null) writes.push(log.send(targetStateKey(connector), this.serializeTargetState(targetState)));
    writes.push(log.send(connectorKey(connector), this.serializeProperties(properties)));
    await this.withTimeout('Error writing connector configuration to Kafka', async (deadline) => {
      await Promise.all(writes);
      await log.readToEnd(remaining(deadline));
    });
  }

  /** Delete a connector: tombstones for its config and its target state. */
  async removeConnectorConfig(connector: string): Promise<void> {
    const log = this.requireLog();
    await this.withTimeout('Error removing connector configuration from Kafka', async (deadline) => {
      await Promise.all([log.send(connectorKey(connector), null), log.send(targetStateKey(connector), null)]);
      await log.readToEnd(remaining(deadline));
    });
  }

  /** Write task configs, then the commit record that makes them visible; resolves once read back. */
  async putTaskConfigs(connector: string, configs: Properties[]): Promise<void> {
    const log = this.requireLog();
    await this.withTimeout('Error writing task configurations to Kafka', async (deadline) => {
      // Be at the end of the log first: this worker should be the only writer, but may lag.
      await log.readToEnd(remaining(deadline));
      await Promise.all(configs.map((config, task) => log.send(taskKey({ connector, task }), this.serializeProperties(config))));
      if (configs.length > 0) await log.readToEnd(remaining(deadline));
      await log.send(commitTasksKey(connector), this.json.write(CONNECTOR_TASKS_COMMIT_V0, struct(CONNECTOR_TASKS_COMMIT_V0, { tasks: configs.length })));
      await log.readToEnd(remaining(deadline));
    });
  }

  /** Write a target state; resolves once acknowledged (not read back, as in Kafka Connect). */
  async putTargetState(connector: string, state: TargetState): Promise<void> {
    await this.withTimeout('Error writing target state to Kafka', () =>
      this.requireLog().send(targetStateKey(connector), this.serializeTargetState(state)),
    );
  }

  async putTaskCountRecord(connector: string, taskCount: number): Promise<void> {
    const log = this.requireLog();
    await this.withTimeout('Error writing task count record to Kafka', async (deadline) => {
      await log.send(taskCountRecordKey(connector), this.json.write(TASK_COUNT_RECORD_V0, struct(TASK_COUNT_RECORD_V0, { 'task-count': taskCount })));
      await log.readToEnd(remaining(deadline));
    });
  }

  async putSessionKey(key: SessionKey): Promise<void> {
    const log = this.requireLog();
    const value = this.json.write(
      SESSION_KEY_V0,
      struct(SESSION_KEY_V0, { key: key.key.toString('base64'), algorithm: key.algorithm, 'creation-timestamp': key.creationTimestamp }),
    );
    await this.withTimeout('Error writing session key to Kafka', async (deadline) => {
      await log.send(SESSION_KEY_KEY, value);
      await log.readToEnd(remaining(deadline));
    });
  }

  async putRestartRequest(request: RestartRequest): Promise<void> {
    const log = this.requireLog();
    const value = this.json.write(
      RESTART_REQUEST_V0,
      struct(RESTART_REQUEST_V0, { 'include-tasks': request.includeTasks, 'only-failed': request.onlyFailed }),
    );
    await this.withTimeout(`Error writing restart request for connector ${request.connector} to Kafka`, async (deadline) => {
      await log.send(restartKey(request.connector), value);
      await log.readToEnd(remaining(deadline));
    });
  }

  async putLoggerLevel(namespace: string, level: string): Promise<void> {
    const value = this.json.write(LOGGER_LEVEL_V0, struct(LOGGER_LEVEL_V0, { level }));
    await this.withTimeout('Error writing logger level to Kafka', () => this.requireLog().send(loggerClusterKey(namespace), value));
  }

  // ------------------------------------------------------------------------------------------
  // Serialization
  // ------------------------------------------------------------------------------------------

  serializeProperties(properties: Properties): Buffer {
    return this.json.write(CONNECTOR_CONFIGURATION_V0, struct(CONNECTOR_CONFIGURATION_V0, { properties: new Map(Object.entries(properties)) }));
  }

  serializeTargetState(state: TargetState): Buffer {
    // Older workers do not know STOPPED: they read "state" and see PAUSED.
    return this.json.write(TARGET_STATE_V1, struct(TARGET_STATE_V1, { state: state === 'STOPPED' ? 'PAUSED' : state, 'state.v2': state }));
  }

  // ------------------------------------------------------------------------------------------
  // Reading the log
  // ------------------------------------------------------------------------------------------

  private onRecord(record: LogRecord): void {
    this.applyRecord(record.key === null ? null : record.key.toString('utf8'), record.value, record.offset);
  }

  /** Apply one record of the config topic, as KafkaConfigBackingStore.ConsumeCallback does. */
  applyRecord(key: string | null, bytes: Buffer | null, offset: number): void {
    if (key === null) {
      this.log?.error(`Discarding config update record without a key at offset ${offset}`);
      return;
    }
    let value: InternalValue;
    try {
      value = this.json.read(bytes);
    } catch (err) {
      this.log?.error(`Failed to convert config data to Kafka Connect format (key ${key}, offset ${offset}): ${(err as Error).message}`);
      return;
    }
    this.offset = offset + 1;
    const kind = classifyConfigKey(key);
    switch (kind.kind) {
      case 'target-state':
        return this.processTargetState(kind.connector, value);
      case 'connector':
        return this.processConnectorConfig(kind.connector, value);
      case 'task':
        if (kind.id === null) {
          this.log?.error(`Ignoring task configuration because ${key} couldn't be parsed as a task config key`);
          return;
        }
        return this.processTaskConfig(kind.id, value);
      case 'commit':
        return this.processTasksCommit(kind.connector, value);
      case 'restart': {
        const request = this.toRestartRequest(kind.connector, value);
        if (request && this.started) this.listener.onRestartRequest?.(request);
        return;
      }
      case 'task-count':
        return this.processTaskCountRecord(kind.connector, value);
      case 'session-key':
        return this.processSessionKey(value);
      case 'logger':
        return this.processLoggerLevel(kind.namespace, value);
      default:
        this.log?.error(`Discarding config update record with invalid key: ${key}`);
    }
  }

  private processTargetState(connector: string, value: InternalValue): void {
    let removed = false;
    let changed = true;
    if (value === null) {
      this.connectorTargetStates.delete(connector);
      removed = true;
      // A connector that still has a config always has a target state.
      if (this.connectorConfigs.has(connector)) this.connectorTargetStates.set(connector, 'STARTED');
    } else {
      const map = asObject(value);
      if (!map) {
        this.log?.error(`Ignoring target state for connector '${connector}' because it is in the wrong format`);
        return;
      }
      let state: InternalValue | undefined = map['state.v2'];
      if (state != null && typeof state !== 'string') {
        this.log?.error(`Invalid data for target state for connector '${connector}': 'state.v2' field should be a String`);
        state = null;
      }
      // Written by an older worker: only the v0 field.
      if (state == null) {
        state = map.state;
        if (typeof state !== 'string') {
          this.log?.error(`Invalid data for target state for connector '${connector}': 'state' field should be a String`);
          return;
        }
      }
      if (!TARGET_STATES.includes(state as TargetState)) {
        this.log?.error(`Invalid target state for connector '${connector}': ${state}`);
        return;
      }
      const previous = this.connectorTargetStates.get(connector);
      this.connectorTargetStates.set(connector, state as TargetState);
      changed = previous !== state;
    }
    // Removal is reported through the connector config's tombstone; a state written before the
    // connector's config (an initial state at creation) is not reported either.
    if (this.started && !removed && changed && this.connectorConfigs.has(connector)) {
      this.listener.onConnectorTargetStateChange?.(connector);
    }
  }

  private processConnectorConfig(connector: string, value: InternalValue): void {
    let removed = false;
    if (value === null) {
      this.connectorConfigs.delete(connector);
      this.connectorTaskCounts.delete(connector);
      for (const id of [...this.taskConfigs.keys()]) if (taskConnector(id) === connector) this.taskConfigs.delete(id);
      this.deferredTaskUpdates.delete(connector);
      removed = true;
    } else {
      const properties = propertiesOf(value);
      if (!properties) {
        this.log?.error(`Invalid data for config for connector '${connector}': 'properties' field should be a Map`);
        return;
      }
      this.connectorConfigs.set(connector, properties);
      // Connectors created before target states existed start as STARTED.
      if (!this.connectorTargetStates.has(connector)) this.connectorTargetStates.set(connector, 'STARTED');
    }
    if (this.started) {
      if (removed) this.listener.onConnectorConfigRemove?.(connector);
      else this.listener.onConnectorConfigUpdate?.(connector);
    }
  }

  private processTaskConfig(id: ConnectorTaskId, value: InternalValue): void {
    if (value === null) {
      this.log?.error(`Ignoring task configuration for task ${id.connector}-${id.task} because it is unexpectedly null`);
      return;
    }
    const properties = propertiesOf(value);
    if (!properties) {
      this.log?.error(`Invalid data for config of task ${id.connector}-${id.task} 'properties' field should be a Map`);
      return;
    }
    let deferred = this.deferredTaskUpdates.get(id.connector);
    if (!deferred) this.deferredTaskUpdates.set(id.connector, (deferred = new Map()));
    deferred.set(id.task, properties);
  }

  private processTasksCommit(connector: string, value: InternalValue): void {
    const map = asObject(value);
    if (!map) {
      this.log?.error(`Ignoring connector tasks configuration commit for connector '${connector}' because it is in the wrong format`);
      return;
    }
    const taskCount = asInt(map.tasks);
    if (taskCount === null) {
      this.log?.error(`Ignoring connector tasks configuration commit for connector '${connector}': 'tasks' should be an integer`);
      return;
    }
    const deferred = this.deferredTaskUpdates.get(connector);
    const updated: ConnectorTaskId[] = [];
    // Only the tasks the commit names must be present: after a reduction, compaction can leave
    // configs of higher task numbers behind, which is not an inconsistency.
    let complete = true;
    for (let task = 0; task < taskCount; task++) if (!deferred?.has(task)) complete = false;
    if (!complete) {
      this.log?.debug(`Incomplete set of task configs for connector '${connector}', probably due to compaction: not applying them`);
      this.inconsistent.add(connector);
    } else {
      if (deferred) {
        for (const [task, properties] of deferred) {
          this.taskConfigs.set(`${connector}-${task}`, properties);
          updated.push({ connector, task });
        }
        const generation = this.connectorTaskConfigGenerations.get(connector);
        this.connectorTaskConfigGenerations.set(connector, generation === undefined ? 0 : generation + 1);
      }
      this.inconsistent.delete(connector);
    }
    // Always drop the buffered configs: an inconsistent set must be rewritten completely.
    deferred?.clear();
    this.connectorTaskCounts.set(connector, taskCount);
    // Task configs newer than the latest task count record need a round of zombie fencing.
    this.connectorsPendingFencing.add(connector);
    if (this.started) this.listener.onTaskConfigUpdate?.(updated);
  }

  private toRestartRequest(connector: string, value: InternalValue): RestartRequest | null {
    const map = asObject(value);
    if (!map) {
      this.log?.error('Ignoring restart request because the value is not a Map');
      return null;
    }
    const onlyFailed = map['only-failed'];
    const includeTasks = map['include-tasks'];
    if (typeof onlyFailed !== 'boolean') this.log?.warn("Invalid data for restart request 'only-failed' field should be a Boolean, defaulting to false");
    if (typeof includeTasks !== 'boolean') this.log?.warn("Invalid data for restart request 'include-tasks' field should be a Boolean, defaulting to false");
    return { connector, onlyFailed: onlyFailed === true, includeTasks: includeTasks === true };
  }

  private processTaskCountRecord(connector: string, value: InternalValue): void {
    const taskCount = asInt(asObject(value)?.['task-count']);
    if (taskCount === null) {
      this.log?.error(`Ignoring task count record for connector '${connector}' because it is in the wrong format`);
      return;
    }
    this.connectorTaskCountRecords.set(connector, taskCount);
    this.connectorsPendingFencing.delete(connector);
  }

  private processSessionKey(value: InternalValue): void {
    const map = asObject(value);
    if (!map) {
      this.log?.error('Ignoring session key because it is unexpectedly null or not a Map');
      return;
    }
    const { key, algorithm } = map;
    const created = map['creation-timestamp'];
    if (typeof key !== 'string' || typeof algorithm !== 'string' || typeof created !== 'bigint') {
      this.log?.error("Invalid data for session key: 'key' and 'algorithm' should be Strings and 'creation-timestamp' a long");
      return;
    }
    this.sessionKey = { key: Buffer.from(key, 'base64'), algorithm, creationTimestamp: Number(created) };
    if (this.started) this.listener.onSessionKeyUpdate?.(this.sessionKey);
  }

  private processLoggerLevel(namespace: string, value: InternalValue): void {
    const level = asObject(value)?.level;
    if (typeof level !== 'string') {
      this.log?.error(`Ignoring logging level for namespace ${namespace} because it is null or in the wrong format`);
      return;
    }
    // Levels written before this worker started are history, not instructions.
    if (this.started) this.listener.onLoggingLevelUpdate?.(namespace, level);
  }

  // ------------------------------------------------------------------------------------------

  private requireLog(): KafkaBasedLog {
    if (!this.kafkaLog) throw new ConnectError('This config store has no Kafka topic');
    return this.kafkaLog;
  }

  private async withTimeout<T>(message: string, action: (deadline: number) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ConnectError(`${message}: timed out after ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      return await Promise.race([action(deadline), timeout]);
    } catch (err) {
      if (err instanceof ConnectError && err.message.startsWith(message)) throw err;
      throw new ConnectError(`${message}: ${(err as Error).message}`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  }
}

function remaining(deadline: number): number {
  return Math.max(1, deadline - Date.now());
}

/** "conn-name-3" -> "conn-name" */
function taskConnector(id: string): string {
  return id.slice(0, id.lastIndexOf('-'));
}

/**
 * The `properties` map of a connector or task record. A null property value (the schema allows
 * it) reads as an absent key: Kafka Connect's config parsing treats both the same.
 */
function propertiesOf(value: InternalValue): Properties | null {
  const map = asObject(asObject(value)?.properties ?? null);
  if (!map) return null;
  const out: Properties = {};
  for (const [k, v] of Object.entries(map)) {
    if (v === null) continue;
    out[k] = typeof v === 'string' ? v : String(v);
  }
  return out;
}

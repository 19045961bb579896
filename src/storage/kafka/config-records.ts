/**
 * The records of Kafka Connect's config topic (KafkaConfigBackingStore): keys are plain strings,
 * values JSON written by JsonConverter (schemas.enable=false) from Structs of these schemas.
 *
 *   connector-<name>          {"properties":{...}}                  null: connector deleted
 *   task-<name>-<n>           {"properties":{...}}                  visible once committed
 *   commit-<name>             {"tasks":N}                           applies the task configs
 *   target-state-<name>       {"state":"PAUSED","state.v2":"STOPPED"}  (v1; v0 has "state" only)
 *   tasks-fencing-<name>      {"task-count":N}                      exactly-once task count record
 *   session-key               {"key":"<base64>","algorithm":"HmacSHA256","creation-timestamp":N}
 *   restart-connector-<name>  {"include-tasks":B,"only-failed":B}
 *   logger-cluster-<ns>       {"level":"DEBUG"}
 */
import { SchemaBuilder } from '../../data/schema-builder.js';
import { Schemas } from '../../data/schemas.js';

export const TARGET_STATE_PREFIX = 'target-state-';
export const CONNECTOR_PREFIX = 'connector-';
export const TASK_PREFIX = 'task-';
export const COMMIT_TASKS_PREFIX = 'commit-';
export const TASK_COUNT_RECORD_PREFIX = 'tasks-fencing-';
export const SESSION_KEY_KEY = 'session-key';
export const RESTART_PREFIX = 'restart-connector-';
export const LOGGER_CLUSTER_PREFIX = 'logger-cluster-';

export const CONNECTOR_CONFIGURATION_V0 = SchemaBuilder.struct()
  .field('properties', SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.OPTIONAL_STRING_SCHEMA).build())
  .build();
export const TASK_CONFIGURATION_V0 = CONNECTOR_CONFIGURATION_V0;
export const CONNECTOR_TASKS_COMMIT_V0 = SchemaBuilder.struct().field('tasks', Schemas.INT32_SCHEMA).build();
export const TARGET_STATE_V0 = SchemaBuilder.struct().field('state', Schemas.STRING_SCHEMA).build();
export const TARGET_STATE_V1 = SchemaBuilder.struct()
  .field('state', Schemas.STRING_SCHEMA)
  .field('state.v2', Schemas.OPTIONAL_STRING_SCHEMA)
  .build();
export const TASK_COUNT_RECORD_V0 = SchemaBuilder.struct().field('task-count', Schemas.INT32_SCHEMA).build();
export const SESSION_KEY_V0 = SchemaBuilder.struct()
  .field('key', Schemas.STRING_SCHEMA)
  .field('algorithm', Schemas.STRING_SCHEMA)
  .field('creation-timestamp', Schemas.INT64_SCHEMA)
  .build();
export const RESTART_REQUEST_V0 = SchemaBuilder.struct()
  .field('include-tasks', Schemas.BOOLEAN_SCHEMA)
  .field('only-failed', Schemas.BOOLEAN_SCHEMA)
  .build();
export const LOGGER_LEVEL_V0 = SchemaBuilder.struct().field('level', Schemas.STRING_SCHEMA).build();

/** A connector's desired state (org.apache.kafka.connect.runtime.TargetState). */
export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED';
export const TARGET_STATES: readonly TargetState[] = ['STARTED', 'PAUSED', 'STOPPED'];

export interface ConnectorTaskId {
  connector: string;
  task: number;
}

export interface RestartRequest {
  connector: string;
  onlyFailed: boolean;
  includeTasks: boolean;
}

export interface SessionKey {
  key: Buffer;
  algorithm: string;
  creationTimestamp: number;
}

export const connectorKey = (connector: string): string => CONNECTOR_PREFIX + connector;
export const targetStateKey = (connector: string): string => TARGET_STATE_PREFIX + connector;
export const taskKey = (id: ConnectorTaskId): string => `${TASK_PREFIX}${id.connector}-${id.task}`;
export const commitTasksKey = (connector: string): string => COMMIT_TASKS_PREFIX + connector;
export const taskCountRecordKey = (connector: string): string => TASK_COUNT_RECORD_PREFIX + connector;
export const restartKey = (connector: string): string => RESTART_PREFIX + connector;
export const loggerClusterKey = (namespace: string): string => LOGGER_CLUSTER_PREFIX + namespace;

/**
 * KafkaConfigBackingStore.parseTaskId: `task-<connector>-<n>`, the connector name being everything
 * between the first and the last dash. null when the last part is not an int.
 */
export function parseTaskKey(key: string): ConnectorTaskId | null {
  const parts = key.split('-');
  if (parts.length < 3) return null;
  const last = parts[parts.length - 1]!;
  if (!/^[+-]?\d+$/.test(last)) return null;
  const task = Number(last);
  if (!Number.isSafeInteger(task) || task > 2147483647 || task < -2147483648) return null;
  return { connector: parts.slice(1, -1).join('-'), task };
}

/** The key kind, tested in KafkaConfigBackingStore's order (target-state before connector, ...). */
export type ConfigKeyKind =
  | { kind: 'target-state'; connector: string }
  | { kind: 'connector'; connector: string }
  | { kind: 'task'; id: ConnectorTaskId | null }
  | { kind: 'commit'; connector: string }
  | { kind: 'restart'; connector: string }
  | { kind: 'task-count'; connector: string }
  | { kind: 'session-key' }
  | { kind: 'logger'; namespace: string }
  | { kind: 'unknown' };

export function classifyConfigKey(key: string): ConfigKeyKind {
  if (key.startsWith(TARGET_STATE_PREFIX)) return { kind: 'target-state', connector: key.slice(TARGET_STATE_PREFIX.length) };
  if (key.startsWith(CONNECTOR_PREFIX)) return { kind: 'connector', connector: key.slice(CONNECTOR_PREFIX.length) };
  if (key.startsWith(TASK_PREFIX)) return { kind: 'task', id: parseTaskKey(key) };
  if (key.startsWith(COMMIT_TASKS_PREFIX)) return { kind: 'commit', connector: key.slice(COMMIT_TASKS_PREFIX.length) };
  if (key.startsWith(RESTART_PREFIX)) return { kind: 'restart', connector: key.slice(RESTART_PREFIX.length) };
  if (key.startsWith(TASK_COUNT_RECORD_PREFIX)) return { kind: 'task-count', connector: key.slice(TASK_COUNT_RECORD_PREFIX.length) };
  if (key === SESSION_KEY_KEY) return { kind: 'session-key' };
  if (key.startsWith(LOGGER_CLUSTER_PREFIX)) return { kind: 'logger', namespace: key.slice(LOGGER_CLUSTER_PREFIX.length) };
  return { kind: 'unknown' };
}

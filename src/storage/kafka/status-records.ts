/**
 * The records of Kafka Connect's status topic (KafkaStatusBackingStore), JSON written by
 * JsonConverter (schemas.enable=false) from Structs of these schemas:
 *
 *   status-connector-<name>            {"state":"RUNNING","trace":null,"worker_id":"host:8083","generation":3,"version":"4.3.1"}
 *   status-task-<name>-<n>             the same fields
 *   status-topic-<topic>:connector-<name>
 *                                      {"topic":{"name":"t","connector":"c","task":0,"discoverTimestamp":1700000000000}}
 *
 * A null value deletes the entry (a DESTROYED status is written as a tombstone).
 */
import { SchemaBuilder } from '../../data/schema-builder.js';
import { Schemas } from '../../data/schemas.js';
import type { ConnectorTaskId } from './config-records.js';

export const TASK_STATUS_PREFIX = 'status-task-';
export const CONNECTOR_STATUS_PREFIX = 'status-connector-';
export const TOPIC_STATUS_PREFIX = 'status-topic-';
export const TOPIC_STATUS_SEPARATOR = ':connector-';

export const STATUS_SCHEMA_V0 = SchemaBuilder.struct()
  .field('state', Schemas.STRING_SCHEMA)
  .field('trace', SchemaBuilder.string().optional().build())
  .field('worker_id', Schemas.STRING_SCHEMA)
  .field('generation', Schemas.INT32_SCHEMA)
  // Kafka 4.x (KIP-891): the version of the connector or task plugin, null when unknown.
  .field('version', Schemas.OPTIONAL_STRING_SCHEMA)
  .build();

export const TOPIC_STATUS_VALUE_SCHEMA_V0 = SchemaBuilder.struct()
  .field('name', Schemas.STRING_SCHEMA)
  .field('connector', Schemas.STRING_SCHEMA)
  .field('task', Schemas.INT32_SCHEMA)
  .field('discoverTimestamp', Schemas.INT64_SCHEMA)
  .build();

export const TOPIC_STATUS_SCHEMA_V0 = SchemaBuilder.map(Schemas.STRING_SCHEMA, TOPIC_STATUS_VALUE_SCHEMA_V0).build();

/** AbstractStatus.State */
export type StatusState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'FAILED' | 'DESTROYED' | 'RESTARTING' | 'STOPPED';
export const STATUS_STATES: readonly StatusState[] = ['UNASSIGNED', 'RUNNING', 'PAUSED', 'FAILED', 'DESTROYED', 'RESTARTING', 'STOPPED'];

export interface StatusFields {
  state: StatusState;
  trace: string | null;
  /** The worker's id: its advertised REST host:port. */
  workerId: string;
  /** The group generation the worker had when it wrote this status. */
  generation: number;
  /** The plugin version (Kafka 4.x writes it; older records have none): null when unknown. */
  version?: string | null;
}

export interface ConnectorStatus extends StatusFields {
  connector: string;
}

export interface TaskStatus extends StatusFields {
  id: ConnectorTaskId;
}

/** A topic a connector has used (KIP-558 active topics). */
export interface TopicStatus {
  topic: string;
  connector: string;
  task: number;
  discoverTimestamp: number;
}

export const connectorStatusKey = (connector: string): string => CONNECTOR_STATUS_PREFIX + connector;
export const taskStatusKey = (id: ConnectorTaskId): string => `${TASK_STATUS_PREFIX}${id.connector}-${id.task}`;
export const topicStatusKey = (connector: string, topic: string): string => `${TOPIC_STATUS_PREFIX}${topic}${TOPIC_STATUS_SEPARATOR}${connector}`;

/** KafkaStatusBackingStore.parseConnectorTaskId: `status-task-<connector>-<n>`. */
export function parseTaskStatusKey(key: string): ConnectorTaskId | null {
  const parts = key.split('-');
  if (parts.length < 4) return null;
  const last = parts[parts.length - 1]!;
  if (!/^[+-]?\d+$/.test(last)) return null;
  return { connector: parts.slice(2, -1).join('-'), task: Number(last) };
}

/** KafkaStatusBackingStore.readTopicStatus's key parsing: null when the topic or connector is empty. */
export function parseTopicStatusKey(key: string): { topic: string; connector: string } | null {
  const delimiter = key.indexOf(':');
  if (delimiter < TOPIC_STATUS_PREFIX.length) return null;
  const topic = key.slice(TOPIC_STATUS_PREFIX.length, delimiter);
  const begin = delimiter + TOPIC_STATUS_SEPARATOR.length;
  if (topic === '' || begin > key.length) return null;
  const connector = key.slice(begin);
  return connector === '' ? null : { topic, connector };
}

/**
 * KafkaStatusBackingStore.CacheEntry.canWriteSafely: a putSafe() may overwrite no status, one
 * written by the same worker, or one written at an older or equal generation.
 */
export function canWriteSafely(current: StatusFields | null, next: StatusFields): boolean {
  return current === null || current.workerId === next.workerId || current.generation <= next.generation;
}

/**
 * What crosses between the main thread and a task thread. Control and status only: records never
 * travel as messages (they move through shared-memory rings).
 */
import type { InstanceState } from '../../cluster/herder.js';
import type { TargetState } from '../../cluster/herder.js';
import type { SourceMap } from '../../data/record.js';
import type { ConverterSetting } from '../worker.js';

/** What every task thread needs, source or sink; plain data (structured clone). */
interface TaskSpecBase {
  connector: string;
  task: number;
  /** The connector's class name or alias; the thread resolves its task class through the registry. */
  connectorClass: string;
  /** The connector's whole config: the thread builds its transformation chain from it. */
  connectorConfig: Record<string, string>;
  pluginPath: string[];
  taskConfig: Record<string, string>;
  converters: { key: ConverterSetting; value: ConverterSetting; header: ConverterSetting };
  offsetFlushIntervalMs: number;
  /** offset.flush.timeout.ms: how long a source flush, or a sink's asynchronous commit, may take. */
  offsetFlushTimeoutMs: number;
  initialState: TargetState;
  logLevel: string;
}

/** Everything a task thread needs to build and run one sink task. */
export interface SinkTaskSpec extends TaskSpecBase {
  kind: 'sink';
  /** librdkafka properties for the consumer, group.id included. */
  consumerConfig: Record<string, string | number | boolean>;
  topics: string[] | { regex: string };
}

/** Everything a task thread needs to build and run one source task. */
export interface SourceTaskSpec extends TaskSpecBase {
  kind: 'source';
  /** librdkafka properties for the producer. */
  producerConfig: Record<string, string | number | boolean>;
  /** The connector's stored source offsets when the task starts (its OffsetStorageReader). */
  storedOffsets: { partition: SourceMap; offset: SourceMap }[];
}

export type TaskSpec = SinkTaskSpec | SourceTaskSpec;

export type ToTask = { type: 'pause' } | { type: 'resume' } | { type: 'stop' };

export type FromTask =
  | { type: 'state'; state: InstanceState; trace?: string; message?: string }
  /** Source offsets safe to commit (every earlier record of their partition is acknowledged). */
  | { type: 'offsets'; offsets: { partition: SourceMap; offset: SourceMap }[] }
  /** Topics the task produced to or consumed from (Kafka Connect's active topics), throttled per topic. */
  | { type: 'topics'; topics: string[] }
  | { type: 'stopped' };

/**
 * The control plane as the REST API sees it (Kafka Connect's Herder). Standalone and distributed
 * herders implement it; rest/ imports nothing else from the runtime.
 *
 * Errors: NotFoundError (404), AlreadyExistsError (409), ConfigError / BadRequestError (400),
 * RestError (its own status); anything else is a 500.
 */
import type { ConfigInfos, ConfigKeyInfo } from '../api/config-def.js';

export type ConnectorType = 'source' | 'sink' | 'unknown';
export type InstanceState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING';
export type TargetState = 'STARTED' | 'PAUSED' | 'STOPPED';
/** Body of `initial_state` on create. */
export type InitialState = 'RUNNING' | 'PAUSED' | 'STOPPED';

export interface ConnectorTaskId {
  connector: string;
  task: number;
}

export interface ConnectorInfo {
  name: string;
  config: Record<string, string>;
  tasks: ConnectorTaskId[];
  type: ConnectorType;
}

export interface TaskInfo {
  id: ConnectorTaskId;
  config: Record<string, string>;
}

export interface InstanceStatus {
  state: InstanceState;
  worker_id: string;
  /** Present only when non-empty, as in Kafka Connect. */
  trace?: string;
  /** The plugin's version (KIP-891), present once an instance of it has reported a state. */
  version?: string;
}

export interface TaskStatus extends InstanceStatus {
  id: number;
}

export interface ConnectorStateInfo {
  name: string;
  connector: InstanceStatus;
  tasks: TaskStatus[];
  type: ConnectorType;
}

export interface WorkerInfo {
  version: string;
  commit: string;
  kafka_cluster_id: string;
}

export interface PluginInfo {
  class: string;
  type: 'source' | 'sink' | 'converter' | 'header_converter' | 'transformation' | 'predicate';
  version: string;
}

export interface RestartRequest {
  includeTasks: boolean;
  onlyFailed: boolean;
}

/**
 * One entry of `GET/PATCH /connectors/{name}/offsets`. Sinks: partition `{kafka_topic,
 * kafka_partition}`, offset `{kafka_offset}`; sources: whatever the connector wrote. A null offset
 * in a PATCH resets that partition.
 */
export interface ConnectorOffset {
  partition: Record<string, unknown> | null;
  offset: Record<string, unknown> | null;
}

export interface ConnectorOffsets {
  offsets: ConnectorOffset[];
}

/** Kafka Connect's Message entity: `{"message": "..."}`. */
export interface Message {
  message: string;
}

/** `GET /connectors/{name}/topics` answers `{"<name>": {"topics": [...]}}`. */
export interface ActiveTopicsInfo {
  connector: string;
  topics: string[];
}

/** `GET /admin/loggers/{name}`: the level and when this worker last changed it (epoch ms). */
export interface LoggerLevel {
  level: string;
  last_modified: number | null;
}

export interface PutConfigResult {
  created: boolean;
  info: ConnectorInfo;
}

export interface Herder {
  workerInfo(): Promise<WorkerInfo>;
  connectors(): Promise<string[]>;
  connectorInfo(name: string): Promise<ConnectorInfo>;
  connectorConfig(name: string): Promise<Record<string, string>>;
  /**
   * Create (allowReplace false: AlreadyExistsError if it exists) or create-or-replace the connector.
   * The config is validated first; an invalid one is a BadRequestError naming every bad key.
   */
  putConnectorConfig(
    name: string,
    config: Record<string, string>,
    allowReplace: boolean,
    initialState?: InitialState,
  ): Promise<PutConfigResult>;
  deleteConnector(name: string): Promise<void>;
  connectorStatus(name: string): Promise<ConnectorStateInfo>;
  taskConfigs(name: string): Promise<TaskInfo[]>;
  taskStatus(name: string, task: number): Promise<TaskStatus>;
  pauseConnector(name: string): Promise<void>;
  resumeConnector(name: string): Promise<void>;
  stopConnector(name: string): Promise<void>;
  /** Returns null when only the connector itself was restarted (Kafka Connect answers 204 then). */
  restartConnector(name: string, request: RestartRequest): Promise<ConnectorStateInfo | null>;
  restartTask(name: string, task: number): Promise<void>;
  validateConnectorConfig(config: Record<string, string>): Promise<ConfigInfos>;
  connectorPlugins(connectorsOnly: boolean): Promise<PluginInfo[]>;

  /** Merge `patch` into the config (a null value removes the key), validate, apply. */
  patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo>;

  /** Sinks: the consumer group's committed offsets; sources: the offset store's. */
  connectorOffsets(name: string): Promise<ConnectorOffsets>;
  /** Only for a STOPPED connector (BadRequestError otherwise). */
  alterConnectorOffsets(name: string, offsets: ConnectorOffset[]): Promise<Message>;
  /** Only for a STOPPED connector (BadRequestError otherwise). */
  resetConnectorOffsets(name: string): Promise<Message>;

  /** Topics the connector's tasks used since it was created or last reset (KIP-558). */
  connectorActiveTopics(name: string): Promise<ActiveTopicsInfo>;
  resetConnectorActiveTopics(name: string): Promise<void>;

  /** The ConfigKeyInfo list of any plugin (NotFoundError for an unknown one). */
  connectorPluginConfig(pluginName: string): Promise<ConfigKeyInfo[]>;

  /** Loggers with a level set, by name; the root logger is "root". */
  allLoggerLevels(): Promise<Record<string, LoggerLevel>>;
  /** null for a logger that does not exist. */
  loggerLevel(name: string): Promise<LoggerLevel | null>;
  /** Set the level of `namespace` and every logger below it; answers the loggers changed, sorted. */
  setWorkerLoggerLevel(namespace: string, level: string): Promise<string[]>;
  /** The same on every worker of the cluster (standalone: this one). */
  setClusterLoggerLevel(namespace: string, level: string): Promise<void>;

  /** True once startup is complete (the connectors of the command line are created). */
  isReady(): boolean;
  /** Resolves once the herder has served every request queued before it (its liveness). */
  healthCheck(): Promise<void>;
}

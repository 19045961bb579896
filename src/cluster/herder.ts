/**
 * The control plane as the REST API sees it (Kafka Connect's Herder). Standalone and distributed
 * herders implement it; rest/ imports nothing else from the runtime.
 *
 * Errors: NotFoundError (404), AlreadyExistsError (409), ConfigError / BadRequestError (400),
 * RestError (its own status); anything else is a 500.
 */
import type { ConfigInfos } from '../api/config-def.js';

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
}

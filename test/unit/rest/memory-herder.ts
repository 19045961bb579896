/**
 * An in-memory Herder for the REST tests: enough behaviour to exercise every route and error
 * path, with Kafka Connect's messages where the REST layer passes them through. The real
 * herders are tested elsewhere.
 */
import type { ConfigInfo, ConfigInfos, ConfigKeyInfo } from '../../../src/api/config-def.js';
import { AlreadyExistsError, BadRequestError, NotFoundError } from '../../../src/api/errors.js';
import type {
  ActiveTopicsInfo,
  ConnectorOffset,
  ConnectorOffsets,
  LoggerLevel,
  Message,
  ConnectorInfo,
  ConnectorStateInfo,
  ConnectorType,
  Herder,
  InitialState,
  PluginInfo,
  PutConfigResult,
  RestartRequest,
  TargetState,
  TaskInfo,
  TaskStatus,
  WorkerInfo,
} from '../../../src/cluster/herder.js';

export const WORKER_ID = '127.0.0.1:8083';

export const PLUGINS: readonly PluginInfo[] = [
  { class: 'org.apache.kafka.connect.file.FileStreamSinkConnector', type: 'sink', version: '3.9.0' },
  { class: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source', version: '3.9.0' },
  { class: 'org.apache.kafka.connect.json.JsonConverter', type: 'converter', version: '3.9.0' },
  { class: 'org.apache.kafka.connect.transforms.InsertField$Value', type: 'transformation', version: '3.9.0' },
];

interface Entry {
  config: Record<string, string>;
  target: TargetState;
  tasks: number;
  failedTasks: Set<number>;
  offsets: ConnectorOffset[];
  topics: string[];
}

type Method = keyof Herder;

export class MemoryHerder implements Herder {
  readonly entries = new Map<string, Entry>();
  /** Every call, in order: `[method, ...args]`. */
  readonly calls: unknown[][] = [];
  /** A connector removed between listing and lookup (the expand race). */
  readonly vanishing = new Set<string>();
  private readonly failures = new Map<Method, unknown>();

  /** The next call of `method` throws `error`. */
  failNext(method: Method, error: unknown): void {
    this.failures.set(method, error);
  }

  private enter(method: Method, ...args: unknown[]): void {
    this.calls.push([method, ...args]);
    if (this.failures.has(method)) {
      const error = this.failures.get(method);
      this.failures.delete(method);
      throw error;
    }
  }

  private entry(name: string): Entry {
    const entry = this.vanishing.has(name) ? undefined : this.entries.get(name);
    if (entry === undefined) throw new NotFoundError(`Connector ${name} not found`);
    return entry;
  }

  private type(entry: Entry): ConnectorType {
    const cls = entry.config['connector.class'] ?? '';
    if (/Sink(Connector)?$/.test(cls)) return 'sink';
    if (/Source(Connector)?$/.test(cls)) return 'source';
    return 'unknown';
  }

  private info(name: string, entry: Entry): ConnectorInfo {
    const tasks = entry.target === 'STOPPED' ? 0 : entry.tasks;
    return {
      name,
      config: { ...entry.config },
      tasks: Array.from({ length: tasks }, (_, task) => ({ connector: name, task })),
      type: this.type(entry),
    };
  }

  private taskState(entry: Entry, task: number): TaskStatus {
    if (entry.failedTasks.has(task)) {
      return { id: task, state: 'FAILED', worker_id: WORKER_ID, trace: 'org.apache.kafka.connect.errors.ConnectException: boom' };
    }
    return { id: task, state: entry.target === 'PAUSED' ? 'PAUSED' : 'RUNNING', worker_id: WORKER_ID };
  }

  /** Seeds a connector without validation. */
  add(name: string, config: Record<string, string>, options: { tasks?: number; failedTasks?: number[] } = {}): void {
    this.entries.set(name, {
      config: { name, ...config },
      target: 'STARTED',
      tasks: options.tasks ?? 1,
      failedTasks: new Set(options.failedTasks ?? []),
      offsets: [],
      topics: [],
    });
  }

  /** Startup state for /health; `stalled` makes the health check hang. */
  ready = true;
  stalled = false;
  readonly loggerLevels = new Map<string, LoggerLevel>([['root', { level: 'INFO', last_modified: null }]]);

  async workerInfo(): Promise<WorkerInfo> {
    this.enter('workerInfo');
    return { version: '0.1.0', commit: 'abcdef0123456789', kafka_cluster_id: 'test-cluster-id' };
  }

  async connectors(): Promise<string[]> {
    this.enter('connectors');
    return [...this.entries.keys()].sort();
  }

  async connectorInfo(name: string): Promise<ConnectorInfo> {
    this.enter('connectorInfo', name);
    return this.info(name, this.entry(name));
  }

  async connectorConfig(name: string): Promise<Record<string, string>> {
    this.enter('connectorConfig', name);
    return { ...this.entry(name).config };
  }

  async putConnectorConfig(
    name: string,
    config: Record<string, string>,
    allowReplace: boolean,
    initialState?: InitialState,
  ): Promise<PutConfigResult> {
    this.enter('putConnectorConfig', name, { ...config }, allowReplace, initialState);
    const existing = this.entries.get(name);
    if (existing !== undefined && !allowReplace) throw new AlreadyExistsError(`Connector ${name} already exists`);
    const errors = validate(config);
    if (errors.length > 0) {
      throw new BadRequestError(
        `Connector configuration is invalid and contains the following ${errors.length} error(s):\n` +
          `${errors.join('\n')}\n` +
          'You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`',
      );
    }
    const target: TargetState =
      initialState === 'PAUSED' ? 'PAUSED' : initialState === 'STOPPED' ? 'STOPPED' : 'STARTED';
    const entry: Entry = {
      config: { ...config },
      target: existing?.target ?? target,
      tasks: Number(config['tasks.max'] ?? '1'),
      failedTasks: new Set(),
      offsets: existing?.offsets ?? [],
      topics: existing?.topics ?? [],
    };
    this.entries.set(name, entry);
    return { created: existing === undefined, info: this.info(name, entry) };
  }

  async deleteConnector(name: string): Promise<void> {
    this.enter('deleteConnector', name);
    this.entry(name);
    this.entries.delete(name);
  }

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    this.enter('connectorStatus', name);
    return this.status(name, this.entry(name));
  }

  private status(name: string, entry: Entry): ConnectorStateInfo {
    const state = entry.target === 'STARTED' ? 'RUNNING' : entry.target;
    const tasks = entry.target === 'STOPPED' ? 0 : entry.tasks;
    return {
      name,
      connector: { state, worker_id: WORKER_ID },
      tasks: Array.from({ length: tasks }, (_, task) => this.taskState(entry, task)),
      type: this.type(entry),
    };
  }

  async taskConfigs(name: string): Promise<TaskInfo[]> {
    this.enter('taskConfigs', name);
    const entry = this.entry(name);
    return this.info(name, entry).tasks.map((id) => ({ id, config: { 'task.class': 'Task', 'task.id': String(id.task) } }));
  }

  async taskStatus(name: string, task: number): Promise<TaskStatus> {
    this.enter('taskStatus', name, task);
    const entry = this.entry(name);
    if (task < 0 || task >= entry.tasks) throw new NotFoundError(`No status found for task ${name}-${task}`);
    return this.taskState(entry, task);
  }

  async pauseConnector(name: string): Promise<void> {
    this.enter('pauseConnector', name);
    this.entry(name).target = 'PAUSED';
  }

  async resumeConnector(name: string): Promise<void> {
    this.enter('resumeConnector', name);
    this.entry(name).target = 'STARTED';
  }

  async stopConnector(name: string): Promise<void> {
    this.enter('stopConnector', name);
    this.entry(name).target = 'STOPPED';
  }

  async restartConnector(name: string, request: RestartRequest): Promise<ConnectorStateInfo | null> {
    this.enter('restartConnector', name, request);
    const entry = this.entry(name);
    if (!request.includeTasks && !request.onlyFailed) return null;
    const status = this.status(name, entry);
    status.connector.state = 'RESTARTING';
    for (const task of status.tasks) {
      if (request.includeTasks && (!request.onlyFailed || entry.failedTasks.has(task.id))) {
        task.state = 'RESTARTING';
        delete task.trace;
      }
    }
    return status;
  }

  async restartTask(name: string, task: number): Promise<void> {
    this.enter('restartTask', name, task);
    const entry = this.entry(name);
    if (task < 0 || task >= entry.tasks) throw new NotFoundError(`Task ${name}-${task} not found`);
    entry.failedTasks.delete(task);
  }

  async validateConnectorConfig(config: Record<string, string>): Promise<ConfigInfos> {
    this.enter('validateConnectorConfig', { ...config });
    const cls = config['connector.class'] ?? '';
    const configs: ConfigInfo[] = Object.entries(config).map(([name, value]) => ({
      definition: null,
      value: { name, value, recommended_values: [], errors: [], visible: true },
    }));
    const errors = validate(config);
    return { name: cls, error_count: errors.length, groups: ['Common'], configs };
  }

  async connectorPlugins(connectorsOnly: boolean): Promise<PluginInfo[]> {
    this.enter('connectorPlugins', connectorsOnly);
    return PLUGINS.filter((p) => !connectorsOnly || p.type === 'source' || p.type === 'sink').map((p) => ({ ...p }));
  }
  async patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    this.enter('patchConnectorConfig', name, { ...patch });
    const entry = this.entry(name);
    const config = { ...entry.config };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete config[k];
      else config[k] = v;
    }
    entry.config = config;
    return this.info(name, entry);
  }

  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    this.enter('connectorOffsets', name);
    return { offsets: this.entry(name).offsets.map((o) => ({ ...o })) };
  }

  private stopped(name: string): Entry {
    const entry = this.entry(name);
    if (entry.target !== 'STOPPED') {
      throw new BadRequestError(
        'Connectors must be in the STOPPED state before their offsets can be modified. This can be done ' +
          `for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`,
      );
    }
    return entry;
  }

  async alterConnectorOffsets(name: string, offsets: ConnectorOffset[]): Promise<Message> {
    this.enter('alterConnectorOffsets', name, offsets);
    const entry = this.stopped(name);
    const key = (p: unknown): string => JSON.stringify(p);
    for (const o of offsets) {
      entry.offsets = entry.offsets.filter((e) => key(e.partition) !== key(o.partition));
      if (o.offset !== null) entry.offsets.push(o);
    }
    return { message: 'The offsets for this connector have been altered successfully' };
  }

  async resetConnectorOffsets(name: string): Promise<Message> {
    this.enter('resetConnectorOffsets', name);
    this.stopped(name).offsets = [];
    return { message: 'The offsets for this connector have been reset successfully' };
  }

  async connectorActiveTopics(name: string): Promise<ActiveTopicsInfo> {
    this.enter('connectorActiveTopics', name);
    return { connector: name, topics: [...(this.entries.get(name)?.topics ?? [])] };
  }

  async resetConnectorActiveTopics(name: string): Promise<void> {
    this.enter('resetConnectorActiveTopics', name);
    const entry = this.entries.get(name);
    if (entry) entry.topics = [];
  }

  async connectorPluginConfig(pluginName: string): Promise<ConfigKeyInfo[]> {
    this.enter('connectorPluginConfig', pluginName);
    if (!PLUGINS.some((p) => p.class === pluginName || p.class.endsWith(`.${pluginName}`))) {
      throw new NotFoundError(`Unknown plugin ${pluginName}.`);
    }
    return [
      {
        name: 'file', type: 'STRING', required: false, default_value: null, importance: 'HIGH',
        documentation: 'Destination filename.', group: null, width: 'NONE', display_name: 'file', dependents: [], order_in_group: -1,
      },
    ];
  }

  async allLoggerLevels(): Promise<Record<string, LoggerLevel>> {
    this.enter('allLoggerLevels');
    return Object.fromEntries([...this.loggerLevels].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  async loggerLevel(name: string): Promise<LoggerLevel | null> {
    this.enter('loggerLevel', name);
    return this.loggerLevels.get(name) ?? null;
  }

  async setWorkerLoggerLevel(namespace: string, level: string): Promise<string[]> {
    this.enter('setWorkerLoggerLevel', namespace, level);
    const changed: string[] = [];
    const names = new Set([...this.loggerLevels.keys()].filter((n) => n.startsWith(namespace)).concat(namespace));
    for (const name of names) {
      if (this.loggerLevels.get(name)?.level !== level.toUpperCase()) changed.push(name);
      this.loggerLevels.set(name, { level: level.toUpperCase(), last_modified: 1700000000000 });
    }
    return changed.sort();
  }

  async setClusterLoggerLevel(namespace: string, level: string): Promise<void> {
    this.enter('setClusterLoggerLevel', namespace, level);
  }

  isReady(): boolean {
    return this.ready;
  }

  async healthCheck(): Promise<void> {
    this.enter('healthCheck');
    if (this.stalled) await new Promise(() => {});
  }

}

/** The checks ConnectorConfig's ConfigDef makes on `name` and `connector.class`, with its messages. */
function validate(config: Record<string, string>): string[] {
  const errors: string[] = [];
  const name = config.name;
  if (name === '') {
    errors.push('Invalid value  for configuration name: String may not be empty');
  } else if (name !== undefined) {
    const controls = [...name].map((c) => c.codePointAt(0)!).filter((cp) => cp < 0x20 || (cp >= 0x7f && cp <= 0x9f));
    if (controls.length > 0) {
      errors.push(
        `Invalid value ${name} for configuration name: String may not contain control sequences but had the following ASCII chars: ${controls.join(', ')}`,
      );
    }
  }
  if (config['connector.class'] === undefined) {
    errors.push('Missing required configuration "connector.class" which has no default value.');
  }
  return errors;
}

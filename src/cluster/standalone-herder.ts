/**
 * Standalone mode's herder (Kafka Connect's StandaloneHerder): connector configs live in memory
 * for the life of the process, offsets in a file, and every change is applied at once on this
 * worker. Operations run one at a time, in order, so REST calls never race each other.
 */
import { AlreadyExistsError, BadRequestError, ConnectError, NotFoundError } from '../api/errors.js';
import type { ConfigInfos, ConfigKeyInfo } from '../api/config-def.js';
import type { Worker } from '../engine/worker.js';
import type { PluginRegistry } from '../plugins/registry.js';
import type { OffsetStore } from '../storage/offset-store.js';
import { LoggerRegistry, type Logger } from '../util/logger.js';
import { allLoggerLevels, loggerLevel, setWorkerLoggerLevel } from './logger-levels.js';
import type {
  ActiveTopicsInfo, ConnectorInfo, ConnectorOffset, ConnectorOffsets, ConnectorStateInfo, ConnectorType, Herder,
  InitialState, InstanceStatus, LoggerLevel, Message, PluginInfo, PutConfigResult, RestartRequest, TargetState,
  TaskInfo, TaskStatus, WorkerInfo,
} from './herder.js';
import { ConnectorOffsetsManager, type GroupAdminFactory } from './connector-offsets.js';
import { connectorPluginConfig } from './plugin-config.js';
import type { StatusBoard } from './status-board.js';

export interface StandaloneHerderOptions {
  worker: Worker;
  statuses: StatusBoard;
  log: Logger;
  workerInfo: () => Promise<WorkerInfo>;
  validate: (config: Record<string, string>) => Promise<ConfigInfos>;
  plugins: (connectorsOnly: boolean) => PluginInfo[];
  /** Resolves connector classes (type, version, offsets hooks) and plugin configs. */
  registry: PluginRegistry;
  /** Source offsets (offset.storage.file.filename). */
  offsetStore: OffsetStore;
  /** Sink offsets: an admin for a consumer group (`connect-<connector>`). */
  groupAdmin: GroupAdminFactory;
  /** The process's named loggers, for /admin/loggers. */
  loggers: LoggerRegistry;
}

interface ConnectorEntry {
  config: Record<string, string>;
  target: TargetState;
  taskConfigs: Record<string, string>[];
}

export class StandaloneHerder implements Herder {
  private readonly connectorsByName = new Map<string, ConnectorEntry>();
  private queue: Promise<unknown> = Promise.resolve();
  private ready = false;
  private readonly offsets: ConnectorOffsetsManager;

  constructor(private readonly opts: StandaloneHerderOptions) {
    this.offsets = new ConnectorOffsetsManager({
      registry: opts.registry,
      offsetStore: opts.offsetStore,
      groupAdmin: opts.groupAdmin,
      log: opts.log,
    });
  }

  /** Run an operation after every earlier one has finished. */
  private serial<T>(op: () => Promise<T>): Promise<T> {
    const result = this.queue.then(op, op);
    this.queue = result.catch(() => {});
    return result;
  }

  private entry(name: string): ConnectorEntry {
    const e = this.connectorsByName.get(name);
    if (!e) throw new NotFoundError(`Connector ${name} not found`);
    return e;
  }

  workerInfo(): Promise<WorkerInfo> {
    return this.opts.workerInfo();
  }

  async connectors(): Promise<string[]> {
    return [...this.connectorsByName.keys()].sort();
  }

  async connectorInfo(name: string): Promise<ConnectorInfo> {
    const e = this.entry(name);
    return {
      name,
      config: { ...e.config },
      tasks: e.taskConfigs.map((_, task) => ({ connector: name, task })),
      type: this.connectorType(e.config),
    };
  }

  /** source or sink by the connector class; unknown when it does not resolve (AbstractHerder.connectorType). */
  private connectorType(config: Record<string, string>): ConnectorType {
    try {
      return this.opts.registry.connector(config['connector.class'] ?? '').kind;
    } catch {
      return 'unknown';
    }
  }

  async connectorConfig(name: string): Promise<Record<string, string>> {
    return { ...this.entry(name).config };
  }

  putConnectorConfig(name: string, config: Record<string, string>, allowReplace: boolean, initialState?: InitialState): Promise<PutConfigResult> {
    return this.serial(async () => {
      const existing = this.connectorsByName.get(name);
      if (existing && !allowReplace) throw new AlreadyExistsError(`Connector ${name} already exists`);
      await this.validateOrThrow({ ...config, name });
      const full = { ...config, name };
      if (existing) {
        await this.stopConnectorAndTasks(name);
        existing.config = full;
        await this.startConnectorAndTasks(name, existing);
      } else {
        const target: TargetState = initialState === 'PAUSED' ? 'PAUSED' : initialState === 'STOPPED' ? 'STOPPED' : 'STARTED';
        const entry: ConnectorEntry = { config: full, target, taskConfigs: [] };
        this.connectorsByName.set(name, entry);
        await this.startConnectorAndTasks(name, entry);
      }
      return { created: !existing, info: await this.connectorInfo(name) };
    });
  }

  private async validateOrThrow(config: Record<string, string>): Promise<void> {
    const infos = await this.opts.validate(config);
    if (infos.error_count === 0) return;
    const messages: string[] = [];
    for (const c of infos.configs) for (const m of c.value?.errors ?? []) messages.push(m);
    throw new BadRequestError(
      `Connector configuration is invalid and contains the following ${infos.error_count} error(s):\n` +
        `${messages.join('\n')}\n` +
        'You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`',
    );
  }

  private async startConnectorAndTasks(name: string, entry: ConnectorEntry): Promise<void> {
    const { worker } = this.opts;
    const started = await worker.startConnector(name, entry.config, entry.target);
    if (!started || entry.target === 'STOPPED') {
      entry.taskConfigs = [];
      this.opts.statuses.removeTasks(name);
      return;
    }
    // Kafka Connect makes task configs only for a running connector: one created paused (or
    // paused from STOPPED) has no tasks until it is resumed.
    if (entry.target === 'PAUSED' && entry.taskConfigs.length === 0) {
      this.opts.statuses.removeTasks(name);
      return;
    }
    await this.startTasks(name, entry);
  }

  /** Ask the running connector for task configs and start them. */
  private async startTasks(name: string, entry: ConnectorEntry): Promise<void> {
    const { worker } = this.opts;
    const maxTasks = Number(entry.config['tasks.max'] ?? '1');
    try {
      entry.taskConfigs = worker.connectorTaskConfigs(name, maxTasks);
    } catch (err) {
      this.opts.statuses.onConnectorState(name, 'FAILED', err as Error);
      entry.taskConfigs = [];
      return;
    }
    this.opts.statuses.removeTasks(name, entry.taskConfigs.length);
    await Promise.all(
      entry.taskConfigs.map((taskConfig, task) => worker.startTask({ connector: name, task }, entry.config, taskConfig, entry.target)),
    );
  }

  private async stopConnectorAndTasks(name: string): Promise<void> {
    const { worker } = this.opts;
    await worker.stopTasks(worker.taskIds(name));
    await worker.stopConnector(name);
  }

  deleteConnector(name: string): Promise<void> {
    return this.serial(async () => {
      this.entry(name);
      await this.stopConnectorAndTasks(name);
      this.connectorsByName.delete(name);
      this.opts.statuses.remove(name);
    });
  }

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    const e = this.connectorsByName.get(name);
    if (!e) throw new NotFoundError(`No status found for connector ${name}`);
    const { statuses } = this.opts;
    const version = this.pluginVersion(e.config);
    return {
      name,
      connector: withVersion(statuses.connector(name), version),
      tasks: e.taskConfigs.map((_, task) => withVersion(statuses.task(name, task), version) as TaskStatus),
      type: this.connectorType(e.config),
    };
  }

  private pluginVersion(config: Record<string, string>): string | undefined {
    try {
      return this.opts.registry.connector(config['connector.class'] ?? '').version;
    } catch {
      return undefined;
    }
  }

  async taskConfigs(name: string): Promise<TaskInfo[]> {
    return this.entry(name).taskConfigs.map((config, task) => ({ id: { connector: name, task }, config: { ...config } }));
  }

  async taskStatus(name: string, task: number): Promise<TaskStatus> {
    const e = this.connectorsByName.get(name);
    if (!e || task < 0 || task >= e.taskConfigs.length) throw new NotFoundError(`No status found for task ${name}-${task}`);
    return withVersion(this.opts.statuses.task(name, task), this.pluginVersion(e.config)) as TaskStatus;
  }

  /** The entry, or AbstractHerder's "Unknown connector" 404 (pause, resume). */
  private knownEntry(name: string): ConnectorEntry {
    const e = this.connectorsByName.get(name);
    if (!e) throw new NotFoundError(`Unknown connector ${name}`);
    return e;
  }

  pauseConnector(name: string): Promise<void> {
    return this.serial(async () => {
      const e = this.knownEntry(name);
      if (e.target === 'STOPPED') {
        // Kafka Connect starts a stopped connector in the paused state.
        e.target = 'PAUSED';
        await this.startConnectorAndTasks(name, e);
        return;
      }
      e.target = 'PAUSED';
      this.opts.worker.setTargetState(name, 'PAUSED');
    });
  }

  resumeConnector(name: string): Promise<void> {
    return this.serial(async () => {
      const e = this.knownEntry(name);
      const wasStopped = e.target === 'STOPPED';
      e.target = 'STARTED';
      if (wasStopped) {
        await this.startConnectorAndTasks(name, e);
        return;
      }
      this.opts.worker.setTargetState(name, 'STARTED');
      // Created paused: its tasks start now.
      if (e.taskConfigs.length === 0 && this.opts.worker.connectorType(name) !== 'unknown') await this.startTasks(name, e);
    });
  }

  stopConnector(name: string): Promise<void> {
    return this.serial(async () => {
      const e = this.entry(name);
      e.target = 'STOPPED';
      await this.stopConnectorAndTasks(name);
      e.taskConfigs = [];
      this.opts.statuses.removeTasks(name);
      this.opts.statuses.onConnectorState(name, 'STOPPED');
    });
  }

  restartConnector(name: string, request: RestartRequest): Promise<ConnectorStateInfo | null> {
    return this.serial(async () => {
      const e = this.connectorsByName.get(name);
      if (!e) {
        // StandaloneHerder's two restart paths word their 404 differently.
        throw new NotFoundError(request.includeTasks || request.onlyFailed ? `Unknown connector: ${name}` : `Connector ${name} not found`);
      }
      const { worker, statuses } = this.opts;
      const connectorFailed = statuses.connector(name).state === 'FAILED';
      const restartConnector = !request.onlyFailed || connectorFailed;
      const tasks = request.includeTasks
        ? e.taskConfigs.map((_, task) => task).filter((t) => !request.onlyFailed || statuses.task(name, t).state === 'FAILED')
        : [];
      if (!request.includeTasks && !request.onlyFailed) {
        await worker.stopConnector(name);
        await worker.startConnector(name, e.config, e.target);
        return null;
      }
      if (restartConnector) statuses.onConnectorState(name, 'RESTARTING');
      for (const t of tasks) statuses.onTaskState({ connector: name, task: t }, 'RESTARTING');
      const result = await this.connectorStatus(name);
      if (restartConnector && tasks.length === e.taskConfigs.length && e.taskConfigs.length > 0) {
        await this.stopConnectorAndTasks(name);
        await this.startConnectorAndTasks(name, e);
      } else {
        if (restartConnector) {
          await worker.stopConnector(name);
          await worker.startConnector(name, e.config, e.target);
        }
        await this.restartTasks(name, e, tasks);
      }
      return result;
    });
  }

  private async restartTasks(name: string, e: ConnectorEntry, tasks: number[]): Promise<void> {
    const { worker } = this.opts;
    const ids = tasks.map((task) => ({ connector: name, task }));
    await worker.stopTasks(ids);
    await Promise.all(ids.map((id) => worker.startTask(id, e.config, e.taskConfigs[id.task]!, e.target)));
  }

  restartTask(name: string, task: number): Promise<void> {
    return this.serial(async () => {
      const e = this.entry(name);
      if (task < 0 || task >= e.taskConfigs.length) throw new NotFoundError(`Task ${name}-${task} not found`);
      await this.restartTasks(name, e, [task]);
    });
  }

  /** A connector asked for new task configs (ConnectorContext.requestTaskReconfiguration). */
  reconfigureTasks(name: string): Promise<void> {
    return this.serial(async () => {
      const e = this.connectorsByName.get(name);
      if (!e || e.target === 'STOPPED') return;
      const maxTasks = Number(e.config['tasks.max'] ?? '1');
      let next: Record<string, string>[];
      try {
        next = this.opts.worker.connectorTaskConfigs(name, maxTasks);
      } catch (err) {
        // As at start: the connector is FAILED with the error as its trace; its tasks keep running.
        this.opts.statuses.onConnectorState(name, 'FAILED', err instanceof Error ? err : new Error(String(err)));
        return;
      }
      if (JSON.stringify(next) === JSON.stringify(e.taskConfigs)) return; // republish only changes
      const { worker } = this.opts;
      await worker.stopTasks(worker.taskIds(name));
      e.taskConfigs = next;
      this.opts.statuses.removeTasks(name, next.length);
      await Promise.all(next.map((c, task) => worker.startTask({ connector: name, task }, e.config, c, e.target)));
    });
  }

  validateConnectorConfig(config: Record<string, string>): Promise<ConfigInfos> {
    return this.opts.validate(config);
  }

  /** Kafka Connect's order: sinks, sources, transformations, predicates, converters, header converters; by class within each. */
  async connectorPlugins(connectorsOnly: boolean): Promise<PluginInfo[]> {
    const rank = (p: PluginInfo): number => PLUGIN_TYPE_ORDER.indexOf(p.type);
    return [...this.opts.plugins(connectorsOnly)].sort(
      (a, b) => rank(a) - rank(b) || (a.class < b.class ? -1 : a.class > b.class ? 1 : 0),
    );
  }

  patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    return this.serial(async () => {
      const existing = this.entry(name);
      // ConnectUtils.patchConfig: set non-null values, remove keys patched to null.
      const patched: Record<string, string> = { ...existing.config };
      for (const [key, value] of Object.entries(patch)) {
        if (value === null) delete patched[key];
        else patched[key] = value;
      }
      await this.validateOrThrow(patched);
      await this.stopConnectorAndTasks(name);
      existing.config = patched;
      await this.startConnectorAndTasks(name, existing);
      return this.connectorInfo(name);
    });
  }

  connectorOffsets(name: string): Promise<ConnectorOffsets> {
    const e = this.entry(name);
    return this.offsets.list(name, e.config);
  }

  alterConnectorOffsets(name: string, offsets: ConnectorOffset[]): Promise<Message> {
    return this.serial(async () => {
      const e = this.stoppedEntry(name);
      if (offsets.length === 0) throw new ConnectError('The offsets to be altered may not be null or empty');
      return this.offsets.alter(name, e.config, offsets);
    });
  }

  resetConnectorOffsets(name: string): Promise<Message> {
    return this.serial(async () => {
      const e = this.stoppedEntry(name);
      return this.offsets.reset(name, e.config);
    });
  }

  /** Offsets change only while the connector is STOPPED and has no tasks (StandaloneHerder.modifyConnectorOffsetsChecks). */
  private stoppedEntry(name: string): ConnectorEntry {
    const e = this.entry(name);
    if (e.target !== 'STOPPED' || e.taskConfigs.length !== 0) {
      throw new BadRequestError(
        'Connectors must be in the STOPPED state before their offsets can be modified. This can be done ' +
          `for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`,
      );
    }
    return e;
  }

  /** Like Kafka Connect, any name is answered: an unknown connector has no active topics. */
  async connectorActiveTopics(name: string): Promise<ActiveTopicsInfo> {
    return { connector: name, topics: this.opts.statuses.activeTopics(name) };
  }

  async resetConnectorActiveTopics(name: string): Promise<void> {
    this.opts.statuses.resetActiveTopics(name);
  }

  async connectorPluginConfig(pluginName: string): Promise<ConfigKeyInfo[]> {
    return connectorPluginConfig(this.opts.registry, pluginName);
  }

  async allLoggerLevels(): Promise<Record<string, LoggerLevel>> {
    return allLoggerLevels(this.opts.loggers);
  }

  async loggerLevel(name: string): Promise<LoggerLevel | null> {
    return loggerLevel(this.opts.loggers, name);
  }

  async setWorkerLoggerLevel(namespace: string, level: string): Promise<string[]> {
    return setWorkerLoggerLevel(this.opts.loggers, this.opts.log, namespace, level);
  }

  async setClusterLoggerLevel(namespace: string, level: string): Promise<void> {
    // In standalone mode, this single worker is the entire cluster.
    await this.setWorkerLoggerLevel(namespace, level);
  }

  isReady(): boolean {
    return this.ready;
  }

  /** Startup is complete: the connectors named on the command line exist. */
  markReady(): void {
    this.ready = true;
  }

  healthCheck(): Promise<void> {
    return this.serial(async () => {});
  }

  /** Stop every connector and task, committing what is safe. */
  stop(): Promise<void> {
    return this.serial(() => this.opts.worker.stop());
  }
}

const PLUGIN_TYPE_ORDER: readonly PluginInfo['type'][] = ['sink', 'source', 'transformation', 'predicate', 'converter', 'header_converter'];

function withVersion(status: InstanceStatus, version: string | undefined): InstanceStatus {
  // A state reported by a running instance carries its plugin's version; UNASSIGNED has none.
  return version === undefined || status.state === 'UNASSIGNED' ? status : { ...status, version };
}

/**
 * Standalone mode's herder (Kafka Connect's StandaloneHerder): connector configs live in memory
 * for the life of the process, offsets in a file, and every change is applied at once on this
 * worker. Operations run one at a time, in order, so REST calls never race each other.
 */
import { AlreadyExistsError, BadRequestError, NotFoundError } from '../api/errors.js';
import type { ConfigInfos } from '../api/config-def.js';
import type { Worker } from '../engine/worker.js';
import type { Logger } from '../util/logger.js';
import type {
  ConnectorInfo, ConnectorStateInfo, Herder, InitialState, PluginInfo, PutConfigResult,
  RestartRequest, TargetState, TaskInfo, TaskStatus, WorkerInfo,
} from './herder.js';
import type { StatusBoard } from './status-board.js';

export interface StandaloneHerderOptions {
  worker: Worker;
  statuses: StatusBoard;
  log: Logger;
  workerInfo: () => Promise<WorkerInfo>;
  validate: (config: Record<string, string>) => Promise<ConfigInfos>;
  plugins: (connectorsOnly: boolean) => PluginInfo[];
}

interface ConnectorEntry {
  config: Record<string, string>;
  target: TargetState;
  taskConfigs: Record<string, string>[];
}

export class StandaloneHerder implements Herder {
  private readonly connectorsByName = new Map<string, ConnectorEntry>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly opts: StandaloneHerderOptions) {}

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
      type: this.opts.worker.connectorType(name) === 'unknown' ? this.typeFromConfig(e.config) : this.opts.worker.connectorType(name),
    };
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

  private typeFromConfig(config: Record<string, string>): 'source' | 'sink' | 'unknown' {
    return 'topics' in config || 'topics.regex' in config ? 'sink' : config['connector.class'] ? 'source' : 'unknown';
  }

  private async startConnectorAndTasks(name: string, entry: ConnectorEntry): Promise<void> {
    const { worker } = this.opts;
    const started = await worker.startConnector(name, entry.config, entry.target);
    if (!started || entry.target === 'STOPPED') {
      entry.taskConfigs = [];
      this.opts.statuses.removeTasks(name);
      return;
    }
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
    const e = this.entry(name);
    const { statuses } = this.opts;
    return {
      name,
      connector: statuses.connector(name),
      tasks: e.taskConfigs.map((_, task) => statuses.task(name, task)),
      type: (await this.connectorInfo(name)).type,
    };
  }

  async taskConfigs(name: string): Promise<TaskInfo[]> {
    return this.entry(name).taskConfigs.map((config, task) => ({ id: { connector: name, task }, config: { ...config } }));
  }

  async taskStatus(name: string, task: number): Promise<TaskStatus> {
    const e = this.entry(name);
    if (task < 0 || task >= e.taskConfigs.length) throw new NotFoundError(`Task ${name}-${task} not found`);
    return this.opts.statuses.task(name, task);
  }

  pauseConnector(name: string): Promise<void> {
    return this.serial(async () => {
      const e = this.entry(name);
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
      const e = this.entry(name);
      const wasStopped = e.target === 'STOPPED';
      e.target = 'STARTED';
      if (wasStopped) await this.startConnectorAndTasks(name, e);
      else this.opts.worker.setTargetState(name, 'STARTED');
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
      const e = this.entry(name);
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
      const next = this.opts.worker.connectorTaskConfigs(name, maxTasks);
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

  async connectorPlugins(connectorsOnly: boolean): Promise<PluginInfo[]> {
    return this.opts.plugins(connectorsOnly);
  }

  /** Stop every connector and task, committing what is safe. */
  stop(): Promise<void> {
    return this.serial(() => this.opts.worker.stop());
  }
}

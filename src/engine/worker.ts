/**
 * The worker runs connectors and tasks on this process (Kafka Connect's Worker). The herder
 * decides what runs; the worker makes it run: it instantiates plugins, wires converters and
 * Kafka clients, and reports state through the StatusListener.
 */
import type { Connector, ConnectorContext } from '../api/connector.js';
import type { Converter, HeaderConverter } from '../api/converter.js';
import { ConnectError } from '../api/errors.js';
import type { TargetState } from '../cluster/herder.js';
import type { SourceMap } from '../data/record.js';
import { toLibrdkafkaConfig, type ClientConfig } from '../kafka/client-config.js';
import type { OffsetStore } from '../storage/offset-store.js';
import type { Logger } from '../util/logger.js';
import type { StatusListener } from './status-listener.js';
import { taskIdString, type TaskId } from './task-id.js';
import type { RunningTask } from './worker-task.js';
import { ThreadedTask } from './threaded-task.js';
import { PRODUCER_DEFAULTS } from '../kafka/producer.js';
import { closeTaskPool } from './task-pool.js';
import { isNativeAvailable, nativeLoadError } from '../kafka/native.js';
import { CONSUMER_DEFAULTS } from '../kafka/consumer.js';

/** How the worker creates plugins; the CLI adapts the plugin registry to it. */
export interface PluginFactory {
  connector(className: string): Connector;
  /** The connector's Java-style class name, whatever alias `name` is. */
  connectorClassName(name: string): string;
  converter(className: string): Converter;
  headerConverter(className: string): HeaderConverter;
}

export interface ConverterSetting {
  className: string;
  configs: Record<string, string>;
}

export interface WorkerSettings {
  bootstrapServers: string;
  /** plugin.path: task threads load the same plugins as the main thread. */
  pluginPath: string[];
  /** Java client settings from the worker's producer.* / consumer.* prefixes. */
  producer: Record<string, string>;
  consumer: Record<string, string>;
  keyConverter: ConverterSetting;
  valueConverter: ConverterSetting;
  headerConverter: ConverterSetting;
  offsetFlushIntervalMs: number;
  offsetFlushTimeoutMs: number;
  taskShutdownGracefulTimeoutMs: number;
}

export interface WorkerOptions {
  workerId: string;
  settings: WorkerSettings;
  plugins: PluginFactory;
  offsetStore: OffsetStore;
  status: StatusListener;
  log: Logger;
  /** Called when a connector asks for its tasks to be reconfigured. */
  onTaskReconfiguration(connector: string): void;
}

interface RunningConnector {
  connector: Connector;
  props: Record<string, string>;
}

export class Worker {
  private readonly connectors = new Map<string, RunningConnector>();
  private readonly tasks = new Map<string, RunningTask>();
  constructor(private readonly opts: WorkerOptions) {}

  get workerId(): string {
    return this.opts.workerId;
  }

  /** Instantiate and start a connector. Failures are reported as FAILED, not thrown. */
  async startConnector(name: string, props: Record<string, string>, state: TargetState): Promise<boolean> {
    const { status, plugins, log } = this.opts;
    let connector: Connector;
    try {
      connector = plugins.connector(props['connector.class'] ?? '');
      const context: ConnectorContext = {
        requestTaskReconfiguration: () => this.opts.onTaskReconfiguration(name),
        raiseError: (err) => status.onConnectorState(name, 'FAILED', err),
      };
      connector.initialize(context);
      this.connectors.set(name, { connector, props });
      if (state !== 'STOPPED') await connector.start(props);
    } catch (err) {
      this.connectors.delete(name);
      const error = err instanceof Error ? err : new Error(String(err));
      log.error({ err: error }, `Connector ${name} failed to start: ${error.message}`);
      status.onConnectorState(name, 'FAILED', error);
      return false;
    }
    status.onConnectorState(name, state === 'PAUSED' ? 'PAUSED' : state === 'STOPPED' ? 'STOPPED' : 'RUNNING');
    return true;
  }

  isSinkConnector(name: string): boolean {
    return this.connectors.get(name)?.connector.type === 'sink';
  }

  connectorType(name: string): 'source' | 'sink' | 'unknown' {
    return this.connectors.get(name)?.connector.type ?? 'unknown';
  }

  /** Task configs from the connector, each carrying `task.class` as Kafka Connect adds it. */
  connectorTaskConfigs(name: string, maxTasks: number): Record<string, string>[] {
    const running = this.connectors.get(name);
    if (!running) throw new ConnectError(`Connector ${name} is not running on this worker`);
    const configs = running.connector.taskConfigs(maxTasks);
    if (configs.length > maxTasks) {
      throw new ConnectError(`Connector ${name} generated ${configs.length} task configs, more than tasks.max=${maxTasks}`);
    }
    // Kafka Connect names the task's class in full; the task lives in its connector's package.
    const connectorClass = this.opts.plugins.connectorClassName(running.props['connector.class'] ?? '');
    const pkg = connectorClass.includes('.') ? connectorClass.slice(0, connectorClass.lastIndexOf('.') + 1) : '';
    const taskClass = `${pkg}${running.connector.taskClass().name}`;
    return configs.map((c) => ({ ...c, 'task.class': taskClass }));
  }

  async stopConnector(name: string): Promise<void> {
    const running = this.connectors.get(name);
    if (!running) return;
    this.connectors.delete(name);
    try {
      await running.connector.stop();
    } catch (err) {
      this.opts.log.warn({ err }, `Connector ${name} did not stop cleanly`);
    }
  }

  /** Start one task of a running connector. Failures are reported as FAILED, not thrown. */
  async startTask(id: TaskId, connectorProps: Record<string, string>, taskProps: Record<string, string>, state: TargetState): Promise<void> {
    const { status, log } = this.opts;
    const name = taskIdString(id);
    const running = this.connectors.get(id.connector);
    try {
      // Distributed mode runs tasks on workers that do not run their connector: the class tells the kind.
      const connectorKind = running?.connector.type ?? this.opts.plugins.connector(connectorProps['connector.class'] ?? '').type;
      const taskLog = log.child({ task: name });
      // Every task runs on a task thread, with the native batch consumer or producer.
      if (!isNativeAvailable()) {
        throw new ConnectError(`sluice's native addon is not available (${nativeLoadError()?.message ?? 'unknown reason'}); rebuild it with \`npm rebuild\` or \`npm ci\``);
      }
      const base = {
        connector: id.connector,
        task: id.task,
        connectorClass: connectorProps['connector.class'] ?? '',
        connectorConfig: connectorProps,
        pluginPath: this.opts.settings.pluginPath,
        taskConfig: taskProps,
        converters: this.converterSettings(connectorProps),
        offsetFlushIntervalMs: this.opts.settings.offsetFlushIntervalMs,
        offsetFlushTimeoutMs: this.opts.settings.offsetFlushTimeoutMs,
        initialState: state,
        logLevel: log.level,
      };
      let task: RunningTask;
      if (connectorKind === 'source') {
        task = new ThreadedTask(id, {
          ...base,
          kind: 'source',
          producerConfig: {
            ...PRODUCER_DEFAULTS,
            ...this.clientConfig('producer', connectorProps, `connector-producer-${name}`),
          },
          storedOffsets: this.opts.offsetStore.list(id.connector),
        }, status, taskLog, this.opts.offsetStore);
      } else {
        const { ['auto.offset.reset']: reset, ...consumerDefaults } = CONSUMER_DEFAULTS;
        const topics = sinkTopics(connectorProps);
        task = new ThreadedTask(id, {
          ...base,
          kind: 'sink',
          consumerConfig: {
            ...consumerDefaults,
            'auto.offset.reset': reset ?? 'earliest',
            ...this.clientConfig('consumer', connectorProps, `connector-consumer-${name}`),
            'group.id': `connect-${id.connector}`,
            // Offsets are stored only after the task flushed them; librdkafka commits what is
            // stored on this interval, on revocation and on close.
            'enable.auto.commit': true,
            'auto.commit.interval.ms': this.opts.settings.offsetFlushIntervalMs,
          },
          topics: topics instanceof RegExp ? { regex: topics.source } : topics,
        }, status, taskLog);
      }
      this.tasks.set(name, task);
      task.start();
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      log.error({ err: error }, `Task ${name} failed to start: ${error.message}`);
      status.onTaskState(id, 'FAILED', error);
    }
  }

  /** Stop tasks together; they share task.shutdown.graceful.timeout.ms, as in Kafka Connect. */
  async stopTasks(ids: TaskId[]): Promise<void> {
    const deadline = Date.now() + this.opts.settings.taskShutdownGracefulTimeoutMs;
    await Promise.all(
      ids.map(async (id) => {
        const name = taskIdString(id);
        const task = this.tasks.get(name);
        if (!task) return;
        this.tasks.delete(name);
        const done = await task.stop(Math.max(0, deadline - Date.now()));
        if (!done) this.opts.log.error(`Graceful stop of task ${name} failed: it did not finish within task.shutdown.graceful.timeout.ms`);
      }),
    );
  }

  setTargetState(connector: string, state: TargetState): void {
    for (const task of this.tasks.values()) {
      if (task.id.connector === connector) task.setTargetState(state);
    }
    if (this.connectors.has(connector) && state !== 'STOPPED') {
      this.opts.status.onConnectorState(connector, state === 'PAUSED' ? 'PAUSED' : 'RUNNING');
    }
  }

  taskIds(connector: string): TaskId[] {
    return [...this.tasks.values()].filter((t) => t.id.connector === connector).map((t) => t.id);
  }

  async stop(): Promise<void> {
    await this.stopTasks([...this.tasks.values()].map((t) => t.id));
    await Promise.all([...this.connectors.keys()].map((name) => this.stopConnector(name)));
    await closeTaskPool();
  }

  /** The converters a task uses: the connector's overrides, else the worker's (plain data). */
  private converterSettings(connectorProps: Record<string, string>): { key: ConverterSetting; value: ConverterSetting; header: ConverterSetting } {
    const { settings } = this.opts;
    const pick = (prefix: 'key' | 'value' | 'header', fallback: ConverterSetting): ConverterSetting => {
      const className = connectorProps[`${prefix}.converter`];
      if (!className) return fallback;
      return { className, configs: stripPrefix(connectorProps, `${prefix}.converter.`) };
    };
    return {
      key: pick('key', settings.keyConverter),
      value: pick('value', settings.valueConverter),
      header: pick('header', settings.headerConverter),
    };
  }

  /**
   * Worker-level client settings, then the connector's `producer.override.` / `consumer.override.`
   * (Kafka Connect's default override policy, All, allows any).
   */
  private clientConfig(kind: 'producer' | 'consumer', connectorProps: Record<string, string>, clientId: string): ClientConfig {
    const worker = kind === 'producer' ? this.opts.settings.producer : this.opts.settings.consumer;
    const java = {
      'bootstrap.servers': this.opts.settings.bootstrapServers,
      'client.id': clientId,
      ...worker,
      ...stripPrefix(connectorProps, `${kind}.override.`),
    };
    return toLibrdkafkaConfig(java, `${kind}.`);
  }

}

function stripPrefix(props: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(props)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

function sinkTopics(props: Record<string, string>): string[] | RegExp {
  const regex = props['topics.regex']?.trim();
  if (regex) return new RegExp(regex);
  return (props['topics'] ?? '').split(',').map((t) => t.trim()).filter((t) => t.length > 0);
}

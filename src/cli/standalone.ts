/**
 * `sluice standalone worker.properties [connector.properties|connector.json ...]`: Kafka Connect's
 * connect-standalone. Every input is read and validated before anything starts, so a bad file
 * stops the command with a message naming the file, the line and the key.
 */
import { hostname } from 'node:os';
import { ConfigError } from '../api/errors.js';
import { sinkOffsetsAdminFactory, type GroupAdminFactory } from '../cluster/connector-offsets.js';
import type { InitialState, WorkerInfo } from '../cluster/herder.js';
import { StandaloneHerder } from '../cluster/standalone-herder.js';
import { StatusBoard } from '../cluster/status-board.js';
import { validateConnectorConfig } from '../config/connector-config.js';
import { loadConnectorFile, loadPropertiesFile, type ConnectorFile } from '../config/properties.js';
import { StandaloneConfig, type WorkerConfig } from '../config/worker-config.js';
import { Worker, type PluginFactory, type WorkerSettings } from '../engine/worker.js';
import { fetchClusterInfo } from '../kafka/protocol/metadata.js';
import { securityFromConfig } from '../kafka/protocol/security.js';
import { registerBuiltins } from '../plugins/builtins.js';
import { loadPluginPath } from '../plugins/plugin-path.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { createRestServer } from '../rest/server.js';
import { FileOffsetStore } from '../storage/file-offset-store.js';
import { createLogger, LoggerRegistry, type Logger } from '../util/logger.js';
import { SLUICE_COMMIT, SLUICE_VERSION } from './version.js';
import { stopOnSignals } from './shutdown.js';

interface ConnectorToStart {
  file: string;
  name: string;
  config: Record<string, string>;
  initialState?: InitialState;
}

/**
 * What both CLIs do first: a logger, the built-in plugins and those of plugin.path, then the
 * worker config (its warnings logged). plugin.path is loaded before the config is checked: it
 * may name the config's converters.
 */
export async function loadWorker<C extends WorkerConfig>(
  workerFile: string,
  fromFile: (file: string, options: { registry: PluginRegistry }) => Promise<C>,
): Promise<{ log: Logger; loggers: LoggerRegistry; registry: PluginRegistry; workerProps: Awaited<ReturnType<typeof loadPropertiesFile>>; config: C }> {
  const log = createLogger();
  const loggers = new LoggerRegistry(log);
  const registry = registerBuiltins();
  const workerProps = await loadPropertiesFile(workerFile);
  const pluginPath = splitList(workerProps.props['plugin.path']);
  for (const file of await loadPluginPath(registry, pluginPath)) log.info(`Loaded plugins from ${file}`);
  const config = await fromFile(workerFile, { registry });
  for (const warning of config.warnings) log.warn(`${workerFile}: ${warning}`);
  return { log, loggers, registry, workerProps, config };
}

export async function runStandalone(workerFile: string, connectorFiles: string[]): Promise<void> {
  const { log, loggers, registry, workerProps, config } = await loadWorker(workerFile, (f, o) => StandaloneConfig.fromFile(f, o));
  const connectors: ConnectorToStart[] = [];
  for (const file of connectorFiles) {
    const connector = checkConnectorFile(file, await loadConnectorFile(file), registry, config);
    // Caught here, before anything starts, rather than as "already exists" once the first one runs.
    const earlier = connectors.find((c) => c.name === connector.name);
    if (earlier) {
      throw new ConfigError(`${file}: connector ${connector.name} is already defined in ${earlier.file}`, 'name');
    }
    connectors.push(connector);
  }

  // Sink offsets (GET/PATCH/DELETE /connectors/{c}/offsets) go through the connector's consumer
  // group, and GET / looks the cluster id up: with the worker's TLS/SASL (admin.* first for the
  // former), over sluice's own protocol client. Security settings that client cannot use (GSSAPI,
  // say) need not stop a standalone worker, whose records go through librdkafka: they are a
  // warning, and only those two calls fail, naming the setting.
  const unusable = (err: unknown, what: string): void => {
    if (!(err instanceof ConfigError)) throw err;
    log.warn(`${err.message}: ${what} will not work; connectors and tasks are not affected`);
  };
  let groupAdmin: GroupAdminFactory;
  try {
    groupAdmin = inWorkerFile(workerFile, workerProps.lines, () => sinkOffsetsAdminFactory(config));
  } catch (err) {
    unusable(err, 'sink connector offsets (GET/PATCH/DELETE /connectors/{name}/offsets)');
    groupAdmin = () => {
      throw err;
    };
  }
  let workerInfo: () => Promise<WorkerInfo>;
  try {
    workerInfo = inWorkerFile(workerFile, workerProps.lines, () => memoizedWorkerInfo(config, log));
  } catch (err) {
    unusable(err, "the Kafka cluster id in GET /");
    workerInfo = async () => ({ version: SLUICE_VERSION, commit: SLUICE_COMMIT, kafka_cluster_id: '' });
  }

  const offsetStore = new FileOffsetStore(config.offsetStorageFileFilename());
  await offsetStore.start();

  let workerId = `${hostname()}:8083`;
  const statuses = new StatusBoard(() => workerId);
  // The worker calls back into the herder, which is created right after it.
  let reconfigure: (name: string) => void = () => {};
  const worker = new Worker({
    workerId,
    settings: workerSettings(config),
    plugins: pluginFactory(registry),
    offsetStore,
    status: statuses,
    log,
    onTaskReconfiguration: (name) => reconfigure(name),
  });
  const herder = new StandaloneHerder({
    worker,
    statuses,
    log,
    workerInfo,
    validate: async (props) => validateConnectorConfig(props, registry, { topicCreationEnabled: config.topicCreationEnable() }),
    plugins: (connectorsOnly) => registry.summaries(connectorsOnly).map((s) => ({ ...s, type: s.type })),
    registry,
    offsetStore,
    groupAdmin,
    loggers,
  });

  reconfigure = (name) => {
    void herder.reconfigureTasks(name).catch((err: unknown) => log.error({ err }, `Task reconfiguration of ${name} failed`));
  };

  // The server names its own component; a child here would log `component` twice.
  const rest = createRestServer({
    herder,
    listeners: config.listeners(),
    logger: log,
    topicTracking: { enabled: config.getBoolean('topic.tracking.enable'), allowReset: config.getBoolean('topic.tracking.allow.reset') },
    adminListeners: config.adminListeners(),
  });
  const urls = await rest.start();
  workerId = advertisedWorkerId(config, urls[0]);
  log.info(`sluice ${SLUICE_VERSION} standalone worker ${workerId} started; REST API on ${urls.join(', ')}`);

  stopOnSignals(log, 'stopping connectors and tasks gracefully', rest, async () => {
    await herder.stop();
    await offsetStore.stop();
  });

  for (const c of connectors) {
    try {
      await herder.putConnectorConfig(c.name, c.config, false, c.initialState);
      log.info(`Created connector ${c.name} from ${c.file}`);
    } catch (err) {
      throw new ConfigError(`${c.file}: failed to create connector ${c.name}: ${(err as Error).message}`, undefined, { cause: err });
    }
  }
  herder.markReady();
}

/** Validate one connector file as the REST API would, with errors placed at their file and line. */
function checkConnectorFile(file: string, parsed: ConnectorFile, registry: PluginRegistry, config: WorkerConfig): ConnectorToStart {
  const where = (key: string): string => {
    const line = parsed.lines?.[key];
    return line ? `${file}:${line}` : file;
  };
  if (!parsed.name) throw new ConfigError(`${file}: the connector has no name: set the "name" config`, 'name');
  const props: Record<string, string> = { ...parsed.config, name: parsed.name };
  let infos;
  try {
    infos = validateConnectorConfig(props, registry, { topicCreationEnabled: config.topicCreationEnable() });
  } catch (err) {
    // No connector class, or one that does not resolve: nothing else can be checked.
    throw new ConfigError(`${where('connector.class')}: ${(err as Error).message}`, 'connector.class', { cause: err });
  }
  if (infos.error_count > 0) {
    const problems: string[] = [];
    for (const c of infos.configs) {
      const key = c.value!.name;
      const messages = c.value?.errors ?? [];
      for (const message of messages) {
        // ConfigDef runs the validator on null after a value fails to parse, as Java's does:
        // "Invalid value null ...: Value must be non-null" for `tasks.max=abc` only misleads here.
        if (messages.length > 1 && props[key] !== undefined && message.startsWith(`Invalid value null for configuration ${key}:`)) continue;
        problems.push(`${where(key)}: ${message}`);
      }
    }
    const count = problems.length === 1 ? '1 invalid configuration value' : `${problems.length} invalid configuration values`;
    throw new ConfigError(`${file}: connector ${parsed.name} has ${count}:\n  ${problems.join('\n  ')}`);
  }
  const state = parsed.initialState?.toUpperCase();
  if (state !== undefined && state !== 'RUNNING' && state !== 'PAUSED' && state !== 'STOPPED') {
    throw new ConfigError(`${file}: initial_state must be RUNNING, PAUSED or STOPPED, not ${parsed.initialState}`);
  }
  return { file, name: parsed.name, config: props, initialState: state as InitialState | undefined };
}

/** Runs `make`; a ConfigError naming a worker setting gets the file and line of that setting in front. */
export function inWorkerFile<T>(workerFile: string, lines: Readonly<Record<string, number>> | undefined, make: () => T): T {
  try {
    return make();
  } catch (err) {
    if (!(err instanceof ConfigError) || err.key === undefined) throw err;
    const line = lines?.[err.key];
    throw new ConfigError(`${workerFile}${line ? `:${line}` : ''}: ${err.message}`, err.key, { cause: err });
  }
}

export function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

export function workerSettings(config: WorkerConfig): WorkerSettings {
  return {
    pluginPath: config.pluginPath(),
    bootstrapServers: config.bootstrapServers().join(','),
    producer: withoutBootstrap(config.clientConfig('producer')),
    consumer: withoutBootstrap(config.clientConfig('consumer')),
    keyConverter: config.converterConfig('key'),
    valueConverter: config.converterConfig('value'),
    headerConverter: config.converterConfig('header'),
    offsetFlushIntervalMs: config.offsetFlushIntervalMs(),
    offsetFlushTimeoutMs: config.offsetFlushTimeoutMs(),
    taskShutdownGracefulTimeoutMs: config.taskShutdownGracefulTimeoutMs(),
  };
}

function withoutBootstrap(props: Record<string, string>): Record<string, string> {
  const { ['bootstrap.servers']: _ignored, ...rest } = props;
  return rest;
}

export function pluginFactory(registry: PluginRegistry): PluginFactory {
  return {
    connector: (name) => registry.connector(name).create(),
    connectorClassName: (name) => registry.connector(name).className,
    converter: (name) => registry.converter(name).create(),
    headerConverter: (name) => registry.headerConverter(name).create(),
  };
}

/** Kafka Connect names a worker by its advertised host and port. */
export function advertisedWorkerId(config: WorkerConfig, boundUrl: string | undefined): string {
  const url = boundUrl ? new URL(boundUrl) : null;
  const host = config.restAdvertisedHostName() ?? (url && url.hostname !== 'localhost' ? url.hostname : hostname());
  const port = config.restAdvertisedPort() ?? (url ? Number(url.port) : 8083);
  return `${host}:${port}`;
}

/**
 * `GET /` reports the Kafka cluster id; it is fetched once, on first use, with the worker's
 * top-level client settings (TLS, SASL), as Kafka Connect looks it up.
 */
export function memoizedWorkerInfo(config: WorkerConfig, log: Logger): () => Promise<WorkerInfo> {
  const client = config.internalClientConfig();
  const bootstrap = client['bootstrap.servers'] ?? config.bootstrapServers().join(',');
  const security = securityFromConfig(client);
  let clusterId: Promise<string> | null = null;
  return async () => {
    clusterId ??= fetchClusterInfo(bootstrap, { security }).then(
      (info) => info.clusterId ?? '',
      (err: unknown) => {
        log.warn({ err }, 'Could not read the Kafka cluster id');
        clusterId = null;
        return '';
      },
    );
    return { version: SLUICE_VERSION, commit: SLUICE_COMMIT, kafka_cluster_id: await clusterId };
  };
}

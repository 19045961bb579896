/**
 * Worker configuration (Kafka Connect's WorkerConfig, RestServerConfig and StandaloneConfig): the
 * same keys, defaults and messages, so an existing connect-standalone.properties works unchanged.
 */
import {
  AbstractConfig, CaseInsensitiveValidString, ConfigDef, ConfigType, Importance, LambdaValidator,
  NonNullValidator, Range, ValidString, type ConfigValue,
} from '../api/config-def.js';
import { ConfigError } from '../api/errors.js';
import type { PluginRegistry } from '../plugins/registry.js';
import { loadPropertiesFile } from './properties.js';

export const BOOTSTRAP_SERVERS_CONFIG = 'bootstrap.servers';
export const KEY_CONVERTER_CLASS_CONFIG = 'key.converter';
export const VALUE_CONVERTER_CLASS_CONFIG = 'value.converter';
export const HEADER_CONVERTER_CLASS_CONFIG = 'header.converter';
export const HEADER_CONVERTER_CLASS_DEFAULT = 'org.apache.kafka.connect.storage.SimpleHeaderConverter';
export const TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS_CONFIG = 'task.shutdown.graceful.timeout.ms';
export const OFFSET_COMMIT_INTERVAL_MS_CONFIG = 'offset.flush.interval.ms';
export const OFFSET_COMMIT_TIMEOUT_MS_CONFIG = 'offset.flush.timeout.ms';
export const LISTENERS_CONFIG = 'listeners';
export const LISTENERS_DEFAULT = 'http://:8083';
export const ADMIN_LISTENERS_CONFIG = 'admin.listeners';
export const REST_ADVERTISED_HOST_NAME_CONFIG = 'rest.advertised.host.name';
export const REST_ADVERTISED_PORT_CONFIG = 'rest.advertised.port';
export const REST_ADVERTISED_LISTENER_CONFIG = 'rest.advertised.listener';
export const PLUGIN_PATH_CONFIG = 'plugin.path';
export const TOPIC_CREATION_ENABLE_CONFIG = 'topic.creation.enable';
export const OFFSET_STORAGE_FILE_FILENAME_CONFIG = 'offset.storage.file.filename';

const LISTENERS_VALIDATOR = LambdaValidator.with(
  (_name, value) => {
    // RestServerConfig.ListenersValidator's messages.
    const items = value as string[] | null;
    if (!Array.isArray(items)) {
      throw new ConfigError(
        'Invalid value type for listeners (expected list of URLs , ex: http://localhost:8080,https://localhost:8443).',
        LISTENERS_CONFIG,
      );
    }
    if (items.length === 0) {
      throw new ConfigError(
        'Invalid value for listeners, at least one URL is expected, ex: http://localhost:8080,https://localhost:8443.',
        LISTENERS_CONFIG,
      );
    }
    if (items.some((item) => item.trim() === '')) {
      throw new ConfigError('Empty URL found when parsing listeners list.', LISTENERS_CONFIG);
    }
  },
  'List of comma-separated URLs, ex: http://localhost:8080,https://localhost:8443.',
);

/** Keys common to standalone and distributed workers; extend it with `new ConfigDef(workerConfigDef())`. */
export function workerConfigDef(): ConfigDef {
  const converterDoc = (what: string): string =>
    'Converter class used to convert between Kafka Connect format and the serialized form that is written to Kafka.' +
    ` This controls the format of the ${what} in messages written to or read from Kafka, and since this is` +
    ' independent of connectors it allows any connector to work with any serialization format.' +
    ' Examples of common formats include JSON and Avro.';
  return new ConfigDef()
    .define({
      name: BOOTSTRAP_SERVERS_CONFIG, type: ConfigType.LIST, defaultValue: 'localhost:9092',
      validator: new NonNullValidator(), importance: Importance.HIGH,
      documentation: 'A list of host/port pairs to use for establishing the initial connection to the Kafka cluster.',
    })
    .define({
      name: 'client.dns.lookup', type: ConfigType.STRING, defaultValue: 'use_all_dns_ips',
      validator: ValidString.in('use_all_dns_ips', 'resolve_canonical_bootstrap_servers_only'),
      importance: Importance.MEDIUM, documentation: 'Controls how the client uses DNS lookups.',
    })
    .define({
      name: KEY_CONVERTER_CLASS_CONFIG, type: ConfigType.CLASS, importance: Importance.HIGH,
      documentation: converterDoc('keys'),
    })
    .define({
      name: VALUE_CONVERTER_CLASS_CONFIG, type: ConfigType.CLASS, importance: Importance.HIGH,
      documentation: converterDoc('values'),
    })
    .define({
      name: HEADER_CONVERTER_CLASS_CONFIG, type: ConfigType.CLASS, defaultValue: HEADER_CONVERTER_CLASS_DEFAULT,
      importance: Importance.LOW,
      documentation: 'HeaderConverter class used to convert between Kafka Connect format and the serialized form that is written to Kafka.',
    })
    .define({
      name: TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS_CONFIG, type: ConfigType.LONG, defaultValue: 5000,
      importance: Importance.LOW,
      documentation: 'Amount of time to wait for tasks to shutdown gracefully. This is the total amount of time, not per task.',
    })
    .define({
      name: OFFSET_COMMIT_INTERVAL_MS_CONFIG, type: ConfigType.LONG, defaultValue: 60000, importance: Importance.LOW,
      documentation: 'Interval at which to try committing offsets for tasks.',
    })
    .define({
      name: OFFSET_COMMIT_TIMEOUT_MS_CONFIG, type: ConfigType.LONG, defaultValue: 5000, importance: Importance.LOW,
      documentation:
        'Maximum number of milliseconds to wait for records to flush and partition offset data to be committed to ' +
        'offset storage before cancelling the process and restoring the offset data to be committed in a future attempt.',
    })
    .define({
      name: LISTENERS_CONFIG, type: ConfigType.LIST, defaultValue: LISTENERS_DEFAULT, validator: LISTENERS_VALIDATOR,
      importance: Importance.LOW,
      documentation: 'List of comma-separated URIs the REST API will listen on. The supported protocols are HTTP and HTTPS.',
    })
    .define({
      name: ADMIN_LISTENERS_CONFIG, type: ConfigType.LIST, defaultValue: null, importance: Importance.LOW,
      documentation: 'List of comma-separated URIs the Admin REST API will listen on. An empty list disables it.',
    })
    .define({
      name: REST_ADVERTISED_HOST_NAME_CONFIG, type: ConfigType.STRING, defaultValue: null, importance: Importance.LOW,
      documentation: 'If this is set, this is the hostname that will be given out to other workers to connect to.',
    })
    .define({
      name: REST_ADVERTISED_PORT_CONFIG, type: ConfigType.INT, defaultValue: null, importance: Importance.LOW,
      documentation: 'If this is set, this is the port that will be given out to other workers to connect to.',
    })
    .define({
      name: REST_ADVERTISED_LISTENER_CONFIG, type: ConfigType.STRING, defaultValue: null, importance: Importance.LOW,
      documentation: 'Sets the advertised listener (HTTP or HTTPS) which will be given to other workers to use.',
    })
    .define({
      name: 'access.control.allow.origin', type: ConfigType.STRING, defaultValue: '', importance: Importance.LOW,
      documentation: 'Value to set the Access-Control-Allow-Origin header to for REST API requests.',
    })
    .define({
      name: 'access.control.allow.methods', type: ConfigType.STRING, defaultValue: '', importance: Importance.LOW,
      documentation: 'Sets the methods supported for cross origin requests by setting the Access-Control-Allow-Methods header.',
    })
    .define({
      name: 'response.http.headers.config', type: ConfigType.STRING, defaultValue: '', importance: Importance.LOW,
      documentation: 'Rules for REST API HTTP response headers.',
    })
    .define({
      name: 'rest.extension.classes', type: ConfigType.LIST, defaultValue: '', importance: Importance.LOW,
      documentation: 'Comma-separated names of ConnectRestExtension classes, loaded and called in the order specified.',
    })
    .define({
      name: PLUGIN_PATH_CONFIG, type: ConfigType.LIST, defaultValue: null, importance: Importance.LOW,
      documentation: 'List of paths separated by commas (,) that contain plugins (connectors, converters, transformations).',
    })
    .define({
      name: 'plugin.discovery', type: ConfigType.STRING, defaultValue: 'hybrid_warn',
      validator: CaseInsensitiveValidString.in('only_scan', 'hybrid_warn', 'hybrid_fail', 'service_load'),
      importance: Importance.LOW, documentation: 'Method to use to discover plugins present in the classpath and plugin.path.',
    })
    .define({
      name: 'config.providers', type: ConfigType.LIST, defaultValue: '', importance: Importance.LOW,
      documentation: 'Comma-separated names of ConfigProvider classes, loaded and used in the order specified.',
    })
    .define({
      name: 'metrics.sample.window.ms', type: ConfigType.LONG, defaultValue: 30000, validator: Range.atLeast(0),
      importance: Importance.LOW, documentation: 'The window of time a metrics sample is computed over.',
    })
    .define({
      name: 'metrics.num.samples', type: ConfigType.INT, defaultValue: 2, validator: Range.atLeast(1),
      importance: Importance.LOW, documentation: 'The number of samples maintained to compute metrics.',
    })
    .define({
      name: 'metrics.recording.level', type: ConfigType.STRING, defaultValue: 'INFO',
      validator: ValidString.in('INFO', 'DEBUG'), importance: Importance.LOW,
      documentation: 'The highest recording level for metrics.',
    })
    .define({
      name: 'metric.reporters', type: ConfigType.LIST, defaultValue: 'org.apache.kafka.common.metrics.JmxReporter',
      importance: Importance.LOW, documentation: 'A list of classes to use as metrics reporters.',
    })
    .define({
      name: 'connector.client.config.override.policy', type: ConfigType.STRING, defaultValue: 'All',
      importance: Importance.MEDIUM,
      documentation: 'Which client configurations connectors may override: All, None or Principal.',
    })
    .define({
      name: TOPIC_CREATION_ENABLE_CONFIG, type: ConfigType.BOOLEAN, defaultValue: true, importance: Importance.LOW,
      documentation: 'Whether to allow automatic creation of topics used by source connectors.',
    })
    .define({
      name: 'topic.tracking.enable', type: ConfigType.BOOLEAN, defaultValue: true, importance: Importance.LOW,
      documentation: 'Enable tracking the set of active topics per connector during runtime.',
    })
    .define({
      name: 'topic.tracking.allow.reset', type: ConfigType.BOOLEAN, defaultValue: true, importance: Importance.LOW,
      documentation: 'If set to true, it allows user requests to reset the set of active topics per connector.',
    });
}

/** The standalone worker's keys: the common ones plus the required offsets file. */
export function standaloneConfigDef(): ConfigDef {
  return new ConfigDef(workerConfigDef()).define({
    name: OFFSET_STORAGE_FILE_FILENAME_CONFIG, type: ConfigType.STRING, importance: Importance.HIGH,
    documentation: 'File to store offset data in',
  });
}

/** Where a worker config came from, so errors can point at `worker.properties:3`. */
export interface ConfigSource {
  file: string;
  /** Line of each key, as parseProperties returns it. */
  lines?: Readonly<Record<string, number>>;
}

export interface WorkerConfigOptions {
  /** The definition; workerConfigDef() by default. */
  def?: ConfigDef;
  /** When given, key.converter and value.converter must name a registered converter. */
  registry?: PluginRegistry;
  source?: ConfigSource;
}

/** Every problem of a worker config at once, one per line of the message. */
export class WorkerConfigError extends ConfigError {
  constructor(readonly problems: readonly { key: string; message: string }[]) {
    super(problems.map((p) => p.message).join('\n'), problems[0]?.key);
    this.name = 'ConfigException';
  }
}

export type ConverterKind = 'key' | 'value' | 'header';
export type ClientKind = 'producer' | 'consumer' | 'admin';

/** A converter to create: its class name (or alias) and its own configs, prefix stripped. */
export interface ConverterConfig {
  className: string;
  configs: Record<string, string>;
}

/** Top-level worker keys that configure the clients the worker runs itself (Java passes all originals). */
const INTERNAL_CLIENT_KEY = /^(security\.protocol|sasl\.|ssl\.|client\.dns\.lookup$|request\.timeout\.ms$|retry\.backoff\.ms$|metadata\.max\.age\.ms$)/;

/**
 * A parsed, validated worker config with typed getters.
 * @throws WorkerConfigError listing every invalid or missing key, each prefixed with
 *   "<file>:<line>: " (or "<file>: " for a missing key) when a source is given.
 */
export class WorkerConfig extends AbstractConfig {
  /** Problems that do not stop the worker, e.g. a header converter sluice does not have yet. */
  readonly warnings: string[];

  constructor(props: Readonly<Record<string, string>>, options: WorkerConfigOptions = {}) {
    const def = options.def ?? workerConfigDef();
    const warnings: string[] = [];
    checkWorkerConfig(def, props, options, warnings);
    super(def, props);
    this.warnings = warnings;
  }

  /** Load a .properties file; errors carry the file name and line numbers. */
  static async fromFile(path: string, options: Omit<WorkerConfigOptions, 'source'> = {}): Promise<WorkerConfig> {
    const { props, lines } = await loadPropertiesFile(path);
    return new WorkerConfig(props, { ...options, source: { file: path, lines } });
  }

  bootstrapServers(): string[] {
    return this.getList(BOOTSTRAP_SERVERS_CONFIG);
  }

  offsetFlushIntervalMs(): number {
    return this.getLong(OFFSET_COMMIT_INTERVAL_MS_CONFIG);
  }

  offsetFlushTimeoutMs(): number {
    return this.getLong(OFFSET_COMMIT_TIMEOUT_MS_CONFIG);
  }

  taskShutdownGracefulTimeoutMs(): number {
    return this.getLong(TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS_CONFIG);
  }

  listeners(): string[] {
    return this.getList(LISTENERS_CONFIG);
  }

  /** null: unset, use `listeners`; []: admin endpoints disabled. */
  adminListeners(): string[] | null {
    return this.get(ADMIN_LISTENERS_CONFIG) as string[] | null;
  }

  restAdvertisedHostName(): string | null {
    return this.getString(REST_ADVERTISED_HOST_NAME_CONFIG);
  }

  restAdvertisedPort(): number | null {
    return this.get(REST_ADVERTISED_PORT_CONFIG) as number | null;
  }

  restAdvertisedListener(): string | null {
    return this.getString(REST_ADVERTISED_LISTENER_CONFIG);
  }

  pluginPath(): string[] {
    return (this.get(PLUGIN_PATH_CONFIG) as string[] | null) ?? [];
  }

  topicCreationEnable(): boolean {
    return this.getBoolean(TOPIC_CREATION_ENABLE_CONFIG);
  }

  /** The key, value or header converter: class name and its `<kind>.converter.*` configs. */
  converterConfig(kind: ConverterKind): ConverterConfig {
    const key = `${kind}.converter`;
    return { className: this.getClass(key)!, configs: this.originalsWithPrefix(`${key}.`) };
  }

  /**
   * Java client settings for the worker's producer, consumer or admin client: bootstrap.servers
   * (the only key inherited without a prefix) and the `producer.` / `consumer.` / `admin.` keys,
   * prefix stripped.
   */
  clientConfig(kind: ClientKind): Record<string, string> {
    return {
      [BOOTSTRAP_SERVERS_CONFIG]: this.bootstrapServers().join(','),
      ...this.originalsWithPrefix(`${kind}.`),
    };
  }

  /**
   * Java client settings for the clients the worker itself runs (in distributed mode, the internal
   * topics' producers, consumers and admin): Kafka Connect gives those the worker's top-level
   * settings, not the `producer.`/`consumer.` ones.
   */
  internalClientConfig(): Record<string, string> {
    const result: Record<string, string> = { [BOOTSTRAP_SERVERS_CONFIG]: this.bootstrapServers().join(',') };
    for (const [key, value] of Object.entries(this.originals())) {
      if (INTERNAL_CLIENT_KEY.test(key)) result[key] = value;
    }
    return result;
  }

  /**
   * Java client settings for the admin that reads and alters sink connectors' consumer group
   * offsets, in both modes: the worker's top-level client settings overridden by its `admin.*`
   * ones, as Worker.adminConfigs builds them (connector-level `admin.override.*` is not applied).
   */
  adminClientConfig(): Record<string, string> {
    return { ...this.internalClientConfig(), ...this.originalsWithPrefix('admin.') };
  }
}

/** The standalone worker's config: WorkerConfig plus `offset.storage.file.filename`. */
export class StandaloneConfig extends WorkerConfig {
  constructor(props: Readonly<Record<string, string>>, options: Omit<WorkerConfigOptions, 'def'> = {}) {
    super(props, { ...options, def: standaloneConfigDef() });
  }

  static override async fromFile(path: string, options: Omit<WorkerConfigOptions, 'source' | 'def'> = {}): Promise<StandaloneConfig> {
    const { props, lines } = await loadPropertiesFile(path);
    return new StandaloneConfig(props, { ...options, source: { file: path, lines } });
  }

  offsetStorageFileFilename(): string {
    return this.getString(OFFSET_STORAGE_FILE_FILENAME_CONFIG)!;
  }
}

/** Validate everything up front so the user sees every problem at once, located in the file. */
function checkWorkerConfig(
  def: ConfigDef,
  props: Readonly<Record<string, string>>,
  options: WorkerConfigOptions,
  warnings: string[],
): void {
  const values = def.validateAll(props);
  const { registry } = options;
  if (registry) {
    for (const key of [KEY_CONVERTER_CLASS_CONFIG, VALUE_CONVERTER_CLASS_CONFIG]) {
      checkConverter(values.get(key), (name) => registry.converter(name));
    }
    checkConverter(values.get(HEADER_CONVERTER_CLASS_CONFIG), (name) => registry.headerConverter(name));
  }
  const problems: { key: string; message: string; line: number }[] = [];
  for (const cv of values.values()) {
    const line = options.source?.lines?.[cv.name] ?? 0;
    for (const message of cv.errorMessages) {
      problems.push({ key: cv.name, message: locate(message, cv.name, options.source), line });
    }
  }
  // Missing keys first, then in file order (stable sort keeps definition order otherwise).
  problems.sort((a, b) => a.line - b.line);
  if (problems.length > 0) throw new WorkerConfigError(problems.map(({ key, message }) => ({ key, message })));
}

/** Kafka Connect fails a CLASS config whose class cannot be loaded; here, one the registry cannot resolve. */
export function checkConverter(cv: ConfigValue | undefined, resolve: (name: string) => unknown): void {
  if (!cv || cv.errorMessages.length > 0 || typeof cv.value !== 'string') return;
  try {
    resolve(cv.value);
  } catch {
    cv.errorMessages.push(`Invalid value ${cv.value} for configuration ${cv.name}: Class ${cv.value} could not be found.`);
  }
}

function locate(message: string, key: string, source: ConfigSource | undefined): string {
  if (!source) return message;
  const line = source.lines?.[key];
  return line === undefined ? `${source.file}: ${message}` : `${source.file}:${line}: ${message}`;
}

/**
 * The distributed worker's configuration (Kafka Connect's DistributedConfig): the common worker
 * keys plus the group, the three internal topics and the rebalance timings, with the same names,
 * defaults, validators and messages, so an existing connect-distributed.properties works unchanged.
 */
import {
  ConfigDef, ConfigType, Importance, LambdaValidator, Range, ValidString, invalidValue,
} from '../api/config-def.js';
import { ConfigError } from '../api/errors.js';
import { loadPropertiesFile } from './properties.js';
import { BOOTSTRAP_SERVERS_CONFIG, WorkerConfig, workerConfigDef, type WorkerConfigOptions } from './worker-config.js';

export const GROUP_ID_CONFIG = 'group.id';
export const SESSION_TIMEOUT_MS_CONFIG = 'session.timeout.ms';
export const HEARTBEAT_INTERVAL_MS_CONFIG = 'heartbeat.interval.ms';
export const REBALANCE_TIMEOUT_MS_CONFIG = 'rebalance.timeout.ms';
export const WORKER_SYNC_TIMEOUT_MS_CONFIG = 'worker.sync.timeout.ms';
export const WORKER_UNSYNC_BACKOFF_MS_CONFIG = 'worker.unsync.backoff.ms';
export const CONFIG_STORAGE_PREFIX = 'config.storage.';
export const OFFSET_STORAGE_PREFIX = 'offset.storage.';
export const STATUS_STORAGE_PREFIX = 'status.storage.';
export const CONFIG_TOPIC_CONFIG = 'config.storage.topic';
export const CONFIG_STORAGE_REPLICATION_FACTOR_CONFIG = 'config.storage.replication.factor';
export const OFFSET_STORAGE_TOPIC_CONFIG = 'offset.storage.topic';
export const OFFSET_STORAGE_PARTITIONS_CONFIG = 'offset.storage.partitions';
export const OFFSET_STORAGE_REPLICATION_FACTOR_CONFIG = 'offset.storage.replication.factor';
export const STATUS_STORAGE_TOPIC_CONFIG = 'status.storage.topic';
export const STATUS_STORAGE_PARTITIONS_CONFIG = 'status.storage.partitions';
export const STATUS_STORAGE_REPLICATION_FACTOR_CONFIG = 'status.storage.replication.factor';
export const CONNECT_PROTOCOL_CONFIG = 'connect.protocol';
export const SCHEDULED_REBALANCE_MAX_DELAY_MS_CONFIG = 'scheduled.rebalance.max.delay.ms';
export const EXACTLY_ONCE_SOURCE_SUPPORT_CONFIG = 'exactly.once.source.support';
export const INTER_WORKER_KEY_TTL_MS_CONFIG = 'inter.worker.key.ttl.ms';
export const INTER_WORKER_KEY_GENERATION_ALGORITHM_CONFIG = 'inter.worker.key.generation.algorithm';
export const INTER_WORKER_KEY_SIZE_CONFIG = 'inter.worker.key.size';
export const INTER_WORKER_SIGNATURE_ALGORITHM_CONFIG = 'inter.worker.signature.algorithm';
export const INTER_WORKER_VERIFICATION_ALGORITHMS_CONFIG = 'inter.worker.verification.algorithms';

/** Connect protocol modes (ConnectProtocolCompatibility), matched case-insensitively. */
export const CONNECT_PROTOCOLS = ['eager', 'compatible', 'sessioned'] as const;
export type ConnectProtocol = (typeof CONNECT_PROTOCOLS)[number];

/** TopicCreationConfig.PARTITIONS_VALIDATOR: positive, or -1 for the broker's default. */
export const PARTITIONS_VALIDATOR = LambdaValidator.with((name, value) => {
  const n = value as number;
  if (n !== -1 && n < 1) throw invalidValue(name, n, "Number of partitions must be positive, or -1 to use the broker's default");
}, "Positive number, or -1 to use the broker's default");

/** TopicCreationConfig.REPLICATION_FACTOR_VALIDATOR: positive, or -1 for the broker's default. */
export const REPLICATION_FACTOR_VALIDATOR = LambdaValidator.with((name, value) => {
  const n = value as number;
  if (n !== -1 && n < 1) {
    throw invalidValue(
      name, n,
      "Replication factor must be positive and not larger than the number of brokers in the Kafka cluster, or -1 to use the broker's default",
    );
  }
}, "Positive number not larger than the number of brokers in the Kafka cluster, or -1 to use the broker's default");

const CONNECT_PROTOCOL_VALIDATOR = LambdaValidator.with((name, value) => {
  if (!CONNECT_PROTOCOLS.some((p) => p === String(value).toLowerCase())) {
    throw invalidValue(name, value, 'Invalid Connect protocol compatibility');
  }
}, `[${CONNECT_PROTOCOLS.join(', ')}]`);

/** Java's JVMs always have HmacSHA256; sluice signs with node:crypto, which has the same HMACs. */
const HMAC_ALGORITHMS = ['HmacSHA1', 'HmacSHA224', 'HmacSHA256', 'HmacSHA384', 'HmacSHA512'];

export function distributedConfigDef(): ConfigDef {
  return new ConfigDef(workerConfigDef())
    .define({
      name: GROUP_ID_CONFIG, type: ConfigType.STRING, importance: Importance.HIGH,
      documentation: 'A unique string that identifies the Connect cluster group this worker belongs to.',
    })
    .define({
      name: SESSION_TIMEOUT_MS_CONFIG, type: ConfigType.INT, defaultValue: 10000, importance: Importance.HIGH,
      documentation: 'The timeout used to detect worker failures.',
    })
    .define({
      name: REBALANCE_TIMEOUT_MS_CONFIG, type: ConfigType.INT, defaultValue: 60000, importance: Importance.HIGH,
      documentation: 'The maximum allowed time for each worker to join the group once a rebalance has begun.',
    })
    .define({
      name: HEARTBEAT_INTERVAL_MS_CONFIG, type: ConfigType.INT, defaultValue: 3000, importance: Importance.HIGH,
      documentation: 'The expected time between heartbeats to the group coordinator.',
    })
    .define({
      name: EXACTLY_ONCE_SOURCE_SUPPORT_CONFIG, type: ConfigType.STRING, defaultValue: 'disabled',
      validator: ValidString.in('disabled', 'preparing', 'enabled'), importance: Importance.HIGH,
      documentation: 'Whether to enable exactly-once support for source connectors in the cluster.',
    })
    .define({
      name: 'metadata.max.age.ms', type: ConfigType.LONG, defaultValue: 300000, validator: Range.atLeast(0),
      importance: Importance.LOW, documentation: 'The period of time after which a refresh of metadata is forced.',
    })
    .define({
      name: 'client.id', type: ConfigType.STRING, defaultValue: '', importance: Importance.LOW,
      documentation: 'An id string to pass to the server when making requests.',
    })
    .define({
      name: 'request.timeout.ms', type: ConfigType.INT, defaultValue: 40000, validator: Range.atLeast(0),
      importance: Importance.MEDIUM, documentation: 'The maximum amount of time the client will wait for the response of a request.',
    })
    .define({
      name: 'retry.backoff.ms', type: ConfigType.LONG, defaultValue: 100, validator: Range.atLeast(0),
      importance: Importance.LOW, documentation: 'The amount of time to wait before attempting to retry a failed request.',
    })
    .define({
      name: 'security.protocol', type: ConfigType.STRING, defaultValue: 'PLAINTEXT',
      validator: ValidString.in('PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'), importance: Importance.MEDIUM,
      documentation: 'Protocol used to communicate with brokers.',
    })
    .define({
      name: WORKER_SYNC_TIMEOUT_MS_CONFIG, type: ConfigType.INT, defaultValue: 3000, importance: Importance.MEDIUM,
      documentation:
        'When the worker is out of sync with other workers and needs to resynchronize configurations, wait up to this ' +
        'amount of time before giving up, leaving the group, and waiting a backoff period before rejoining.',
    })
    .define({
      name: WORKER_UNSYNC_BACKOFF_MS_CONFIG, type: ConfigType.INT, defaultValue: 300000, importance: Importance.MEDIUM,
      documentation:
        'When the worker is out of sync with other workers and fails to catch up within the worker.sync.timeout.ms, ' +
        'leave the Connect cluster for this long before rejoining.',
    })
    .define({
      name: OFFSET_STORAGE_TOPIC_CONFIG, type: ConfigType.STRING, importance: Importance.HIGH,
      documentation: 'The name of the Kafka topic where source connector offsets are stored',
    })
    .define({
      name: OFFSET_STORAGE_PARTITIONS_CONFIG, type: ConfigType.INT, defaultValue: 25, validator: PARTITIONS_VALIDATOR,
      importance: Importance.LOW, documentation: 'The number of partitions used when creating the offset storage topic',
    })
    .define({
      name: OFFSET_STORAGE_REPLICATION_FACTOR_CONFIG, type: ConfigType.SHORT, defaultValue: 3,
      validator: REPLICATION_FACTOR_VALIDATOR, importance: Importance.LOW,
      documentation: 'Replication factor used when creating the offset storage topic',
    })
    .define({
      name: CONFIG_TOPIC_CONFIG, type: ConfigType.STRING, importance: Importance.HIGH,
      documentation: 'The name of the Kafka topic where connector configurations are stored',
    })
    .define({
      name: CONFIG_STORAGE_REPLICATION_FACTOR_CONFIG, type: ConfigType.SHORT, defaultValue: 3,
      validator: REPLICATION_FACTOR_VALIDATOR, importance: Importance.LOW,
      documentation: 'Replication factor used when creating the configuration storage topic',
    })
    .define({
      name: STATUS_STORAGE_TOPIC_CONFIG, type: ConfigType.STRING, importance: Importance.HIGH,
      documentation: 'The name of the Kafka topic where connector and task status are stored',
    })
    .define({
      name: STATUS_STORAGE_PARTITIONS_CONFIG, type: ConfigType.INT, defaultValue: 5, validator: PARTITIONS_VALIDATOR,
      importance: Importance.LOW, documentation: 'The number of partitions used when creating the status storage topic',
    })
    .define({
      name: STATUS_STORAGE_REPLICATION_FACTOR_CONFIG, type: ConfigType.SHORT, defaultValue: 3,
      validator: REPLICATION_FACTOR_VALIDATOR, importance: Importance.LOW,
      documentation: 'Replication factor used when creating the status storage topic',
    })
    .define({
      name: CONNECT_PROTOCOL_CONFIG, type: ConfigType.STRING, defaultValue: 'sessioned', validator: CONNECT_PROTOCOL_VALIDATOR,
      importance: Importance.LOW, documentation: 'Compatibility mode for Kafka Connect Protocol',
    })
    .define({
      name: SCHEDULED_REBALANCE_MAX_DELAY_MS_CONFIG, type: ConfigType.INT, defaultValue: 300000,
      validator: Range.between(0, 2147483647), importance: Importance.LOW,
      documentation:
        'The maximum delay that is scheduled in order to wait for the return of one or more departed workers before ' +
        'rebalancing and reassigning their connectors and tasks to the group. During this period the connectors and ' +
        'tasks of the departed workers remain unassigned',
    })
    .define({
      name: INTER_WORKER_KEY_TTL_MS_CONFIG, type: ConfigType.INT, defaultValue: 3600000,
      validator: Range.between(0, 2147483647), importance: Importance.LOW,
      documentation: 'The TTL of generated session keys used for internal request validation (in milliseconds)',
    })
    .define({
      name: INTER_WORKER_KEY_GENERATION_ALGORITHM_CONFIG, type: ConfigType.STRING, defaultValue: 'HmacSHA256',
      validator: ValidString.in(...HMAC_ALGORITHMS), importance: Importance.LOW,
      documentation: 'The algorithm to use for generating internal request keys.',
    })
    .define({
      name: INTER_WORKER_KEY_SIZE_CONFIG, type: ConfigType.INT, defaultValue: null, importance: Importance.LOW,
      documentation: 'The size of the key to use for signing internal requests, in bits. If null, the default key size for the key generation algorithm will be used.',
    })
    .define({
      name: INTER_WORKER_SIGNATURE_ALGORITHM_CONFIG, type: ConfigType.STRING, defaultValue: 'HmacSHA256',
      validator: ValidString.in(...HMAC_ALGORITHMS), importance: Importance.LOW,
      documentation: 'The algorithm used to sign internal requests.',
    })
    .define({
      name: INTER_WORKER_VERIFICATION_ALGORITHMS_CONFIG, type: ConfigType.LIST, defaultValue: 'HmacSHA256',
      validator: LambdaValidator.with((name, value) => {
        const list = value as string[];
        if (list.length === 0) throw invalidValue(name, list, 'At least one signature verification algorithm must be provided');
      }, 'A list of one or more MAC algorithms, each supported by the worker JVM'),
      importance: Importance.LOW, documentation: 'A list of permitted algorithms for verifying internal requests.',
    });
}

/** The distributed worker's config: WorkerConfig plus the group and the internal topics. */
export class DistributedConfig extends WorkerConfig {
  constructor(props: Readonly<Record<string, string>>, options: Omit<WorkerConfigOptions, 'def'> = {}) {
    super(props, { ...options, def: distributedConfigDef() });
    // DistributedConfig.ensureVerificationAlgorithmsIncludeSignatureAlgorithm
    const signature = this.getString(INTER_WORKER_SIGNATURE_ALGORITHM_CONFIG)!;
    if (!this.getList(INTER_WORKER_VERIFICATION_ALGORITHMS_CONFIG).includes(signature)) {
      throw new ConfigError(
        `Invalid value ${signature} for configuration ${INTER_WORKER_SIGNATURE_ALGORITHM_CONFIG}: ` +
          `Signature algorithm must be present in ${INTER_WORKER_VERIFICATION_ALGORITHMS_CONFIG} list`,
        INTER_WORKER_SIGNATURE_ALGORITHM_CONFIG,
      );
    }
  }

  static override async fromFile(path: string, options: Omit<WorkerConfigOptions, 'source' | 'def'> = {}): Promise<DistributedConfig> {
    const { props, lines } = await loadPropertiesFile(path);
    return new DistributedConfig(props, { ...options, source: { file: path, lines } });
  }

  groupId(): string {
    return this.getString(GROUP_ID_CONFIG)!;
  }

  configTopic(): string {
    return this.getString(CONFIG_TOPIC_CONFIG)!;
  }

  offsetsTopic(): string {
    return this.getString(OFFSET_STORAGE_TOPIC_CONFIG)!;
  }

  statusTopic(): string {
    return this.getString(STATUS_STORAGE_TOPIC_CONFIG)!;
  }

  connectProtocol(): ConnectProtocol {
    return this.getString(CONNECT_PROTOCOL_CONFIG)!.toLowerCase() as ConnectProtocol;
  }

  /**
   * Extra settings for an internal topic when sluice creates it (`config.storage.*` etc. minus
   * topic, partitions, replication.factor and cleanup.policy, which are always set by the store),
   * as DistributedConfig.topicSettings.
   */
  topicSettings(prefix: typeof CONFIG_STORAGE_PREFIX | typeof OFFSET_STORAGE_PREFIX | typeof STATUS_STORAGE_PREFIX): Record<string, string> {
    const result = this.originalsWithPrefix(prefix);
    for (const key of ['topic', 'partitions', 'replication.factor', 'cleanup.policy']) delete result[key];
    return result;
  }
}

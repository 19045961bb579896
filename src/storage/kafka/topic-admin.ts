/**
 * Creating and checking Kafka Connect's internal topics (TopicAdmin and
 * KafkaTopicBasedBackingStore.topicInitializer): a missing topic is created compacted with the
 * configured partitions and replication factor; an existing one must use cleanup.policy=compact
 * only, or the worker refuses to start with Kafka Connect's own message.
 *
 * node-rdkafka's admin client creates topics but cannot describe topic configs, so the cleanup
 * policy is read with one DescribeConfigs request over sluice's protocol connection (secured as
 * the worker's clients are). Where that fails, the check is skipped with a log line, as Kafka
 * Connect does when it lacks the permission to describe topic configs.
 *
 * Workers starting together race to create the topics: all but one are told the topic exists,
 * and the broker they then ask may not know it yet (its metadata lags the controller's). A topic
 * said to exist but unknown to the broker is asked for again for a few seconds before the check
 * is given up, and then the log line says that, not that describing configs is not permitted
 * (Kafka Connect logs the permission line for both).
 */
import { AdminClient, CODES, type LibrdKafkaError } from '../../kafka/rdkafka.js';
import { explainClientError, type ClientConfig } from '../../kafka/client-config.js';
import { KafkaConnection, parseBootstrap } from '../../kafka/protocol/connection.js';
import type { ConnectionSecurity } from '../../kafka/protocol/security.js';
import { ConfigError, ConnectError } from '../../api/errors.js';
import type { Logger } from '../../util/logger.js';

/** A Connect internal topic as the store defines it (TopicAdmin.defineTopic(...).build()). */
export interface InternalTopic {
  name: string;
  /** -1: the broker's num.partitions. */
  partitions: number;
  /** -1: the broker's default.replication.factor. */
  replicationFactor: number;
  /** Extra topic configs (`config.storage.*` etc.); cleanup.policy=compact is always added. */
  configs?: Record<string, string>;
  /** The worker setting that names the topic, for messages: "config.storage.topic". */
  workerTopicConfig: string;
  /** What it stores, for messages: "connector configurations". */
  purpose: string;
}

const DESCRIBE_CONFIGS_API_KEY = 32;
const DESCRIBE_CONFIGS_VERSION = 1; // v0 was removed in Kafka 4.0 (KIP-896); v1 is not flexible.
const RESOURCE_TYPE_TOPIC = 2;
const UNKNOWN_TOPIC_OR_PARTITION = 3;
/**
 * How long a topic said to exist may stay unknown to the broker asked about its configs: metadata
 * reaches every broker well within this (typically in milliseconds).
 */
export const TOPIC_VISIBLE_WITHIN_MS = 10_000;

export class TopicAdmin {
  constructor(
    /** librdkafka settings (bootstrap.servers, security). */
    private readonly clientConfig: ClientConfig,
    private readonly log?: Logger,
    /** How to secure the DescribeConfigs connection; PLAINTEXT or SSL from `security.protocol` when absent. */
    private readonly security?: ConnectionSecurity,
  ) {}

  /**
   * Create the topic if it does not exist; if it does, check it is compacted only.
   * Resolves true when this call created it.
   * @throws ConfigError naming the topic and the worker setting when an existing topic is not compacted.
   */
  async createOrVerify(topic: InternalTopic, timeoutMs = 30000): Promise<boolean> {
    const created = await this.create(topic, timeoutMs);
    if (!created) await this.verifyCleanupPolicyOnlyCompact(topic);
    return created;
  }

  /** Create the topic (compacted); false when it already exists. */
  async create(topic: InternalTopic, timeoutMs = 30000): Promise<boolean> {
    let admin: ReturnType<typeof AdminClient.create>;
    try {
      admin = AdminClient.create({ ...this.clientConfig, 'client.id': `sluice-admin-${topic.name}` } as never);
    } catch (err) {
      throw explainClientError(err, '');
    }
    try {
      return await new Promise<boolean>((resolve, reject) =>
        admin.createTopic(
          {
            topic: topic.name,
            num_partitions: topic.partitions,
            replication_factor: topic.replicationFactor,
            // Settings first so that compaction always wins, as in the stores' topic definitions.
            config: { ...topic.configs, 'cleanup.policy': 'compact' },
          },
          timeoutMs,
          (err: LibrdKafkaError | null | undefined) => {
            if (!err) resolve(true);
            else if (err.code === CODES.ERRORS.ERR_TOPIC_ALREADY_EXISTS) resolve(false);
            else reject(new ConnectError(`Unable to create topic(s) '${topic.name}': ${err.message}`));
          },
        ),
      );
    } finally {
      admin.disconnect();
    }
  }

  /**
   * TopicAdmin.verifyTopicCleanupPolicyOnlyCompact: false when the policy could not be read.
   * The topic exists (this worker or another created it): while the broker asked does not know it
   * yet, it is asked again for up to `visibleWithinMs`.
   * @throws ConfigError when the topic's cleanup.policy is anything but `compact`.
   */
  async verifyCleanupPolicyOnlyCompact(topic: InternalTopic, visibleWithinMs = TOPIC_VISIBLE_WITHIN_MS): Promise<boolean> {
    const read = await this.readCleanupPolicy(topic.name, visibleWithinMs);
    if (read.kind === 'invisible') {
      this.log?.info(
        `Could not verify the cleanup policy of '${topic.name}' topic is 'compact': the topic exists but the broker asked ` +
          `still did not know it after ${visibleWithinMs} ms (its metadata lags the controller's).`,
      );
      return false;
    }
    const policies = read.kind === 'policy' ? read.policies : new Set<string>();
    if (policies.size === 0) {
      this.log?.info(
        `Unable to use admin client to verify the cleanup policy of '${topic.name}' topic is 'compact', either because the ` +
          'broker is an older version or because the Kafka principal used for Connect internal topics does not have the ' +
          'required permission to describe topic configurations.',
      );
      return false;
    }
    if (policies.size !== 1 || !policies.has('compact')) {
      const found = [...policies].join(',');
      throw new ConfigError(
        `Topic '${topic.name}' supplied via the '${topic.workerTopicConfig}' property is required to have ` +
          `'cleanup.policy=compact' to guarantee consistency and durability of ${topic.purpose}, but found the topic ` +
          `currently has 'cleanup.policy=${found}'. Continuing would likely result in eventually losing ${topic.purpose} ` +
          `and problems restarting this Connect cluster in the future. Change the '${topic.workerTopicConfig}' property ` +
          "in the Connect worker configurations to use a topic with 'cleanup.policy=compact'.",
        topic.workerTopicConfig,
      );
    }
    return true;
  }

  /**
   * The cleanup policy of a topic known to exist; `invisible` when the broker still does not know
   * it after `visibleWithinMs`, `unreadable` when its configs cannot be described (permissions,
   * old broker, no connection).
   */
  private async readCleanupPolicy(name: string, visibleWithinMs: number): Promise<CleanupPolicyRead> {
    const deadline = Date.now() + visibleWithinMs;
    for (let backoffMs = 50; ; backoffMs = Math.min(backoffMs * 2, 1000)) {
      let described: DescribedConfig;
      try {
        described = await this.describe(name, 'cleanup.policy');
      } catch (err) {
        this.log?.debug(`Could not describe the configs of topic '${name}': ${(err as Error).message}`);
        return { kind: 'unreadable' };
      }
      if (described.topicExists) return { kind: 'policy', policies: parsePolicies(described.value) };
      const left = deadline - Date.now();
      if (left <= 0) return { kind: 'invisible' };
      this.log?.debug(`Topic '${name}' exists but the broker does not know it yet (just created by another worker?): asking again`);
      await new Promise((resolve) => setTimeout(resolve, Math.min(backoffMs, left)));
    }
  }

  /** The topic's cleanup policies, lower-cased; empty when the topic or its config cannot be read. */
  async topicCleanupPolicy(name: string): Promise<Set<string>> {
    const read = await this.readCleanupPolicy(name, 0);
    return read.kind === 'policy' ? read.policies : new Set();
  }

  /** One topic config's value; null when the topic does not exist or the config is unset. */
  async describeTopicConfig(topic: string, configName: string): Promise<string | null> {
    return (await this.describe(topic, configName)).value;
  }

  private async describe(topic: string, configName: string): Promise<DescribedConfig> {
    const protocol = String(this.clientConfig['security.protocol'] ?? 'PLAINTEXT').toUpperCase();
    const security = this.security ?? (protocol === 'SSL' ? { protocol: 'SSL' as const } : protocol === 'PLAINTEXT' ? { protocol: 'PLAINTEXT' as const } : null);
    if (!security) throw new Error(`no credentials to describe topic configs over ${protocol}`);
    const bootstrap = String(this.clientConfig['bootstrap.servers'] ?? this.clientConfig['metadata.broker.list'] ?? '');
    let lastError: Error = new Error(`no broker address in "${bootstrap}"`);
    for (const address of parseBootstrap(bootstrap)) {
      let conn: KafkaConnection | undefined;
      try {
        conn = await KafkaConnection.connect(address, { clientId: 'sluice-topic-admin', security });
        const response = await conn.request(DESCRIBE_CONFIGS_API_KEY, DESCRIBE_CONFIGS_VERSION, describeConfigsRequest(topic, configName));
        return parseDescribeConfigs(response, topic, configName);
      } catch (err) {
        lastError = err as Error;
      } finally {
        conn?.close();
      }
    }
    throw lastError;
  }
}

/** What DescribeConfigs said of one topic config. */
interface DescribedConfig {
  /** False: the broker answered UNKNOWN_TOPIC_OR_PARTITION. */
  topicExists: boolean;
  /** null when the topic does not exist or the config is unset. */
  value: string | null;
}

type CleanupPolicyRead = { kind: 'policy'; policies: Set<string> } | { kind: 'invisible' } | { kind: 'unreadable' };

function parsePolicies(value: string | null): Set<string> {
  if (value == null) return new Set();
  return new Set(value.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0));
}

function describeConfigsRequest(topic: string, configName: string): Buffer {
  const name = Buffer.from(topic, 'utf8');
  const config = Buffer.from(configName, 'utf8');
  const body = Buffer.alloc(4 + 1 + 2 + name.length + 4 + 2 + config.length + 1);
  let pos = body.writeInt32BE(1, 0); // one resource
  pos = body.writeInt8(RESOURCE_TYPE_TOPIC, pos);
  pos = body.writeInt16BE(name.length, pos);
  pos += name.copy(body, pos);
  pos = body.writeInt32BE(1, pos); // one config name
  pos = body.writeInt16BE(config.length, pos);
  pos += config.copy(body, pos);
  body.writeInt8(0, pos); // include_synonyms: false
  return body;
}

function parseDescribeConfigs(buf: Buffer, topic: string, configName: string): DescribedConfig {
  let pos = 4; // throttle_time_ms
  const int8 = (): number => buf.readInt8(pos++);
  const int16 = (): number => {
    const v = buf.readInt16BE(pos);
    pos += 2;
    return v;
  };
  const int32 = (): number => {
    const v = buf.readInt32BE(pos);
    pos += 4;
    return v;
  };
  const string = (): string | null => {
    const len = int16();
    if (len < 0) return null;
    const s = buf.toString('utf8', pos, pos + len);
    pos += len;
    return s;
  };
  const results = int32();
  for (let r = 0; r < results; r++) {
    const errorCode = int16();
    const errorMessage = string();
    int8(); // resource_type
    const resourceName = string();
    if (errorCode === UNKNOWN_TOPIC_OR_PARTITION) return { topicExists: false, value: null };
    if (errorCode !== 0) throw new Error(`DescribeConfigs of topic '${resourceName}' failed with error ${errorCode}: ${errorMessage ?? ''}`);
    const configs = int32();
    let found: string | null = null;
    for (let c = 0; c < configs; c++) {
      const name = string();
      const value = string();
      int8(); // read_only
      int8(); // config_source
      int8(); // is_sensitive
      const synonyms = int32();
      for (let s = 0; s < synonyms; s++) {
        string();
        string();
        int8();
      }
      if (name === configName && resourceName === topic) found = value;
    }
    if (resourceName === topic) return { topicExists: true, value: found };
  }
  // No result for the topic at all: its configs could not be read.
  return { topicExists: true, value: null };
}

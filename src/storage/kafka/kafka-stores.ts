/**
 * The three stores of a distributed worker, configured from its DistributedConfig as
 * ConnectDistributed builds them: the topics' names, partitions, replication factors and extra
 * settings, the worker's top-level client settings, and client ids "<group>[-<client.id>]-configs".
 */
import type { DistributedConfig } from '../../config/distributed-config.js';
import {
  CONFIG_STORAGE_PREFIX, CONFIG_STORAGE_REPLICATION_FACTOR_CONFIG, OFFSET_STORAGE_PARTITIONS_CONFIG, OFFSET_STORAGE_PREFIX,
  OFFSET_STORAGE_REPLICATION_FACTOR_CONFIG, STATUS_STORAGE_PARTITIONS_CONFIG, STATUS_STORAGE_PREFIX, STATUS_STORAGE_REPLICATION_FACTOR_CONFIG,
} from '../../config/distributed-config.js';
import { toLibrdkafkaConfig } from '../../kafka/client-config.js';
import { securityFromConfig } from '../../kafka/protocol/security.js';
import type { Logger } from '../../util/logger.js';
import { KafkaConfigStore } from './kafka-config-store.js';
import { KafkaOffsetStore } from './kafka-offset-store.js';
import { KafkaStatusStore } from './kafka-status-store.js';

export interface KafkaStores {
  configs: KafkaConfigStore;
  offsets: KafkaOffsetStore;
  statuses: KafkaStatusStore;
}

/** ConnectUtils.clientIdBase: "<group.id>-", or "<group.id>-<client.id>-" when client.id is set. */
export function clientIdBase(config: DistributedConfig): string {
  const clientId = config.getString('client.id');
  return `${config.groupId()}${clientId && clientId.trim() !== '' ? `-${clientId}` : ''}-`;
}

/** Creates (does not start) the stores; start configs, offsets and statuses before using them. */
export function createKafkaStores(config: DistributedConfig, log?: Logger): KafkaStores {
  const clientConfig = toLibrdkafkaConfig(config.internalClientConfig());
  const security = securityFromConfig(config.internalClientConfig());
  const base = clientIdBase(config);
  return {
    configs: new KafkaConfigStore({
      topic: config.configTopic(),
      replicationFactor: config.getShort(CONFIG_STORAGE_REPLICATION_FACTOR_CONFIG),
      topicSettings: config.topicSettings(CONFIG_STORAGE_PREFIX),
      clientConfig, clientIdBase: base, log, security,
    }),
    offsets: new KafkaOffsetStore({
      topic: config.offsetsTopic(),
      partitions: config.getInt(OFFSET_STORAGE_PARTITIONS_CONFIG),
      replicationFactor: config.getShort(OFFSET_STORAGE_REPLICATION_FACTOR_CONFIG),
      topicSettings: config.topicSettings(OFFSET_STORAGE_PREFIX),
      clientConfig, clientIdBase: base, log, security,
      timeoutMs: config.offsetFlushTimeoutMs(),
    }),
    statuses: new KafkaStatusStore({
      topic: config.statusTopic(),
      partitions: config.getInt(STATUS_STORAGE_PARTITIONS_CONFIG),
      replicationFactor: config.getShort(STATUS_STORAGE_REPLICATION_FACTOR_CONFIG),
      topicSettings: config.topicSettings(STATUS_STORAGE_PREFIX),
      clientConfig, clientIdBase: base, log, security,
    }),
  };
}

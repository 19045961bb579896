/**
 * The offsets endpoints' work (Kafka Connect's Worker.connectorOffsets / modifyConnectorOffsets):
 * a sink's offsets are its consumer group's (`connect-<name>`) committed offsets, a source's are
 * the offset store's. The herder checks the connector exists and, to change offsets, is STOPPED.
 *
 * A connector may take part through an optional `alterOffsets(config, offsets)` returning true when
 * it manages its offsets itself too (Connector.alterOffsets in Kafka Connect); the answer's message
 * says which, in Kafka Connect's words.
 */
import { BadRequestError, ConnectError, DataError } from '../api/errors.js';
import type { SourceMap } from '../data/record.js';
import type { WorkerConfig } from '../config/worker-config.js';
import { GroupErrorCode, GroupOffsetsAdmin, GroupOffsetsError, type PartitionOffset } from '../kafka/protocol/group-offsets.js';
import { securityFromConfig } from '../kafka/protocol/security.js';
import type { PluginRegistry } from '../plugins/registry.js';
import type { OffsetStore } from '../storage/offset-store.js';
import type { Logger } from '../util/logger.js';
import type { ConnectorOffset, ConnectorOffsets, Message } from './herder.js';

export const KAFKA_TOPIC_KEY = 'kafka_topic';
export const KAFKA_PARTITION_KEY = 'kafka_partition';
export const KAFKA_OFFSET_KEY = 'kafka_offset';

/** An admin for one consumer group. */
export type GroupAdminFactory = (groupId: string) => GroupOffsetsAdmin;

/**
 * The admin behind a sink connector's offsets endpoints, in both modes: it reaches the brokers as
 * Kafka Connect's Worker.adminConfigs does, with the worker's top-level client settings (TLS,
 * SASL) overridden by its `admin.*` ones. Security settings sluice cannot use fail here, when the
 * worker starts, naming the key.
 */
export function sinkOffsetsAdminFactory(config: WorkerConfig, options: { timeoutMs?: number } = {}): GroupAdminFactory {
  const adminConfig = config.adminClientConfig();
  const bootstrap = adminConfig['bootstrap.servers'] ?? config.bootstrapServers().join(',');
  // Errors name the key as the worker file has it: `admin.ssl.…` only when admin.* sets security.
  const fromAdmin = Object.keys(config.originalsWithPrefix('admin.')).some((k) => /^(security\.protocol$|sasl\.|ssl\.)/.test(k));
  const security = securityFromConfig(adminConfig, fromAdmin ? 'admin.' : '');
  return (groupId) => new GroupOffsetsAdmin(groupId, { bootstrap, clientId: 'sluice-offsets-admin', security, ...options });
}

export interface ConnectorOffsetsOptions {
  registry: PluginRegistry;
  offsetStore: OffsetStore;
  groupAdmin: GroupAdminFactory;
  log: Logger;
}

interface TopicPartitionOffset {
  topic: string;
  partition: number;
  /** null: reset (delete) this partition's offset. */
  offset: bigint | null;
}

/** The optional hook: a connector that overrides it keeps its own offsets in step. */
interface OffsetsAware {
  alterOffsets(config: Record<string, string>, offsets: unknown): boolean | Promise<boolean>;
}

/** Kafka Connect's consumer group id for a sink connector (SinkUtils.consumerGroupId). */
export function consumerGroupId(connector: string): string {
  return `connect-${connector}`;
}

const ZOMBIE_HINT =
  'completed. If the connector is in a stopped state, this operation can be safely retried. If it doesn\'t eventually succeed, the ' +
  'Connect cluster may need to be restarted to get rid of the zombie sink tasks.';

export class ConnectorOffsetsManager {
  constructor(private readonly opts: ConnectorOffsetsOptions) {}

  private isSink(config: Record<string, string>): boolean {
    return this.opts.registry.connector(config['connector.class'] ?? '').kind === 'sink';
  }

  async list(name: string, config: Record<string, string>): Promise<ConnectorOffsets> {
    if (!this.isSink(config)) {
      return { offsets: this.opts.offsetStore.list(name).map(({ partition, offset }) => ({ partition, offset })) };
    }
    let committed: PartitionOffset[];
    try {
      committed = await this.opts.groupAdmin(consumerGroupId(name)).listOffsets();
    } catch (err) {
      this.opts.log.error({ err }, `Failed to retrieve consumer group offsets for sink connector ${name}`);
      throw new ConnectError(`Failed to retrieve consumer group offsets for sink connector ${name}`, { cause: err });
    }
    return {
      offsets: committed.map((o) => ({
        partition: { [KAFKA_TOPIC_KEY]: o.topic, [KAFKA_PARTITION_KEY]: o.partition },
        offset: { [KAFKA_OFFSET_KEY]: Number(o.offset) },
      })),
    };
  }

  /** Alter the given partitions' offsets; a null offset resets that partition. */
  async alter(name: string, config: Record<string, string>, offsets: ConnectorOffset[]): Promise<Message> {
    if (this.isSink(config)) {
      const parsed = parseSinkConnectorOffsets(offsets);
      const managed = await this.callAlterOffsets(name, config, parsed);
      await this.writeSinkOffsets(name, parsed);
      return modifiedMessage(managed, false);
    }
    const entries = offsets.map((o) => {
      if (o.partition === null) throw new BadRequestError('The partition for a source connector offset cannot be null or missing');
      validateFormat(o.partition);
      validateFormat(o.offset);
      return { connector: name, partition: o.partition as SourceMap, offset: o.offset as SourceMap | null };
    });
    const managed = await this.callAlterOffsets(name, config, entries.map(({ partition, offset }) => ({ partition, offset })));
    try {
      await this.opts.offsetStore.set(entries);
    } catch (err) {
      throw new ConnectError(`Failed to modify offsets for source connector ${name}`, { cause: err });
    }
    return modifiedMessage(managed, false);
  }

  /** Reset every offset of the connector. */
  async reset(name: string, config: Record<string, string>): Promise<Message> {
    if (this.isSink(config)) {
      const admin = this.opts.groupAdmin(consumerGroupId(name));
      let partitions: PartitionOffset[];
      try {
        partitions = await admin.listOffsets();
      } catch (err) {
        throw new ConnectError(`Failed to list offsets prior to resetting offsets for sink connector ${name}`, { cause: err });
      }
      const managed = await this.callAlterOffsets(
        name,
        config,
        partitions.map((p) => ({ topic: p.topic, partition: p.partition, offset: null })),
      );
      try {
        await admin.deleteGroup();
      } catch (err) {
        // Resetting is idempotent: a group already gone is already reset.
        if (!(err instanceof GroupOffsetsError && err.code === GroupErrorCode.GROUP_ID_NOT_FOUND)) {
          if (err instanceof GroupOffsetsError && err.code === GroupErrorCode.NON_EMPTY_GROUP) {
            throw new ConnectError(
              `Failed to reset consumer group offsets for connector ${name} either because its tasks ` +
                `haven't stopped completely yet or the connector was resumed before the request to reset its offsets could be successfully ${ZOMBIE_HINT}`,
              { cause: err },
            );
          }
          throw new ConnectError(`Failed to reset consumer group offsets for sink connector ${name}`, { cause: err });
        }
      }
      return modifiedMessage(managed, true);
    }
    const entries = this.opts.offsetStore.list(name).map(({ partition }) => ({ connector: name, partition, offset: null }));
    const managed = await this.callAlterOffsets(name, config, entries.map(({ partition }) => ({ partition, offset: null })));
    if (entries.length > 0) {
      try {
        await this.opts.offsetStore.set(entries);
      } catch (err) {
        throw new ConnectError(`Failed to modify offsets for source connector ${name}`, { cause: err });
      }
    } else {
      this.opts.log.info(
        `No offsets found for source connector ${name} - this can occur due to a prior attempt to reset offsets or if the ` +
          'source connector hasn\'t committed any offsets yet',
      );
    }
    return modifiedMessage(managed, true);
  }

  /** The connector's alterOffsets(), when it has one; false (framework-managed only) otherwise. */
  private async callAlterOffsets(name: string, config: Record<string, string>, offsets: unknown): Promise<boolean> {
    const connector = this.opts.registry.connector(config['connector.class'] ?? '').create() as unknown as Partial<OffsetsAware>;
    if (typeof connector.alterOffsets !== 'function') return false;
    try {
      return await connector.alterOffsets(config, offsets);
    } catch (err) {
      if (err instanceof ConnectError) throw err;
      throw new ConnectError(`Failed to modify offsets for connector ${name}: ${(err as Error).message}`, { cause: err });
    }
  }

  private async writeSinkOffsets(name: string, offsets: TopicPartitionOffset[]): Promise<void> {
    const admin = this.opts.groupAdmin(consumerGroupId(name));
    const toCommit = offsets.filter((o) => o.offset !== null).map((o) => ({ topic: o.topic, partition: o.partition, offset: o.offset! }));
    const toDelete = offsets.filter((o) => o.offset === null).map((o) => ({ topic: o.topic, partition: o.partition }));
    try {
      await admin.commitOffsets(toCommit);
      await admin.deleteOffsets(toDelete);
    } catch (err) {
      // A non-empty group refuses both: its tasks are still members.
      if (err instanceof GroupOffsetsError && (err.code === GroupErrorCode.UNKNOWN_MEMBER_ID || err.code === GroupErrorCode.GROUP_SUBSCRIBED_TO_TOPIC)) {
        throw new ConnectError(
          `Failed to alter consumer group offsets for connector ${name} either because its tasks ` +
            `haven't stopped completely yet or the connector was resumed before the request to alter its offsets could be successfully ${ZOMBIE_HINT}`,
          { cause: err },
        );
      }
      throw new ConnectError(`Failed to alter consumer group offsets for connector ${name}`, { cause: err });
    }
  }
}

function modifiedMessage(connectorManaged: boolean, reset: boolean): Message {
  const type = reset ? 'reset' : 'altered';
  if (connectorManaged) return { message: `The offsets for this connector have been ${type} successfully` };
  return {
    message:
      `The Connect framework-managed offsets for this connector have been ${type} successfully. However, if this connector ` +
      `manages offsets externally, they will need to be manually ${type} in the system that the connector uses.`,
  };
}

/** Java's String.valueOf for a JSON value, as SinkUtils prints it. */
function javaText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** SinkUtils.parseSinkConnectorOffsets, with its messages: "10" and 10 are both accepted. */
export function parseSinkConnectorOffsets(offsets: ConnectorOffset[]): TopicPartitionOffset[] {
  return offsets.map(({ partition, offset }) => {
    if (partition === null) throw new BadRequestError('The partition for a sink connector offset cannot be null or missing');
    if (!Object.hasOwn(partition, KAFKA_TOPIC_KEY) || !Object.hasOwn(partition, KAFKA_PARTITION_KEY)) {
      throw new BadRequestError(
        `The partition for a sink connector offset must contain the keys '${KAFKA_TOPIC_KEY}' and '${KAFKA_PARTITION_KEY}'`,
      );
    }
    const topic = partition[KAFKA_TOPIC_KEY];
    if (topic === null) throw new BadRequestError('Kafka topic names must be valid strings and may not be null');
    const rawPartition = partition[KAFKA_PARTITION_KEY];
    if (rawPartition === null) throw new BadRequestError('Kafka partitions must be valid numbers and may not be null');
    const partitionText = javaText(rawPartition);
    const partitionNumber = /^[+-]?\d+$/.test(partitionText) ? Number(partitionText) : Number.NaN;
    if (!Number.isInteger(partitionNumber) || partitionNumber < -2147483648 || partitionNumber > 2147483647) {
      throw new BadRequestError(
        `Failed to parse the following Kafka partition value in the provided offsets: '${partitionText}'. ` +
          'Partition values for sink connectors need to be integers.',
      );
    }
    if (offset === null) return { topic: javaText(topic), partition: partitionNumber, offset: null };
    if (!Object.hasOwn(offset, KAFKA_OFFSET_KEY)) {
      throw new BadRequestError(`The offset for a sink connector should either be null or contain the key '${KAFKA_OFFSET_KEY}'`);
    }
    const offsetText = javaText(offset[KAFKA_OFFSET_KEY]);
    let value: bigint | null = null;
    if (/^[+-]?\d+$/.test(offsetText)) {
      const parsed = BigInt(offsetText);
      if (parsed >= -(2n ** 63n) && parsed < 2n ** 63n) value = parsed;
    }
    if (value === null) {
      throw new BadRequestError(
        `Failed to parse the following Kafka offset value in the provided offsets: '${offsetText}'. ` +
          'Offset values for sink connectors need to be integers.',
      );
    }
    return { topic: javaText(topic), partition: partitionNumber, offset: value };
  });
}

/** OffsetUtils.validateFormat: string keys, primitive (or null) values. */
function validateFormat(data: Record<string, unknown> | null): void {
  if (data === null) return;
  for (const [key, value] of Object.entries(data)) {
    if (value === null) continue;
    const kind = typeof value;
    if (kind !== 'string' && kind !== 'number' && kind !== 'boolean') {
      const schemaType = Array.isArray(value) ? 'ARRAY' : 'MAP';
      throw new DataError(`Offsets may only contain primitive types as values, but field ${key} contains ${schemaType}`);
    }
  }
}

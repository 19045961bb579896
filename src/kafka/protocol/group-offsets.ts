/**
 * Consumer group offsets as an admin sees them (the Java Admin's listConsumerGroupOffsets,
 * alterConsumerGroupOffsets, deleteConsumerGroupOffsets and deleteConsumerGroups), for the sink
 * connector offsets endpoints. node-rdkafka binds none of these, so they speak the protocol:
 * FindCoordinator v1, OffsetFetch v5, OffsetCommit v7, OffsetDelete v0 and DeleteGroups v1, all
 * versions every Kafka 4.x broker serves (non-flexible encodings, so no tagged fields).
 */
import { KafkaConnection, parseBootstrap, type BrokerAddress } from './connection.js';
import type { ConnectionSecurity } from './security.js';

const API_OFFSET_COMMIT = 8;
const API_OFFSET_FETCH = 9;
const API_FIND_COORDINATOR = 10;
const API_DELETE_GROUPS = 42;
const API_OFFSET_DELETE = 47;

/** The broker error codes these calls act on (org.apache.kafka.common.protocol.Errors). */
export const GroupErrorCode = {
  NONE: 0,
  COORDINATOR_LOAD_IN_PROGRESS: 14,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  UNKNOWN_MEMBER_ID: 25,
  NON_EMPTY_GROUP: 68,
  GROUP_ID_NOT_FOUND: 69,
  GROUP_SUBSCRIBED_TO_TOPIC: 86,
} as const;

const RETRIABLE = new Set<number>([
  GroupErrorCode.COORDINATOR_LOAD_IN_PROGRESS,
  GroupErrorCode.COORDINATOR_NOT_AVAILABLE,
  GroupErrorCode.NOT_COORDINATOR,
]);

/** A broker's error answer; `code` is the protocol error code. */
export class GroupOffsetsError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
    this.name = 'GroupOffsetsError';
  }
}

export interface PartitionOffset {
  topic: string;
  partition: number;
  offset: bigint;
}

export interface GroupOffsetsOptions {
  bootstrap: string;
  clientId?: string;
  /** Shorthand for `security: { protocol: 'SSL' }` with default TLS options. */
  useTls?: boolean;
  /** How connections are secured (the worker's security.protocol, ssl.*, sasl.*); wins over `useTls`. */
  security?: ConnectionSecurity;
  /** Overall time for one call, coordinator retries included. */
  timeoutMs?: number;
}

class Writer {
  private readonly parts: Buffer[] = [];
  int8(v: number): this {
    const b = Buffer.alloc(1);
    b.writeInt8(v);
    this.parts.push(b);
    return this;
  }
  int32(v: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    this.parts.push(b);
    return this;
  }
  int64(v: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(v);
    this.parts.push(b);
    return this;
  }
  string(v: string | null): this {
    if (v === null) {
      const b = Buffer.alloc(2);
      b.writeInt16BE(-1);
      this.parts.push(b);
      return this;
    }
    const bytes = Buffer.from(v, 'utf8');
    const len = Buffer.alloc(2);
    len.writeInt16BE(bytes.length);
    this.parts.push(len, bytes);
    return this;
  }
  array<T>(items: readonly T[] | null, each: (w: this, item: T) => void): this {
    this.int32(items === null ? -1 : items.length);
    for (const item of items ?? []) each(this, item);
    return this;
  }
  build(): Buffer {
    return Buffer.concat(this.parts);
  }
}

class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  int16(): number {
    const v = this.buf.readInt16BE(this.pos);
    this.pos += 2;
    return v;
  }
  int32(): number {
    const v = this.buf.readInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  int64(): bigint {
    const v = this.buf.readBigInt64BE(this.pos);
    this.pos += 8;
    return v;
  }
  string(): string | null {
    const len = this.int16();
    if (len < 0) return null;
    const s = this.buf.toString('utf8', this.pos, this.pos + len);
    this.pos += len;
    return s;
  }
  array<T>(each: () => T): T[] {
    const n = this.int32();
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(each());
    return out;
  }
}

function byTopic<T extends { topic: string }>(items: readonly T[]): [string, T[]][] {
  const map = new Map<string, T[]>();
  for (const item of items) {
    let list = map.get(item.topic);
    if (list === undefined) map.set(item.topic, (list = []));
    list.push(item);
  }
  return [...map];
}

/** The admin operations on one consumer group, each on a fresh connection to its coordinator. */
export class GroupOffsetsAdmin {
  private readonly addresses: BrokerAddress[];
  private readonly clientId: string;
  private readonly timeoutMs: number;

  constructor(private readonly groupId: string, private readonly opts: GroupOffsetsOptions) {
    this.addresses = parseBootstrap(opts.bootstrap);
    this.clientId = opts.clientId ?? 'sluice-admin';
    this.timeoutMs = opts.timeoutMs ?? 30_000;
  }

  /** Every committed offset of the group (OffsetFetch with all topics). */
  async listOffsets(): Promise<PartitionOffset[]> {
    const body = new Writer().string(this.groupId).array(null, () => {}).build();
    return this.withCoordinator(API_OFFSET_FETCH, 5, body, (r) => {
      r.int32(); // throttle_time_ms
      const out: PartitionOffset[] = [];
      const errors: number[] = [];
      r.array(() => {
        const topic = r.string() ?? '';
        r.array(() => {
          const partition = r.int32();
          const offset = r.int64();
          r.int32(); // committed_leader_epoch
          r.string(); // metadata
          const error = r.int16();
          if (error !== 0) errors.push(error);
          else if (offset >= 0n) out.push({ topic, partition, offset });
        });
      });
      const groupError = r.int16();
      return { error: groupError !== 0 ? groupError : (errors[0] ?? 0), value: out };
    });
  }

  /** Commit offsets as a non-member (generation -1): the broker refuses while the group has members. */
  async commitOffsets(offsets: readonly PartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    const body = new Writer()
      .string(this.groupId)
      .int32(-1) // generation_id
      .string('') // member_id
      .string(null) // group_instance_id
      .array(byTopic(offsets), (w, [topic, parts]) => {
        w.string(topic).array(parts, (pw, p) => {
          pw.int32(p.partition).int64(p.offset).int32(-1).string(null);
        });
      })
      .build();
    await this.withCoordinator(API_OFFSET_COMMIT, 7, body, (r) => {
      r.int32(); // throttle_time_ms
      let error = 0;
      r.array(() => {
        r.string();
        r.array(() => {
          r.int32();
          const code = r.int16();
          if (code !== 0 && error === 0) error = code;
        });
      });
      return { error, value: undefined };
    });
  }

  /** Delete the group's offsets of these partitions. */
  async deleteOffsets(partitions: readonly { topic: string; partition: number }[]): Promise<void> {
    if (partitions.length === 0) return;
    const body = new Writer()
      .string(this.groupId)
      .array(byTopic(partitions), (w, [topic, parts]) => {
        w.string(topic).array(parts, (pw, p) => pw.int32(p.partition));
      })
      .build();
    await this.withCoordinator(API_OFFSET_DELETE, 0, body, (r) => {
      const groupError = r.int16();
      r.int32(); // throttle_time_ms
      let error = groupError;
      r.array(() => {
        r.string();
        r.array(() => {
          r.int32();
          const code = r.int16();
          if (code !== 0 && error === 0) error = code;
        });
      });
      return { error, value: undefined };
    });
  }

  /** Delete the whole group (fails with NON_EMPTY_GROUP while it has members). */
  async deleteGroup(): Promise<void> {
    const body = new Writer().array([this.groupId], (w, g) => w.string(g)).build();
    await this.withCoordinator(API_DELETE_GROUPS, 1, body, (r) => {
      r.int32(); // throttle_time_ms
      let error = 0;
      r.array(() => {
        r.string();
        const code = r.int16();
        if (code !== 0) error = code;
      });
      return { error, value: undefined };
    });
  }

  /**
   * Find the group's coordinator and send it one request; retries the coordinator errors
   * (loading, moved, not available) until the timeout.
   */
  private async withCoordinator<T>(
    apiKey: number,
    version: number,
    body: Buffer,
    parse: (r: Reader) => { error: number; value: T },
  ): Promise<T> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const coordinator = await this.findCoordinator();
      const conn = await KafkaConnection.connect(coordinator, this.connectOptions());
      let result: { error: number; value: T };
      try {
        result = parse(new Reader(await conn.request(apiKey, version, body)));
      } finally {
        conn.close();
      }
      if (result.error === 0) return result.value;
      if (!RETRIABLE.has(result.error) || Date.now() > deadline) {
        throw new GroupOffsetsError(result.error, `group ${this.groupId}: broker error code ${result.error}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private connectOptions(): { clientId: string; useTls?: boolean; security?: ConnectionSecurity } {
    return { clientId: this.clientId, useTls: this.opts.useTls, security: this.opts.security };
  }

  private async findCoordinator(): Promise<BrokerAddress> {
    const deadline = Date.now() + this.timeoutMs;
    let lastError: unknown = new Error(`no broker address in "${this.opts.bootstrap}"`);
    for (;;) {
      for (const address of this.addresses) {
        let conn: KafkaConnection | undefined;
        try {
          conn = await KafkaConnection.connect(address, this.connectOptions());
          const r = new Reader(await conn.request(API_FIND_COORDINATOR, 1, new Writer().string(this.groupId).int8(0).build()));
          r.int32(); // throttle_time_ms
          const error = r.int16();
          const message = r.string();
          const nodeId = r.int32();
          const host = r.string() ?? '';
          const port = r.int32();
          if (error === 0 && nodeId >= 0) return { host, port };
          lastError = new GroupOffsetsError(error, `finding the coordinator of group ${this.groupId}: ${message ?? `error code ${error}`}`);
          if (!RETRIABLE.has(error)) throw lastError;
        } catch (err) {
          if (err instanceof GroupOffsetsError && !RETRIABLE.has(err.code)) throw err;
          lastError = err;
        } finally {
          conn?.close();
        }
      }
      if (Date.now() > deadline) throw lastError;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/**
 * Kafka Connect's group sub-protocol: the worker metadata a member sends in JoinGroup and the
 * assignment the leader hands out in SyncGroup, byte for byte as Apache Kafka's ConnectProtocol
 * (`default`, version 0) and IncrementalCooperativeConnectProtocol (`compatible` v1, `sessioned`
 * v2) write them, so sluice and Java workers can share one group.
 *
 * Subscription V0:                         Subscription V1/V2:
 *   Version      => Int16                    Version            => Int16
 *   Url          => String                   Url                => String
 *   ConfigOffset => Int64                    ConfigOffset       => Int64
 *                                            Current Assignment => Nullable Bytes (a complete assignment V1/V2)
 *
 * Complete Assignment V0:                  Complete Assignment V1/V2:
 *   Version      => Int16                    Version        => Int16
 *   Error        => Int16                    Error          => Int16
 *   Leader       => String                   Leader         => String
 *   LeaderUrl    => String                   LeaderUrl      => String
 *   ConfigOffset => Int64                    ConfigOffset   => Int64
 *   Assignment   => [Connector Assignment]   Assignment     => Nullable [Connector Assignment]
 *                                            Revoked        => Nullable [Connector Assignment]
 *                                            ScheduledDelay => Int32
 * Connector Assignment:
 *   Connector => String
 *   Tasks     => [Int32]   (-1, CONNECTOR_TASK, stands for the connector instance itself)
 *
 * Strings and arrays are the classic (non-compact) protocol types: int16/int32 lengths.
 * V2 differs from V1 only in the version number: it tells the group every member can verify
 * signed inter-worker requests (KIP-507).
 */
import { Reader, Writer } from '../../kafka/protocol/codec.js';
import type { GroupProtocol } from '../../kafka/protocol/join-group.js';

/** Kafka Connect's group protocol type (WorkerCoordinator.protocolType()). */
export const CONNECT_PROTOCOL_TYPE = 'connect';

export const CONNECT_PROTOCOL_V0 = 0;
export const CONNECT_PROTOCOL_V1 = 1;
export const CONNECT_PROTOCOL_V2 = 2;

/** The sentinel task number that stands for the connector instance in a Connector Assignment. */
export const CONNECTOR_TASK = -1;

/** Assignment error codes (ConnectProtocol.Assignment). */
export const ASSIGNMENT_NO_ERROR = 0;
/** The leader was behind the config topic: members read to its end and rejoin. */
export const ASSIGNMENT_CONFIG_MISMATCH = 1;

/** `connect.protocol` values and the group protocol name each one is advertised under. */
export type ConnectProtocolMode = 'eager' | 'compatible' | 'sessioned';
export const PROTOCOL_NAMES = { eager: 'default', compatible: 'compatible', sessioned: 'sessioned' } as const;
export type ConnectProtocolName = (typeof PROTOCOL_NAMES)[ConnectProtocolMode];

export function protocolVersionOf(name: string): number {
  switch (name) {
    case 'default':
      return CONNECT_PROTOCOL_V0;
    case 'compatible':
      return CONNECT_PROTOCOL_V1;
    case 'sessioned':
      return CONNECT_PROTOCOL_V2;
    default:
      throw new Error(`Not found Connect protocol compatibility mode for protocol: ${name}`);
  }
}

export interface ConnectorTaskId {
  connector: string;
  task: number;
}

/** A worker's state as it joins: its REST URL, the config topic offset it has read to, and what it runs. */
export interface WorkerState {
  url: string;
  configOffset: number;
  /** What the worker was last assigned (V1+); null for a worker with no assignment yet, and always for V0. */
  assignment: ConnectAssignment | null;
}

/**
 * One member's assignment. Under V1/V2 (incremental cooperative) `connectors`/`tasks` are what
 * this round newly assigns and `revoked*` what the member must stop; under V0 it is everything
 * the member runs and nothing is revoked.
 */
export interface ConnectAssignment {
  version: number;
  error: number;
  leader: string;
  leaderUrl: string;
  configOffset: number;
  connectors: string[];
  tasks: ConnectorTaskId[];
  revokedConnectors: string[];
  revokedTasks: ConnectorTaskId[];
  /** Milliseconds after which the member should rejoin (a scheduled rebalance); 0 when none. */
  delay: number;
}

export class ConnectProtocolError extends Error {
  override readonly name = 'ConnectProtocolError';
}

// ---- worker metadata ----

export function serializeMetadata(state: WorkerState, version: number): Buffer {
  const w = new Writer().int16(version).string(state.url).int64(BigInt(state.configOffset));
  if (version === CONNECT_PROTOCOL_V0) return w.build();
  return w.bytes(state.assignment ? serializeAssignment(state.assignment, version) : null).build();
}

/**
 * The JoinGroup protocols a worker advertises, most preferred first, as WorkerCoordinator.metadata()
 * does: sessioned → [sessioned, compatible, default], compatible → [compatible, default].
 *
 * sluice only runs the incremental cooperative assignor, so it does not offer `default` (eager):
 * a group where some member speaks only eager fails to agree on a protocol
 * (INCONSISTENT_GROUP_PROTOCOL) instead of running the eager assignment. `connect.protocol=eager`
 * is therefore not supported — a deliberate difference from Apache Kafka Connect.
 */
export function metadataProtocols(state: WorkerState, mode: Exclude<ConnectProtocolMode, 'eager'>): GroupProtocol[] {
  const protocols: GroupProtocol[] = [];
  if (mode === 'sessioned') protocols.push({ name: PROTOCOL_NAMES.sessioned, metadata: serializeMetadata(state, CONNECT_PROTOCOL_V2) });
  protocols.push({ name: PROTOCOL_NAMES.compatible, metadata: serializeMetadata(state, CONNECT_PROTOCOL_V1) });
  return protocols;
}

/** Reads any version's metadata (a V0 subscription simply has no current assignment). */
export function deserializeMetadata(buf: Buffer): WorkerState {
  const r = new Reader(buf, 'Connect worker metadata');
  const version = checkVersion(r.int16(), 'subscription');
  const url = r.string();
  const configOffset = Number(r.int64());
  // Java reads the allocation "tolerating missing fields", so V0 metadata parses as V1 without one.
  const allocation = version === CONNECT_PROTOCOL_V0 || r.remaining === 0 ? null : r.nullableBytes();
  return { url, configOffset, assignment: allocation ? deserializeAssignment(allocation) : null };
}

// ---- assignments ----

export function serializeAssignment(a: ConnectAssignment, version: number): Buffer {
  const w = new Writer().int16(version).int16(a.error).string(a.leader).string(a.leaderUrl).int64(BigInt(a.configOffset));
  w.array(connectorAssignments(javaHashSetOrder(a.connectors), a.tasks), writeConnectorAssignment);
  if (version === CONNECT_PROTOCOL_V0) return w.build();
  // Revoked connectors keep their order (Java: stream().distinct()), unlike assigned ones (a HashSet).
  w.array(connectorAssignments(distinct(a.revokedConnectors), a.revokedTasks), writeConnectorAssignment);
  return w.int32(a.delay).build();
}

export function deserializeAssignment(buf: Buffer): ConnectAssignment {
  const r = new Reader(buf, 'Connect assignment');
  const version = checkVersion(r.int16(), 'assignment');
  const error = r.int16();
  const leader = r.string();
  const leaderUrl = r.string();
  const configOffset = Number(r.int64());
  const assigned = r.nullableArray(readConnectorAssignment) ?? [];
  // V1 fields are optional on the wire (Java: TOLERATE_MISSING_FIELDS_WITH_DEFAULTS).
  const revoked = r.remaining > 0 ? (r.nullableArray(readConnectorAssignment) ?? []) : [];
  const delay = r.remaining > 0 ? r.int32() : 0;
  return {
    version,
    error,
    leader,
    leaderUrl,
    configOffset,
    ...splitConnectorAssignments(assigned),
    ...renameRevoked(splitConnectorAssignments(revoked)),
    delay,
  };
}

/** An assignment with nothing in it, from `leader` (what followers of a failed assignment get). */
export function emptyAssignment(version: number, leader: string, leaderUrl: string, configOffset: number, error = ASSIGNMENT_NO_ERROR): ConnectAssignment {
  return { version, error, leader, leaderUrl, configOffset, connectors: [], tasks: [], revokedConnectors: [], revokedTasks: [], delay: 0 };
}

export function taskKey(t: ConnectorTaskId): string {
  return `${t.connector}-${t.task}`;
}

// ---- helpers ----

interface ConnectorAssignment {
  connector: string;
  tasks: number[];
}

function checkVersion(version: number, what: string): number {
  // Java accepts any version >= 0 and reads it as the newest it knows.
  if (version < CONNECT_PROTOCOL_V0) throw new ConnectProtocolError(`Unsupported ${what} version: ${version}`);
  return version;
}

/** Groups by connector: each connector's entry first (-1), then its tasks, in the order given. */
function connectorAssignments(connectors: string[], tasks: ConnectorTaskId[]): ConnectorAssignment[] {
  const byConnector = new Map<string, number[]>();
  for (const c of connectors) byConnector.set(c, [CONNECTOR_TASK]);
  for (const t of tasks) {
    const list = byConnector.get(t.connector);
    if (list) list.push(t.task);
    else byConnector.set(t.connector, [t.task]);
  }
  return [...byConnector].map(([connector, ids]) => ({ connector, tasks: ids }));
}

function writeConnectorAssignment(w: Writer, ca: ConnectorAssignment): void {
  w.string(ca.connector).array(ca.tasks, (x, t) => x.int32(t));
}

function readConnectorAssignment(r: Reader): ConnectorAssignment {
  return { connector: r.string(), tasks: r.array((x) => x.int32()) };
}

function splitConnectorAssignments(list: ConnectorAssignment[]): { connectors: string[]; tasks: ConnectorTaskId[] } {
  const connectors: string[] = [];
  const tasks: ConnectorTaskId[] = [];
  for (const ca of list) {
    for (const task of ca.tasks) {
      if (task === CONNECTOR_TASK) connectors.push(ca.connector);
      else tasks.push({ connector: ca.connector, task });
    }
  }
  return { connectors, tasks };
}

function renameRevoked(x: { connectors: string[]; tasks: ConnectorTaskId[] }): { revokedConnectors: string[]; revokedTasks: ConnectorTaskId[] } {
  return { revokedConnectors: x.connectors, revokedTasks: x.tasks };
}

function distinct(items: string[]): string[] {
  return [...new Set(items)];
}

/**
 * The iteration order of `new HashSet<>(list)` in Java, which is the order ConnectProtocol writes
 * assigned connectors in (Assignment.asMap()). Reproducing it keeps sluice's bytes identical to a
 * Java leader's; readers do not depend on the order. HashMap buckets by (h ^ h >>> 16) & (n - 1)
 * over String.hashCode(), keeps insertion order within a bucket, and sizes the table to the
 * smallest power of two >= max(size / 0.75 + 1, 16). (A bucket of 8+ would make Java resize; with
 * connector counts that high the order may differ, still without changing the meaning.)
 */
export function javaHashSetOrder(items: readonly string[]): string[] {
  const unique = distinct([...items]);
  const wanted = Math.max(Math.floor(unique.length / 0.75) + 1, 16);
  let tableSize = 1;
  while (tableSize < wanted) tableSize <<= 1;
  const buckets = new Map<number, string[]>();
  for (const s of unique) {
    const h = javaStringHash(s);
    const index = (h ^ (h >>> 16)) & (tableSize - 1);
    const bucket = buckets.get(index);
    if (bucket) bucket.push(s);
    else buckets.set(index, [s]);
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]).flatMap(([, bucket]) => bucket);
}

function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

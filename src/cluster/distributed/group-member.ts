/**
 * A Connect worker's membership in its group (`group.id`), spoken directly to Kafka's group
 * coordinator with protocol type `connect`, as Apache Kafka's WorkerGroupMember/WorkerCoordinator
 * do: find the coordinator, join (JoinGroup), let the leader's assignor decide who runs what,
 * distribute it (SyncGroup), heartbeat, and leave on stop.
 *
 * The herder drives it through three things:
 * - `configOffset()`: how far the worker has read the config topic (sent in every join);
 * - `assignor`: called on the member elected leader with every member's metadata;
 * - `listener`: `onRevoked` (stop this work) and `onAssigned` (the complete assignment after this
 *   round), both awaited, in that order, as WorkerCoordinator.onJoinComplete calls them.
 *
 * Besides rejoining when the coordinator asks (heartbeat REBALANCE_IN_PROGRESS), when it lost the
 * member, or when `requestRejoin()` is called, the member rejoins by itself in the cases where
 * Apache Kafka's DistributedHerder asks its WorkerGroupMember to: right after a round that revoked
 * work (once the callbacks resolved), when the leader could not assign (CONFIG_MISMATCH: the
 * herder reads the config topic to the end in onAssigned), and when the leader scheduled a
 * rebalance (`delay`).
 *
 * Heartbeats run on their own timer, so slow callbacks do not cost the session.
 */
import type { Logger } from 'pino';
import type { ApiCodec } from '../../kafka/protocol/api.js';
import { KafkaConnection, KafkaConnectionError, parseBootstrap, type BrokerAddress } from '../../kafka/protocol/connection.js';
import { isProtocolError, KafkaProtocolError, protocolError, throwIfError, ErrorCode } from '../../kafka/protocol/errors.js';
import { COORDINATOR_KEY_TYPE_GROUP, FindCoordinator } from '../../kafka/protocol/find-coordinator.js';
import { Heartbeat } from '../../kafka/protocol/heartbeat.js';
import { JoinGroup, UNKNOWN_MEMBER_ID } from '../../kafka/protocol/join-group.js';
import { LeaveGroup } from '../../kafka/protocol/leave-group.js';
import { assertApiVersions } from '../../kafka/protocol/negotiate.js';
import type { ConnectionSecurity } from '../../kafka/protocol/security.js';
import { SyncGroup } from '../../kafka/protocol/sync-group.js';
import {
  ASSIGNMENT_NO_ERROR,
  CONNECT_PROTOCOL_TYPE,
  deserializeAssignment,
  deserializeMetadata,
  metadataProtocols,
  protocolVersionOf,
  serializeAssignment,
  taskKey,
  type ConnectAssignment,
  type ConnectorTaskId,
  type WorkerState,
} from './connect-protocol.js';

/** What the leader's assignor is given. */
export interface LeaderRound {
  leaderId: string;
  /** The leader's own REST URL, from its metadata. */
  leaderUrl: string;
  /** The protocol the coordinator chose (`sessioned` or `compatible`) and its version (2 or 1). */
  protocolName: string;
  protocolVersion: number;
  /** Every member's metadata, by member id. */
  members: Map<string, WorkerState>;
  generationId: number;
  /** The generation this member last completed a round in (-1 if none): the assignor's continuity check. */
  lastCompletedGenerationId: number;
}

/** Computes every member's assignment (e.g. IncrementalCooperativeAssignor over the config snapshot). */
export type GroupAssignor = (round: LeaderRound) => Map<string, ConnectAssignment> | Promise<Map<string, ConnectAssignment>>;

export interface GroupMemberListener {
  /** Stop running these (only called when something is revoked). */
  onRevoked(leader: string, connectors: string[], tasks: ConnectorTaskId[]): void | Promise<void>;
  /**
   * The member's complete assignment after this round: `connectors`/`tasks` are everything it
   * should run (previous minus revoked plus new); `revoked*` and `delay` are this round's.
   */
  onAssigned(assignment: ConnectAssignment, generation: number): void | Promise<void>;
  /** A failure the member will retry after (broker unreachable, group errors); for logs and status. */
  onError?(err: Error): void;
}

export interface WorkerGroupMemberOptions {
  /** `bootstrap.servers`. */
  bootstrap: string;
  /** `group.id`. */
  groupId: string;
  /** This worker's REST URL, advertised to the leader (rest.advertised.*). */
  restUrl: string;
  /** `connect.protocol`: sessioned (default) or compatible. */
  protocol?: 'sessioned' | 'compatible';
  configOffset: () => number;
  assignor: GroupAssignor;
  listener: GroupMemberListener;
  /** `session.timeout.ms`, default 10000. */
  sessionTimeoutMs?: number;
  /** `rebalance.timeout.ms`, default 60000. */
  rebalanceTimeoutMs?: number;
  /** `heartbeat.interval.ms`, default 3000. */
  heartbeatIntervalMs?: number;
  /** `request.timeout.ms`, default 40000 (Connect's worker default). */
  requestTimeoutMs?: number;
  /** `retry.backoff.ms`, default 100. */
  retryBackoffMs?: number;
  /** `client.id`, default "sluice-group-<group>". */
  clientId?: string;
  security?: ConnectionSecurity;
  log?: Logger;
  /** Sent in ApiVersions (KIP-511). */
  clientSoftware?: { name: string; version: string };
}

type MemberState = 'unjoined' | 'rebalancing' | 'stable';

/** The Java client's default retry.backoff.max.ms. */
const RETRY_BACKOFF_MAX_MS = 1_000;

/** The protocol APIs the coordinator must support at the versions sluice sends. */
const GROUP_APIS = [JoinGroup, SyncGroup, Heartbeat, LeaveGroup] as readonly ApiCodec<never, unknown>[];

export class WorkerGroupMember {
  private readonly opts: Required<Omit<WorkerGroupMemberOptions, 'security' | 'log' | 'clientId' | 'clientSoftware'>> &
    Pick<WorkerGroupMemberOptions, 'security' | 'log'> & { clientId: string; clientSoftware: { name: string; version: string } };
  private coordinator: KafkaConnection | null = null;
  private coordinatorLostAt: number | null = null;
  private state: MemberState = 'unjoined';
  private memberIdValue = UNKNOWN_MEMBER_ID;
  private generationValue = -1;
  private protocolName: string | null = null;
  private lastCompletedGenerationId = -1;
  private snapshot: ConnectAssignment | null = null;
  private rejoinReason: string | null = 'initial join';
  private lastHeartbeatOk = 0;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private scheduledRejoin: NodeJS.Timeout | null = null;
  private wakeUp: (() => void) | null = null;
  private stopping = false;
  private loop: Promise<void> | null = null;

  constructor(options: WorkerGroupMemberOptions) {
    this.opts = {
      protocol: 'sessioned',
      sessionTimeoutMs: 10_000,
      rebalanceTimeoutMs: 60_000,
      heartbeatIntervalMs: 3_000,
      requestTimeoutMs: 40_000,
      retryBackoffMs: 100,
      ...options,
      clientId: options.clientId ?? `sluice-group-${options.groupId}`,
      clientSoftware: options.clientSoftware ?? { name: 'sluice', version: 'unknown' },
    };
    if (this.opts.heartbeatIntervalMs >= this.opts.sessionTimeoutMs) {
      throw new RangeError(`heartbeat.interval.ms (${this.opts.heartbeatIntervalMs}) must be lower than session.timeout.ms (${this.opts.sessionTimeoutMs})`);
    }
    if (parseBootstrap(this.opts.bootstrap).length === 0) throw new RangeError(`bootstrap.servers "${this.opts.bootstrap}" names no broker`);
  }

  get memberId(): string {
    return this.memberIdValue;
  }

  get generationId(): number {
    return this.generationValue;
  }

  /** True when this member's last completed round made it the leader. */
  get isLeader(): boolean {
    return this.state === 'stable' && this.snapshot !== null && this.snapshot.leader === this.memberIdValue;
  }

  /** The complete current assignment, or null before the first round (or after it was revoked). */
  get assignment(): ConnectAssignment | null {
    return this.snapshot;
  }

  /** 2 (sessioned) or 1 (compatible) once a round completed; null before. */
  get currentProtocolVersion(): number | null {
    return this.protocolName ? protocolVersionOf(this.protocolName) : null;
  }

  /** Starts joining the group in the background; the listener hears about the outcome. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.rejoinReason = 'initial join';
    this.loop = this.run();
  }

  /** Asks for a new round (e.g. the config topic changed): the member rejoins as soon as it can. */
  requestRejoin(reason = 'requested'): void {
    this.rejoinReason ??= reason;
    this.wake();
  }

  /**
   * Stops: leaves the group (LeaveGroup, so the others rebalance at once) unless `leaveGroup` is
   * false, in which case the coordinator notices only when the session times out.
   */
  async stop(opts: { leaveGroup?: boolean } = {}): Promise<void> {
    this.stopping = true;
    this.clearTimers();
    this.wake();
    const conn = this.coordinator;
    this.coordinator = null;
    // The loop may sit in a JoinGroup for up to the rebalance timeout, and the broker answers a
    // connection's requests one at a time: leave over a fresh connection, and close this one
    // (which ends the pending join).
    conn?.close();
    if (opts.leaveGroup !== false && conn && this.memberIdValue !== UNKNOWN_MEMBER_ID) {
      let leaving: KafkaConnection | null = null;
      try {
        leaving = await KafkaConnection.connect(conn.address, { ...this.connectOptions(), timeoutMs: 5_000 });
        const res = await leaving.send(
          LeaveGroup,
          { groupId: this.opts.groupId, members: [{ memberId: this.memberIdValue, groupInstanceId: null, reason: 'the worker is stopping' }] },
          { timeoutMs: Math.min(this.opts.requestTimeoutMs, 5_000) },
        );
        throwIfError(res.errorCode, 'LeaveGroup');
        for (const m of res.members) throwIfError(m.errorCode, 'LeaveGroup');
      } catch (err) {
        this.opts.log?.warn({ err }, 'Could not leave the group cleanly; the coordinator will expire this member');
      } finally {
        leaving?.close();
      }
    }
    await this.loop?.catch(() => undefined);
    this.loop = null;
    // A stopped worker runs nothing: a later start() joins as a new member with no assignment.
    this.state = 'unjoined';
    this.memberIdValue = UNKNOWN_MEMBER_ID;
    this.generationValue = -1;
    this.snapshot = null;
    this.lastCompletedGenerationId = -1;
  }

  // ---- the main loop: coordinator discovery and (re)joining ----

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        if (!this.coordinator?.isOpen) {
          await this.ensureCoordinator();
        } else if (this.rejoinReason !== null) {
          await this.joinAndSync();
        } else {
          await this.sleep(this.opts.heartbeatIntervalMs);
        }
        failures = 0;
      } catch (err) {
        if (this.stopping) break;
        this.onLoopError(err as Error);
        // retry.backoff.ms doubling per consecutive failure, up to retry.backoff.max.ms (1 s), as the Java client backs off.
        await this.sleep(Math.min(this.opts.retryBackoffMs * 2 ** failures++, Math.max(this.opts.retryBackoffMs, RETRY_BACKOFF_MAX_MS)));
      }
    }
  }

  private async ensureCoordinator(): Promise<void> {
    this.coordinatorLostAt ??= Date.now();
    try {
      const address = await this.findCoordinator();
      const conn = await KafkaConnection.connect(address, this.connectOptions());
      try {
        await assertApiVersions(conn, GROUP_APIS, this.opts.clientSoftware);
      } catch (err) {
        conn.close();
        throw err;
      }
      if (this.stopping) {
        conn.close();
        return;
      }
      this.coordinator = conn;
      this.coordinatorLostAt = null;
      // As AbstractCoordinator does on discovery: the session is judged afresh against this coordinator.
      this.lastHeartbeatOk = Date.now();
      this.opts.log?.info({ coordinator: `${address.host}:${address.port}` }, 'Discovered group coordinator');
      if (this.state === 'stable') this.scheduleHeartbeat(0);
    } catch (err) {
      await this.revokeIfCoordinatorLostTooLong();
      throw err;
    }
  }

  /** FindCoordinator through each bootstrap broker in turn. */
  private async findCoordinator(): Promise<BrokerAddress> {
    let lastError: Error = new Error(`no broker in bootstrap.servers "${this.opts.bootstrap}"`);
    for (const address of parseBootstrap(this.opts.bootstrap)) {
      let conn: KafkaConnection | null = null;
      try {
        conn = await KafkaConnection.connect(address, this.connectOptions());
        const res = await conn.send(FindCoordinator, { keyType: COORDINATOR_KEY_TYPE_GROUP, coordinatorKeys: [this.opts.groupId] });
        const c = res.coordinators.find((x) => x.key === this.opts.groupId);
        if (!c) throw new Error(`FindCoordinator: broker ${address.host}:${address.port} did not answer for group ${this.opts.groupId}`);
        throwIfError(c.errorCode, 'FindCoordinator', c.errorMessage);
        return { host: c.host, port: c.port };
      } catch (err) {
        lastError = err as Error;
        // COORDINATOR_NOT_AVAILABLE (e.g. __consumer_offsets still being created) is worth asking again, not another broker.
        if (isProtocolError(err)) throw err;
      } finally {
        conn?.close();
      }
    }
    throw lastError;
  }

  /**
   * WorkerCoordinator.poll: when the coordinator stays unreachable for heartbeat.interval.ms, the
   * worker stops its work rather than run it outside the group.
   */
  private async revokeIfCoordinatorLostTooLong(): Promise<void> {
    const snapshot = this.snapshot;
    if (!snapshot || snapshot.error !== ASSIGNMENT_NO_ERROR || this.coordinatorLostAt === null) return;
    if (Date.now() - this.coordinatorLostAt < this.opts.heartbeatIntervalMs) return;
    this.opts.log?.warn({ ms: Date.now() - this.coordinatorLostAt }, 'Group coordinator unreachable; revoking the assignment so no work runs outside the group');
    this.snapshot = null;
    // Without an assignment the member must rejoin once the coordinator is back (rejoinNeededOrPending).
    this.requestRejoin('the assignment was revoked while the coordinator was unreachable');
    try {
      await this.opts.listener.onRevoked(snapshot.leader, snapshot.connectors, snapshot.tasks);
    } catch (err) {
      this.onLoopError(err as Error);
    }
  }

  private async joinAndSync(): Promise<void> {
    const conn = this.coordinator!;
    const reason = this.rejoinReason ?? 'rejoin';
    this.setState('rebalancing');
    this.cancelScheduledRejoin();

    // What the worker runs; this round's revocations were handled (DistributedHerder clears them too).
    const current = this.snapshot && { ...this.snapshot, revokedConnectors: [], revokedTasks: [] };
    const state: WorkerState = { url: this.opts.restUrl, configOffset: this.opts.configOffset(), assignment: current };
    const join = await conn.send(
      JoinGroup,
      {
        groupId: this.opts.groupId,
        sessionTimeoutMs: this.opts.sessionTimeoutMs,
        rebalanceTimeoutMs: this.opts.rebalanceTimeoutMs,
        memberId: this.memberIdValue,
        groupInstanceId: null,
        protocolType: CONNECT_PROTOCOL_TYPE,
        protocols: metadataProtocols(state, this.opts.protocol),
        reason,
      },
      // The coordinator holds a JoinGroup until every member rejoined or the rebalance timeout passed.
      { timeoutMs: Math.max(this.opts.requestTimeoutMs, this.opts.rebalanceTimeoutMs + 5_000) },
    );
    if (this.stopping) return;
    if (join.errorCode === ErrorCode.MEMBER_ID_REQUIRED) {
      // KIP-394: the coordinator assigns the id, and the member joins again with it at once.
      this.memberIdValue = join.memberId;
      return;
    }
    if (join.errorCode !== ErrorCode.NONE) {
      this.handleGroupError(protocolError(join.errorCode, 'JoinGroup')!);
      return;
    }
    this.memberIdValue = join.memberId;
    this.generationValue = join.generationId;
    const protocolName = join.protocolName ?? '';
    const version = protocolVersionOf(protocolName);

    let assignments: { memberId: string; assignment: Buffer }[] = [];
    if (join.leader === join.memberId) {
      const members = new Map<string, WorkerState>();
      for (const m of join.members) members.set(m.memberId, deserializeMetadata(m.metadata));
      const computed = await this.opts.assignor({
        leaderId: join.leader,
        leaderUrl: members.get(join.leader)?.url ?? this.opts.restUrl,
        protocolName,
        protocolVersion: version,
        members,
        generationId: join.generationId,
        lastCompletedGenerationId: this.lastCompletedGenerationId,
      });
      assignments = [...computed].map(([memberId, a]) => ({ memberId, assignment: serializeAssignment(a, version) }));
      this.opts.log?.info({ generation: join.generationId, members: members.size }, 'Elected group leader; computed assignments');
    }

    const sync = await conn.send(SyncGroup, {
      groupId: this.opts.groupId,
      generationId: join.generationId,
      memberId: join.memberId,
      groupInstanceId: null,
      protocolType: CONNECT_PROTOCOL_TYPE,
      protocolName,
      assignments,
    });
    if (sync.errorCode !== ErrorCode.NONE) {
      this.handleGroupError(protocolError(sync.errorCode, 'SyncGroup')!);
      return;
    }
    if (this.stopping) return;
    if (sync.assignment.length === 0) {
      // The leader left this member out (it joined after the leader read the member list): go again.
      this.setState('unjoined');
      this.opts.log?.info({ generation: join.generationId }, 'The leader sent no assignment for this member; rejoining');
      return;
    }

    this.protocolName = protocolName;
    this.rejoinReason = null;
    this.lastHeartbeatOk = Date.now();
    this.setState('stable');
    await this.onJoinComplete(join.generationId, deserializeAssignment(sync.assignment));
  }

  /** WorkerCoordinator.onJoinComplete: tell the listener what to stop, then what it now runs. */
  private async onJoinComplete(generation: number, received: ConnectAssignment): Promise<void> {
    const revokedSomething = received.revokedConnectors.length > 0 || received.revokedTasks.length > 0;
    if (revokedSomething) await this.opts.listener.onRevoked(received.leader, received.revokedConnectors, received.revokedTasks);

    const previous = this.snapshot;
    const complete: ConnectAssignment = { ...received, connectors: [...received.connectors], tasks: [...received.tasks] };
    if (previous) {
      const revokedConnectors = new Set(received.revokedConnectors);
      const revokedTasks = new Set(received.revokedTasks.map(taskKey));
      const have = new Set(complete.connectors);
      const haveTasks = new Set(complete.tasks.map(taskKey));
      for (const c of previous.connectors) if (!revokedConnectors.has(c) && !have.has(c)) complete.connectors.push(c);
      for (const t of previous.tasks) if (!revokedTasks.has(taskKey(t)) && !haveTasks.has(taskKey(t))) complete.tasks.push(t);
    }
    this.snapshot = complete;
    this.lastCompletedGenerationId = generation;
    this.opts.log?.info(
      { generation, leader: complete.leader, connectors: complete.connectors.length, tasks: complete.tasks.length, delay: complete.delay },
      'Joined group and got assignment',
    );
    await this.opts.listener.onAssigned(complete, generation);

    // What DistributedHerder does with its WorkerGroupMember after a round (see the file comment).
    if (complete.error !== ASSIGNMENT_NO_ERROR) this.requestRejoin('the leader could not assign (config offsets differ)');
    else if (revokedSomething) this.requestRejoin('work was revoked in the previous round');
    else if (complete.delay > 0) this.scheduleRejoin(complete.delay);
  }

  /** Reacts to a group error from JoinGroup, SyncGroup or Heartbeat, as AbstractCoordinator does. */
  private handleGroupError(err: KafkaProtocolError): void {
    switch (err.errorName) {
      case 'UNKNOWN_MEMBER_ID':
      case 'FENCED_INSTANCE_ID':
        // The coordinator forgot this member (its session expired): join as a new member.
        this.memberIdValue = UNKNOWN_MEMBER_ID;
        this.generationValue = -1;
        this.requestRejoin(err.message);
        break;
      case 'ILLEGAL_GENERATION':
        this.generationValue = -1;
        this.requestRejoin(err.message);
        break;
      case 'REBALANCE_IN_PROGRESS':
        this.requestRejoin('the group is rebalancing');
        break;
      case 'NOT_COORDINATOR':
      case 'COORDINATOR_NOT_AVAILABLE':
        // The group moved to another broker. A join in progress stays pending (rejoinReason is
        // still set); a stable member just resumes heartbeats with the new coordinator.
        this.markCoordinatorUnknown(err.message);
        break;
      case 'COORDINATOR_LOAD_IN_PROGRESS':
        this.requestRejoin(err.message);
        throw err; // retried after the back-off
      default:
        // INCONSISTENT_GROUP_PROTOCOL, INVALID_SESSION_TIMEOUT, GROUP_AUTHORIZATION_FAILED, ...:
        // nothing the member can fix; report and keep trying (configuration or ACLs may change).
        this.requestRejoin(err.message);
        throw err;
    }
    if (this.state === 'rebalancing' || err.errorName === 'UNKNOWN_MEMBER_ID' || err.errorName === 'ILLEGAL_GENERATION') this.setState('unjoined');
  }

  private markCoordinatorUnknown(why: string): void {
    if (!this.coordinator) return;
    this.opts.log?.info({ why }, 'Group coordinator unknown; rediscovering');
    this.coordinator.close();
    this.coordinator = null;
    this.coordinatorLostAt = Date.now();
    this.wake();
  }

  private onLoopError(err: Error): void {
    if (err instanceof KafkaConnectionError) this.markCoordinatorUnknown(err.message);
    this.opts.log?.warn({ err }, 'Group membership error; retrying');
    this.opts.listener.onError?.(err);
  }

  // ---- heartbeats ----

  private setState(state: MemberState): void {
    this.state = state;
    if (state === 'stable') this.scheduleHeartbeat(this.opts.heartbeatIntervalMs);
    else this.clearHeartbeat();
  }

  private scheduleHeartbeat(afterMs: number): void {
    this.clearHeartbeat();
    if (this.stopping) return;
    this.heartbeatTimer = setTimeout(() => void this.heartbeat(), afterMs);
  }

  private async heartbeat(): Promise<void> {
    this.heartbeatTimer = null;
    const conn = this.coordinator;
    if (this.state !== 'stable' || !conn?.isOpen || this.stopping) return;
    if (Date.now() - this.lastHeartbeatOk > this.opts.sessionTimeoutMs) {
      // AbstractCoordinator: no successful heartbeat within the session timeout means the
      // coordinator is presumed gone; rediscover it (the join that follows tells us if we are still in).
      this.markCoordinatorUnknown('no successful heartbeat within session.timeout.ms');
      return;
    }
    const generation = this.generationValue;
    try {
      const res = await conn.send(
        Heartbeat,
        { groupId: this.opts.groupId, generationId: generation, memberId: this.memberIdValue, groupInstanceId: null },
        { timeoutMs: Math.min(this.opts.requestTimeoutMs, this.opts.sessionTimeoutMs) },
      );
      if (generation !== this.generationValue || this.state !== 'stable') return;
      if (res.errorCode === ErrorCode.NONE) this.lastHeartbeatOk = Date.now();
      else this.handleGroupError(protocolError(res.errorCode, 'Heartbeat')!);
    } catch (err) {
      if (this.stopping) return;
      this.onLoopError(err as Error);
    } finally {
      if (this.state === 'stable' && this.heartbeatTimer === null) this.scheduleHeartbeat(this.opts.heartbeatIntervalMs);
    }
  }

  private clearHeartbeat(): void {
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  // ---- timers and wake-ups ----

  private scheduleRejoin(delayMs: number): void {
    this.cancelScheduledRejoin();
    this.scheduledRejoin = setTimeout(() => {
      this.scheduledRejoin = null;
      this.requestRejoin('scheduled rebalance');
    }, delayMs);
  }

  private cancelScheduledRejoin(): void {
    if (this.scheduledRejoin) clearTimeout(this.scheduledRejoin);
    this.scheduledRejoin = null;
  }

  private clearTimers(): void {
    this.clearHeartbeat();
    this.cancelScheduledRejoin();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        if (self.wakeUp === done) self.wakeUp = null;
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private wake(): void {
    this.wakeUp?.();
  }

  private connectOptions(): { clientId: string; security?: ConnectionSecurity; requestTimeoutMs: number } {
    return { clientId: this.opts.clientId, security: this.opts.security, requestTimeoutMs: this.opts.requestTimeoutMs };
  }
}

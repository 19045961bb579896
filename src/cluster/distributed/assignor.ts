/**
 * The incremental cooperative assignor (KIP-415), ported from Apache Kafka's
 * IncrementalCooperativeAssignor (connect-runtime 4.3.1). Pure logic: the group leader runs it
 * over the members' reported assignments and the configured connectors/tasks, and it decides
 * what each member newly starts and what it must stop.
 *
 * - New connectors/tasks go to the least-loaded members at once.
 * - Balancing happens in two rounds: a round that only revokes (members stop the moved work and
 *   rejoin), then the next round assigns the freed work to the least-loaded members.
 * - Work of a member that left is held for `scheduled.rebalance.max.delay.ms`: if the member
 *   comes back with it, nothing moves; otherwise the work is reassigned when the delay expires
 *   (to members that joined empty meanwhile, if any).
 * - Successive revoking rounds back off exponentially (1 ms × 40^n, capped at the max delay).
 *
 * The assignor keeps state between rounds (the previous assignment, the scheduled rebalance), so
 * the leader keeps one instance for as long as it is leader; a new leader starts fresh, which
 * Kafka's assignor detects through the generation ids.
 *
 * Where Java iterates a HashMap of members, sluice iterates members sorted by id: the counts are
 * the same, but which of several equally-loaded members gets a given connector may differ from
 * what a Java leader would pick.
 */
import {
  ASSIGNMENT_CONFIG_MISMATCH,
  ASSIGNMENT_NO_ERROR,
  taskKey,
  type ConnectAssignment,
  type ConnectorTaskId,
  type WorkerState,
} from './connect-protocol.js';
import type { GroupAssignor } from './group-member.js';

/** Connectors and their task counts as the leader read them from the config topic. */
export interface ConfigSnapshot {
  /** The config topic offset this snapshot is at. */
  offset: number;
  /** Connector name → number of tasks it has (0 while its tasks are not yet generated). */
  connectors: ReadonlyMap<string, number>;
}

export interface AssignorOptions {
  /** `scheduled.rebalance.max.delay.ms`: how long a departed worker's work is held for it (default 300000). */
  maxDelayMs?: number;
  /** The clock, for tests. */
  now?: () => number;
}

export interface AssignmentRound {
  leaderId: string;
  leaderUrl: string;
  /** 1 (compatible) or 2 (sessioned): written into each assignment. */
  protocolVersion: number;
  /** Every member's join metadata, by member id. */
  members: ReadonlyMap<string, WorkerState>;
  /** The leader's freshest config snapshot. */
  config: ConfigSnapshot;
  /** The generation of the last rebalance the leader completed (-1 if none). */
  lastCompletedGenerationId: number;
  /** The generation being assigned now. */
  generationId: number;
}

export interface AssignmentResult {
  /** What to send each member in SyncGroup. */
  assignments: Map<string, ConnectAssignment>;
  /** Everything each member runs after this round (for the leader to answer "who runs X"). */
  allConnectors: Map<string, string[]>;
  allTasks: Map<string, ConnectorTaskId[]>;
}

/** A member's connectors and tasks. */
export interface ConnectorsAndTasks {
  connectors: string[];
  tasks: ConnectorTaskId[];
}

/** What one round decides, per member. */
export interface ClusterAssignment {
  newlyAssignedConnectors: Map<string, string[]>;
  newlyAssignedTasks: Map<string, ConnectorTaskId[]>;
  newlyRevokedConnectors: Map<string, string[]>;
  newlyRevokedTasks: Map<string, ConnectorTaskId[]>;
  allAssignedConnectors: Map<string, string[]>;
  allAssignedTasks: Map<string, ConnectorTaskId[]>;
}

export const DEFAULT_SCHEDULED_REBALANCE_MAX_DELAY_MS = 300_000;

/**
 * Adapts an assignor to WorkerGroupMember's `assignor` callback. `config` is called when this
 * worker is elected leader and should return its freshest snapshot of the config topic.
 */
export function groupAssignor(assignor: IncrementalCooperativeAssignor, config: () => ConfigSnapshot): GroupAssignor {
  return (round) => assignor.performAssignment({ ...round, config: config() }).assignments;
}

export class IncrementalCooperativeAssignor {
  private readonly maxDelay: number;
  private readonly now: () => number;
  private previousAssignment = new Work();
  private readonly previousRevocation = new Work();
  private revokedInPrevious = false;
  private readonly candidateWorkersForReassignment = new Set<string>();
  private scheduledRebalance = 0;
  private delay = 0;
  private previousGenerationId = -1;
  private previousMembers = new Set<string>();
  private numSuccessiveRevokingRebalances = 0;

  constructor(opts: AssignorOptions = {}) {
    this.maxDelay = opts.maxDelayMs ?? DEFAULT_SCHEDULED_REBALANCE_MAX_DELAY_MS;
    this.now = opts.now ?? Date.now;
  }

  /** The delay (ms) until the rebalance this assignor scheduled, 0 when none is scheduled. */
  get scheduledDelay(): number {
    return this.delay;
  }

  /**
   * Computes every member's assignment. If some member has read further into the config topic
   * than the leader's snapshot, no one gets work: each gets CONFIG_MISMATCH and rejoins once it
   * has caught up (as Java's leader does when even a fresh snapshot is behind).
   */
  performAssignment(round: AssignmentRound): AssignmentResult {
    let maxOffset = -Infinity;
    for (const m of round.members.values()) maxOffset = Math.max(maxOffset, m.configOffset);
    const fill = (error: number, offset: number, cluster: ClusterAssignment, delay: number): Map<string, ConnectAssignment> => {
      const out = new Map<string, ConnectAssignment>();
      for (const member of round.members.keys()) {
        out.set(member, {
          version: round.protocolVersion,
          error,
          leader: round.leaderId,
          leaderUrl: round.leaderUrl,
          configOffset: offset,
          connectors: cluster.newlyAssignedConnectors.get(member) ?? [],
          tasks: cluster.newlyAssignedTasks.get(member) ?? [],
          revokedConnectors: cluster.newlyRevokedConnectors.get(member) ?? [],
          revokedTasks: cluster.newlyRevokedTasks.get(member) ?? [],
          delay,
        });
      }
      return out;
    };
    if (round.config.offset < maxOffset) {
      return { assignments: fill(ASSIGNMENT_CONFIG_MISMATCH, maxOffset, emptyCluster(), 0), allConnectors: new Map(), allTasks: new Map() };
    }
    const memberAssignments = new Map<string, ConnectorsAndTasks>();
    for (const [id, state] of round.members) {
      memberAssignments.set(id, { connectors: state.assignment?.connectors ?? [], tasks: state.assignment?.tasks ?? [] });
    }
    const cluster = this.performTaskAssignment(round.config, round.lastCompletedGenerationId, round.generationId, memberAssignments);
    return {
      assignments: fill(ASSIGNMENT_NO_ERROR, round.config.offset, cluster, this.delay),
      allConnectors: cluster.allAssignedConnectors,
      allTasks: cluster.allAssignedTasks,
    };
  }

  /** The core of a round (Java's performTaskAssignment), over what each member reports it runs. */
  performTaskAssignment(
    config: ConfigSnapshot,
    lastCompletedGenerationId: number,
    currentGenerationId: number,
    memberAssignments: ReadonlyMap<string, ConnectorsAndTasks>,
  ): ClusterAssignment {
    // The previous assignment is only trustworthy if this leader completed the last round.
    if (this.previousGenerationId !== lastCompletedGenerationId) this.previousAssignment = new Work();

    const members = [...memberAssignments.keys()].sort(compareStrings);
    const memberWork = new Map(members.map((m) => [m, Work.of(memberAssignments.get(m)!)]));

    const configured = new Work();
    for (const connector of [...config.connectors.keys()].sort(compareStrings)) {
      configured.addConnector(connector);
      for (let t = 0; t < (config.connectors.get(connector) ?? 0); t++) configured.addTask({ connector, task: t });
    }

    const active = Work.union(memberWork.values());

    // A previous revocation that did not take effect: start again from what is really running.
    if (!this.previousRevocation.isEmpty()) {
      if (this.previousRevocation.overlaps(active)) this.previousAssignment = active.copy();
      this.previousRevocation.clear();
    }

    const deleted = Work.diff(this.previousAssignment, configured);
    const duplicated = duplicatedAssignments(memberWork);
    const lost = Work.diff(this.previousAssignment, active, deleted);
    const created = Work.diff(configured, this.previousAssignment, active);

    const currentWorkerAssignment = new Map(members.map((m) => [m, memberWork.get(m)!.without(deleted)]));

    const toRevoke = new Map<string, Work>();
    const deletedToRevoke = intersection(deleted, memberWork);
    addAll(toRevoke, deletedToRevoke);
    // A connector or task running on several members (e.g. after a partition healed) stops everywhere, then is reassigned.
    const duplicatedToRevoke = intersection(duplicated, memberWork);
    addAll(toRevoke, duplicatedToRevoke);

    const next: WorkerLoad[] = members.map((m) => ({ worker: m, work: memberWork.get(m)!.copy() }));
    removeAll(next, deletedToRevoke);
    removeAll(next, duplicatedToRevoke);

    const lostToReassign = new Work();
    this.handleLostAssignments(lost, lostToReassign, next);

    // No load-balancing revocations while a delayed rebalance is pending.
    if (this.delay === 0) {
      const balancing = performLoadBalancingRevocations(configured, next);
      if (this.revokedInPrevious && balancing.size > 0) {
        this.numSuccessiveRevokingRebalances++;
        this.delay = this.revokingBackoff(this.numSuccessiveRevokingRebalances);
        if (this.delay !== 0) {
          this.scheduledRebalance = this.now() + this.delay;
        } else {
          addAll(toRevoke, balancing);
          removeAll(next, balancing);
        }
      } else if (balancing.size > 0) {
        addAll(toRevoke, balancing);
        removeAll(next, balancing);
        this.revokedInPrevious = true;
      } else if (this.revokedInPrevious) {
        // Converged: reset the back-off.
        this.revokedInPrevious = false;
        this.numSuccessiveRevokingRebalances = 0;
      }
    } else {
      this.revokedInPrevious = false;
    }

    const toAssign = Work.union([created, lostToReassign]);
    assignConnectors(next, toAssign.connectorList());
    assignTasks(next, toAssign.taskList());

    const newlyAssignedConnectors = new Map<string, string[]>();
    const newlyAssignedTasks = new Map<string, ConnectorTaskId[]>();
    const allAssignedConnectors = new Map<string, string[]>();
    const allAssignedTasks = new Map<string, ConnectorTaskId[]>();
    const newlyRevokedConnectors = new Map<string, string[]>();
    const newlyRevokedTasks = new Map<string, ConnectorTaskId[]>();
    for (const { worker, work } of next) {
      const current = currentWorkerAssignment.get(worker)!;
      const revoked = toRevoke.get(worker) ?? new Work();
      newlyAssignedConnectors.set(worker, work.connectorList().filter((c) => !current.hasConnector(c)));
      newlyAssignedTasks.set(worker, work.taskList().filter((t) => !current.hasTask(t)));
      allAssignedConnectors.set(worker, work.connectorList().filter((c) => !revoked.hasConnector(c)));
      allAssignedTasks.set(worker, work.taskList().filter((t) => !revoked.hasTask(t)));
    }
    for (const [worker, revoked] of toRevoke) {
      newlyRevokedConnectors.set(worker, revoked.connectorList());
      newlyRevokedTasks.set(worker, revoked.taskList());
    }

    // What the next round compares against: everything assigned, minus what was just revoked
    // (remembered separately), plus what is lost but still held for its worker.
    const previous = Work.union(next.map((w) => w.work));
    for (const revoked of toRevoke.values()) {
      previous.removeAll(revoked);
      this.previousRevocation.addAll(revoked);
    }
    previous.addAll(lost);
    this.previousAssignment = previous;
    this.previousGenerationId = currentGenerationId;
    this.previousMembers = new Set(members);

    return { newlyAssignedConnectors, newlyAssignedTasks, newlyRevokedConnectors, newlyRevokedTasks, allAssignedConnectors, allAssignedTasks };
  }

  private handleLostAssignments(lost: Work, lostToReassign: Work, next: WorkerLoad[]): void {
    if (lost.isEmpty() && !this.revokedInPrevious) {
      this.resetDelay();
      return;
    }
    const now = this.now();
    const activeMembers = new Set(next.map((w) => w.worker));
    if (this.scheduledRebalance <= 0 && [...this.previousMembers].every((m) => activeMembers.has(m))) {
      // Every previous member is here: the work is missing because some member did not get the
      // last assignment, not because a worker left. Reassign it as new work.
      lostToReassign.addAll(lost);
      return;
    }
    if (this.maxDelay === 0) {
      lostToReassign.addAll(lost);
      return;
    }
    if (this.scheduledRebalance > 0 && now >= this.scheduledRebalance) {
      // The departed worker did not come back in time: hand its work out.
      const candidates = next.filter((w) => this.candidateWorkersForReassignment.has(w.worker));
      if (candidates.length > 0) {
        lost.connectorList().forEach((c, i) => candidates[i % candidates.length]!.work.addConnector(c));
        lost.taskList().forEach((t, i) => candidates[i % candidates.length]!.work.addTask(t));
      } else {
        lostToReassign.addAll(lost);
      }
      this.resetDelay();
      this.revokedInPrevious = false;
    } else {
      // Hold the work; members that joined empty meanwhile are first in line for it.
      for (const w of next) if (w.work.isEmpty()) this.candidateWorkersForReassignment.add(w.worker);
      if (now < this.scheduledRebalance) {
        const left = this.scheduledRebalance - now;
        this.delay = left > 0 ? Math.min(left, this.maxDelay) : 0;
      } else {
        this.delay = this.maxDelay;
      }
      this.scheduledRebalance = now + this.delay;
    }
  }

  private resetDelay(): void {
    this.candidateWorkersForReassignment.clear();
    this.scheduledRebalance = 0;
    this.delay = 0;
  }

  /** Java's ExponentialBackoff(maxDelay == 0 ? 0 : 1, 40, maxDelay, 0).backoff(n). */
  private revokingBackoff(attempts: number): number {
    const initial = Math.min(this.maxDelay, this.maxDelay === 0 ? 0 : 1);
    const expMax = this.maxDelay > initial ? Math.log(this.maxDelay / Math.max(initial, 1)) / Math.log(40) : 0;
    if (expMax === 0) return initial;
    return Math.min(Math.floor(initial * Math.pow(40, Math.min(attempts, expMax))), this.maxDelay);
  }
}

// ---- sets of connectors and tasks ----

/** Connectors and tasks as insertion-ordered sets (tasks keyed by "connector-task"). */
class Work {
  private readonly connectors = new Set<string>();
  private readonly tasks = new Map<string, ConnectorTaskId>();

  static of(ct: ConnectorsAndTasks): Work {
    const w = new Work();
    for (const c of ct.connectors) w.addConnector(c);
    for (const t of ct.tasks) w.addTask(t);
    return w;
  }

  static union(parts: Iterable<Work>): Work {
    const w = new Work();
    for (const p of parts) w.addAll(p);
    return w;
  }

  /** base minus each of `subtract`, sorted (Java builds these as TreeSets). */
  static diff(base: Work, ...subtract: Work[]): Work {
    const out = new Work();
    for (const c of [...base.connectors].sort(compareStrings)) if (!subtract.some((s) => s.hasConnector(c))) out.addConnector(c);
    for (const t of [...base.tasks.values()].sort(compareTasks)) if (!subtract.some((s) => s.hasTask(t))) out.addTask(t);
    return out;
  }

  addConnector(c: string): void {
    this.connectors.add(c);
  }

  addTask(t: ConnectorTaskId): void {
    this.tasks.set(taskKey(t), t);
  }

  addAll(other: Work): void {
    for (const c of other.connectors) this.addConnector(c);
    for (const t of other.tasks.values()) this.addTask(t);
  }

  removeAll(other: Work): void {
    for (const c of other.connectors) this.connectors.delete(c);
    for (const k of other.tasks.keys()) this.tasks.delete(k);
  }

  hasConnector(c: string): boolean {
    return this.connectors.has(c);
  }

  hasTask(t: ConnectorTaskId): boolean {
    return this.tasks.has(taskKey(t));
  }

  overlaps(other: Work): boolean {
    return [...this.connectors].some((c) => other.hasConnector(c)) || [...this.tasks.values()].some((t) => other.hasTask(t));
  }

  without(other: Work): Work {
    const w = this.copy();
    w.removeAll(other);
    return w;
  }

  copy(): Work {
    return Work.union([this]);
  }

  clear(): void {
    this.connectors.clear();
    this.tasks.clear();
  }

  isEmpty(): boolean {
    return this.connectors.size === 0 && this.tasks.size === 0;
  }

  get connectorCount(): number {
    return this.connectors.size;
  }

  get taskCount(): number {
    return this.tasks.size;
  }

  connectorList(): string[] {
    return [...this.connectors];
  }

  taskList(): ConnectorTaskId[] {
    return [...this.tasks.values()];
  }
}

interface WorkerLoad {
  worker: string;
  work: Work;
}

function emptyCluster(): ClusterAssignment {
  return {
    newlyAssignedConnectors: new Map(),
    newlyAssignedTasks: new Map(),
    newlyRevokedConnectors: new Map(),
    newlyRevokedTasks: new Map(),
    allAssignedConnectors: new Map(),
    allAssignedTasks: new Map(),
  };
}

function duplicatedAssignments(memberWork: ReadonlyMap<string, Work>): Work {
  const connectorCounts = new Map<string, number>();
  const taskCounts = new Map<string, { task: ConnectorTaskId; n: number }>();
  for (const w of memberWork.values()) {
    for (const c of w.connectorList()) connectorCounts.set(c, (connectorCounts.get(c) ?? 0) + 1);
    for (const t of w.taskList()) {
      const entry = taskCounts.get(taskKey(t)) ?? { task: t, n: 0 };
      entry.n++;
      taskCounts.set(taskKey(t), entry);
    }
  }
  const out = new Work();
  for (const [c, n] of connectorCounts) if (n > 1) out.addConnector(c);
  for (const { task, n } of taskCounts.values()) if (n > 1) out.addTask(task);
  return out;
}

/** For each member, the part of `work` it currently runs. */
function intersection(work: Work, memberWork: ReadonlyMap<string, Work>): Map<string, Work> {
  const out = new Map<string, Work>();
  for (const [member, w] of memberWork) {
    const part = new Work();
    for (const c of w.connectorList()) if (work.hasConnector(c)) part.addConnector(c);
    for (const t of w.taskList()) if (work.hasTask(t)) part.addTask(t);
    out.set(member, part);
  }
  return out;
}

function addAll(base: Map<string, Work>, toAdd: ReadonlyMap<string, Work>): void {
  for (const [member, w] of toAdd) {
    const existing = base.get(member);
    if (existing) existing.addAll(w);
    else base.set(member, w.copy());
  }
}

function removeAll(loads: WorkerLoad[], toRemove: ReadonlyMap<string, Work>): void {
  for (const load of loads) {
    const w = toRemove.get(load.worker);
    if (w) load.work.removeAll(w);
  }
}

/**
 * Revokes from each member whatever it runs beyond its share of a perfectly balanced assignment
 * (each gets ⌊total/members⌋, and `total % members` of them one more).
 */
function performLoadBalancingRevocations(configured: Work, workers: WorkerLoad[]): Map<string, Work> {
  if (workers.every((w) => w.work.isEmpty()) || configured.isEmpty()) return new Map();
  const result = new Map<string, Work>();
  const connectorRevocations = loadBalancingRevocations(configured.connectorCount, workers, (w) => w.connectorList());
  const taskRevocations = loadBalancingRevocations(configured.taskCount, workers, (w) => w.taskList());
  for (const [worker, revoked] of connectorRevocations) {
    const w = result.get(worker) ?? new Work();
    for (const c of revoked) w.addConnector(c);
    result.set(worker, w);
  }
  for (const [worker, revoked] of taskRevocations) {
    const w = result.get(worker) ?? new Work();
    for (const t of revoked) w.addTask(t);
    result.set(worker, w);
  }
  return result;
}

function loadBalancingRevocations<E>(totalToAllocate: number, workers: WorkerLoad[], allocation: (w: Work) => E[]): Map<string, E[]> {
  const totalWorkers = workers.length;
  const minPerWorker = Math.floor(totalToAllocate / totalWorkers);
  const workersWithExtra = totalToAllocate % totalWorkers;
  const sizes = workers.map((w) => allocation(w.work).length);
  const atMinimum = sizes.filter((n) => n === minPerWorker).length;
  const withOneExtra = sizes.filter((n) => n === minPerWorker + 1).length;
  if (withOneExtra === workersWithExtra && atMinimum + withOneExtra === totalWorkers) return new Map();

  const result = new Map<string, E[]>();
  let allocatedExtras = 0;
  for (const worker of workers) {
    const current = allocation(worker.work);
    if (current.length <= minPerWorker) continue;
    let max: number;
    if (allocatedExtras < workersWithExtra) {
      allocatedExtras++;
      if (current.length === minPerWorker + 1) continue;
      max = minPerWorker + 1;
    } else {
      max = minPerWorker;
    }
    result.set(worker.worker, current.slice(0, current.length - max));
  }
  return result;
}

/** Round-robin over the least-loaded members first (Java's assignConnectors). */
function assignConnectors(workers: WorkerLoad[], connectors: string[]): void {
  roundRobin(workers, connectors, (w) => w.work.connectorCount, (w, c) => w.work.addConnector(c));
}

function assignTasks(workers: WorkerLoad[], tasks: ConnectorTaskId[]): void {
  roundRobin(workers, tasks, (w) => w.work.taskCount, (w, t) => w.work.addTask(t));
}

function roundRobin<E>(workers: WorkerLoad[], items: E[], load: (w: WorkerLoad) => number, assign: (w: WorkerLoad, item: E) => void): void {
  if (workers.length === 0 || items.length === 0) return;
  workers.sort((a, b) => load(a) - load(b) || compareStrings(a.worker, b.worker));
  const first = workers[0]!;
  let i = 0;
  while (i < items.length) {
    // Fill every member at the first one's load level, one item each, then go again.
    const firstLoad = load(first);
    let upTo = workers.findIndex((w) => load(w) > firstLoad);
    if (upTo < 0) upTo = workers.length;
    for (const w of workers.slice(0, upTo)) {
      assign(w, items[i++]!);
      if (i >= items.length) break;
    }
  }
}

/** Java's String.compareTo: UTF-16 code unit order, which is also JavaScript's default. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareTasks(a: ConnectorTaskId, b: ConnectorTaskId): number {
  return compareStrings(a.connector, b.connector) || a.task - b.task;
}

/**
 * Distributed mode's herder (Kafka Connect's DistributedHerder): several workers share one
 * `group.id`; connector configs, target states and task configs live in the config topic, source
 * offsets in the offset topic, statuses in the status topic, and the group's leader decides who
 * runs what with the incremental cooperative assignor.
 *
 * - Only the leader writes to the config topic. A REST write reaching a follower is forwarded to
 *   the leader's URL (with `?forward=false`); while this worker holds no assignment (joining,
 *   rebalancing) writes answer 409 as Kafka Connect's do.
 * - The worker that runs a connector generates its task configs and hands them to the leader
 *   (directly, or through the internal route `PUT /connectors/{c}/tasks/configs`, see
 *   internal-routes.ts), which writes them; the leader rejoins the group when the set of
 *   connectors or their task counts changed, so the new tasks get assigned.
 * - Every worker converges what it runs to (its assignment ∩ the config snapshot) after each
 *   assignment and each config topic change: `reconcile()`, run one at a time with every other
 *   state change, as Kafka Connect's herder thread does.
 * - Reads (list, config, status) answer from the local config snapshot and the status topic, once
 *   the worker has read both topics at startup (until then they wait, as Kafka Connect's do).
 * - A connector whose taskConfigs() throws is FAILED with the error as its trace, and stays so
 *   until a restart or a new config (Kafka Connect never restarts a FAILED instance by itself).
 *
 * Differences from Apache Kafka Connect (on purpose, for now):
 * - Inter-worker requests are not signed (no session key / inter.worker.* verification).
 * - Connector restarts (also the plain one) go through the config topic's restart request records
 *   (Kafka Connect forwards the plain one to the connector's owner); the effect is the same. A task
 *   restart goes to the task's owner as the status topic names it (Kafka Connect: the leader's view).
 * - A forwarded request (`?forward=false`) that reaches a worker that cannot serve it answers 409
 *   at once: one hop, where Kafka Connect allows two.
 * - The internal task-config route is `PUT /connectors/{c}/tasks/configs` (see internal-routes.ts).
 * - No exactly-once source support (no fencing, no transactional leader producer).
 */
import { AlreadyExistsError, BadRequestError, ConnectError, NotFoundError, RestError } from '../../api/errors.js';
import type { ConfigInfos, ConfigKeyInfo } from '../../api/config-def.js';
import type { StatusListener } from '../../engine/status-listener.js';
import type { Worker } from '../../engine/worker.js';
import type { PluginRegistry } from '../../plugins/registry.js';
import type { KafkaStores } from '../../storage/kafka/kafka-stores.js';
import type { ClusterConfigState, RestartRequest as StoredRestart } from '../../storage/kafka/kafka-config-store.js';
import { LoggerRegistry, type Logger } from '../../util/logger.js';
import { allLoggerLevels, loggerLevel, setWorkerLoggerLevel } from '../logger-levels.js';
import type {
  ActiveTopicsInfo, ConnectorInfo, ConnectorOffset, ConnectorOffsets, ConnectorStateInfo, ConnectorType, Herder,
  InitialState, InstanceStatus, LoggerLevel, Message, PluginInfo, PutConfigResult, RestartRequest, TargetState,
  TaskInfo, TaskStatus, WorkerInfo,
} from '../herder.js';
import { ConnectorOffsetsManager, type GroupAdminFactory } from '../connector-offsets.js';
import { connectorPluginConfig } from '../plugin-config.js';
import { IncrementalCooperativeAssignor } from './assignor.js';
import { ASSIGNMENT_NO_ERROR, taskKey, type ConnectAssignment, type ConnectorTaskId } from './connect-protocol.js';
import { WorkerGroupMember, type WorkerGroupMemberOptions } from './group-member.js';
import { forwardedRequest } from './internal-routes.js';

/** How long a REST read waits for a starting worker to read its topics (Kafka Connect's REST request timeout). */
const STARTUP_READ_TIMEOUT_MS = 90_000;

/** Kafka Connect's RebalanceNeededException / ConnectRestException(409) wordings. */
export const REBALANCE_IN_PROGRESS = 'Cannot complete request because of a conflicting operation (e.g. worker rebalance)';
export const STALE_CONFIG = 'Cannot complete request momentarily due to stale configuration (typically caused by a concurrent config change)';

export interface DistributedHerderOptions {
  worker: Worker;
  /** This worker's id (its advertised host:port), known once the REST server is bound. */
  workerId: () => string;
  stores: KafkaStores;
  /** Where this worker's connector and task states go (the StatusWriter the worker reports to). */
  status: StatusListener;
  /** Group settings (bootstrap, group.id, timeouts, security); the herder supplies the rest. */
  member: Omit<WorkerGroupMemberOptions, 'restUrl' | 'configOffset' | 'assignor' | 'listener'>;
  /** scheduled.rebalance.max.delay.ms */
  scheduledRebalanceMaxDelayMs: number;
  log: Logger;
  workerInfo: () => Promise<WorkerInfo>;
  validate: (config: Record<string, string>) => Promise<ConfigInfos>;
  plugins: (connectorsOnly: boolean) => PluginInfo[];
  registry: PluginRegistry;
  groupAdmin: GroupAdminFactory;
  loggers: LoggerRegistry;
}

/** What this worker started an instance with, to notice config changes. */
interface Started {
  config: string;
  target: TargetState;
  /**
   * The connector failed (to start, or to generate its task configs): it stays FAILED, owned by
   * this worker, until a restart or a new config starts it again. Kafka Connect never restarts a
   * FAILED instance by itself.
   */
  failed?: boolean;
}

const PLUGIN_TYPE_ORDER: readonly PluginInfo['type'][] = ['sink', 'source', 'transformation', 'predicate', 'converter', 'header_converter'];
const RETRY_MS = 1000;

export class DistributedHerder implements Herder {
  private member: WorkerGroupMember | null = null;
  private readonly assignor: IncrementalCooperativeAssignor;
  private readonly offsets: ConnectorOffsetsManager;
  private queue: Promise<unknown> = Promise.resolve();
  /** This worker's complete assignment; null while it holds none (joining, rebalancing, stopped). */
  private assignment: ConnectAssignment | null = null;
  private generation = -1;
  private readonly runningConnectors = new Map<string, Started>();
  private readonly runningTasks = new Map<string, Started & { id: ConnectorTaskId }>();
  /** Connectors whose task configs must be (re)generated and handed to the leader. */
  private readonly pendingTaskConfigs = new Set<string>();
  /** The connectors and task counts the leader last assigned over, to know when to rebalance again. */
  private lastAssignedShape = '';
  private reconcileScheduled = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private ready = false;
  /** Resolves once the stores have read their topics: reads wait for it, as Kafka Connect's herder thread starts with that. */
  private storesRead!: () => void;
  private readonly storesReadPromise = new Promise<void>((resolve) => (this.storesRead = resolve));
  private stopped = false;

  constructor(private readonly opts: DistributedHerderOptions) {
    this.assignor = new IncrementalCooperativeAssignor({ maxDelayMs: opts.scheduledRebalanceMaxDelayMs });
    this.offsets = new ConnectorOffsetsManager({
      registry: opts.registry,
      offsetStore: opts.stores.offsets,
      groupAdmin: opts.groupAdmin,
      log: opts.log,
    });
  }

  /** The group generation this worker's assignment is from (written with every status). */
  get generationId(): number {
    return this.generation;
  }

  /** Start the stores (creating the internal topics), then join the group advertising `restUrl`. */
  async start(restUrl: string): Promise<void> {
    const { stores, log } = this.opts;
    await stores.offsets.start();
    await stores.statuses.start();
    stores.configs.setUpdateListener({
      onConnectorConfigUpdate: () => this.scheduleReconcile(),
      onConnectorConfigRemove: () => this.scheduleReconcile(),
      onTaskConfigUpdate: () => this.scheduleReconcile(),
      onConnectorTargetStateChange: () => this.scheduleReconcile(),
      onRestartRequest: (request) => void this.serial(() => this.applyRestart(request)).catch((err: unknown) => log.error({ err }, 'Restart failed')),
      onLoggingLevelUpdate: (namespace, level) => void this.setWorkerLoggerLevel(namespace, level),
    });
    await stores.configs.start();
    this.storesRead();
    this.member = new WorkerGroupMember({
      ...this.opts.member,
      restUrl,
      log,
      configOffset: () => this.opts.stores.configs.snapshot().offset,
      assignor: async (round) => {
        // The leader assigns over the freshest config it can read.
        await this.opts.stores.configs.refresh();
        const snapshot = this.opts.stores.configs.snapshot();
        const connectors = new Map(snapshot.connectors().map((c) => [c, snapshot.tasks(c).length]));
        this.lastAssignedShape = shapeOf(connectors);
        return this.assignor.performAssignment({ ...round, config: { offset: snapshot.offset, connectors } }).assignments;
      },
      listener: {
        onRevoked: (_leader, connectors, tasks) => this.serial(() => this.onRevoked(connectors, tasks)),
        onAssigned: (assignment, generation) => this.serial(() => this.onAssigned(assignment, generation)),
        onError: (err) => log.warn(`Group membership: ${err.message}`),
      },
    });
    this.member.start();
    this.ready = true;
  }

  // ------------------------------------------------------------------------------------------
  // Rebalances and reconciliation
  // ------------------------------------------------------------------------------------------

  /** Run an operation after every earlier one has finished (Kafka Connect's herder thread). */
  private serial<T>(op: () => Promise<T>): Promise<T> {
    const result = this.queue.then(op, op);
    this.queue = result.catch(() => {});
    return result;
  }

  private async onRevoked(connectors: string[], tasks: ConnectorTaskId[]): Promise<void> {
    // Work moves between workers: writes wait for the next assignment.
    this.assignment = null;
    const { worker } = this.opts;
    await worker.stopTasks(tasks);
    for (const t of tasks) this.runningTasks.delete(taskKey(t));
    for (const c of connectors) {
      await worker.stopConnector(c);
      this.runningConnectors.delete(c);
    }
  }

  private async onAssigned(assignment: ConnectAssignment, generation: number): Promise<void> {
    const { configs } = this.opts.stores;
    if (assignment.error !== ASSIGNMENT_NO_ERROR) {
      // The leader's config was behind a member's: catch up; the member rejoins by itself.
      this.opts.log.info('Config offsets differ between workers: reading the config topic to the end before rejoining');
      await configs.refresh();
      return;
    }
    if (configs.snapshot().offset < assignment.configOffset) await configs.refresh();
    this.generation = generation;
    this.assignment = assignment;
    this.opts.log.info(
      `Joined group at generation ${generation} (leader ${assignment.leaderUrl}): ${assignment.connectors.length} connectors, ` +
        `${assignment.tasks.length} tasks assigned to this worker`,
    );
    // Connectors this worker starts generate their tasks (again: their config may have changed while unowned).
    await this.reconcile();
    if (this.isLeader()) await this.removeStaleStatuses();
  }

  /**
   * DistributedHerder.updateDeletedConnectorStatus and updateDeletedTaskStatus: after each
   * rebalance the leader deletes (tombstones) the statuses of connectors no longer in the config
   * topic and of tasks their connector no longer has: a stopped connector's, or those beyond a
   * lowered task count. Their last statuses would otherwise stay readable
   * (GET /connectors/{c}/tasks/{t}/status) long after the tasks are gone.
   */
  private async removeStaleStatuses(): Promise<void> {
    const { configs, statuses } = this.opts.stores;
    const snapshot = configs.snapshot();
    const destroyed = { state: 'DESTROYED' as const, trace: null, workerId: this.workerId(), generation: this.generation };
    const writes: Promise<void>[] = [];
    for (const connector of statuses.connectorNames()) {
      const exists = snapshot.contains(connector);
      if (!exists) writes.push(statuses.put({ connector, ...destroyed }));
      const tasks = new Set(exists ? snapshot.tasks(connector).map(taskKey) : []);
      for (const task of statuses.getAll(connector)) {
        if (!tasks.has(taskKey(task.id))) writes.push(statuses.putTask({ id: task.id, ...destroyed }));
      }
    }
    if (writes.length === 0) return;
    const results = await Promise.allSettled(writes);
    const failed = results.filter((r) => r.status === 'rejected').length;
    if (failed > 0) this.opts.log.warn(`Could not delete ${failed} statuses of removed connectors or tasks; the next rebalance tries again`);
  }

  /** Config topic changes arrive on the store's consumer: coalesce them into one reconciliation. */
  private scheduleReconcile(): void {
    if (this.reconcileScheduled || this.stopped) return;
    this.reconcileScheduled = true;
    void this.serial(async () => {
      this.reconcileScheduled = false;
      await this.reconcile();
    }).catch((err: unknown) => this.opts.log.error({ err }, 'Applying a config change failed'));
  }

  /** Converge what this worker runs to its assignment as the config snapshot describes it. */
  private async reconcile(): Promise<void> {
    const assignment = this.assignment;
    if (!assignment || this.stopped) return;
    const { worker, stores } = this.opts;
    const snapshot = stores.configs.snapshot();
    const assignedConnectors = new Set(assignment.connectors);
    const assignedTasks = new Set(assignment.tasks.map(taskKey));

    // Stop what is no longer assigned, no longer exists, or changed config.
    const tasksToStop: ConnectorTaskId[] = [];
    for (const [key, started] of this.runningTasks) {
      const config = snapshot.taskConfig(started.id);
      const target = snapshot.targetState(started.id.connector);
      if (!assignedTasks.has(key) || config === null || target === null || target === 'STOPPED' ||
          started.id.task >= snapshot.taskCount(started.id.connector) || JSON.stringify(config) !== started.config) {
        tasksToStop.push(started.id);
      }
    }
    if (tasksToStop.length > 0) {
      await worker.stopTasks(tasksToStop);
      for (const id of tasksToStop) this.runningTasks.delete(taskKey(id));
    }
    for (const [name, started] of [...this.runningConnectors]) {
      const config = snapshot.connectorConfig(name);
      const target = snapshot.targetState(name);
      const restart = config === null || JSON.stringify(config) !== started.config || (target === 'STOPPED') !== (started.target === 'STOPPED');
      if (!assignedConnectors.has(name) || restart) {
        await worker.stopConnector(name);
        this.runningConnectors.delete(name);
      }
    }

    // Start assigned connectors.
    for (const name of assignment.connectors) {
      const config = snapshot.connectorConfig(name);
      const target = snapshot.targetState(name);
      if (config === null || target === null) continue;
      const running = this.runningConnectors.get(name);
      if (running) {
        if (running.target !== target) {
          // (A failed connector no longer runs in the worker: for it this only reaches its tasks here.)
          worker.setTargetState(name, target);
          running.target = target;
          if (target === 'STARTED' && snapshot.taskCount(name) === 0 && !running.failed) this.pendingTaskConfigs.add(name);
        }
        continue;
      }
      const ok = await worker.startConnector(name, config, target);
      // Owned even when it failed (its status says FAILED): a restart or a new config starts it again.
      this.runningConnectors.set(name, { config: JSON.stringify(config), target, failed: !ok });
      if (!ok) continue;
      // Kafka Connect generates tasks only for a started connector; a stopped one has none.
      if (target === 'STARTED' || (target === 'STOPPED' && snapshot.taskCount(name) > 0)) this.pendingTaskConfigs.add(name);
    }
    // Target states of tasks whose connector runs elsewhere.
    for (const started of this.runningTasks.values()) {
      const target = snapshot.targetState(started.id.connector);
      if (target !== null && target !== started.target && !this.runningConnectors.has(started.id.connector)) {
        worker.setTargetState(started.id.connector, target);
      }
      if (target !== null) started.target = target;
    }

    // Start assigned tasks whose configs are committed.
    const toStart: { id: ConnectorTaskId; config: Record<string, string>; taskConfig: Record<string, string>; target: TargetState }[] = [];
    for (const id of assignment.tasks) {
      if (this.runningTasks.has(taskKey(id))) continue;
      const config = snapshot.connectorConfig(id.connector);
      const taskConfig = snapshot.taskConfig(id);
      const target = snapshot.targetState(id.connector);
      if (config === null || taskConfig === null || target === null || target === 'STOPPED' || id.task >= snapshot.taskCount(id.connector)) continue;
      toStart.push({ id, config, taskConfig, target });
    }
    if (toStart.length > 0) {
      // A source task taking over from another worker resumes from that worker's last commit.
      await stores.offsets.refresh().catch((err: unknown) => this.opts.log.warn({ err }, 'Could not read the offset topic to its end'));
    }
    await Promise.all(
      toStart.map(async ({ id, config, taskConfig, target }) => {
        this.runningTasks.set(taskKey(id), { id, config: JSON.stringify(taskConfig), target });
        await worker.startTask(id, config, taskConfig, target);
      }),
    );

    await this.publishPendingTaskConfigs(snapshot);
    if (this.isLeader()) this.rebalanceIfShapeChanged(snapshot);
  }

  /** The leader rebalances when connectors came or went or their task counts changed. */
  private rebalanceIfShapeChanged(snapshot: ClusterConfigState): void {
    const shape = shapeOf(new Map(snapshot.connectors().map((c) => [c, snapshot.tasks(c).length])));
    if (shape !== this.lastAssignedShape) {
      this.lastAssignedShape = shape;
      this.member?.requestRejoin('connectors or task configs changed');
    }
  }

  /** Generate task configs of connectors this worker runs, and hand changed ones to the leader. */
  private async publishPendingTaskConfigs(snapshot: ClusterConfigState): Promise<void> {
    let failed = false;
    for (const name of [...this.pendingTaskConfigs]) {
      this.pendingTaskConfigs.delete(name);
      const running = this.runningConnectors.get(name);
      const config = snapshot.connectorConfig(name);
      if (!running || running.failed || config === null) continue;
      let next: Record<string, string>[];
      if (running.target === 'STOPPED') {
        next = [];
      } else {
        try {
          next = this.opts.worker.connectorTaskConfigs(name, Number(config['tasks.max'] ?? '1'));
        } catch (err) {
          await this.failConnector(name, running, err);
          continue;
        }
      }
      const current = snapshot.tasks(name).map((id) => snapshot.taskConfig(id));
      if (snapshot.taskCount(name) === next.length && JSON.stringify(current) === JSON.stringify(next)) continue;
      try {
        await this.writeTaskConfigs(name, next);
      } catch (err) {
        this.opts.log.warn(`Could not hand the task configs of ${name} to the leader (will retry): ${(err as Error).message}`);
        this.pendingTaskConfigs.add(name);
        failed = true;
      }
    }
    if (failed && !this.retryTimer && !this.stopped) {
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.scheduleReconcile();
      }, RETRY_MS);
    }
  }

  /**
   * A connector whose taskConfigs() threw is FAILED, with the error as its trace (as a connector
   * that fails to start): logging alone would leave it RUNNING with no tasks and nothing to say why.
   * It is stopped, and stays owned by this worker until a restart or a new config.
   */
  private async failConnector(name: string, running: Started, err: unknown): Promise<void> {
    const error = err instanceof Error ? err : new Error(String(err));
    this.opts.log.error({ err: error }, `Connector ${name} could not generate task configs: ${error.message}`);
    running.failed = true;
    await this.opts.worker.stopConnector(name);
    this.opts.status.onConnectorState(name, 'FAILED', error);
  }

  private async writeTaskConfigs(name: string, configs: Record<string, string>[]): Promise<void> {
    if (this.isLeader()) {
      await this.opts.stores.configs.putTaskConfigs(name, configs);
      return;
    }
    await this.forward('PUT', `/connectors/${encodeURIComponent(name)}/tasks/configs`, configs);
  }

  /**
   * The internal endpoint's handler: a worker running `name` sends its task configs to the leader.
   * A worker that is not the leader (any more) answers 409, and the sender retries.
   */
  putTaskConfigsFromWorker(name: string, configs: Record<string, string>[]): Promise<void> {
    return this.serial(async () => {
      if (!this.assignment) throw new RestError(409, REBALANCE_IN_PROGRESS);
      if (!this.isLeader()) throw new RestError(409, STALE_CONFIG);
      if (!this.opts.stores.configs.contains(name)) throw new NotFoundError(`Connector ${name} not found`);
      await this.opts.stores.configs.putTaskConfigs(name, configs);
    });
  }

  /** A connector asked for new task configs (ConnectorContext.requestTaskReconfiguration). */
  reconfigureTasks(name: string): void {
    this.pendingTaskConfigs.add(name);
    this.scheduleReconcile();
  }

  /**
   * Apply a restart request record to what this worker runs, in DistributedHerder's order: stop
   * the connector and the tasks to restart, report them RESTARTING, then start them again.
   */
  private async applyRestart(request: StoredRestart): Promise<void> {
    if (!this.assignment) return;
    const { worker, stores, status } = this.opts;
    const snapshot = stores.configs.snapshot();
    const name = request.connector;
    const config = snapshot.connectorConfig(name);
    const target = snapshot.targetState(name);
    if (config === null || target === null) return;
    const failed = (state: string | undefined): boolean => state === 'FAILED';
    const restartConnector = this.assignment.connectors.includes(name) && (!request.onlyFailed || failed(stores.statuses.get(name)?.state));
    const tasks = request.includeTasks
      ? this.assignment.tasks.filter((id) => id.connector === name && (!request.onlyFailed || failed(stores.statuses.getTask(id)?.state)))
      : [];
    if (restartConnector) {
      await worker.stopConnector(name);
      status.onConnectorState(name, 'RESTARTING');
    }
    if (tasks.length > 0) {
      await worker.stopTasks(tasks);
      for (const id of tasks) {
        this.runningTasks.delete(taskKey(id));
        status.onTaskState(id, 'RESTARTING');
      }
    }
    if (restartConnector) {
      const started = await worker.startConnector(name, config, target);
      this.runningConnectors.set(name, { config: JSON.stringify(config), target, failed: !started });
      if (started && target !== 'PAUSED') {
        // A restarted connector may produce other task configs (Kafka Connect asks it again too).
        this.pendingTaskConfigs.add(name);
        await this.publishPendingTaskConfigs(snapshot);
      }
    }
    for (const id of tasks) {
      const taskConfig = snapshot.taskConfig(id);
      if (taskConfig === null || target === 'STOPPED') continue;
      this.runningTasks.set(taskKey(id), { id, config: JSON.stringify(taskConfig), target });
      await worker.startTask(id, config, taskConfig, target);
    }
  }

  private isLeader(): boolean {
    return this.assignment !== null && this.member !== null && this.assignment.leader === this.member.memberId;
  }

  // ------------------------------------------------------------------------------------------
  // Writes: on the leader, else forwarded to it
  // ------------------------------------------------------------------------------------------

  /** Run `local` on the leader (this worker), or send the request to the leader. */
  private async onLeader<T>(local: () => Promise<T>, remote: () => Promise<T>): Promise<T> {
    if (!this.assignment) throw new RestError(409, REBALANCE_IN_PROGRESS);
    if (this.isLeader()) return this.serial(local);
    return remote();
  }

  /** Forward a REST request to the leader, answering with its status and body. */
  private async forward(method: string, path: string, body?: unknown, to?: string): Promise<{ status: number; body: unknown }> {
    const leaderUrl = to ?? this.assignment?.leaderUrl;
    // A forwarded request is not forwarded again (HerderRequestHandler with forward=false).
    if (!leaderUrl || forwardedRequest.getStore() === true) throw new RestError(409, REBALANCE_IN_PROGRESS);
    const url = new URL(path, leaderUrl);
    url.searchParams.set('forward', 'false');
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(90_000),
      });
    } catch (err) {
      throw new RestError(409, `${REBALANCE_IN_PROGRESS}: the leader at ${leaderUrl} could not be reached (${(err as Error).message})`);
    }
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      throw new RestError(response.status >= 400 ? response.status : 500, `${method} ${url.href} answered ${response.status} with a body that is not JSON`);
    }
    if (response.status >= 400) {
      const message = (parsed as { message?: string } | null)?.message ?? `HTTP ${response.status} from the leader`;
      throw new RestError(response.status, message);
    }
    return { status: response.status, body: parsed };
  }

  putConnectorConfig(name: string, config: Record<string, string>, allowReplace: boolean, initialState?: InitialState): Promise<PutConfigResult> {
    return this.onLeader(
      async () => {
        const { configs } = this.opts.stores;
        await configs.refresh();
        const exists = configs.contains(name);
        if (exists && !allowReplace) throw new AlreadyExistsError(`Connector ${name} already exists`);
        const full = { ...config, name };
        await this.validateOrThrow(full);
        const target: TargetState | null = exists ? null : initialState === 'PAUSED' ? 'PAUSED' : initialState === 'STOPPED' ? 'STOPPED' : 'STARTED';
        await configs.putConnectorConfig(name, full, target);
        this.scheduleReconcile();
        return { created: !exists, info: this.infoOf(name, configs.snapshot()) };
      },
      async () => {
        const path = `/connectors/${encodeURIComponent(name)}`;
        const result = allowReplace
          ? await this.forward('PUT', `${path}/config`, config)
          : await this.forward('POST', '/connectors', { name, config, ...(initialState ? { initial_state: initialState } : {}) });
        return { created: result.status === 201, info: result.body as ConnectorInfo };
      },
    );
  }

  private async validateOrThrow(config: Record<string, string>): Promise<void> {
    const infos = await this.opts.validate(config);
    if (infos.error_count === 0) return;
    const messages: string[] = [];
    for (const c of infos.configs) for (const m of c.value?.errors ?? []) messages.push(m);
    throw new BadRequestError(
      `Connector configuration is invalid and contains the following ${infos.error_count} error(s):\n` +
        `${messages.join('\n')}\n` +
        'You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`',
    );
  }

  deleteConnector(name: string): Promise<void> {
    return this.onLeader(
      async () => {
        const { configs, statuses } = this.opts.stores;
        const snapshot = configs.snapshot();
        if (!snapshot.contains(name)) throw new NotFoundError(`Connector ${name} not found`);
        await configs.removeConnectorConfig(name);
        // AbstractHerder.onDeletion: the statuses go with the connector.
        const destroyed = { state: 'DESTROYED' as const, trace: null, workerId: this.workerId(), generation: this.generation };
        await Promise.all([
          statuses.put({ connector: name, ...destroyed }),
          ...statuses.getAll(name).map((t) => statuses.putTask({ id: t.id, ...destroyed })),
        ]);
        this.scheduleReconcile();
      },
      async () => {
        await this.forward('DELETE', `/connectors/${encodeURIComponent(name)}`);
      },
    );
  }

  private targetStateWrite(name: string, target: TargetState, action: 'pause' | 'resume' | 'stop'): Promise<void> {
    return this.onLeader(
      async () => {
        const { configs } = this.opts.stores;
        if (!configs.contains(name)) throw new NotFoundError(`Unknown connector ${name}`);
        await configs.putTargetState(name, target);
        // A stopped connector has no tasks (DistributedHerder.stopConnector writes an empty task list).
        if (target === 'STOPPED') await configs.putTaskConfigs(name, []);
        else await configs.refresh();
        this.scheduleReconcile();
      },
      async () => {
        await this.forward('PUT', `/connectors/${encodeURIComponent(name)}/${action}`);
      },
    );
  }

  pauseConnector(name: string): Promise<void> {
    return this.targetStateWrite(name, 'PAUSED', 'pause');
  }

  resumeConnector(name: string): Promise<void> {
    return this.targetStateWrite(name, 'STARTED', 'resume');
  }

  stopConnector(name: string): Promise<void> {
    return this.targetStateWrite(name, 'STOPPED', 'stop');
  }

  restartConnector(name: string, request: RestartRequest): Promise<ConnectorStateInfo | null> {
    return this.onLeader(
      async () => {
        const { configs } = this.opts.stores;
        if (!configs.contains(name)) throw new NotFoundError(`Unknown connector: ${name}`);
        const before = request.includeTasks || request.onlyFailed ? this.statusOf(name) : null;
        await configs.putRestartRequest({ connector: name, ...request });
        if (before === null) return null;
        // The restart plan, as Kafka Connect answers it: what will restart shows RESTARTING.
        const restarts = (state: string): boolean => !request.onlyFailed || state === 'FAILED';
        return {
          ...before,
          connector: restarts(before.connector.state) ? { ...before.connector, state: 'RESTARTING' } : before.connector,
          tasks: before.tasks.map((t) => (request.includeTasks && restarts(t.state) ? { ...t, state: 'RESTARTING' } : t)),
        };
      },
      async () => {
        const query = `includeTasks=${request.includeTasks}&onlyFailed=${request.onlyFailed}`;
        const result = await this.forward('POST', `/connectors/${encodeURIComponent(name)}/restart?${query}`);
        return result.status === 204 ? null : (result.body as ConnectorStateInfo);
      },
    );
  }

  /**
   * Restart one task where it runs: here, or on its owner as the status topic names it (a worker
   * id is its advertised host:port, so its REST URL is http://<worker_id>/), as Kafka Connect
   * forwards it to the owner.
   */
  async restartTask(name: string, task: number): Promise<void> {
    await this.storesReady();
    const snapshot = this.opts.stores.configs.snapshot();
    const id = { connector: name, task };
    // DistributedHerder.restartTask's wordings (StandaloneHerder's differ).
    if (!snapshot.contains(name)) throw new NotFoundError(`Unknown connector: ${name}`);
    if (task < 0 || task >= snapshot.taskCount(name)) throw new NotFoundError(`Unknown task: ${name}-${task}`);
    if (!this.assignment) throw new RestError(409, REBALANCE_IN_PROGRESS);
    if (this.assignment.tasks.some((t) => t.connector === name && t.task === task)) {
      await this.serial(async () => {
        const current = this.opts.stores.configs.snapshot();
        const config = current.connectorConfig(name);
        const taskConfig = current.taskConfig(id);
        const target = current.targetState(name);
        await this.opts.worker.stopTasks([id]);
        this.runningTasks.delete(taskKey(id));
        if (config === null || taskConfig === null || target === null || target === 'STOPPED') return;
        this.runningTasks.set(taskKey(id), { id, config: JSON.stringify(taskConfig), target });
        await this.opts.worker.startTask(id, config, taskConfig, target);
      });
      return;
    }
    const owner = this.opts.stores.statuses.getTask(id)?.workerId;
    if (!owner || owner === this.workerId()) throw new RestError(409, `${REBALANCE_IN_PROGRESS}: task ${name}-${task} is not assigned to any worker yet`);
    await this.forward('POST', `/connectors/${encodeURIComponent(name)}/tasks/${task}/restart`, undefined, `http://${owner}/`);
  }

  patchConnectorConfig(name: string, patch: Record<string, string | null>): Promise<ConnectorInfo> {
    return this.onLeader(
      async () => {
        const { configs } = this.opts.stores;
        const existing = configs.snapshot().connectorConfig(name);
        if (existing === null) throw new NotFoundError(`Connector ${name} not found`);
        const patched: Record<string, string> = { ...existing };
        for (const [key, value] of Object.entries(patch)) {
          if (value === null) delete patched[key];
          else patched[key] = value;
        }
        await this.validateOrThrow(patched);
        await configs.putConnectorConfig(name, patched);
        this.scheduleReconcile();
        return this.infoOf(name, configs.snapshot());
      },
      async () => (await this.forward('PATCH', `/connectors/${encodeURIComponent(name)}/config`, patch)).body as ConnectorInfo,
    );
  }

  alterConnectorOffsets(name: string, offsets: ConnectorOffset[]): Promise<Message> {
    return this.onLeader(
      async () => {
        const config = this.stoppedConfig(name);
        if (offsets.length === 0) throw new ConnectError('The offsets to be altered may not be null or empty');
        return this.offsets.alter(name, config, offsets);
      },
      async () => (await this.forward('PATCH', `/connectors/${encodeURIComponent(name)}/offsets`, { offsets })).body as Message,
    );
  }

  resetConnectorOffsets(name: string): Promise<Message> {
    return this.onLeader(
      async () => this.offsets.reset(name, this.stoppedConfig(name)),
      async () => (await this.forward('DELETE', `/connectors/${encodeURIComponent(name)}/offsets`)).body as Message,
    );
  }

  private stoppedConfig(name: string): Record<string, string> {
    const snapshot = this.opts.stores.configs.snapshot();
    const config = snapshot.connectorConfig(name);
    if (config === null) throw new NotFoundError(`Connector ${name} not found`);
    if (snapshot.targetState(name) !== 'STOPPED' || snapshot.taskCount(name) !== 0) {
      throw new BadRequestError(
        'Connectors must be in the STOPPED state before their offsets can be modified. This can be done ' +
          `for the specified connector by issuing a 'PUT' request to the '/connectors/${name}/stop' endpoint`,
      );
    }
    return config;
  }

  async setClusterLoggerLevel(namespace: string, level: string): Promise<void> {
    if (!LoggerRegistry.isValidLevel(level)) throw new BadRequestError(`Invalid log level '${level}'.`);
    await this.storesReady();
    // Any worker may write it (as Kafka Connect's do): every worker applies it when read back.
    await this.opts.stores.configs.putLoggerLevel(namespace, level);
  }

  // ------------------------------------------------------------------------------------------
  // Reads: the local config snapshot and the status topic
  // ------------------------------------------------------------------------------------------

  private workerId(): string {
    return this.opts.workerId();
  }

  /**
   * Waits until this worker has read the config and status topics: a worker still starting would
   * otherwise answer from empty stores (no connectors, 404s) where the cluster has them. As in Kafka
   * Connect, the request fails with 500 "Request timed out" if that takes longer than 90 s.
   */
  private async storesReady(): Promise<void> {
    if (this.ready) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.storesReadPromise,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new RestError(500, 'Request timed out: the worker is still reading its internal topics')), STARTUP_READ_TIMEOUT_MS);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  workerInfo(): Promise<WorkerInfo> {
    return this.opts.workerInfo();
  }

  async connectors(): Promise<string[]> {
    await this.storesReady();
    return this.opts.stores.configs.snapshot().connectors();
  }

  private infoOf(name: string, snapshot: ClusterConfigState): ConnectorInfo {
    const config = snapshot.connectorConfig(name);
    if (config === null) throw new NotFoundError(`Connector ${name} not found`);
    return { name, config: { ...config }, tasks: snapshot.tasks(name), type: this.connectorType(config) };
  }

  async connectorInfo(name: string): Promise<ConnectorInfo> {
    await this.storesReady();
    return this.infoOf(name, this.opts.stores.configs.snapshot());
  }

  private connectorType(config: Record<string, string>): ConnectorType {
    try {
      return this.opts.registry.connector(config['connector.class'] ?? '').kind;
    } catch {
      return 'unknown';
    }
  }

  async connectorConfig(name: string): Promise<Record<string, string>> {
    await this.storesReady();
    const config = this.opts.stores.configs.snapshot().connectorConfig(name);
    if (config === null) throw new NotFoundError(`Connector ${name} not found`);
    return { ...config };
  }

  async connectorStatus(name: string): Promise<ConnectorStateInfo> {
    await this.storesReady();
    return this.statusOf(name);
  }

  private statusOf(name: string): ConnectorStateInfo {
    const { statuses, configs } = this.opts.stores;
    const connector = statuses.get(name);
    const snapshot = configs.snapshot();
    // A deleted connector has no status, even if an instance that was still starting somewhere
    // wrote one after the leader's DESTROYED tombstone (seen in CI right after a rebalance): the
    // config topic says whether it exists, as GET /connectors does.
    if (connector === null || !snapshot.contains(name)) throw new NotFoundError(`No status found for connector ${name}`);
    const config = snapshot.connectorConfig(name);
    // Only the tasks the connector has now: statuses of tasks it had before may linger in the topic.
    const taskCount = snapshot.taskCount(name);
    return {
      name,
      connector: instanceStatus(connector),
      tasks: statuses.getAll(name).filter((t) => t.id.task < taskCount).sort((a, b) => a.id.task - b.id.task)
        .map((t) => ({ id: t.id.task, ...instanceStatus(t) })),
      type: config ? this.connectorType(config) : 'unknown',
    };
  }

  async taskConfigs(name: string): Promise<TaskInfo[]> {
    await this.storesReady();
    const snapshot = this.opts.stores.configs.snapshot();
    if (!snapshot.contains(name)) throw new NotFoundError(`Connector ${name} not found`);
    return snapshot.tasks(name).map((id) => ({ id, config: { ...(snapshot.taskConfig(id) ?? {}) } }));
  }

  async taskStatus(name: string, task: number): Promise<TaskStatus> {
    await this.storesReady();
    const status = this.opts.stores.statuses.getTask({ connector: name, task });
    if (status === null || !this.opts.stores.configs.snapshot().contains(name)) throw new NotFoundError(`No status found for task ${name}-${task}`);
    return { id: task, ...instanceStatus(status) };
  }

  validateConnectorConfig(config: Record<string, string>): Promise<ConfigInfos> {
    return this.opts.validate(config);
  }

  async connectorPlugins(connectorsOnly: boolean): Promise<PluginInfo[]> {
    const rank = (p: PluginInfo): number => PLUGIN_TYPE_ORDER.indexOf(p.type);
    return [...this.opts.plugins(connectorsOnly)].sort((a, b) => rank(a) - rank(b) || (a.class < b.class ? -1 : a.class > b.class ? 1 : 0));
  }

  async connectorOffsets(name: string): Promise<ConnectorOffsets> {
    await this.storesReady();
    const config = this.opts.stores.configs.snapshot().connectorConfig(name);
    if (config === null) throw new NotFoundError(`Connector ${name} not found`);
    return this.offsets.list(name, config);
  }

  async connectorActiveTopics(name: string): Promise<ActiveTopicsInfo> {
    await this.storesReady();
    return { connector: name, topics: this.opts.stores.statuses.getAllTopics(name).map((t) => t.topic) };
  }

  async resetConnectorActiveTopics(name: string): Promise<void> {
    await this.storesReady();
    const { statuses } = this.opts.stores;
    await Promise.all(statuses.getAllTopics(name).map((t) => statuses.deleteTopic(name, t.topic)));
  }

  async connectorPluginConfig(pluginName: string): Promise<ConfigKeyInfo[]> {
    return connectorPluginConfig(this.opts.registry, pluginName);
  }

  async allLoggerLevels(): Promise<Record<string, LoggerLevel>> {
    return allLoggerLevels(this.opts.loggers);
  }

  async loggerLevel(name: string): Promise<LoggerLevel | null> {
    return loggerLevel(this.opts.loggers, name);
  }

  async setWorkerLoggerLevel(namespace: string, level: string): Promise<string[]> {
    return setWorkerLoggerLevel(this.opts.loggers, this.opts.log, namespace, level);
  }

  /** Ready once the stores are read and the worker joins the group. */
  isReady(): boolean {
    return this.ready;
  }

  healthCheck(): Promise<void> {
    return this.serial(async () => {});
  }

  /** Leave the group, stop every connector and task (committing offsets), then the stores. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.serial(async () => {
      this.assignment = null;
      await this.opts.worker.stop();
      this.runningConnectors.clear();
      this.runningTasks.clear();
    });
    await this.member?.stop({ leaveGroup: true });
    const { stores } = this.opts;
    await stores.statuses.flush().catch(() => {});
    await Promise.allSettled([stores.configs.stop(), stores.offsets.stop(), stores.statuses.stop()]);
  }
}

function shapeOf(connectors: ReadonlyMap<string, number>): string {
  return JSON.stringify([...connectors].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function instanceStatus(s: { state: string; trace: string | null; workerId: string; version?: string | null }): InstanceStatus {
  const out: InstanceStatus = { state: s.state as InstanceStatus['state'], worker_id: s.workerId };
  if (s.trace) out.trace = s.trace;
  if (s.version) out.version = s.version;
  return out;
}

/**
 * The worker's StatusListener in distributed mode: every connector and task state goes to the
 * status topic with this worker's id and its current group generation, as Kafka Connect's
 * AbstractHerder does, so any worker's REST API can answer for the whole cluster.
 *
 * UNASSIGNED (an instance shut down) is written with putSafe: a worker that lost its work to
 * another must not overwrite the status the new owner wrote at a newer generation.
 *
 * Nothing is written for a connector this worker's config snapshot does not hold: the worker runs
 * only connectors it has read, so such a report comes from an instance shutting down because its
 * connector was deleted, and the leader already wrote DESTROYED (a tombstone) for it. Writing
 * UNASSIGNED (or a late RUNNING) then would bring a deleted connector's status back.
 */
import type { InstanceState } from '../herder.js';
import type { StatusListener } from '../../engine/status-listener.js';
import { traceOf } from '../../engine/status-listener.js';
import type { TaskId } from '../../engine/task-id.js';
import type { KafkaStatusStore } from '../../storage/kafka/kafka-status-store.js';
import type { Logger } from '../../util/logger.js';

export class StatusWriter implements StatusListener {
  /** Active-topic records being written, so a burst of reports writes one. */
  private readonly topicWrites = new Set<string>();

  constructor(
    private readonly store: KafkaStatusStore,
    private readonly workerId: () => string,
    private readonly generation: () => number,
    private readonly log: Logger,
    /** The plugin version of a connector's class, written with each status (KIP-891). */
    private readonly version: (connector: string) => string | null = () => null,
    /** True while the connector exists in this worker's view of the config topic. */
    private readonly exists: (connector: string) => boolean = () => true,
  ) {}

  onConnectorState(name: string, state: InstanceState, error?: Error): void {
    if (!this.exists(name)) return this.dropped(name, state);
    const status = { connector: name, ...this.fields(name, state, error) };
    const write = state === 'UNASSIGNED' ? this.store.putSafe(status) : this.store.put(status);
    write.catch((err: unknown) => this.log.error({ err }, `Could not write the status of connector ${name}`));
  }

  onTaskState(id: TaskId, state: InstanceState, error?: Error): void {
    if (!this.exists(id.connector)) return this.dropped(`${id.connector}-${id.task}`, state);
    const status = { id: { connector: id.connector, task: id.task }, ...this.fields(id.connector, state, error) };
    const write = state === 'UNASSIGNED' ? this.store.putTaskSafe(status) : this.store.putTask(status);
    write.catch((err: unknown) => this.log.error({ err }, `Could not write the status of task ${id.connector}-${id.task}`));
  }

  /** The first task to use a topic records it in the status topic (topic.tracking.enable, KIP-558). */
  onTopicActive(connector: string, topic: string, task = 0): void {
    const key = `${connector}\u0000${topic}`;
    if (this.topicWrites.has(key) || this.store.getTopic(connector, topic) !== null || !this.exists(connector)) return;
    this.topicWrites.add(key);
    this.store
      .putTopic({ topic, connector, task, discoverTimestamp: Date.now() })
      .catch((err: unknown) => this.log.error({ err }, `Could not record that connector ${connector} uses topic ${topic}`))
      .finally(() => this.topicWrites.delete(key));
  }

  private dropped(what: string, state: InstanceState): void {
    this.log.debug(`Not writing status ${state} of ${what}: its connector was deleted`);
  }

  private fields(connector: string, state: InstanceState, error?: Error) {
    return {
      state,
      trace: traceOf(error) ?? null,
      workerId: this.workerId(),
      generation: this.generation(),
      version: this.version(connector),
    };
  }
}

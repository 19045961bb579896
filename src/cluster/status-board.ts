/**
 * Connector and task states as the REST API reports them (an in-memory status store, which is
 * what standalone mode has in Kafka Connect too).
 */
import type { InstanceState, InstanceStatus, TaskStatus } from './herder.js';
import type { StatusListener } from '../engine/status-listener.js';
import { traceOf } from '../engine/status-listener.js';
import type { TaskId } from '../engine/task-id.js';

export class StatusBoard implements StatusListener {
  private readonly connectors = new Map<string, InstanceStatus>();
  private readonly tasks = new Map<string, Map<number, TaskStatus>>();
  /** Active topics per connector, in the order first seen (KIP-558's topic tracking). */
  private readonly topics = new Map<string, Set<string>>();

  constructor(private readonly workerId: () => string) {}

  onConnectorState(name: string, state: InstanceState, error?: Error): void {
    this.connectors.set(name, status(state, this.workerId(), error));
  }

  onTaskState(id: TaskId, state: InstanceState, error?: Error): void {
    let tasks = this.tasks.get(id.connector);
    if (!tasks) {
      tasks = new Map();
      this.tasks.set(id.connector, tasks);
    }
    // A task that failed keeps its FAILED status (and trace) until restarted.
    if (state === 'UNASSIGNED' && tasks.get(id.task)?.state === 'FAILED') return;
    tasks.set(id.task, { id: id.task, ...status(state, this.workerId(), error) });
  }

  connector(name: string): InstanceStatus {
    return this.connectors.get(name) ?? { state: 'UNASSIGNED', worker_id: this.workerId() };
  }

  task(connector: string, task: number): TaskStatus {
    return this.tasks.get(connector)?.get(task) ?? { id: task, state: 'UNASSIGNED', worker_id: this.workerId() };
  }

  /** Forget a connector's task statuses from `fromTask` on (tasks that no longer exist). */
  removeTasks(connector: string, fromTask = 0): void {
    const tasks = this.tasks.get(connector);
    if (!tasks) return;
    for (const id of tasks.keys()) if (id >= fromTask) tasks.delete(id);
  }

  remove(connector: string): void {
    this.connectors.delete(connector);
    this.tasks.delete(connector);
    this.topics.delete(connector);
  }

  /** A task of `connector` produced to or consumed from `topic` (once per topic is enough). */
  onTopicActive(connector: string, topic: string): void {
    let topics = this.topics.get(connector);
    if (!topics) this.topics.set(connector, (topics = new Set()));
    topics.add(topic);
  }

  activeTopics(connector: string): string[] {
    return [...(this.topics.get(connector) ?? [])];
  }

  resetActiveTopics(connector: string): void {
    this.topics.delete(connector);
  }
}

function status(state: InstanceState, workerId: string, error?: Error): InstanceStatus {
  const trace = traceOf(error);
  return trace ? { state, worker_id: workerId, trace } : { state, worker_id: workerId };
}

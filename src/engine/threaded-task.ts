/**
 * A task running on its own thread (threads/sink-task-host.ts, threads/source-task-host.ts), as
 * the main thread sees it: control messages out; state and source offsets in. If the thread
 * dies, the task is FAILED with the reason; other tasks are not affected.
 */
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import type { TargetState } from '../cluster/herder.js';
import type { Logger } from '../util/logger.js';
import type { StatusListener } from './status-listener.js';
import { taskPool } from './task-pool.js';
import { taskIdString, type TaskId } from './task-id.js';
import type { FromTask, TaskSpec, ToTask } from './threads/messages.js';
import type { OffsetStore } from '../storage/offset-store.js';
import type { RunningTask } from './worker-task.js';

export class ThreadedTask implements RunningTask {
  private port: MessagePort | null = null;
  private finished: Promise<void> = Promise.resolve();
  private targetState: TargetState;
  private failed = false;
  /** Source offsets are written in order, one write after the other. */
  private offsetWrites: Promise<void> = Promise.resolve();
  private stoppedMessage!: Promise<void>;
  private onStopped: () => void = () => {};

  constructor(
    readonly id: TaskId,
    private readonly spec: TaskSpec,
    private readonly status: StatusListener,
    private readonly log: Logger,
    /** Where a source task's offsets go. */
    private readonly offsetStore?: OffsetStore,
  ) {
    this.targetState = spec.initialState;
  }

  start(): void {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.stoppedMessage = new Promise((resolve) => (this.onStopped = resolve));
    port1.on('message', (m: FromTask) => this.onMessage(m));
    const name = taskIdString(this.id);
    this.finished = taskPool()
      .run({ spec: this.spec, port: port2 }, { transferList: [port2] })
      .then(
        () => undefined,
        (err: unknown) => {
          // The thread itself died (or the job threw outside the host's own error handling).
          const error = err instanceof Error ? err : new Error(String(err));
          this.log.error({ err: error }, `Task thread of ${name} died: ${error.message}`);
          this.failed = true;
          this.status.onTaskState(this.id, 'FAILED', error);
        },
      )
      // The job's end and the port's last messages travel separately: wait for both (a dead
      // thread sends no 'stopped').
      .then(() => Promise.race([this.stoppedMessage, new Promise((r) => setTimeout(r, 1000))]))
      .then(() => this.offsetWrites)
      .finally(() => port1.close());
  }

  private onMessage(m: FromTask): void {
    if (m.type === 'stopped') {
      this.onStopped();
      return;
    }
    if (m.type === 'topics') {
      for (const topic of m.topics) this.status.onTopicActive?.(this.id.connector, topic, this.id.task);
      return;
    }
    if (m.type === 'offsets') {
      const store = this.offsetStore;
      if (!store) return;
      const entries = m.offsets.map((o) => ({ connector: this.id.connector, partition: o.partition, offset: o.offset }));
      this.offsetWrites = this.offsetWrites
        .then(() => store.set(entries))
        .catch((err: unknown) => this.log.error({ err }, `Failed to store source offsets of ${taskIdString(this.id)}`));
      return;
    }
    if (m.state === 'FAILED') {
      this.failed = true;
      const error = new Error(m.message ?? 'task failed');
      if (m.trace) error.stack = m.trace;
      this.status.onTaskState(this.id, 'FAILED', error);
    } else if (!this.failed) {
      this.status.onTaskState(this.id, m.state);
    }
  }

  private send(m: ToTask): void {
    this.port?.postMessage(m);
  }

  setTargetState(state: TargetState): void {
    if (state === this.targetState) return;
    this.targetState = state;
    if (state === 'PAUSED') this.send({ type: 'pause' });
    else if (state === 'STARTED') this.send({ type: 'resume' });
  }

  async stop(timeoutMs: number): Promise<boolean> {
    this.send({ type: 'stop' });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const done = await Promise.race([this.finished.then(() => true), timedOut]);
    clearTimeout(timer);
    return done;
  }
}

/**
 * What source and sink tasks share: the run loop's lifecycle, target state (started/paused)
 * and status reporting. A task that throws becomes FAILED with its trace; the worker goes on.
 */
import type { TargetState } from '../cluster/herder.js';
import type { StatusListener } from './status-listener.js';
import { taskIdString, type TaskId } from './task-id.js';
import type { Logger } from '../util/logger.js';

/** A task as the worker drives it, wherever it runs (this thread or a task thread). */
export interface RunningTask {
  readonly id: TaskId;
  start(): void;
  /** Ask the task to stop, then wait up to timeoutMs for it. True if it finished in time. */
  stop(timeoutMs: number): Promise<boolean>;
  setTargetState(state: TargetState): void;
}

export abstract class WorkerTask implements RunningTask {
  protected stopping = false;
  private targetState: TargetState;
  private resumeWaiters: (() => void)[] = [];
  private finished!: Promise<void>;

  constructor(
    readonly id: TaskId,
    initialState: TargetState,
    protected readonly status: StatusListener,
    protected readonly log: Logger,
  ) {
    this.targetState = initialState;
  }

  get name(): string {
    return taskIdString(this.id);
  }

  /** Start the task's loop; resolves at once. */
  start(): void {
    this.finished = this.run();
  }

  private async run(): Promise<void> {
    try {
      await this.initializeAndStart();
      if (!this.stopping) this.status.onTaskState(this.id, this.isPaused() ? 'PAUSED' : 'RUNNING');
      await this.execute();
      await this.close(true);
      this.status.onTaskState(this.id, 'UNASSIGNED');
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      this.log.error({ err: error }, `${this.name} failed: ${error.message}`);
      this.status.onTaskState(this.id, 'FAILED', error);
      await this.close(false).catch((closeErr: unknown) => this.log.warn({ err: closeErr }, `${this.name} did not close cleanly`));
    }
  }

  protected abstract initializeAndStart(): Promise<void>;
  protected abstract execute(): Promise<void>;
  /** Release resources; `clean` is true after a graceful stop (commit what is safe). */
  protected abstract close(clean: boolean): Promise<void>;

  setTargetState(state: TargetState): void {
    if (state === this.targetState) return;
    this.targetState = state;
    if (this.stopping) return;
    if (state === 'PAUSED') {
      this.onPause();
      this.status.onTaskState(this.id, 'PAUSED');
    } else if (state === 'STARTED') {
      this.onResume();
      this.status.onTaskState(this.id, 'RUNNING');
      const waiters = this.resumeWaiters;
      this.resumeWaiters = [];
      for (const w of waiters) w();
    }
  }

  protected onPause(): void {}
  protected onResume(): void {}

  protected isPaused(): boolean {
    return this.targetState === 'PAUSED';
  }

  /** Waits while paused; returns at once otherwise or when stopping. */
  protected async awaitUnpaused(): Promise<void> {
    while (this.isPaused() && !this.stopping) {
      await new Promise<void>((resolve) => this.resumeWaiters.push(resolve));
    }
  }

  /** Ask the loop to end, then wait up to timeoutMs for it to finish. True if it finished. */
  async stop(timeoutMs: number): Promise<boolean> {
    this.stopping = true;
    this.wakeForStop();
    const waiters = this.resumeWaiters;
    this.resumeWaiters = [];
    for (const w of waiters) w();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const done = await Promise.race([this.finished.then(() => true), timedOut]);
    clearTimeout(timer);
    return done;
  }

  /** Interrupt whatever the loop waits on, so stop() is prompt. */
  protected wakeForStop(): void {}
}

/** A task as the worker sees it; ThreadedTask runs one on its own task thread. */
import type { TargetState } from '../cluster/herder.js';
import type { TaskId } from './task-id.js';

/** A task as the worker drives it, wherever it runs (this thread or a task thread). */
export interface RunningTask {
  readonly id: TaskId;
  start(): void;
  /** Ask the task to stop, then wait up to timeoutMs for it. True if it finished in time. */
  stop(timeoutMs: number): Promise<boolean>;
  setTargetState(state: TargetState): void;
}

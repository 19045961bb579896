/**
 * The threads tasks run on: a piscina pool where each task is one long-lived job, so a task keeps
 * its thread for its whole life. The pool grows with the number of tasks on this worker.
 */
import { Piscina } from 'piscina';
import { createLogger } from '../util/logger.js';

let pool: Piscina | null = null;

export function taskPool(): Piscina {
  if (pool) return pool;
  pool = new Piscina({
    filename: new URL('./threads/task-thread.js', import.meta.url).href,
    minThreads: 0,
    // One thread per running task; the pool never queues a task behind another.
    maxThreads: 1024,
    concurrentTasksPerWorker: 1,
    // A thread whose task ended is not kept around.
    idleTimeout: 1000,
    // Task threads run an event loop of their own (async sinks), not piscina's Atomics.wait loop.
    atomics: 'disabled',
  });
  // A thread that fails while it holds no job: piscina raises this instead of failing a job. It
  // must not end the worker (an unhandled 'error' event would); the tasks fail through their jobs.
  pool.on('error', (err: unknown) =>
    createLogger().error({ err }, `A task thread failed outside any task: ${err instanceof Error ? err.message : String(err)}`),
  );
  return pool;
}

export async function closeTaskPool(): Promise<void> {
  const p = pool;
  pool = null;
  await p?.close({ force: true });
}

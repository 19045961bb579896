/**
 * The entry point of a task thread (a piscina job that lasts as long as its task). Only this
 * module and what it imports are loaded in the thread.
 *
 * The hosts are imported inside the job, not at the top: piscina loads this module when a thread
 * starts, before any job is assigned to it, and an error there (a plugin module that cannot load
 * in a worker thread, say) would reach no task: the task would wait forever and the pool would
 * raise an 'error' event. Inside the job, the same error rejects the job and the task is FAILED
 * with it.
 */
import type { MessagePort } from 'node:worker_threads';
import type { TaskSpec } from './messages.js';

export interface TaskJob {
  spec: TaskSpec;
  port: MessagePort;
}

export default async function runTaskThread(job: TaskJob): Promise<void> {
  if (job.spec.kind === 'sink') {
    const { SinkTaskHost } = await import('./sink-task-host.js');
    await new SinkTaskHost(job.spec, job.port).run();
  } else {
    const { SourceTaskHost } = await import('./source-task-host.js');
    await new SourceTaskHost(job.spec, job.port).run();
  }
}

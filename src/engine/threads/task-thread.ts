/**
 * The entry point of a task thread (a piscina job that lasts as long as its task). Only this
 * module and what it imports are loaded in the thread.
 */
import type { MessagePort } from 'node:worker_threads';
import type { TaskSpec } from './messages.js';
import { SinkTaskHost } from './sink-task-host.js';
import { SourceTaskHost } from './source-task-host.js';

export interface TaskJob {
  spec: TaskSpec;
  port: MessagePort;
}

export default async function runTaskThread(job: TaskJob): Promise<void> {
  if (job.spec.kind === 'sink') await new SinkTaskHost(job.spec, job.port).run();
  else await new SourceTaskHost(job.spec, job.port).run();
}

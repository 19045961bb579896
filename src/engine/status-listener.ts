/** How tasks and connectors report their state to the herder (Kafka Connect's TaskStatus.Listener). */
import type { InstanceState } from '../cluster/herder.js';
import type { TaskId } from './task-id.js';

export interface StatusListener {
  onTaskState(id: TaskId, state: InstanceState, error?: Error): void;
  onConnectorState(name: string, state: InstanceState, error?: Error): void;
  /** A task of `connector` produced to or consumed from `topic` (active topics, KIP-558). */
  onTopicActive?(connector: string, topic: string, task?: number): void;
}

/** Kafka Connect shows a Java stack trace; sluice shows the JavaScript one, cause included. */
export function traceOf(error: Error | undefined): string | undefined {
  if (!error) return undefined;
  let trace = error.stack ?? `${error.name}: ${error.message}`;
  let cause = (error as { cause?: unknown }).cause;
  while (cause instanceof Error) {
    trace += `\nCaused by: ${cause.stack ?? `${cause.name}: ${cause.message}`}`;
    cause = (cause as { cause?: unknown }).cause;
  }
  return trace;
}

/**
 * What the sink and source task hosts share inside a task thread: the control channel to the
 * main thread (stop, pause, resume in; state out) and the paused/stopping state.
 */
import type { MessagePort } from 'node:worker_threads';
import type { TargetState } from '../../cluster/herder.js';
import { createLogger, type Logger } from '../../util/logger.js';
import type { FromTask, ToTask } from './messages.js';

const TOPIC_REPORT_INTERVAL_MS = 1000;

export abstract class TaskHost {
  protected readonly log: Logger;
  protected readonly name: string;
  protected stopping = false;
  protected paused: boolean;
  private resumeWaiter: (() => void) | null = null;

  constructor(
    spec: { connector: string; task: number; logLevel: string; initialState: TargetState },
    protected readonly port: MessagePort,
  ) {
    this.name = `${spec.connector}-${spec.task}`;
    this.log = createLogger({ level: spec.logLevel }).child({ task: this.name });
    this.paused = spec.initialState === 'PAUSED';
    port.on('message', (m: ToTask) => this.onControl(m));
  }

  protected post(message: FromTask): void {
    this.port.postMessage(message);
  }

  private readonly topicsReportedAt = new Map<string, number>();

  /**
   * Active-topic tracking (KIP-558): report the topics a batch used. Each topic at most once per
   * TOPIC_REPORT_INTERVAL_MS, so the cost is per batch, not per record, and a reset through the
   * REST API is refilled as soon as records flow again.
   */
  protected reportActiveTopics(topics: Iterable<string>): void {
    const now = Date.now();
    let fresh: string[] | null = null;
    for (const topic of topics) {
      const at = this.topicsReportedAt.get(topic);
      if (at !== undefined && now - at < TOPIC_REPORT_INTERVAL_MS) continue;
      this.topicsReportedAt.set(topic, now);
      (fresh ??= []).push(topic);
    }
    if (fresh !== null) this.post({ type: 'topics', topics: fresh });
  }

  private onControl(m: ToTask): void {
    if (m.type === 'stop') {
      // The task loop ends at its next turn; the host then commits and closes.
      this.stopping = true;
      this.onStop();
      this.wakeResume();
    } else if (m.type === 'pause') {
      this.paused = true;
      this.onPause();
      this.post({ type: 'state', state: 'PAUSED' });
    } else if (m.type === 'resume') {
      this.paused = false;
      this.onResume();
      this.wakeResume();
      this.post({ type: 'state', state: 'RUNNING' });
    }
  }

  protected onStop(): void {}
  protected onPause(): void {}
  protected onResume(): void {}

  /** Resolves on resume or stop. */
  protected untilResumed(): Promise<void> {
    return new Promise((resolve) => (this.resumeWaiter = resolve));
  }

  private wakeResume(): void {
    const w = this.resumeWaiter;
    this.resumeWaiter = null;
    w?.();
  }
}

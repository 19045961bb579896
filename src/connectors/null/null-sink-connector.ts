/**
 * NullSinkConnector: the benchmark sink. Its tasks (tasks.max of them) discard every record and
 * only count records and bytes, so a pipeline ending here measures the runtime and nothing else.
 */
import { AbstractConfig, type ConfigDef } from '../../api/config-def.js';
import { SinkConnector } from '../../api/connector.js';
import type { SinkTask } from '../../api/sink.js';
import { CONFIG_DEF, NULL_CONNECTOR_VERSION, TASK_INDEX_CONFIG } from './config.js';
import { NullSinkTask } from './null-sink-task.js';

export class NullSinkConnector extends SinkConnector {
  private props: Record<string, string> = {};

  version(): string {
    return NULL_CONNECTOR_VERSION;
  }

  /** @throws ConfigError when the config does not parse (e.g. log.every.records negative). */
  start(props: Record<string, string>): void {
    new AbstractConfig(CONFIG_DEF, props);
    this.props = { ...props };
  }

  stop(): void {}

  taskClass(): new () => SinkTask {
    return NullSinkTask;
  }

  /** maxTasks configs that differ only in the task index their progress lines carry. */
  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: maxTasks }, (_, i) => ({ ...this.props, [TASK_INDEX_CONFIG]: String(i) }));
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }
}

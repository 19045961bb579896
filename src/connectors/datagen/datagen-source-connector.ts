/**
 * DatagenSourceConnector: the benchmark source. Generates `count` numbered records (or an endless
 * stream) at `rate` records/s (or as fast as possible), split across tasks.max tasks. Record
 * layout and the sequence numbering are described in config.ts.
 */
import { AbstractConfig, type ConfigDef } from '../../api/config-def.js';
import { SourceConnector } from '../../api/connector.js';
import type { SourceTask } from '../../api/source.js';
import { CONFIG_DEF, DATAGEN_CONNECTOR_VERSION, TASK_COUNT_CONFIG, TASK_INDEX_CONFIG } from './config.js';
import { DatagenSourceTask } from './datagen-source-task.js';

export class DatagenSourceConnector extends SourceConnector {
  private props: Record<string, string> = {};

  version(): string {
    return DATAGEN_CONNECTOR_VERSION;
  }

  /** @throws ConfigError when the config does not parse (e.g. topic missing, rate 0). */
  start(props: Record<string, string>): void {
    new AbstractConfig(CONFIG_DEF, props);
    this.props = { ...props };
  }

  stop(): void {}

  taskClass(): new () => SourceTask {
    return DatagenSourceTask;
  }

  /**
   * maxTasks configs, each naming its index and the task count; the tasks split `count` and `rate`
   * between them and interleave their sequence numbers. Changing tasks.max later changes which
   * sequences a task owns: its stored offset is then refused (see DatagenSourceTask.start).
   */
  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: maxTasks }, (_, i) => ({
      ...this.props,
      [TASK_INDEX_CONFIG]: String(i),
      [TASK_COUNT_CONFIG]: String(maxTasks),
    }));
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }
}

/** FileStreamSourceConnector: reads one file (or stdin) with exactly one task (org.apache.kafka.connect.file). */
import { AbstractConfig, type ConfigDef } from '../../api/config-def.js';
import { SourceConnector } from '../../api/connector.js';
import type { SourceTask } from '../../api/source.js';
import { FILE_CONNECTOR_VERSION, SOURCE_CONFIG_DEF } from './config.js';
import { FileStreamSourceTask } from './file-stream-source-task.js';

export class FileStreamSourceConnector extends SourceConnector {
  private props: Record<string, string> = {};

  version(): string {
    return FILE_CONNECTOR_VERSION;
  }

  /** @throws ConfigError when the config does not parse (e.g. topic missing). */
  start(props: Record<string, string>): void {
    new AbstractConfig(SOURCE_CONFIG_DEF, props);
    this.props = { ...props };
  }

  stop(): void {}

  taskClass(): new () => SourceTask {
    return FileStreamSourceTask;
  }

  /** One task whatever maxTasks is: a single reader per file is the only way lines keep their order. */
  taskConfigs(_maxTasks: number): Record<string, string>[] {
    return [{ ...this.props }];
  }

  config(): ConfigDef {
    return SOURCE_CONFIG_DEF;
  }
}

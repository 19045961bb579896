/** FileStreamSinkConnector: appends record values to a file (or stdout), with tasks.max tasks (org.apache.kafka.connect.file). */
import { AbstractConfig, type ConfigDef } from '../../api/config-def.js';
import { SinkConnector } from '../../api/connector.js';
import type { SinkTask } from '../../api/sink.js';
import { FILE_CONNECTOR_VERSION, SINK_CONFIG_DEF } from './config.js';
import { FileStreamSinkTask } from './file-stream-sink-task.js';

export class FileStreamSinkConnector extends SinkConnector {
  private props: Record<string, string> = {};

  version(): string {
    return FILE_CONNECTOR_VERSION;
  }

  start(props: Record<string, string>): void {
    new AbstractConfig(SINK_CONFIG_DEF, props);
    this.props = { ...props };
  }

  stop(): void {}

  taskClass(): new () => SinkTask {
    return FileStreamSinkTask;
  }

  /** maxTasks identical task configs; every task appends to the same file. */
  taskConfigs(maxTasks: number): Record<string, string>[] {
    return Array.from({ length: maxTasks }, () => ({ ...this.props }));
  }

  config(): ConfigDef {
    return SINK_CONFIG_DEF;
  }

  /** Offsets changed over REST: this sink keeps none of its own (FileStreamSinkConnector.alterOffsets). */
  alterOffsets(): boolean {
    return true;
  }
}

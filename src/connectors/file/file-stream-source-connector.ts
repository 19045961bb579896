/** FileStreamSourceConnector: reads one file (or stdin) with exactly one task (org.apache.kafka.connect.file). */
import { AbstractConfig, type ConfigDef } from '../../api/config-def.js';
import { SourceConnector } from '../../api/connector.js';
import type { SourceTask } from '../../api/source.js';
import { ConnectError } from '../../api/errors.js';
import { FILE_CONFIG, FILE_CONNECTOR_VERSION, FILENAME_FIELD, POSITION_FIELD, SOURCE_CONFIG_DEF } from './config.js';
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

  /**
   * Offsets changed over REST (`PATCH/DELETE /connectors/{name}/offsets`): checked as Kafka
   * Connect's FileStreamSourceConnector.alterOffsets does; the task checks the position against
   * the file when it starts. True: nothing outside the offset store to change.
   */
  alterOffsets(connectorConfig: Record<string, string>, offsets: { partition: Record<string, unknown> | null; offset: Record<string, unknown> | null }[]): boolean {
    const file = connectorConfig[FILE_CONFIG];
    if (file === undefined || file === '') {
      throw new ConnectError(
        `Offsets cannot be modified if the '${FILE_CONFIG}' configuration is unspecified. This is because stdin is used for input and offsets are not tracked.`,
      );
    }
    for (const { partition, offset } of offsets) {
      // Tombstones are allowed for anything, so stale offsets can always be cleaned up.
      if (offset === null) continue;
      if (!Object.hasOwn(offset, POSITION_FIELD)) throw new ConnectError(`Offset objects should either be null or contain the key '${POSITION_FIELD}'`);
      const position = offset[POSITION_FIELD];
      if (typeof position !== 'number' || !Number.isInteger(position)) {
        throw new ConnectError(`The value for the '${POSITION_FIELD}' key in the offset is expected to be a Long value`);
      }
      if (position < 0) throw new ConnectError(`The value for the '${POSITION_FIELD}' key in the offset should be a non-negative value`);
      if (partition === null) throw new ConnectError('Partition objects cannot be null');
      if (!Object.hasOwn(partition, FILENAME_FIELD)) throw new ConnectError(`Partition objects should contain the key '${FILENAME_FIELD}'`);
    }
    return true;
  }
}

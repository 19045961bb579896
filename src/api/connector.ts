/**
 * What connector authors implement (org.apache.kafka.connect.connector.Connector and friends).
 * A Connector runs on the worker's main thread and only produces task configs; its tasks move data.
 */
import { Config, type ConfigDef } from './config-def.js';
import type { SourceTask } from './source.js';
import type { SinkTask } from './sink.js';

export interface ConnectorContext {
  /** Ask the runtime to call taskConfigs() again and restart tasks whose config changed. */
  requestTaskReconfiguration(): void;
  /** Fail the connector from a background thread of its own. */
  raiseError(error: Error): void;
}

export type ConnectorType = 'source' | 'sink';

export abstract class Connector {
  protected context!: ConnectorContext;

  abstract readonly type: ConnectorType;

  initialize(context: ConnectorContext): void {
    this.context = context;
  }

  abstract version(): string;
  abstract start(props: Record<string, string>): void | Promise<void>;
  abstract stop(): void | Promise<void>;
  /** The task implementation: a constructor taking no arguments. */
  abstract taskClass(): new () => SourceTask | SinkTask;
  abstract taskConfigs(maxTasks: number): Record<string, string>[];
  abstract config(): ConfigDef;

  reconfigure(props: Record<string, string>): void | Promise<void> {
    return Promise.resolve(this.stop()).then(() => this.start(props));
  }

  /** Validates a config; the default checks it against config(). */
  validate(props: Record<string, string>): Config {
    return new Config(this.config().validate(props));
  }
}

export abstract class SourceConnector extends Connector {
  readonly type = 'source' as const;
  abstract override taskClass(): new () => SourceTask;
}

export abstract class SinkConnector extends Connector {
  readonly type = 'sink' as const;
  abstract override taskClass(): new () => SinkTask;
}

/** Builds a task, its converters and its transformation chain inside a task thread, from the plain data of its spec. */
import type { ConverterSetting } from '../worker.js';
import { registerBuiltins } from '../../plugins/builtins.js';
import { loadPluginPath } from '../../plugins/plugin-path.js';
import type { SinkTask } from '../../api/sink.js';
import type { SourceTask } from '../../api/source.js';
import { ConnectorConfig } from '../../config/connector-config.js';
import type { ConnectRecord } from '../../data/record.js';
import { TransformationChain } from '../../transforms/chain.js';
import type { TaskConverters } from '../task-converters.js';

export interface TaskPlugins<R extends ConnectRecord<R>> {
  task: SourceTask | SinkTask;
  converters: TaskConverters;
  transforms: TransformationChain<R>;
}

export async function createTaskPlugins<R extends ConnectRecord<R>>(spec: {
  connectorClass: string;
  connectorConfig: Record<string, string>;
  pluginPath: string[];
  converters: { key: ConverterSetting; value: ConverterSetting; header: ConverterSetting };
}): Promise<TaskPlugins<R>> {
  const registry = registerBuiltins();
  await loadPluginPath(registry, spec.pluginPath);
  const TaskClass = registry.connector(spec.connectorClass).create().taskClass();
  const { key, value, header } = spec.converters;
  const k = registry.converter(key.className).create();
  k.configure(key.configs, true);
  const v = registry.converter(value.className).create();
  v.configure(value.configs, false);
  const h = registry.headerConverter(header.className).create();
  h.configure(header.configs);
  // The herder validated this config when the connector was created; a plugin that still rejects
  // its configs here fails the task with the alias and key in the message.
  const transforms = TransformationChain.fromConfig<R>(new ConnectorConfig(spec.connectorConfig, registry), registry);
  return { task: new TaskClass(), converters: { key: k, value: v, header: h }, transforms };
}

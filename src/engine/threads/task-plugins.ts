/** Builds a task and its converters inside a task thread, from the plain data of its spec. */
import type { ConverterSetting } from '../worker.js';
import { registerBuiltins } from '../../plugins/builtins.js';
import { loadPluginPath } from '../../plugins/plugin-path.js';
import type { SinkTask } from '../../api/sink.js';
import type { SourceTask } from '../../api/source.js';
import type { TaskConverters } from '../task-converters.js';

export async function createTaskAndConverters(spec: {
  connectorClass: string;
  pluginPath: string[];
  converters: { key: ConverterSetting; value: ConverterSetting; header: ConverterSetting };
}): Promise<{ task: SourceTask | SinkTask; converters: TaskConverters }> {
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
  return { task: new TaskClass(), converters: { key: k, value: v, header: h } };
}

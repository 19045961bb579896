/**
 * `GET /connector-plugins/{plugin}/config`: a plugin's config keys as ConfigKeyInfo
 * (AbstractHerder.connectorPluginConfig). For connectors, the plugin's own keys come first, then
 * the framework's sink or source keys it does not redefine; other plugins show their own keys.
 */
import { convertConfigKey, type ConfigDef, type ConfigKey, type ConfigKeyInfo } from '../api/config-def.js';
import type { Connector } from '../api/connector.js';
import { ConnectError, NotFoundError } from '../api/errors.js';
import { sinkConnectorConfigDef, sourceConnectorConfigDef } from '../config/connector-config.js';
import type { PluginRegistry } from '../plugins/registry.js';

interface Configurable {
  config(): ConfigDef;
}

export function connectorPluginConfig(registry: PluginRegistry, pluginName: string): ConfigKeyInfo[] {
  let descriptor;
  try {
    descriptor = registry.find(pluginName);
  } catch {
    descriptor = null; // an ambiguous alias names no single plugin
  }
  if (descriptor === null) throw new NotFoundError(`Unknown plugin ${pluginName}.`);
  const plugin = descriptor.create() as Configurable;
  let own: ConfigDef;
  try {
    own = plugin.config();
  } catch (err) {
    throw new ConnectError(`Failed to load plugin class or one of its dependencies`, { cause: err });
  }
  const keys = new Map<string, ConfigKey>(own.configKeys().map((k) => [k.name, k]));
  if (descriptor.kind === 'sink' || descriptor.kind === 'source') {
    const base = (plugin as unknown as Connector).type === 'sink' ? sinkConnectorConfigDef(registry) : sourceConnectorConfigDef(registry);
    for (const key of base.configKeys()) if (!keys.has(key.name)) keys.set(key.name, key);
  }
  return [...keys.values()].map((key) => convertConfigKey(key));
}

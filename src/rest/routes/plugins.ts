/**
 * ConnectorPluginsResource: the installed plugins, and validation of a connector config
 * against a plugin.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ConfigInfos } from '../../api/config-def.js';
import { BadRequestError } from '../../api/errors.js';
import type { Herder, PluginInfo } from '../../cluster/herder.js';
import { readStringMap } from '../errors.js';

const CONNECTOR_CLASS_CONFIG = 'connector.class';
const ALIAS_SUFFIX = 'Connector';

type Query = Record<string, string | string[] | undefined>;

export function registerPluginRoutes(app: FastifyInstance, herder: Herder): void {
  // `?connectorsOnly=true` is the default; only "true" (any case) is true, as Java's Boolean.valueOf.
  app.get('/connector-plugins', async (request: FastifyRequest<{ Querystring: Query }>): Promise<PluginInfo[]> => {
    const value = [request.query.connectorsOnly].flat()[0];
    const connectorsOnly = value === undefined || value === '' ? true : value.toLowerCase() === 'true';
    return herder.connectorPlugins(connectorsOnly);
  });

  app.get('/connector-plugins/:pluginName/config', async (request: FastifyRequest<{ Params: { pluginName: string } }>) =>
    herder.connectorPluginConfig(request.params.pluginName),
  );

  app.put(
    '/connector-plugins/:pluginName/config/validate',
    { config: { body: 'json' } },
    async (request: FastifyRequest<{ Params: { pluginName: string } }>): Promise<ConfigInfos> => {
      const pluginName = request.params.pluginName;
      const config = readStringMap(request.body, 'Connector config');
      const included = Object.hasOwn(config, CONNECTOR_CLASS_CONFIG) ? config[CONNECTOR_CLASS_CONFIG] : undefined;
      if (included !== undefined && !pluginMatches(included, pluginName)) {
        throw new BadRequestError(`Included connector type ${included} does not match request type ${pluginName}`);
      }
      return herder.validateConnectorConfig(config);
    },
  );
}

/**
 * Kafka Connect's rule for `connector.class` against the path's plugin: after dropping a
 * trailing "Connector" from both, the class must end with the path's name. So the class name,
 * its simple name and its alias all match (`org.example.FileStreamSinkConnector`,
 * `FileStreamSinkConnector`, `FileStreamSink`).
 */
export function pluginMatches(connectorClass: string, pluginName: string): boolean {
  return normalizedPluginName(connectorClass).endsWith(normalizedPluginName(pluginName));
}

function normalizedPluginName(pluginName: string): string {
  return pluginName.endsWith(ALIAS_SUFFIX) && pluginName.length > ALIAS_SUFFIX.length
    ? pluginName.slice(0, -ALIAS_SUFFIX.length)
    : pluginName;
}

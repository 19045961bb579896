/**
 * ConnectorsResource: `/connectors` and everything below it. Each route parses the request,
 * calls the herder and shapes the answer as Kafka Connect does; the herder owns validation
 * (an invalid config, an empty name or a name with control characters is its BadRequestError).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError, RestError } from '../../api/errors.js';
import type { ConnectorInfo, ConnectorOffset, Herder, InitialState } from '../../cluster/herder.js';
import { httpStatusMessage, isNotFound, javaTrim, jsonKind, readString, readStringMap, unreadableBody } from '../errors.js';

type Query = Record<string, string | string[] | undefined>;
interface ConnectorParams {
  connector: string;
}
interface TaskParams extends ConnectorParams {
  task: string;
}
type ConnectorRequest = FastifyRequest<{ Params: ConnectorParams; Querystring: Query }>;
type TaskRequest = FastifyRequest<{ Params: TaskParams; Querystring: Query }>;

const NAME_CONFIG = 'name';
const INITIAL_STATES: readonly InitialState[] = ['RUNNING', 'PAUSED', 'STOPPED'];
/** CreateConnectorRequest's JSON properties; Jackson refuses any other. */
const CREATE_REQUEST_FIELDS = new Set(['name', 'config', 'initial_state']);
const CREATE_REQUEST_CLASS = 'org.apache.kafka.connect.runtime.rest.entities.CreateConnectorRequest';

/** The worker's `topic.tracking.enable` and `topic.tracking.allow.reset` (both true by default). */
export interface TopicTrackingSettings {
  enabled: boolean;
  allowReset: boolean;
}

export function registerConnectorRoutes(
  app: FastifyInstance,
  herder: Herder,
  topicTracking: TopicTrackingSettings = { enabled: true, allowReset: true },
): void {
  app.get('/connectors', async (request: FastifyRequest<{ Querystring: Query }>) => {
    const expand = request.query.expand;
    const names = await herder.connectors();
    if (expand === undefined) return names;
    return expandConnectors(herder, names, [expand].flat());
  });

  app.post('/connectors', { config: { body: 'json' } }, async (request: FastifyRequest<{ Querystring: Query }>, reply) => {
    const create = readCreateRequest(request.body);
    // Kafka Connect trims the name and reads a missing one as "", leaving the verdict to validation.
    const name = javaTrim(create.name ?? '');
    checkAndPutConnectorConfigName(name, create.config);
    const { info } = await herder.putConnectorConfig(name, create.config, false, create.initialState);
    return created(request, reply, name, info);
  });

  app.get('/connectors/:connector', async (request: ConnectorRequest) => herder.connectorInfo(request.params.connector));

  app.delete('/connectors/:connector', { config: { body: 'none' } }, async (request: ConnectorRequest, reply) => {
    await herder.deleteConnector(request.params.connector);
    return reply.code(204).send();
  });

  app.get('/connectors/:connector/config', async (request: ConnectorRequest) =>
    herder.connectorConfig(request.params.connector),
  );

  app.put('/connectors/:connector/config', { config: { body: 'json' } }, async (request: ConnectorRequest, reply) => {
    const name = request.params.connector;
    const config = readStringMap(request.body, 'Connector config');
    checkAndPutConnectorConfigName(name, config);
    const result = await herder.putConnectorConfig(name, config, true);
    if (result.created) return created(request, reply, name, result.info);
    return result.info;
  });

  app.patch('/connectors/:connector/config', { config: { body: 'json' } }, async (request: ConnectorRequest) =>
    herder.patchConnectorConfig(request.params.connector, readConfigPatch(request.body)),
  );

  app.get('/connectors/:connector/topics', async (request: ConnectorRequest) => {
    if (!topicTracking.enabled) throw new RestError(403, 'Topic tracking is disabled.');
    const info = await herder.connectorActiveTopics(request.params.connector);
    return { [info.connector]: { topics: info.topics } };
  });

  app.put('/connectors/:connector/topics/reset', { config: { body: 'none' } }, async (request: ConnectorRequest, reply) => {
    if (!topicTracking.enabled) throw new RestError(403, 'Topic tracking is disabled.');
    if (!topicTracking.allowReset) throw new RestError(403, 'Topic tracking reset is disabled.');
    await herder.resetConnectorActiveTopics(request.params.connector);
    return reply.code(202).send();
  });

  app.get('/connectors/:connector/offsets', async (request: ConnectorRequest) =>
    herder.connectorOffsets(request.params.connector),
  );

  app.patch('/connectors/:connector/offsets', { config: { body: 'json' } }, async (request: ConnectorRequest) => {
    const offsets = readConnectorOffsets(request.body);
    if (offsets === null || offsets.length === 0) {
      throw new BadRequestError('Partitions / offsets need to be provided for an alter offsets request');
    }
    return herder.alterConnectorOffsets(request.params.connector, offsets);
  });

  app.delete('/connectors/:connector/offsets', { config: { body: 'none' } }, async (request: ConnectorRequest) =>
    herder.resetConnectorOffsets(request.params.connector),
  );

  app.get('/connectors/:connector/status', async (request: ConnectorRequest) =>
    herder.connectorStatus(request.params.connector),
  );

  app.get('/connectors/:connector/tasks', async (request: ConnectorRequest) =>
    herder.taskConfigs(request.params.connector),
  );

  // Deprecated by KIP-970 (and gone in Kafka 4.0): task configs keyed by "<connector>-<task>".
  app.get('/connectors/:connector/tasks-config', async (request: ConnectorRequest) => {
    const tasks = await herder.taskConfigs(request.params.connector);
    return Object.fromEntries(tasks.map((task) => [`${task.id.connector}-${task.id.task}`, task.config]));
  });

  app.get('/connectors/:connector/tasks/:task/status', async (request: TaskRequest) =>
    herder.taskStatus(request.params.connector, taskId(request.params.task)),
  );

  app.put('/connectors/:connector/pause', { config: { body: 'none' } }, async (request: ConnectorRequest, reply) => {
    await herder.pauseConnector(request.params.connector);
    return reply.code(202).send();
  });

  app.put('/connectors/:connector/resume', { config: { body: 'none' } }, async (request: ConnectorRequest, reply) => {
    await herder.resumeConnector(request.params.connector);
    return reply.code(202).send();
  });

  app.put('/connectors/:connector/stop', { config: { body: 'none' } }, async (request: ConnectorRequest, reply) => {
    await herder.stopConnector(request.params.connector);
    return reply.code(204).send();
  });

  app.post('/connectors/:connector/restart', { config: { body: 'none' } }, async (request: ConnectorRequest, reply) => {
    const includeTasks = booleanParam(request.query.includeTasks, false);
    const onlyFailed = booleanParam(request.query.onlyFailed, false);
    const state = await herder.restartConnector(request.params.connector, { includeTasks, onlyFailed });
    // Only the connector itself restarted (both flags false): Kafka Connect's backward-compatible 204.
    if (state === null) return reply.code(204).send();
    return reply.code(202).send(state);
  });

  app.post('/connectors/:connector/tasks/:task/restart', { config: { body: 'none' } }, async (request: TaskRequest, reply) => {
    await herder.restartTask(request.params.connector, taskId(request.params.task));
    return reply.code(204).send();
  });
}

/**
 * `?expand=status&expand=info`: `{"<name>": {"status": ConnectorStateInfo, "info": ConnectorInfo}}`.
 * Unknown expansions are ignored; a connector deleted while being looked up is left out.
 */
async function expandConnectors(
  herder: Herder,
  names: readonly string[],
  expansions: readonly string[],
): Promise<Record<string, Record<string, unknown>>> {
  const expanded = await Promise.all(
    names.map(async (name): Promise<[string, Record<string, unknown>] | undefined> => {
      try {
        const entry: Record<string, unknown> = {};
        for (const expansion of expansions) {
          if (expansion === 'status') entry.status = await herder.connectorStatus(name);
          else if (expansion === 'info') entry.info = await herder.connectorInfo(name);
        }
        return [name, entry];
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    }),
  );
  return Object.fromEntries(expanded.filter((entry) => entry !== undefined));
}

/**
 * A PATCH body: Map<String, String> where, unlike PUT, a null value is kept (it removes the key).
 */
function readConfigPatch(body: unknown): Record<string, string | null> {
  if (body === undefined || body === null) throw unreadableBody('Connector config patch is missing');
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw unreadableBody(`Connector config patch must be a JSON object, not ${jsonKind(body)}`);
  }
  const entries: [string, string | null][] = [];
  for (const [key, value] of Object.entries(body)) {
    entries.push([key, value === null ? null : readString(value, `Connector config patch: the value of "${key}"`)!]);
  }
  return Object.fromEntries(entries);
}

const CONNECTOR_OFFSETS_CLASS = 'org.apache.kafka.connect.runtime.rest.entities.ConnectorOffsets';
const CONNECTOR_OFFSET_CLASS = 'org.apache.kafka.connect.runtime.rest.entities.ConnectorOffset';

/** ConnectorOffsets as Jackson reads it: `{"offsets": [{"partition": {...}, "offset": {...}|null}]}`; null when absent. */
function readConnectorOffsets(body: unknown): ConnectorOffset[] | null {
  if (body === undefined || body === null) throw unreadableBody('Connector offsets request is missing');
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw unreadableBody(`Connector offsets request must be a JSON object, not ${jsonKind(body)}`);
  }
  for (const field of Object.keys(body)) {
    if (field !== 'offsets') throw unreadableBody(`Unrecognized field "${field}" (class ${CONNECTOR_OFFSETS_CLASS}), not marked as ignorable`);
  }
  const offsets = (body as { offsets?: unknown }).offsets;
  if (offsets === undefined || offsets === null) return null;
  if (!Array.isArray(offsets)) throw unreadableBody(`offsets must be a JSON array, not ${jsonKind(offsets)}`);
  return offsets.map((entry: unknown, i) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      throw unreadableBody(`offsets[${i}] must be a JSON object, not ${jsonKind(entry)}`);
    }
    for (const field of Object.keys(entry)) {
      if (field !== 'partition' && field !== 'offset') {
        throw unreadableBody(`Unrecognized field "${field}" (class ${CONNECTOR_OFFSET_CLASS}), not marked as ignorable`);
      }
    }
    const { partition, offset } = entry as { partition?: unknown; offset?: unknown };
    return { partition: readJsonMap(partition, `offsets[${i}].partition`), offset: readJsonMap(offset, `offsets[${i}].offset`) };
  });
}

function readJsonMap(value: unknown, what: string): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'object' || Array.isArray(value)) throw unreadableBody(`${what} must be a JSON object, not ${jsonKind(value)}`);
  return Object.fromEntries(Object.entries(value));
}

interface CreateRequest {
  name: string | undefined;
  config: Record<string, string>;
  initialState: InitialState | undefined;
}

/** CreateConnectorRequest as Jackson reads it: `{name, config, initial_state?}`, nothing else. */
function readCreateRequest(body: unknown): CreateRequest {
  if (body === undefined || body === null) throw unreadableBody('Connector creation request is missing');
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw unreadableBody(`Connector creation request must be a JSON object, not ${jsonKind(body)}`);
  }
  for (const field of Object.keys(body)) {
    if (!CREATE_REQUEST_FIELDS.has(field)) {
      throw unreadableBody(`Unrecognized field "${field}" (class ${CREATE_REQUEST_CLASS}), not marked as ignorable`);
    }
  }
  const fields = body as Record<string, unknown>;
  return {
    name: readString(fields.name, 'Connector name'),
    config: readStringMap(fields.config, 'Connector config'),
    initialState: readInitialState(fields.initial_state),
  };
}

/** `initial_state`, case-insensitive as CreateConnectorRequest.InitialState.forValue. */
function readInitialState(value: unknown): InitialState | undefined {
  const text = readString(value, 'initial_state');
  if (text === undefined) return undefined;
  const state = INITIAL_STATES.find((candidate) => candidate === text.toUpperCase());
  if (state === undefined) {
    throw unreadableBody(`Invalid initial_state ${text}: must be one of ${INITIAL_STATES.join(', ')}`);
  }
  return state;
}

/** The config's `name`, when present, must be the connector's; when absent it becomes it. */
function checkAndPutConnectorConfigName(name: string, config: Record<string, string>): void {
  if (Object.hasOwn(config, NAME_CONFIG)) {
    const included = config[NAME_CONFIG];
    if (included !== name) {
      throw new BadRequestError(
        `Connector name configuration (${included}) doesn't match connector name in the URL (${name})`,
      );
    }
  } else {
    config[NAME_CONFIG] = name;
  }
}

/** 201 Created with the connector's absolute Location, as Jersey's Response.created. */
function created(request: FastifyRequest, reply: FastifyReply, name: string, info: ConnectorInfo): FastifyReply {
  const path = `/connectors/${encodeURIComponent(name).replace(/%2F/gi, '/')}`;
  // Without a Host header (HTTP/1.0) there is no base to resolve against: the path alone.
  const location = request.headers.host === undefined ? path : `${request.protocol}://${request.host}${path}`;
  return reply.code(201).header('location', location).send(info);
}

/** A `{task}` path segment is a Java Integer; anything else matches no resource (Jersey's 404). */
function taskId(segment: string): number {
  if (/^[+-]?\d{1,10}$/.test(segment)) {
    const id = Number(segment);
    if (id >= -2147483648 && id <= 2147483647) return id;
  }
  throw new RestError(404, httpStatusMessage(404));
}

/** A Boolean query parameter with a default: Java's Boolean.valueOf, the first value if repeated. */
function booleanParam(value: string | string[] | undefined, defaultValue: boolean): boolean {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined || first === '') return defaultValue;
  return first.toLowerCase() === 'true';
}

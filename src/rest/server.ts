/**
 * The REST server: Kafka Connect's API on fastify, served on every address of the worker's
 * `listeners` config. It sees the Herder interface only.
 *
 * Kafka Connect parity handled here, not in the routes:
 * - Paths match with or without a trailing slash (Jersey does).
 * - A method a path does not serve is 405 with an Allow header; OPTIONS answers 200 with Allow.
 * - Routes taking a body read JSON (also when the Content-Type is missing); a route answers 415
 *   to any other declared media type, as Jersey does for a resource that @Consumes JSON.
 * - One request-log line per request at debug, in the format of Kafka Connect's Jetty request
 *   log (extended NCSA plus latency); nothing per request at info.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { pino, type Logger } from 'pino';
import { ConfigError, ConnectError } from '../api/errors.js';
import type { Herder } from '../cluster/herder.js';
import {
  MethodNotAllowedError,
  errorResponder,
  installErrorHandling,
  pathNotFound,
  unreadableBody,
  unsupportedMediaType,
} from './errors.js';
import { registerConnectorRoutes, type TopicTrackingSettings } from './routes/connectors.js';
import { registerLoggerRoutes } from './routes/loggers.js';
import { registerPluginRoutes } from './routes/plugins.js';
import { registerRootRoutes } from './routes/root.js';

/**
 * How a route treats a request body. `json`: parsed as JSON (empty body: undefined). `none`: the
 * route takes no body; a JSON one is ignored unread. Either way a non-JSON media type is a 415.
 * Routes without the setting (404, 405, OPTIONS) ignore any body.
 */
export type BodyMode = 'json' | 'none';

declare module 'fastify' {
  interface FastifyContextConfig {
    body?: BodyMode;
  }
}

export interface RestServerOptions {
  herder: Herder;
  /** Kafka Connect's `listeners`: comma-separated `http://host:port`; empty host = all interfaces. */
  listeners?: string | readonly string[];
  logger?: Logger;
  /** The URL this worker advertises to clients and other workers; logged at start. */
  advertisedUrl?: string;
  /** `topic.tracking.enable` / `topic.tracking.allow.reset`; both true by default. */
  topicTracking?: TopicTrackingSettings;
  /**
   * Kafka Connect's `admin.listeners`: unset (null) serves `/admin/*` on `listeners`; empty
   * disables it (404); otherwise `/admin/*` is served only there, and nothing else is.
   */
  adminListeners?: string | readonly string[] | null;
}

export interface RestServer {
  app: FastifyInstance;
  /** Binds every listener; resolves to the URLs bound, in listener order (port 0 resolved). */
  start(): Promise<string[]>;
  /** Stops accepting connections, lets requests in flight finish, closes the app. */
  stop(): Promise<void>;
}

export interface Listener {
  protocol: 'http';
  /** Empty: all interfaces. IPv6 addresses without brackets. */
  host: string;
  port: number;
}

export const LISTENERS_CONFIG = 'listeners';
export const DEFAULT_LISTENERS = 'http://:8083';

/** RestServer.LISTENER_PATTERN. */
const LISTENER_PATTERN = /^(.*):\/\/\[?([0-9a-zA-Z\-%._:]*)\]?:(-?[0-9]+)$/;

/** Kafka Connect waits this long for requests in flight when it stops (Jetty's stop timeout). */
const GRACEFUL_SHUTDOWN_MS = 60_000;

/** Connector configs can be large (inline schemas, SQL); well above fastify's 1 MiB default. */
const BODY_LIMIT_BYTES = 16 * 1024 * 1024;

const HTTP_METHODS = ['DELETE', 'GET', 'HEAD', 'PATCH', 'POST', 'PUT'] as const;

/**
 * Parses the `listeners` value with Kafka Connect's rules and messages (RestServerConfig's
 * ListenersValidator and RestServer.createConnector). `https` listeners are refused: TLS is not
 * supported yet.
 */
export function parseListeners(value: string | readonly string[]): Listener[] {
  const items = typeof value === 'string' ? splitList(value) : value.map((item) => item.trim());
  if (items.length === 0) {
    throw new ConfigError(
      'Invalid value for listeners, at least one URL is expected, ex: http://localhost:8080,https://localhost:8443.',
      LISTENERS_CONFIG,
    );
  }
  return items.map((item) => {
    if (item === '') throw new ConfigError('Empty URL found when parsing listeners list.', LISTENERS_CONFIG);
    const match = LISTENER_PATTERN.exec(item);
    if (match === null) {
      throw new ConfigError("Listener doesn't have the right format (protocol://hostname:port).", LISTENERS_CONFIG);
    }
    const protocol = match[1]!.toLowerCase();
    if (protocol === 'https') {
      throw new ConfigError(
        `Invalid value ${item} for configuration ${LISTENERS_CONFIG}: TLS listeners (https) are not supported yet; use http`,
        LISTENERS_CONFIG,
      );
    }
    if (protocol !== 'http') {
      throw new ConfigError('Listener protocol must be either "http" or "https".', LISTENERS_CONFIG);
    }
    const port = Number(match[3]);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new ConfigError(
        `Invalid value ${item} for configuration ${LISTENERS_CONFIG}: port must be between 0 and 65535`,
        LISTENERS_CONFIG,
      );
    }
    return { protocol: 'http', host: match[2]!, port };
  });
}

/** ConfigDef's LIST parsing: split on commas with surrounding whitespace; "" is the empty list. */
function splitList(value: string): string[] {
  const trimmed = value.trim();
  return trimmed === '' ? [] : trimmed.split(/\s*,\s*/);
}

/** Marks requests that arrived on an admin listener. */
const ON_ADMIN_LISTENER = Symbol('sluice.rest.onAdminListener');
const ADMIN_PATH_PREFIX = '/admin/';

export function createRestServer(options: RestServerOptions): RestServer {
  const listeners = parseListeners(options.listeners ?? DEFAULT_LISTENERS);
  const adminSetting = options.adminListeners ?? null;
  const adminDisabled = adminSetting !== null && (typeof adminSetting === 'string' ? adminSetting.trim() === '' : adminSetting.length === 0);
  const adminListeners = adminSetting === null || adminDisabled ? [] : parseListeners(adminSetting);
  const logger = (options.logger ?? pino({ level: 'silent' })).child({ component: 'RestServer' });

  const app = Fastify({
    loggerInstance: logger,
    // fastify's own per-request lines are at info; the request log below replaces them.
    logController: new LogController({ disableRequestLogging: true }),
    frameworkErrors: errorResponder(logger),
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: {
      ignoreTrailingSlash: true,
      // Connector names are path segments; find-my-way's default cap is 100 characters.
      maxParamLength: 8192,
    },
  }) as unknown as FastifyInstance;

  installBodyParsers(app);
  installErrorHandling(app, logger);
  installRequestLog(app, logger);
  if (adminListeners.length > 0) {
    // Admin paths only on the admin listeners, and only admin paths there (separate Jetty contexts in Kafka Connect).
    app.addHook('onRequest', async (request) => {
      const onAdmin = (request.raw as IncomingMessage & { [ON_ADMIN_LISTENER]?: boolean })[ON_ADMIN_LISTENER] === true;
      const adminPath = request.url.startsWith(ADMIN_PATH_PREFIX) || request.url === '/admin';
      if (onAdmin !== adminPath) throw pathNotFound();
    });
  }
  registerRoutes(app, options, !adminDisabled);

  const servers: Server[] = [];
  let started: Promise<string[]> | undefined;
  let stopped: Promise<void> | undefined;

  async function start(): Promise<string[]> {
    await app.ready();
    const handler = app.routing as unknown as (req: IncomingMessage, res: ServerResponse) => void;
    const adminHandler = (req: IncomingMessage, res: ServerResponse): void => {
      (req as IncomingMessage & { [ON_ADMIN_LISTENER]?: boolean })[ON_ADMIN_LISTENER] = true;
      handler(req, res);
    };
    const urls: string[] = [];
    const adminUrls: string[] = [];
    try {
      for (const [list, serve, out] of [[listeners, handler, urls], [adminListeners, adminHandler, adminUrls]] as const) {
        for (const listener of list) {
          const server = createServer(serve);
          servers.push(server);
          const address = await listen(server, listener);
          out.push(`http://${urlHost(listener.host)}:${address.port}`);
        }
      }
    } catch (err) {
      await closeServers(servers);
      throw err;
    }
    logger.info(`REST server listening at ${urls.join(', ')}, advertising URL ${options.advertisedUrl ?? urls[0]}`);
    if (adminUrls.length > 0) logger.info(`REST admin endpoints at ${adminUrls.join(', ')}`);
    else if (adminDisabled) logger.info('REST admin endpoints are disabled (admin.listeners is empty)');
    return urls;
  }

  async function stop(): Promise<void> {
    logger.info('Stopping REST server');
    // A start still binding would add servers after this closed them.
    await started?.catch(() => undefined);
    await closeServers(servers);
    await app.close();
    logger.info('REST server stopped');
  }

  return {
    app,
    start: () => (started ??= start()),
    stop: () => (stopped ??= stop()),
  };
}

function registerRoutes(app: FastifyInstance, options: RestServerOptions, adminEnabled: boolean): void {
  const herder: Herder = options.herder;
  // Collect every path's methods as the routes register, then answer the other methods with 405.
  const methodsByPath = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    let methods = methodsByPath.get(route.url);
    if (methods === undefined) methodsByPath.set(route.url, (methods = new Set()));
    for (const method of [route.method].flat()) methods.add(method);
  });
  registerRootRoutes(app, herder);
  registerConnectorRoutes(app, herder, options.topicTracking);
  registerPluginRoutes(app, herder);
  if (adminEnabled) registerLoggerRoutes(app, herder);

  for (const [url, served] of [...methodsByPath]) {
    if (served.has('GET')) served.add('HEAD');
    const allow = [...served, 'OPTIONS'].sort();
    const others = HTTP_METHODS.filter((method) => !served.has(method));
    if (others.length > 0) {
      app.route({
        method: others,
        url,
        handler: () => {
          throw new MethodNotAllowedError(allow);
        },
      });
    }
    app.options(url, async (_request, reply) => reply.code(200).header('allow', allow.join(',')).send());
  }
}

/**
 * JSON for routes that take a body, 415 for any other declared media type. A missing
 * Content-Type is read as JSON, as Jackson's provider accepts a request without one.
 */
function installBodyParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  const parseJson = (request: FastifyRequest, body: string): unknown => {
    if (request.routeOptions.config.body !== 'json' || body.trim() === '') return undefined;
    try {
      return JSON.parse(body);
    } catch (err) {
      throw unreadableBody((err as Error).message);
    }
  };
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    try {
      done(null, parseJson(request, body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => {
    const mode = request.routeOptions.config.body;
    if (mode === undefined) return done(null, undefined);
    if (request.headers['content-type'] !== undefined) return done(unsupportedMediaType(), undefined);
    try {
      done(null, parseJson(request, body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}

/**
 * Kafka Connect's request log: Jetty's CustomRequestLog with EXTENDED_NCSA_FORMAT + " %{ms}T",
 * e.g. `127.0.0.1 - - [24/Nov/2026:10:02:03 +0000] "GET /connectors HTTP/1.1" 200 2 "-" "curl/8.5.0" 3`.
 * At debug: the line is not even built otherwise.
 */
function installRequestLog(app: FastifyInstance, logger: Logger): void {
  app.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    done();
    if (!logger.isLevelEnabled('debug')) return;
    const raw = request.raw;
    const bytes = reply.getHeader('content-length') ?? 0;
    const referer = raw.headers.referer ?? '-';
    const agent = raw.headers['user-agent'] ?? '-';
    const line =
      `${request.ip ?? '-'} - - [${ncsaTime(new Date())}] "${raw.method} ${raw.url} HTTP/${raw.httpVersion}" ` +
      `${reply.statusCode} ${String(bytes)} "${referer}" "${agent}" ${Math.round(reply.elapsedTime)}`;
    logger.debug(line);
  });
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `dd/MMM/yyyy:HH:mm:ss +0000`, in UTC. */
function ncsaTime(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}

/** Binds one listener. An empty host means all interfaces: IPv6 and IPv4 where possible. */
async function listen(server: Server, listener: Listener): Promise<AddressInfo> {
  const hosts = listener.host === '' ? ['::', '0.0.0.0'] : [listener.host];
  let lastError: unknown;
  for (const host of hosts) {
    try {
      return await new Promise<AddressInfo>((resolve, reject) => {
        const onError = (err: Error): void => reject(err);
        server.once('error', onError);
        server.listen({ host, port: listener.port }, () => {
          server.off('error', onError);
          resolve(server.address() as AddressInfo);
        });
      });
    } catch (err) {
      lastError = err;
      const code = (err as NodeJS.ErrnoException).code;
      // Only a missing IPv6 stack is worth the IPv4 retry.
      if (code !== 'EAFNOSUPPORT' && code !== 'EADDRNOTAVAIL') break;
    }
  }
  const where = `http://${urlHost(listener.host)}:${listener.port}`;
  throw new ConnectError(`Unable to start REST server: cannot listen on ${where}: ${(lastError as Error).message}`, {
    cause: lastError,
  });
}

function urlHost(host: string): string {
  if (host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** Stops accepting, closes idle keep-alive connections, gives requests in flight time to finish. */
async function closeServers(servers: Server[]): Promise<void> {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          if (!server.listening) return resolve();
          const force = setTimeout(() => server.closeAllConnections(), GRACEFUL_SHUTDOWN_MS);
          force.unref();
          server.close(() => {
            clearTimeout(force);
            resolve();
          });
          server.closeIdleConnections();
        }),
    ),
  );
}

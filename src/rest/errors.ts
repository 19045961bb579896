/**
 * The REST layer's errors: Kafka Connect's exception mapper (ConnectExceptionMapper) and the
 * answers Jersey gives on its own (unknown path, wrong method, unsupported media type).
 *
 * Every error answer has the body `{"error_code": <http status>, "message": "..."}`:
 * - NotFoundError: 404; AlreadyExistsError: 409; BadRequestError and ConfigError: 400;
 *   RestError: its own status; anything else: 500 with the error's message.
 * - An unknown path is 404 `HTTP 404 Not Found`; a method the path does not serve is 405
 *   `HTTP 405 Method Not Allowed` with an Allow header; a body that is not JSON on a route that
 *   takes JSON is 415 `HTTP 415 Unsupported Media Type`.
 * - A request body that cannot be read as the expected JSON is a 500, as in Kafka Connect, where
 *   Jackson's parse and mapping errors reach the mapper as plain exceptions.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { RestError } from '../api/errors.js';

/** Kafka Connect's ErrorMessage entity. */
export interface ErrorMessage {
  error_code: number;
  message: string | null;
}

/** Reason phrases as JAX-RS prints them in `HTTP <status> <reason>`. */
const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  413: 'Request Entity Too Large',
  414: 'Request-URI Too Long',
  415: 'Unsupported Media Type',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The message Jersey gives its own WebApplicationExceptions: `HTTP 404 Not Found`. */
export function httpStatusMessage(status: number): string {
  const reason = REASONS[status];
  return reason === undefined ? `HTTP ${status}` : `HTTP ${status} ${reason}`;
}

/** A 405 that carries the methods the path does serve, for the Allow header. */
export class MethodNotAllowedError extends RestError {
  constructor(readonly allow: readonly string[]) {
    super(405, httpStatusMessage(405));
  }
}

/** No resource at this path (Jersey's NotFoundException). */
export function pathNotFound(): RestError {
  return new RestError(404, httpStatusMessage(404));
}

export function unsupportedMediaType(): RestError {
  return new RestError(415, httpStatusMessage(415));
}

/**
 * A request body that cannot be read as what the route expects: malformed JSON, or JSON of the
 * wrong shape. Kafka Connect answers these with a 500 carrying Jackson's message (its exception
 * mapper sees a plain IOException), so sluice does too, with its own wording.
 */
export function unreadableBody(message: string): RestError {
  return new RestError(500, message);
}

/** True for the herder's "no such connector/task" error, also when it crossed a module boundary. */
export function isNotFound(err: unknown): boolean {
  return err instanceof Error && err.name === 'NotFoundException';
}

/** Status for an error by its Connect class; the `name` carries the Java simple name. */
function statusOf(err: unknown): number {
  if (!(err instanceof Error)) return 500;
  switch (err.name) {
    case 'ConnectRestException': {
      const status = (err as RestError).statusCode;
      return Number.isInteger(status) && status >= 100 && status <= 599 ? status : 500;
    }
    case 'NotFoundException':
      return 404;
    case 'AlreadyExistsException':
      return 409;
    case 'BadRequestException':
    case 'ConfigException':
      return 400;
  }
  return fastifyStatusOf(err as FastifyError) ?? 500;
}

/**
 * fastify's own request errors (body too large, bad content length, malformed URL, ...) keep
 * their 4xx status and get Jersey's wording; fastify's 5xx are plain server errors.
 */
function fastifyStatusOf(err: FastifyError): number | undefined {
  if (typeof err.code !== 'string' || !err.code.startsWith('FST_')) return undefined;
  const status = err.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/** Maps any thrown value to the status and body Kafka Connect would answer with. */
export function toErrorMessage(err: unknown): ErrorMessage {
  const status = statusOf(err);
  if (err instanceof Error && fastifyStatusOf(err as FastifyError) === status) {
    // fastify's wording is its own; Jersey says `HTTP 413 Request Entity Too Large`.
    return { error_code: status, message: httpStatusMessage(status) };
  }
  return { error_code: status, message: messageOf(err) };
}

function messageOf(err: unknown): string | null {
  if (err instanceof Error) return err.message;
  if (err === undefined || err === null) return null;
  return String(err);
}

/**
 * Kafka Connect's exception mapper as a fastify error handler. Expected failures (4xx and
 * Connect's own errors) log at debug; an unexpected error logs at error with its stack, as
 * Kafka Connect's mapper does when debug logging is off.
 */
export function errorResponder(logger: Logger) {
  return (err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const body = toErrorMessage(err);
    const unexpected = body.error_code >= 500 && !(err instanceof Error && err.name === 'ConnectRestException');
    if (unexpected && !logger.isLevelEnabled('debug')) {
      logger.error({ err }, `Uncaught exception in REST call to ${request.url}`);
    } else {
      logger.debug({ err }, `Uncaught exception in REST call to ${request.url}`);
    }
    if (err instanceof MethodNotAllowedError) void reply.header('allow', err.allow.join(','));
    return reply.code(body.error_code).type('application/json').send(body);
  };
}

/**
 * Installs the exception mapper and the not-found handler on `app`. fastify's framework errors
 * (a malformed URL) need the same responder passed as its `frameworkErrors` option.
 */
export function installErrorHandling(app: FastifyInstance, logger: Logger): void {
  app.setNotFoundHandler(() => {
    throw pathNotFound();
  });
  app.setErrorHandler(errorResponder(logger));
}

/** Java's String.trim(): strips every code point at or below U+0020 from both ends. */
export function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

/**
 * Reads a JSON value as Jackson reads a `Map<String, String>`: an object whose scalar values
 * become strings (numbers and booleans by their JSON text), nulls dropped. Anything else is an
 * unreadable body.
 */
export function readStringMap(value: unknown, what: string): Record<string, string> {
  if (value === undefined || value === null) throw unreadableBody(`${what} is missing`);
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw unreadableBody(`${what} must be a JSON object, not ${jsonKind(value)}`);
  }
  const entries: [string, string][] = [];
  for (const [key, v] of Object.entries(value)) {
    if (v === null) continue;
    if (typeof v === 'string') entries.push([key, v]);
    else if (typeof v === 'number' || typeof v === 'boolean') entries.push([key, String(v)]);
    else throw unreadableBody(`${what}: the value of "${key}" must be a string, not ${jsonKind(v)}`);
  }
  // fromEntries defines own properties, so a "__proto__" key stays a key.
  return Object.fromEntries(entries);
}

/** Reads a scalar as Jackson reads a String: strings as they are, numbers and booleans as text. */
export function readString(value: unknown, what: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw unreadableBody(`${what} must be a string, not ${jsonKind(value)}`);
}

export function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

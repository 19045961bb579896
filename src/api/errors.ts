/**
 * The Connect error hierarchy (org.apache.kafka.connect.errors). `name` carries the Java simple
 * name so traces in task status read the way Kafka Connect users know.
 */
export { DataError } from '../data/schema.js';

export class ConnectError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConnectException';
  }
}

/** A failure worth retrying: sinks throwing it from put() get the batch again after a back-off. */
export class RetriableError extends ConnectError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RetriableException';
  }
}

export class NotFoundError extends ConnectError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotFoundException';
  }
}

export class AlreadyExistsError extends ConnectError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AlreadyExistsException';
  }
}

/** A config that fails validation; `key` names the offending config key when there is one. */
export class ConfigError extends ConnectError {
  constructor(message: string, readonly key?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigException';
  }
}

/** An error with an HTTP status, for the REST layer (ConnectRestException). */
export class RestError extends ConnectError {
  constructor(readonly statusCode: number, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConnectRestException';
  }
}

/** A request that cannot be served as asked (BadRequestException): REST answers 400. */
export class BadRequestError extends ConnectError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BadRequestException';
  }
}

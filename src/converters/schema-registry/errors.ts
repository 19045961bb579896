/**
 * Errors of the Schema Registry client. `name` is Confluent's RestClientException, so a task's
 * status trace reads the way Confluent users know; the message always names the URL and, when the
 * request was about one, the subject, and carries the HTTP status and the registry's error code.
 */
import { ConnectError } from '../../api/errors.js';

export interface SchemaRegistryErrorDetails {
  /** The registry URL the request went to (or every URL tried, comma-separated, when none answered). */
  url: string;
  subject?: string;
  /** HTTP status; absent when no registry answered. */
  status?: number;
  /** The registry's own `error_code` (40401 subject not found, 40403 schema not found, ...). */
  errorCode?: number;
}

export class SchemaRegistryError extends ConnectError {
  readonly url: string;
  readonly subject: string | undefined;
  readonly status: number | undefined;
  readonly errorCode: number | undefined;

  constructor(message: string, details: SchemaRegistryErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RestClientException';
    this.url = details.url;
    this.subject = details.subject;
    this.status = details.status;
    this.errorCode = details.errorCode;
  }
}

/** Registry error codes (Confluent's Errors class; Apicurio's ccompat API answers the same). */
export const ErrorCodes = Object.freeze({
  SUBJECT_NOT_FOUND: 40401,
  VERSION_NOT_FOUND: 40402,
  SCHEMA_NOT_FOUND: 40403,
  INCOMPATIBLE_SCHEMA: 409,
  INVALID_SCHEMA: 42201,
});

/**
 * A Schema Registry client (Confluent's REST API, which Apicurio serves under /apis/ccompat/v7),
 * shaped after Confluent's CachedSchemaRegistryClient: the same four calls a converter needs, with
 * caches so that a schema costs one round trip per process, basic auth, and failover across the
 * configured URLs.
 *
 * Every call exists twice: `xxx()` returns a promise (fetch), `xxxSync()` blocks (see http.ts for
 * why the converter needs that). Both share the request building, failover and answer parsing.
 *
 * Failover is Confluent's RestService rule: a URL that gives no HTTP answer (refused, reset, timed
 * out) is skipped for the next one; an HTTP error answer is final and is reported as it came.
 */
import { SchemaRegistryError, type SchemaRegistryErrorDetails } from './errors.js';
import { type HttpRequest, type HttpResult, sendAsync, sendSync } from './http.js';
import { LruCache } from '../../util/lru-cache.js';

export interface SchemaRegistryClientConfig {
  /** Base URLs without credentials, e.g. http://localhost:8081 or http://host/apis/ccompat/v7. */
  urls: readonly string[];
  /** "user:password" for HTTP basic auth, or null. */
  userInfo?: string | null;
  /** Entries per cache (Confluent's max.schemas.per.subject, default 1000). */
  cacheCapacity?: number;
  /** How long a "latest version" answer is reused; negative: for the client's life (Confluent's default). */
  latestCacheTtlMs?: number;
  requestTimeoutMs?: number;
  /**
   * normalize.schemas: ask the registry to normalize schemas on register and lookup. Apicurio
   * matches a lookup only on the exact text unless asked to normalize; Confluent compares parsed
   * schemas either way.
   */
  normalize?: boolean;
}

/** A schema as registered under a subject. */
export interface SubjectSchema {
  subject: string;
  id: number;
  version: number;
  schema: string;
}

interface Operation<T> {
  method: HttpRequest['method'];
  path: string;
  body?: unknown;
  subject?: string;
  parse(json: unknown): T;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';
const ACCEPT = 'application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5';

export class SchemaRegistryClient {
  readonly urls: readonly string[];
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;
  private readonly latestTtlMs: number;
  private readonly query: string;
  /** Index of the URL that answered last: later calls start there. */
  private current = 0;
  private readonly schemaById: LruCache<number, string>;
  private readonly idBySubjectSchema: LruCache<string, number>;
  private readonly versionBySubjectSchema: LruCache<string, number>;
  private readonly latestBySubject: LruCache<string, { value: SubjectSchema; at: number }>;

  constructor(config: SchemaRegistryClientConfig) {
    if (config.urls.length === 0) throw new Error('A Schema Registry client needs at least one URL');
    this.urls = config.urls.map((u) => u.replace(/\/+$/, ''));
    this.headers = { 'Content-Type': CONTENT_TYPE, Accept: ACCEPT };
    if (config.userInfo) this.headers.Authorization = `Basic ${Buffer.from(config.userInfo, 'utf8').toString('base64')}`;
    this.timeoutMs = config.requestTimeoutMs ?? 30_000;
    this.latestTtlMs = config.latestCacheTtlMs ?? -1;
    this.query = config.normalize ? '?normalize=true' : '';
    const capacity = config.cacheCapacity ?? 1000;
    this.schemaById = new LruCache(capacity);
    this.idBySubjectSchema = new LruCache(capacity);
    this.versionBySubjectSchema = new LruCache(capacity);
    this.latestBySubject = new LruCache(capacity);
  }

  // ---- register: POST /subjects/{subject}/versions -> id -------------------------------------

  async register(subject: string, schema: string): Promise<number> {
    return this.cachedId(subject, schema) ?? this.rememberId(subject, schema, await this.run(registerOp(subject, schema, this.query)));
  }

  registerSync(subject: string, schema: string): number {
    return this.cachedId(subject, schema) ?? this.rememberId(subject, schema, this.runSync(registerOp(subject, schema, this.query)));
  }

  // ---- by id: GET /schemas/ids/{id} -> schema text --------------------------------------------

  async getSchemaById(id: number): Promise<string> {
    return this.schemaById.get(id) ?? this.rememberSchema(id, await this.run(byIdOp(id)));
  }

  getSchemaByIdSync(id: number): string {
    return this.schemaById.get(id) ?? this.rememberSchema(id, this.runSync(byIdOp(id)));
  }

  // ---- latest: GET /subjects/{subject}/versions/latest ----------------------------------------

  async getLatestSchema(subject: string): Promise<SubjectSchema> {
    return this.cachedLatest(subject) ?? this.rememberLatest(await this.run(latestOp(subject)));
  }

  getLatestSchemaSync(subject: string): SubjectSchema {
    return this.cachedLatest(subject) ?? this.rememberLatest(this.runSync(latestOp(subject)));
  }

  // ---- lookup: POST /subjects/{subject} -> the registered id and version of this schema --------

  async lookup(subject: string, schema: string): Promise<SubjectSchema> {
    return this.cachedLookup(subject, schema) ?? this.rememberLookup(await this.run(lookupOp(subject, schema, this.query)));
  }

  lookupSync(subject: string, schema: string): SubjectSchema {
    return this.cachedLookup(subject, schema) ?? this.rememberLookup(this.runSync(lookupOp(subject, schema, this.query)));
  }

  // ---- caches ----------------------------------------------------------------------------------

  private cachedId(subject: string, schema: string): number | undefined {
    return this.idBySubjectSchema.get(cacheKey(subject, schema));
  }

  private rememberId(subject: string, schema: string, id: number): number {
    this.idBySubjectSchema.set(cacheKey(subject, schema), id);
    if (this.schemaById.get(id) === undefined) this.schemaById.set(id, schema);
    return id;
  }

  private rememberSchema(id: number, schema: string): string {
    this.schemaById.set(id, schema);
    return schema;
  }

  private cachedLatest(subject: string): SubjectSchema | undefined {
    const hit = this.latestBySubject.get(subject);
    if (!hit) return undefined;
    if (this.latestTtlMs >= 0 && Date.now() - hit.at > this.latestTtlMs) {
      this.latestBySubject.delete(subject);
      return undefined;
    }
    return hit.value;
  }

  private rememberLatest(found: SubjectSchema): SubjectSchema {
    this.latestBySubject.set(found.subject, { value: found, at: Date.now() });
    this.rememberId(found.subject, found.schema, found.id);
    this.versionBySubjectSchema.set(cacheKey(found.subject, found.schema), found.version);
    return found;
  }

  private cachedLookup(subject: string, schema: string): SubjectSchema | undefined {
    const key = cacheKey(subject, schema);
    const id = this.idBySubjectSchema.get(key);
    const version = this.versionBySubjectSchema.get(key);
    return id !== undefined && version !== undefined ? { subject, schema, id, version } : undefined;
  }

  private rememberLookup(found: SubjectSchema): SubjectSchema {
    this.rememberId(found.subject, found.schema, found.id);
    this.versionBySubjectSchema.set(cacheKey(found.subject, found.schema), found.version);
    return found;
  }

  // ---- transport -------------------------------------------------------------------------------

  private async run<T>(op: Operation<T>): Promise<T> {
    const failures: string[] = [];
    for (let i = 0; i < this.urls.length; i++) {
      const index = (this.current + i) % this.urls.length;
      const result = await sendAsync(this.request(this.urls[index]!, op));
      if ('error' in result) {
        failures.push(`${this.urls[index]} (${result.error})`);
        continue;
      }
      this.current = index;
      return interpret(op, this.urls[index]!, result);
    }
    throw this.unreachable(op, failures);
  }

  private runSync<T>(op: Operation<T>): T {
    const failures: string[] = [];
    for (let i = 0; i < this.urls.length; i++) {
      const index = (this.current + i) % this.urls.length;
      const result = sendSync(this.request(this.urls[index]!, op));
      if ('error' in result) {
        failures.push(`${this.urls[index]} (${result.error})`);
        continue;
      }
      this.current = index;
      return interpret(op, this.urls[index]!, result);
    }
    throw this.unreachable(op, failures);
  }

  private request(base: string, op: Operation<unknown>): HttpRequest {
    return {
      method: op.method,
      url: base + op.path,
      headers: this.headers,
      body: op.body === undefined ? undefined : JSON.stringify(op.body),
      timeoutMs: this.timeoutMs,
    };
  }

  private unreachable(op: Operation<unknown>, failures: string[]): SchemaRegistryError {
    const about = op.subject === undefined ? '' : ` for subject "${op.subject}"`;
    return new SchemaRegistryError(
      `Could not reach the Schema Registry to ${op.method} ${op.path}${about}: no answer from ${failures.join(', ')}`,
      { url: this.urls.join(','), subject: op.subject },
    );
  }
}

function cacheKey(subject: string, schema: string): string {
  return `${subject}\u0000${schema}`;
}

function interpret<T>(op: Operation<T>, base: string, result: Exclude<HttpResult, { error: string }>): T {
  const details: SchemaRegistryErrorDetails = { url: base, subject: op.subject, status: result.status };
  const about = op.subject === undefined ? '' : ` for subject "${op.subject}"`;
  let json: unknown;
  try {
    json = result.body.length === 0 ? null : JSON.parse(result.body);
  } catch {
    json = undefined;
  }
  if (result.status < 200 || result.status >= 300) {
    const answer = (json ?? {}) as { error_code?: unknown; message?: unknown };
    const code = typeof answer.error_code === 'number' ? answer.error_code : undefined;
    const message = typeof answer.message === 'string' ? answer.message : result.body.slice(0, 300);
    throw new SchemaRegistryError(
      `Schema Registry at ${base} answered HTTP ${result.status}${code === undefined ? '' : ` (error code ${code})`} to ${op.method} ${op.path}${about}: ${message}`,
      { ...details, errorCode: code },
    );
  }
  try {
    return op.parse(json);
  } catch (e) {
    throw new SchemaRegistryError(
      `Schema Registry at ${base} gave an unexpected answer to ${op.method} ${op.path}${about}: ${(e as Error).message}: ${result.body.slice(0, 300)}`,
      details,
      { cause: e },
    );
  }
}

function field<T>(json: unknown, name: string, type: 'number' | 'string'): T {
  const value = json !== null && typeof json === 'object' ? (json as Record<string, unknown>)[name] : undefined;
  if (typeof value !== type) throw new Error(`"${name}" is missing or not a ${type}`);
  return value as T;
}

function subjectPath(subject: string): string {
  return `/subjects/${encodeURIComponent(subject)}`;
}

function registerOp(subject: string, schema: string, query: string): Operation<number> {
  return { method: 'POST', path: `${subjectPath(subject)}/versions${query}`, body: { schema }, subject, parse: (j) => field<number>(j, 'id', 'number') };
}

function byIdOp(id: number): Operation<string> {
  return { method: 'GET', path: `/schemas/ids/${id}`, parse: (j) => field<string>(j, 'schema', 'string') };
}

function subjectSchema(json: unknown, subject: string, schema?: string): SubjectSchema {
  return {
    subject,
    id: field<number>(json, 'id', 'number'),
    version: field<number>(json, 'version', 'number'),
    schema: schema ?? field<string>(json, 'schema', 'string'),
  };
}

function latestOp(subject: string): Operation<SubjectSchema> {
  return { method: 'GET', path: `${subjectPath(subject)}/versions/latest`, subject, parse: (j) => subjectSchema(j, subject) };
}

function lookupOp(subject: string, schema: string, query: string): Operation<SubjectSchema> {
  // The answer repeats the schema as the registry stores it; keep the caller's text as the cache key.
  return { method: 'POST', path: subjectPath(subject) + query, body: { schema }, subject, parse: (j) => subjectSchema(j, subject, schema) };
}

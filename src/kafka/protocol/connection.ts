/**
 * A Kafka protocol connection: length-prefixed frames, correlation ids, requests pipelined in
 * order (the broker answers a connection's requests in the order it received them). It serves the
 * APIs librdkafka does not expose to sluice: the cluster id for `GET /`, and group membership for
 * distributed mode.
 *
 * Security: PLAINTEXT, SSL (node:tls), and SASL (PLAIN, SCRAM-SHA-256/512) over either, chosen by
 * `ConnectionSecurity` (see security.ts for the mapping from the worker's Java client keys).
 */
import net from 'node:net';
import tls from 'node:tls';
import type { ApiCodec } from './api.js';
import { Reader } from './codec.js';
import { authenticateSasl } from './sasl.js';
import type { ConnectionSecurity } from './security.js';

export interface BrokerAddress {
  host: string;
  port: number;
}

export function parseBootstrap(bootstrap: string): BrokerAddress[] {
  return bootstrap
    .split(',')
    .map((s) => s.trim().replace(/^[A-Za-z_]+:\/\//, ''))
    .filter((s) => s.length > 0)
    .map((s) => {
      const i = s.lastIndexOf(':');
      return { host: s.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(s.slice(i + 1)) };
    });
}

/** The connection broke (closed, reset, timed out): the request may or may not have reached the broker. */
export class KafkaConnectionError extends Error {
  override readonly name = 'KafkaConnectionError';
}

export interface ConnectOptions {
  clientId: string;
  /** Shorthand for `security: { protocol: 'SSL' }` with default TLS options (kept for existing callers). */
  useTls?: boolean;
  security?: ConnectionSecurity;
  /** TCP (+ TLS + SASL) set-up deadline; 10 s by default. */
  timeoutMs?: number;
  /** Default deadline for each request's response (the Java client's request.timeout.ms); 30 s by default. */
  requestTimeoutMs?: number;
}

interface Pending {
  resolve: (body: Buffer) => void;
  reject: (err: Error) => void;
  responseHeaderVersion: 0 | 1;
  timer: NodeJS.Timeout;
  what: string;
}

export class KafkaConnection {
  private correlationId = 0;
  private buffered: Buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, Pending>();
  private closedBecause: Error | null = null;
  private readonly requestTimeoutMs: number;

  private constructor(
    private readonly socket: net.Socket,
    private readonly clientId: string,
    readonly address: BrokerAddress,
    requestTimeoutMs: number,
  ) {
    this.requestTimeoutMs = requestTimeoutMs;
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(new KafkaConnectionError(`connection to ${this.describe()} failed: ${err.message}`, { cause: err })));
    socket.on('close', () => this.fail(new KafkaConnectionError(`connection to ${this.describe()} closed`)));
  }

  static async connect(address: BrokerAddress, opts: ConnectOptions): Promise<KafkaConnection> {
    const security: ConnectionSecurity = opts.security ?? { protocol: opts.useTls ? 'SSL' : 'PLAINTEXT' };
    const timeoutMs = opts.timeoutMs ?? 10_000;
    const useTls = security.protocol === 'SSL' || security.protocol === 'SASL_SSL';
    const socket = await new Promise<net.Socket>((resolve, reject) => {
      const s = useTls
        ? tls.connect({ servername: net.isIP(address.host) ? undefined : address.host, ...security.tls, host: address.host, port: address.port })
        : net.connect({ host: address.host, port: address.port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new KafkaConnectionError(`timed out connecting to ${address.host}:${address.port} after ${timeoutMs} ms`));
      }, timeoutMs);
      s.once(useTls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        s.setNoDelay(true);
        resolve(s);
      });
      s.once('error', (err) => {
        clearTimeout(timer);
        reject(new KafkaConnectionError(`could not connect to ${address.host}:${address.port} (${security.protocol}): ${err.message}`, { cause: err }));
      });
    });
    const conn = new KafkaConnection(socket, opts.clientId, address, opts.requestTimeoutMs ?? 30_000);
    if (security.protocol === 'SASL_PLAINTEXT' || security.protocol === 'SASL_SSL') {
      if (!security.sasl) {
        conn.close();
        throw new KafkaConnectionError(`security.protocol ${security.protocol} needs SASL credentials (sasl.mechanism, sasl.jaas.config)`);
      }
      try {
        await authenticateSasl(conn, security.sasl);
      } catch (err) {
        conn.close();
        throw err;
      }
    }
    return conn;
  }

  /** True until the socket closes or fails. */
  get isOpen(): boolean {
    return this.closedBecause === null;
  }

  /** Sends one request of `api` and resolves with its decoded response (errors in the body are the caller's to check). */
  async send<Req, Res>(api: ApiCodec<Req, Res>, request: Req, opts: { timeoutMs?: number } = {}): Promise<Res> {
    const body = await this.exchange(api.apiKey, api.apiVersion, api.requestHeaderVersion, api.responseHeaderVersion, api.encode(request), {
      timeoutMs: opts.timeoutMs,
      what: `${api.name} v${api.apiVersion}`,
    });
    return api.decode(body);
  }

  /** Sends one request (header v1: api key, version, correlation id, client id) and awaits its response body (header v0). */
  request(apiKey: number, apiVersion: number, body: Buffer): Promise<Buffer> {
    return this.exchange(apiKey, apiVersion, 1, 0, body, { what: `api ${apiKey} v${apiVersion}` });
  }

  private exchange(
    apiKey: number,
    apiVersion: number,
    requestHeaderVersion: 1 | 2,
    responseHeaderVersion: 0 | 1,
    body: Buffer,
    opts: { timeoutMs?: number; what: string },
  ): Promise<Buffer> {
    if (this.closedBecause) return Promise.reject(this.closedBecause);
    const id = (this.correlationId = (this.correlationId + 1) & 0x7fffffff);
    const clientId = Buffer.from(this.clientId);
    // The client id keeps the old int16 length even in header v2 (RequestHeader.json: "flexibleVersions": "none").
    const header = Buffer.alloc(10 + clientId.length + (requestHeaderVersion === 2 ? 1 : 0));
    header.writeInt16BE(apiKey, 0);
    header.writeInt16BE(apiVersion, 2);
    header.writeInt32BE(id, 4);
    header.writeInt16BE(clientId.length, 8);
    clientId.copy(header, 10);
    // header v2 ends with an empty tagged-field section (one zero byte, already there from alloc)
    const size = Buffer.alloc(4);
    size.writeInt32BE(header.length + body.length);
    const timeoutMs = opts.timeoutMs ?? this.requestTimeoutMs;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // Like the Java client: a request that outlives its timeout takes the connection down,
        // since a late answer would otherwise be matched against nothing.
        this.fail(new KafkaConnectionError(`${opts.what} to ${this.describe()} got no response within ${timeoutMs} ms`));
        this.socket.destroy();
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, responseHeaderVersion, timer, what: opts.what });
      this.socket.write(Buffer.concat([size, header, body]));
    });
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    while (this.buffered.length >= 4) {
      const size = this.buffered.readInt32BE(0);
      if (this.buffered.length < 4 + size) return;
      const frame = this.buffered.subarray(4, 4 + size);
      this.buffered = this.buffered.subarray(4 + size);
      const id = frame.readInt32BE(0);
      const waiting = this.pending.get(id);
      if (!waiting) {
        this.fail(new KafkaConnectionError(`${this.describe()} sent a response with unexpected correlation id ${id}`));
        this.socket.destroy();
        return;
      }
      this.pending.delete(id);
      clearTimeout(waiting.timer);
      try {
        let bodyStart = 4;
        if (waiting.responseHeaderVersion === 1) {
          const reader = new Reader(frame.subarray(4), `${waiting.what} response header`);
          reader.skipTaggedFields();
          bodyStart += reader.offset;
        }
        waiting.resolve(frame.subarray(bodyStart));
      } catch (err) {
        waiting.reject(err as Error);
      }
    }
  }

  private fail(err: Error): void {
    this.closedBecause ??= err;
    for (const [id, waiting] of this.pending) {
      this.pending.delete(id);
      clearTimeout(waiting.timer);
      waiting.reject(err);
    }
  }

  private describe(): string {
    return `${this.address.host}:${this.address.port}`;
  }

  close(): void {
    this.fail(new KafkaConnectionError(`connection to ${this.describe()} was closed by sluice`));
    this.socket.destroy();
  }
}

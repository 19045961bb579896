/**
 * A minimal Kafka protocol connection: length-prefixed frames, correlation ids, one request in
 * flight at a time. It serves the few APIs librdkafka does not expose to sluice (the cluster id
 * for `GET /` now; group membership for distributed mode later).
 */
import net from 'node:net';
import tls from 'node:tls';

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

export class KafkaConnection {
  private correlationId = 0;
  private buffered: Buffer = Buffer.alloc(0);
  private waiting: { id: number; resolve: (b: Buffer) => void; reject: (e: Error) => void } | null = null;

  private constructor(private readonly socket: net.Socket, private readonly clientId: string) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('connection closed by the broker')));
  }

  static connect(address: BrokerAddress, opts: { clientId: string; useTls?: boolean; timeoutMs?: number }): Promise<KafkaConnection> {
    return new Promise((resolve, reject) => {
      const socket = opts.useTls
        ? tls.connect({ host: address.host, port: address.port, servername: address.host })
        : net.connect({ host: address.host, port: address.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`timed out connecting to ${address.host}:${address.port}`));
      }, opts.timeoutMs ?? 10000);
      socket.once(opts.useTls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        resolve(new KafkaConnection(socket, opts.clientId));
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  /** Send one request (header v1: api key, version, correlation id, client id) and await its response body. */
  request(apiKey: number, apiVersion: number, body: Buffer): Promise<Buffer> {
    if (this.waiting) return Promise.reject(new Error('a request is already in flight'));
    const id = ++this.correlationId;
    const clientId = Buffer.from(this.clientId);
    const header = Buffer.alloc(10 + clientId.length);
    header.writeInt16BE(apiKey, 0);
    header.writeInt16BE(apiVersion, 2);
    header.writeInt32BE(id, 4);
    header.writeInt16BE(clientId.length, 8);
    clientId.copy(header, 10);
    const size = Buffer.alloc(4);
    size.writeInt32BE(header.length + body.length);
    return new Promise((resolve, reject) => {
      this.waiting = { id, resolve, reject };
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
      const waiting = this.waiting;
      this.waiting = null;
      if (!waiting) continue;
      const id = frame.readInt32BE(0);
      if (id !== waiting.id) waiting.reject(new Error(`unexpected correlation id ${id} (expected ${waiting.id})`));
      else waiting.resolve(frame.subarray(4));
    }
  }

  private fail(err: Error): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.reject(err);
  }

  close(): void {
    this.socket.destroy();
  }
}

/**
 * HTTP for the Schema Registry client, two ways: `sendAsync` (Node's fetch) and `sendSync`, which
 * blocks the calling thread until a helper worker thread has done the same fetch.
 *
 * Why a blocking path: Kafka Connect's Converter API is synchronous (fromConnectData returns
 * bytes), and so is sluice's. A registry round trip happens only on a cache miss (a schema seen
 * for the first time), so blocking the task thread for it costs what it costs in Java, where
 * CachedSchemaRegistryClient blocks too; every later record is served from the cache.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

/** What came back: a status and body, or `error` when no HTTP answer arrived (refused, timed out). */
export type HttpResult = { status: number; body: string } | { error: string };

export async function sendAsync(request: HttpRequest): Promise<HttpResult> {
  try {
    const res = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    return { status: res.status, body: await res.text() };
  } catch (e) {
    return { error: describeFetchError(e) };
  }
}

// The helper thread's code, as plain CommonJS so it loads the same under tsc output and vitest.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
function describeFetchError(e) {
  if (e && (e.name === 'TimeoutError' || e.name === 'AbortError')) return 'no answer in time (' + (e.message || e.name) + ')';
  if (e && e.cause && e.cause.message) return e.cause.message;
  return String((e && e.message) || e);
}
parentPort.on('message', async ({ signal, port, request }) => {
  let result;
  try {
    const res = await fetch(request.url, {
      method: request.method, headers: request.headers, body: request.body,
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    result = { status: res.status, body: await res.text() };
  } catch (e) {
    result = { error: describeFetchError(e) };
  }
  port.postMessage(result);
  port.close();
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
});
`;

let helper: Worker | null = null;

function helperWorker(): Worker {
  if (!helper) {
    helper = new Worker(WORKER_SOURCE, { eval: true });
    // Never keep a process alive just for this thread.
    helper.unref();
    helper.on('error', () => {
      helper = null;
    });
    helper.on('exit', () => {
      helper = null;
    });
  }
  return helper;
}

export function sendSync(request: HttpRequest): HttpResult {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  try {
    helperWorker().postMessage({ signal, port: port2, request }, [port2]);
    // The worker has its own timeout; the extra second only guards against a dead worker.
    const outcome = Atomics.wait(signal, 0, 0, request.timeoutMs + 1000);
    const reply = receiveMessageOnPort(port1);
    if (reply) return reply.message as HttpResult;
    return { error: outcome === 'timed-out' ? `no answer within ${request.timeoutMs} ms` : 'the HTTP helper thread gave no answer' };
  } finally {
    port1.close();
  }
}

/** "connect ECONNREFUSED 127.0.0.1:1" rather than fetch's bare "fetch failed" (the worker has a copy). */
function describeFetchError(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { message?: string; code?: string } } | null;
  if (err && (err.name === 'TimeoutError' || err.name === 'AbortError')) return `no answer in time (${err.message ?? err.name})`;
  const cause = err && err.cause;
  if (cause && cause.message) return cause.message;
  return String((err && err.message) || e);
}

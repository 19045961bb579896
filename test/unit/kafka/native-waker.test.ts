// The addon's futex waker (no broker needed): wait / waitAsync / notify across threads, a ring
// driven through it, worker termination while blocked, and loading in several workers at once.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../../src/engine/ring/ring-buffer.js';
import { createNativeRing, FrameKind, kafkaErrorName, NATIVE_WAKER, nativeAddon } from '../../../src/kafka/native.js';

const addon = nativeAddon();

/** Runs CommonJS `code` in a worker with the addon path and `data`; resolves with its messages. */
function inWorker(code: string, data: Record<string, unknown>, onMessage?: (m: unknown, w: Worker) => void): Promise<{ messages: unknown[]; code: number; worker: Worker }> {
  const worker = new Worker(`const { workerData, parentPort } = require('node:worker_threads'); const addon = require(workerData.addonPath);\n${code}`, {
    eval: true,
    workerData: { ...data, addonPath: addonPath() },
  });
  const messages: unknown[] = [];
  return new Promise((resolve, reject) => {
    worker.on('message', (m) => {
      messages.push(m);
      onMessage?.(m, worker);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => resolve({ messages, code, worker }));
  });
}

/** Workers below require the addon directly, as plain CommonJS. */
function addonPath(): string {
  return process.env.SLUICE_NATIVE_ADDON ?? new URL('../../../native/build/Release/sluice_native.node', import.meta.url).pathname;
}

describe('native addon basics', () => {
  it('links the librdkafka node-rdkafka built and names its errors', () => {
    expect(addon.librdkafkaVersion).toBe('2.12.0');
    expect(kafkaErrorName(-195)).toBe('_TRANSPORT');
    expect(addon.errorString(-184)).toMatch(/queue full/i);
  });

  it('checks its arguments', () => {
    expect(() => addon.wait(new Float64Array(2) as unknown as Int32Array, 0, 0, 0)).toThrow(/Int32Array/);
    expect(() => addon.wait(new Int32Array(new SharedArrayBuffer(8)), 2, 0, 0)).toThrow(/out of range/);
    expect(() => addon.notify(new Int32Array(new SharedArrayBuffer(8)), -1)).toThrow(/out of range/);
  });
});

describe('NATIVE_WAKER', () => {
  it('wait: not-equal at once, timed-out after the timeout', () => {
    const ctrl = new Int32Array(new SharedArrayBuffer(16));
    ctrl[1] = 5;
    expect(NATIVE_WAKER.wait(ctrl, 1, 4, 1000)).toBe('not-equal');
    const t0 = performance.now();
    expect(NATIVE_WAKER.wait(ctrl, 1, 5, 50)).toBe('timed-out');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
  });

  it('wait in a worker is woken by notify from this thread', async () => {
    const sab = new SharedArrayBuffer(16);
    const ctrl = new Int32Array(sab);
    const run = inWorker(
      `const ctrl = new Int32Array(workerData.sab);
       parentPort.postMessage('ready');
       parentPort.postMessage(addon.wait(ctrl, 0, 0, 10000));`,
      { sab },
      (m) => {
        if (m === 'ready') {
          setTimeout(() => {
            Atomics.store(ctrl, 0, 1);
            NATIVE_WAKER.notify(ctrl, 0);
          }, 50);
        }
      },
    );
    const { messages, code } = await run;
    expect(code).toBe(0);
    expect(messages).toEqual(['ready', 'ok']);
  });

  it('waitAsync: sync answers, a promise settled by notify from a worker, and timeouts', async () => {
    const sab = new SharedArrayBuffer(16);
    const ctrl = new Int32Array(sab);
    expect(NATIVE_WAKER.waitAsync(ctrl, 0, 1, 1000)).toBe('not-equal');
    expect(NATIVE_WAKER.waitAsync(ctrl, 0, 0, 0)).toBe('timed-out');
    await expect(NATIVE_WAKER.waitAsync(ctrl, 0, 0, 30)).resolves.toBe('timed-out');

    const pending = NATIVE_WAKER.waitAsync(ctrl, 0, 0, 10_000);
    expect(pending).toBeInstanceOf(Promise);
    const worker = inWorker(
      `const ctrl = new Int32Array(workerData.sab);
       Atomics.store(ctrl, 0, 7);
       addon.notify(ctrl, 0);`,
      { sab },
    );
    await expect(pending).resolves.toBe('ok');
    expect((await worker).code).toBe(0);

    // Several at once, on different words: one waiter thread each.
    const all = [1, 2, 3].map((i) => NATIVE_WAKER.waitAsync(ctrl, i, 0, 10_000));
    setTimeout(() => {
      for (const i of [1, 2, 3]) {
        Atomics.store(ctrl, i, 1);
        NATIVE_WAKER.notify(ctrl, i);
      }
    }, 20);
    await expect(Promise.all(all)).resolves.toEqual(['ok', 'ok', 'ok']);
  });

  it('drives a ring: 2000 frames between an async writer and an async reader', async () => {
    const ring = createNativeRing(1 << 12);
    const reader = RingBuffer.attach(ring.buffer, { waker: NATIVE_WAKER });
    const frames = 2000;
    const write = (async () => {
      for (let f = 0; f < frames; f++) {
        const view = ring.tryReserve(300) ?? (await ring.reserveAsync(300, 5000));
        if (view === null) throw new Error('reserve timed out');
        view.fill(f & 0xff);
        ring.commit(300, FrameKind.BATCH);
      }
      ring.close();
    })();
    let got = 0;
    let bad = 0;
    for (;;) {
      const frame = reader.tryRead() ?? (await reader.readAsync(5000));
      if (frame === null) break;
      if (frame.length !== 300 || frame[0] !== (got & 0xff) || frame[299] !== (got & 0xff)) bad++;
      got++;
      reader.release();
    }
    await write;
    expect({ got, bad, ended: reader.isEnded }).toEqual({ got: frames, bad: 0, ended: true });
  });

  it('lets worker.terminate() end a thread blocked in wait()', async () => {
    const sab = new SharedArrayBuffer(16);
    let terminated: Promise<number> | undefined;
    await inWorker(
      `parentPort.postMessage('blocking');
       addon.wait(new Int32Array(workerData.sab), 0, 0, Infinity);`,
      { sab },
      (m, w) => {
        if (m === 'blocking') {
          terminated = new Promise((resolve) =>
            setTimeout(() => {
              const t0 = performance.now();
              void w.terminate().then(() => resolve(performance.now() - t0));
            }, 100),
          );
        }
      },
    );
    expect(await terminated).toBeLessThan(1000);
  });

  it('loads in several workers at once, which may exit with a waitAsync pending', async () => {
    const sab = new SharedArrayBuffer(64);
    const runs = [0, 1, 2, 3].map((i) =>
      inWorker(
        `const ctrl = new Int32Array(workerData.sab);
         const i = workerData.i;
         addon.waitAsync(ctrl, i, 0, 60000);          // never settled: the worker exits anyway
         const p = addon.waitAsync(ctrl, 8 + i, 0, 10000);
         setTimeout(() => { Atomics.store(ctrl, 8 + i, 1); addon.notify(ctrl, 8 + i); }, 10);
         // Like Atomics.waitAsync, a pending wait does not keep the thread alive: a timer does.
         const keep = setTimeout(() => {}, 5000);
         p.then((r) => { parentPort.postMessage(addon.librdkafkaVersion + ' ' + r); clearTimeout(keep); });`,
        { sab, i },
      ),
    );
    const results = await Promise.all(runs);
    expect(results.map((r) => [r.code, r.messages])).toEqual([0, 1, 2, 3].map(() => [0, ['2.12.0 ok']]));
  });
});

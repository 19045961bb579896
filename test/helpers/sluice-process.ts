/**
 * Runs the real `sluice` CLI (bin/sluice.js, compiled dist/) as a child process, as a user would,
 * for end-to-end tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, afterEach } from 'vitest';

export const SLUICE_BIN = resolve(import.meta.dirname, '..', '..', 'bin', 'sluice.js');

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

export function writeProperties(file: string, props: Record<string, string | number>): string {
  writeFileSync(file, Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  return file;
}

export interface SluiceRun {
  proc: ChildProcess;
  restUrl: string;
  logFile: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Start `sluice standalone worker connectors...`; the REST port comes from the worker file's `listeners`. */
export function startStandalone(dir: string, workerFile: string, connectorFiles: string[], restPort: number, logName = 'sluice.log'): SluiceRun {
  const logFile = join(dir, logName);
  const log = createWriteStream(logFile, { flags: 'a' });
  const proc = spawn(process.execPath, [SLUICE_BIN, 'standalone', workerFile, ...connectorFiles], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.pipe(log, { end: false });
  proc.stderr!.pipe(log, { end: false });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
    proc.on('exit', (code, signal) => res({ code, signal })),
  );
  return { proc, restUrl: `http://127.0.0.1:${restPort}`, logFile, exited };
}

/**
 * The standalone runs and temporary folders of one test file, cleaned up for it: after each test
 * every run still alive gets `signal` (SIGKILL by default) and is awaited; after the file every
 * folder is removed. Push runs and folders onto the returned arrays.
 */
export function cleanedUpRuns(signal: NodeJS.Signals = 'SIGKILL'): { running: SluiceRun[]; dirs: string[] } {
  const running: SluiceRun[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const run of running.splice(0)) {
      if (run.proc.exitCode === null && run.proc.signalCode === null) {
        run.proc.kill(signal);
        await run.exited;
      }
    }
  });
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return { running, dirs };
}

/** Run the CLI to completion and capture its output (for bad-input tests). */
export function runCli(
  args: string[],
  timeoutMs = 30000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const proc = spawn(process.execPath, [SLUICE_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      rej(new Error(`sluice ${args.join(' ')} did not exit within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      res({ code, signal, stdout, stderr });
    });
  });
}

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 60000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

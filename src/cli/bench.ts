/**
 * `sluice bench [options]` and `sluice tune ...`: thin wrappers that run `node bench/run.mjs` (the
 * end-to-end suite) or `node bench/tune.mjs` with the same arguments (see bench/README.md) and exit
 * with their status.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** A script in bench/ of this copy of sluice (dist/cli/bench.js → ../../bench/<script>). */
export function benchScript(script = 'run.mjs'): string {
  return join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'bench', script);
}

/** Runs a bench/ script in a child Node process; resolves with its exit code. */
export async function runBench(args: string[], scriptName = 'run.mjs'): Promise<number> {
  const script = benchScript(scriptName);
  if (!existsSync(script)) throw new Error(`the benchmark suite is not part of this installation (no ${script})`);
  const child = spawn(process.execPath, [script, ...args], { stdio: 'inherit' });
  // Ctrl-C reaches the child through the terminal's process group, and the child cleans up (its
  // broker, workers, topics); this process only waits for it. A SIGTERM sent to this process
  // alone is passed on.
  const onSigint = (): void => {};
  const onSigterm = (): void => void child.kill('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  try {
    return await new Promise<number>((ok, fail) => {
      child.once('error', fail);
      child.once('exit', (code, signal) => ok(code ?? (signal === 'SIGINT' ? 130 : 1)));
    });
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
}

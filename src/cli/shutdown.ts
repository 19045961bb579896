/**
 * SIGINT/SIGTERM for a running worker (standalone or distributed): the first signal stops the REST
 * server, then runs `stop` (tasks stop gracefully and commit), logs and exits 0, or 1 when the
 * shutdown itself fails; later signals are ignored while it runs.
 */
import type { Logger } from '../util/logger.js';

export function stopOnSignals(log: Logger, what: string, rest: { stop(): Promise<void> }, stop: () => Promise<void>): void {
  let stopping: Promise<void> | null = null;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    log.info(`${signal}: ${what}`);
    stopping = (async () => {
      await rest.stop().catch((err: unknown) => log.warn({ err }, 'REST server did not stop cleanly'));
      await stop();
      log.info('sluice stopped');
      log.flush();
    })();
    stopping.then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

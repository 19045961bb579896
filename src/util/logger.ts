/** One pino logger for the process; components take children named after themselves. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  // Logs go to stderr: stdout belongs to data (FileStreamSink without a file writes there).
  return pino(
    {
      name: options.name ?? 'sluice',
      level: options.level ?? process.env.SLUICE_LOG_LEVEL ?? 'info',
      base: undefined,
    },
    pino.destination({ fd: 2, sync: false }),
  );
}

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

/**
 * Log4j's level names as Kafka Connect's `/admin/loggers` takes and shows them, and the pino
 * level each one maps to. OFF silences; ALL logs everything pino can (trace).
 */
const LOG4J_TO_PINO: Readonly<Record<string, string>> = {
  OFF: 'silent',
  FATAL: 'fatal',
  ERROR: 'error',
  WARN: 'warn',
  INFO: 'info',
  DEBUG: 'debug',
  TRACE: 'trace',
  ALL: 'trace',
};

const PINO_TO_LOG4J: Readonly<Record<string, string>> = {
  silent: 'OFF',
  fatal: 'FATAL',
  error: 'ERROR',
  warn: 'WARN',
  info: 'INFO',
  debug: 'DEBUG',
  trace: 'TRACE',
};

export const ROOT_LOGGER_NAME = 'root';

const PRUNE_AT = 256;

export interface NamedLoggerLevel {
  /** Log4j name: OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE or ALL. */
  level: string;
  /** When the level was last changed through setLevel (epoch ms), or null. */
  lastModified: number | null;
}

/** The name a child logger is known by: its `logger` binding, else `component`, else `task`. */
function nameOf(logger: Logger): string | undefined {
  const b = logger.bindings() as Record<string, unknown>;
  const name = b.logger ?? b.component ?? (b.task !== undefined ? `task.${String(b.task)}` : undefined);
  return typeof name === 'string' ? name : undefined;
}

/**
 * The process's named loggers, for Kafka Connect's `/admin/loggers` (KIP-495): every pino child
 * created from the root after attach() is tracked under its name (see nameOf), so its level can
 * be read and changed at run time. As in Kafka Connect (Loggers.setLevel), a namespace applies to
 * every logger whose name starts with it, and to the namespace itself, created if missing.
 * Loggers inside task threads are separate processes' worth of pino and keep the level they
 * started with.
 */
export class LoggerRegistry {
  private readonly loggers = new Map<string, Set<WeakRef<Logger>>>();
  /** Levels set by name (also for names with no live logger yet), in log4j form. */
  private readonly levels = new Map<string, string>();
  private readonly lastModified = new Map<string, number>();

  constructor(readonly root: Logger, private readonly now: () => number = Date.now) {
    // Children inherit onChild from their parent, so grandchildren are tracked too.
    root.onChild = (child: Logger) => this.track(child);
  }

  /** A child logger registered under `name` (binding `logger: name`). */
  named(name: string): Logger {
    return this.root.child({ logger: name });
  }

  private track(child: Logger): void {
    const name = nameOf(child);
    if (name === undefined) return;
    let refs = this.loggers.get(name);
    if (refs === undefined) this.loggers.set(name, (refs = new Set()));
    // Request-scoped children (fastify makes one per request) share their parent's name: drop the
    // collected ones now and then so the set stays the size of what is alive.
    if (refs.size >= PRUNE_AT) for (const ref of refs) if (ref.deref() === undefined) refs.delete(ref);
    refs.add(new WeakRef(child));
    const level = this.levels.get(name);
    if (level !== undefined) child.level = LOG4J_TO_PINO[level]!;
  }

  private live(name: string): Logger[] {
    const refs = this.loggers.get(name);
    if (refs === undefined) return [];
    const out: Logger[] = [];
    for (const ref of refs) {
      const logger = ref.deref();
      if (logger === undefined) refs.delete(ref);
      else out.push(logger);
    }
    return out;
  }

  private levelOf(name: string): string {
    const set = this.levels.get(name);
    if (set !== undefined) return set;
    const logger = this.live(name)[0] ?? this.root;
    return PINO_TO_LOG4J[logger.level] ?? logger.level.toUpperCase();
  }

  static isValidLevel(level: string): boolean {
    return Object.hasOwn(LOG4J_TO_PINO, level.toUpperCase());
  }

  static isRootName(name: string): boolean {
    return name === '' || name.toLowerCase() === ROOT_LOGGER_NAME;
  }

  /** Every known logger whose level is not OFF, "root" included, sorted by name. */
  allLevels(): Map<string, NamedLoggerLevel> {
    const names = new Set<string>([...this.loggers.keys(), ...this.levels.keys()]);
    const out = new Map<string, NamedLoggerLevel>();
    for (const name of [ROOT_LOGGER_NAME, ...[...names].filter((n) => n !== ROOT_LOGGER_NAME).sort()]) {
      if (name !== ROOT_LOGGER_NAME && this.live(name).length === 0 && !this.levels.has(name)) continue;
      const level = this.levelOf(name);
      if (level !== 'OFF') out.set(name, { level, lastModified: this.lastModified.get(name) ?? null });
    }
    return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  /** One logger's level, or null when no logger has that name. */
  level(name: string): NamedLoggerLevel | null {
    const key = LoggerRegistry.isRootName(name) ? ROOT_LOGGER_NAME : name;
    if (key !== ROOT_LOGGER_NAME && this.live(key).length === 0 && !this.levels.has(key)) return null;
    return { level: this.levelOf(key), lastModified: this.lastModified.get(key) ?? null };
  }

  /**
   * Set `level` (a log4j name, any case) on `namespace` and every logger under it; "root" is all
   * of them. Returns the names whose level changed, sorted.
   * @throws Error for a level that is not a log4j level.
   */
  setLevel(namespace: string, level: string): string[] {
    const log4j = level.toUpperCase();
    const pinoLevel = LOG4J_TO_PINO[log4j];
    if (pinoLevel === undefined) throw new Error(`invalid log level '${level}'`);
    const isRoot = LoggerRegistry.isRootName(namespace);
    const names = new Set<string>();
    for (const name of new Set([...this.loggers.keys(), ...this.levels.keys()])) {
      if (isRoot || name.startsWith(namespace)) names.add(name);
    }
    names.add(isRoot ? ROOT_LOGGER_NAME : namespace);
    const changed: string[] = [];
    const now = this.now();
    for (const name of names) {
      // A logger that did not exist had no level: creating it is a change (as in Loggers.setLevel).
      const known = name === ROOT_LOGGER_NAME || this.levels.has(name) || this.live(name).length > 0;
      const before = known ? this.levelOf(name) : '';
      this.levels.set(name, log4j);
      if (name === ROOT_LOGGER_NAME) this.root.level = pinoLevel;
      for (const logger of this.live(name)) logger.level = pinoLevel;
      if (before !== log4j) {
        this.lastModified.set(name, now);
        changed.push(name);
      }
    }
    return changed.sort();
  }
}

/**
 * `/admin/loggers` for every herder: the process's named loggers in the REST API's shapes
 * (Kafka Connect's LoggerLevel: level and last_modified), and the worker-scope level change.
 */
import { LoggerRegistry, type Logger } from '../util/logger.js';
import type { LoggerLevel } from './herder.js';

export function allLoggerLevels(loggers: LoggerRegistry): Record<string, LoggerLevel> {
  const out: Record<string, LoggerLevel> = {};
  for (const [name, level] of loggers.allLevels()) out[name] = { level: level.level, last_modified: level.lastModified };
  return out;
}

export function loggerLevel(loggers: LoggerRegistry, name: string): LoggerLevel | null {
  const level = loggers.level(name);
  return level === null ? null : { level: level.level, last_modified: level.lastModified };
}

/** Sets `namespace` and its children; an invalid level is logged and ignored, as Kafka Connect does. Returns the loggers changed. */
export function setWorkerLoggerLevel(loggers: LoggerRegistry, log: Logger, namespace: string, level: string): string[] {
  if (!LoggerRegistry.isValidLevel(level)) {
    log.warn(`Ignoring request to set invalid level '${level}' for namespace ${namespace}`);
    return [];
  }
  log.info(`Setting level of namespace ${namespace} and children to ${level.toUpperCase()}`);
  return loggers.setLevel(namespace, level);
}

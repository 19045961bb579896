/**
 * LoggingResource: `/admin/loggers` (KIP-495, with KIP-976's scope). Levels are log4j names
 * (OFF, FATAL, ERROR, WARN, INFO, DEBUG, TRACE, ALL), any case; the herder maps them onto the
 * process's pino loggers.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequestError, NotFoundError } from '../../api/errors.js';
import type { Herder } from '../../cluster/herder.js';
import { readStringMap } from '../errors.js';

const WORKER_SCOPE = 'worker';
const CLUSTER_SCOPE = 'cluster';
/** The levels org.apache.logging.log4j.Level knows; anything else is Kafka Connect's 404. */
const LOG4J_LEVELS = new Set(['OFF', 'FATAL', 'ERROR', 'WARN', 'INFO', 'DEBUG', 'TRACE', 'ALL']);

type LoggerRequest = FastifyRequest<{ Params: { logger: string }; Querystring: Record<string, string | string[] | undefined> }>;

export function registerLoggerRoutes(app: FastifyInstance, herder: Herder): void {
  app.get('/admin/loggers', async () => herder.allLoggerLevels());

  app.get('/admin/loggers/:logger', async (request: LoggerRequest) => {
    const level = await herder.loggerLevel(request.params.logger);
    if (level === null) throw new NotFoundError(`Logger ${request.params.logger} not found.`);
    return level;
  });

  app.put('/admin/loggers/:logger', { config: { body: 'json' } }, async (request: LoggerRequest, reply) => {
    const levelMap = readStringMap(request.body, 'Logger level request');
    const level = levelMap.level;
    if (level === undefined) throw new BadRequestError("Desired 'level' parameter was not specified in request.");
    if (!LOG4J_LEVELS.has(level.trim().toUpperCase())) throw new NotFoundError(`invalid log level '${level}'.`);
    const scope = [request.query.scope].flat()[0] ?? WORKER_SCOPE;
    if (scope.toLowerCase() === CLUSTER_SCOPE) {
      await herder.setClusterLoggerLevel(request.params.logger, level);
      return reply.code(204).send();
    }
    if (scope.toLowerCase() !== WORKER_SCOPE) {
      request.log.warn(`Received invalid scope '${scope}' in request to adjust logging level; will default to ${WORKER_SCOPE}`);
    }
    return herder.setWorkerLoggerLevel(request.params.logger, level);
  });
}

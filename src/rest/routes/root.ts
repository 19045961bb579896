/**
 * RootResource: `GET /` answers the worker's version, commit and Kafka cluster id; `GET /health`
 * (KIP-1017) whether the worker has finished starting and its herder still answers.
 */
import type { FastifyInstance } from 'fastify';
import type { Herder, WorkerInfo } from '../../cluster/herder.js';

/** RestServer.DEFAULT_HEALTH_CHECK_TIMEOUT_MS. */
export const HEALTH_CHECK_TIMEOUT_MS = 10_000;

/** Kafka Connect's WorkerStatus entity. */
export interface WorkerStatus {
  status: 'healthy' | 'starting' | 'unhealthy';
  message: string;
}

export const HEALTHY: WorkerStatus = {
  status: 'healthy',
  message: 'Worker has completed startup and is ready to handle requests.',
};

export function registerRootRoutes(app: FastifyInstance, herder: Herder, healthCheckTimeoutMs = HEALTH_CHECK_TIMEOUT_MS): void {
  app.get('/', async (): Promise<WorkerInfo> => {
    const info = await herder.workerInfo();
    return { version: info.version, commit: info.commit, kafka_cluster_id: info.kafka_cluster_id };
  });

  app.get('/health', async (_request, reply) => {
    // Kafka Connect waits the full health check timeout before saying "starting"; a worker that is
    // not ready yet cannot become healthy within one request, so sluice says so at once.
    if (!herder.isReady()) {
      return reply.code(503).send({ status: 'starting', message: 'Worker is still starting up.' } satisfies WorkerStatus);
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), healthCheckTimeoutMs);
    });
    try {
      const answered = await Promise.race([herder.healthCheck().then(() => true), timedOut]);
      if (answered) return HEALTHY;
    } finally {
      clearTimeout(timer);
    }
    return reply.code(500).send({
      status: 'unhealthy',
      message: 'Worker was unable to handle this request and may be unable to handle other requests.',
    } satisfies WorkerStatus);
  });
}

/** RootResource: `GET /` answers the worker's version, commit and Kafka cluster id. */
import type { FastifyInstance } from 'fastify';
import type { Herder, WorkerInfo } from '../../cluster/herder.js';

export function registerRootRoutes(app: FastifyInstance, herder: Herder): void {
  app.get('/', async (): Promise<WorkerInfo> => {
    const info = await herder.workerInfo();
    return { version: info.version, commit: info.commit, kafka_cluster_id: info.kafka_cluster_id };
  });
}

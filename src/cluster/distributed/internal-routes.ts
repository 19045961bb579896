/**
 * The REST route workers of one cluster use among themselves: `PUT /connectors/{c}/tasks/configs`
 * carries the task configs a connector generated, from the worker running it to the leader, which
 * alone writes the config topic. Kafka Connect uses `PUT /connectors/{c}/tasks` for this (signed
 * with the session key); sluice serves `GET` on that path already and keeps the internal write on
 * its own path, unsigned (a deliberate difference: sluice workers talk to sluice workers only).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unreadableBody } from '../../rest/errors.js';
import type { DistributedHerder } from './distributed-herder.js';

type Request = FastifyRequest<{ Params: { connector: string } }>;

/**
 * True while serving a request that another worker forwarded (`?forward=false`): the herder then
 * answers 409 rather than forwarding it again, so a request never bounces between workers whose
 * views of the leader differ.
 */
export const forwardedRequest = new AsyncLocalStorage<boolean>();

export function registerInternalRoutes(app: FastifyInstance, herder: DistributedHerder): void {
  app.addHook('onRequest', (request, _reply, done) => {
    const forward = (request.query as Record<string, unknown> | undefined)?.forward;
    forwardedRequest.run([forward].flat()[0] === 'false', done);
  });
  app.put('/connectors/:connector/tasks/configs', { config: { body: 'json' } }, async (request: Request, reply) => {
    const body = request.body;
    if (!Array.isArray(body) || !body.every(isStringMap)) throw unreadableBody('Task configs must be a JSON array of string maps');
    await herder.putTaskConfigsFromWorker(request.params.connector, body);
    return reply.code(204).send();
  });
}

function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

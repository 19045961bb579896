/**
 * `sluice distributed worker.properties`: Kafka Connect's connect-distributed. The worker joins
 * the group `group.id`, keeps configs, offsets and statuses in the internal topics, and runs what
 * the group's leader assigns it. A bad worker file stops the command with a message naming the
 * file, the line and the key, as `sluice standalone` does.
 */
import { hostname } from 'node:os';
import { sinkOffsetsAdminFactory } from '../cluster/connector-offsets.js';
import { DistributedHerder } from '../cluster/distributed/distributed-herder.js';
import { registerInternalRoutes } from '../cluster/distributed/internal-routes.js';
import { StatusWriter } from '../cluster/distributed/status-writer.js';
import { validateConnectorConfig } from '../config/connector-config.js';
import { ConfigError } from '../api/errors.js';
import {
  CONNECT_PROTOCOL_CONFIG, DistributedConfig, HEARTBEAT_INTERVAL_MS_CONFIG, REBALANCE_TIMEOUT_MS_CONFIG, SCHEDULED_REBALANCE_MAX_DELAY_MS_CONFIG,
  SESSION_TIMEOUT_MS_CONFIG,
} from '../config/distributed-config.js';
import { Worker } from '../engine/worker.js';
import { securityFromConfig } from '../kafka/protocol/security.js';
import { createRestServer } from '../rest/server.js';
import { createKafkaStores } from '../storage/kafka/kafka-stores.js';
import { advertisedWorkerId, inWorkerFile, loadWorker, memoizedWorkerInfo, pluginFactory, workerSettings } from './standalone.js';
import { SLUICE_VERSION } from './version.js';
import { stopOnSignals } from './shutdown.js';

export async function runDistributed(workerFile: string): Promise<void> {
  const { log, loggers, registry, workerProps, config } = await loadWorker(workerFile, (f, o) => DistributedConfig.fromFile(f, o));
  const bootstrap = config.bootstrapServers().join(',');
  if (config.connectProtocol() === 'eager') {
    // Deliberate difference: sluice speaks only the incremental cooperative protocols (KIP-415).
    const line = workerProps.lines?.[CONNECT_PROTOCOL_CONFIG];
    throw new ConfigError(
      `${workerFile}${line ? `:${line}` : ''}: ${CONNECT_PROTOCOL_CONFIG}=eager is not supported by sluice; use sessioned (the default) or compatible`,
      CONNECT_PROTOCOL_CONFIG,
    );
  }

  const stores = createKafkaStores(config, log);
  // Sink offsets (GET/PATCH/DELETE /connectors/{c}/offsets) go through the connector's consumer
  // group, and GET / looks the cluster id up: with the worker's TLS/SASL (admin.* first for the former).
  const groupAdmin = inWorkerFile(workerFile, workerProps.lines, () => sinkOffsetsAdminFactory(config));
  const workerInfo = inWorkerFile(workerFile, workerProps.lines, () => memoizedWorkerInfo(config, log));
  let workerId = `${hostname()}:8083`;
  // The herder is created right after the worker, which reports to it.
  let herder: DistributedHerder | null = null;
  const statuses = new StatusWriter(
    stores.statuses, () => workerId, () => herder?.generationId ?? -1, log,
    (connector) => {
      const className = stores.configs.snapshot().connectorConfig(connector)?.['connector.class'];
      try {
        return className ? registry.connector(className).version : null;
      } catch {
        return null;
      }
    },
    (connector) => stores.configs.contains(connector),
  );
  const worker = new Worker({
    workerId,
    settings: workerSettings(config),
    plugins: pluginFactory(registry),
    offsetStore: stores.offsets,
    status: statuses,
    log,
    onTaskReconfiguration: (name) => herder?.reconfigureTasks(name),
  });
  const distributedHerder = new DistributedHerder({
    worker,
    workerId: () => workerId,
    stores,
    status: statuses,
    member: {
      bootstrap,
      groupId: config.groupId(),
      protocol: config.connectProtocol() === 'compatible' ? 'compatible' : 'sessioned',
      sessionTimeoutMs: config.getInt(SESSION_TIMEOUT_MS_CONFIG),
      rebalanceTimeoutMs: config.getInt(REBALANCE_TIMEOUT_MS_CONFIG),
      heartbeatIntervalMs: config.getInt(HEARTBEAT_INTERVAL_MS_CONFIG),
      requestTimeoutMs: config.getInt('request.timeout.ms'),
      retryBackoffMs: config.getLong('retry.backoff.ms'),
      security: securityFromConfig(config.internalClientConfig()),
      clientSoftware: { name: 'sluice', version: SLUICE_VERSION },
    },
    scheduledRebalanceMaxDelayMs: config.getInt(SCHEDULED_REBALANCE_MAX_DELAY_MS_CONFIG),
    log,
    workerInfo,
    validate: async (props) => validateConnectorConfig(props, registry, { topicCreationEnabled: config.topicCreationEnable() }),
    plugins: (connectorsOnly) => registry.summaries(connectorsOnly).map((s) => ({ ...s, type: s.type })),
    registry,
    groupAdmin,
    loggers,
  });
  herder = distributedHerder;

  const rest = createRestServer({
    herder: distributedHerder,
    listeners: config.listeners(),
    logger: log,
    topicTracking: { enabled: config.getBoolean('topic.tracking.enable'), allowReset: config.getBoolean('topic.tracking.allow.reset') },
    adminListeners: config.adminListeners(),
  });
  registerInternalRoutes(rest.app, distributedHerder);
  const urls = await rest.start();
  workerId = advertisedWorkerId(config, urls[0]);

  stopOnSignals(log, 'leaving the group, stopping connectors and tasks gracefully', rest, async () => {
    await distributedHerder.stop();
  });

  await distributedHerder.start(`http://${workerId}/`);
  log.info(`sluice ${SLUICE_VERSION} distributed worker ${workerId} started in group ${config.groupId()}; REST API on ${urls.join(', ')}`);
}

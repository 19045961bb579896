// Global setup of the `integration` project: one real Apache Kafka broker for the whole run,
// or the broker named by SLUICE_TEST_BOOTSTRAP (e.g. `npm run kafka:start` or CI's).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBootstrap: string;
  }
}

interface BrokerHandle {
  bootstrap: string;
  startupMs?: number;
  logFile: string;
  stop(): Promise<void>;
}

interface BrokerModule {
  startBroker(options: { dataDir: string }): Promise<BrokerHandle>;
}

// broker.mjs is plain JavaScript (it runs before the build) and ships no type declarations; a
// string-typed specifier keeps tsc from demanding them, BrokerModule states what is used here.
const BROKER_MODULE: string = new URL('../../scripts/kafka/broker.mjs', import.meta.url).href;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.SLUICE_TEST_BOOTSTRAP;
  if (external) {
    project.provide('kafkaBootstrap', external);
    return async () => {};
  }

  const dataDir = await mkdtemp(join(tmpdir(), 'sluice-kafka-'));
  const { startBroker } = (await import(BROKER_MODULE)) as BrokerModule;
  let broker: BrokerHandle;
  try {
    broker = await startBroker({ dataDir });
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  console.log(`Kafka broker for integration tests: ${broker.bootstrap} (ready in ${((broker.startupMs ?? 0) / 1000).toFixed(1)} s, log ${broker.logFile})`);

  // Test files read it through inject(); child processes they spawn (the sluice CLI) through the env.
  process.env.SLUICE_TEST_BOOTSTRAP = broker.bootstrap;
  project.provide('kafkaBootstrap', broker.bootstrap);

  return async () => {
    await broker.stop();
    delete process.env.SLUICE_TEST_BOOTSTRAP;
    await rm(dataDir, { recursive: true, force: true });
  };
}

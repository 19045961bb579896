// A real Schema Registry (Apicurio, Confluent-compatible API) for integration tests: started once
// per test file that asks for it, stopped in its afterAll. SLUICE_TEST_SCHEMA_REGISTRY_URL names a
// running one instead (then nothing is started or stopped).
export interface TestRegistry {
  /** The value for schema.registry.url. */
  url: string;
  startupMs: number;
  stop(): Promise<void>;
}

interface RegistryModule {
  startRegistry(options: { logDir?: string; quiet?: boolean }): Promise<{ url: string; logFile: string; stop(): Promise<void> }>;
}

// registry.mjs is plain JavaScript with no type declarations: a string-typed specifier keeps tsc
// from demanding them; RegistryModule states what is used here.
const REGISTRY_MODULE: string = new URL('../../scripts/registry/registry.mjs', import.meta.url).href;

export async function startTestRegistry(): Promise<TestRegistry> {
  const external = process.env.SLUICE_TEST_SCHEMA_REGISTRY_URL;
  if (external) return { url: external, startupMs: 0, stop: async () => {} };
  const started = Date.now();
  const { startRegistry } = (await import(REGISTRY_MODULE)) as RegistryModule;
  const registry = await startRegistry({ quiet: true });
  return { url: registry.url, startupMs: Date.now() - started, stop: () => registry.stop() };
}

/**
 * `plugin.path` for JavaScript plugins: every `.js`/`.mjs` file directly in a listed directory
 * (or a directory's `index.js`/`index.mjs`) is imported; its `plugins` export (or default export)
 * is an array of PluginDescriptors, which are registered. Kafka Connect scans jars here; sluice
 * scans ES modules, which import sluice's API (`import { SinkTask } from 'sluice'`).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../api/errors.js';
import type { PluginDescriptor, PluginRegistry } from './registry.js';

const MODULE_FILE = /\.(m?js)$/;

function moduleFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      for (const index of ['index.mjs', 'index.js']) {
        if (existsSync(join(path, index))) {
          files.push(join(path, index));
          break;
        }
      }
    } else if (MODULE_FILE.test(entry)) {
      files.push(path);
    }
  }
  return files;
}

/** Import every plugin module under `dirs` and register what it exports. Returns the files loaded. */
export async function loadPluginPath(registry: PluginRegistry, dirs: readonly string[]): Promise<string[]> {
  const loaded: string[] = [];
  for (const raw of dirs) {
    const dir = resolve(raw.trim());
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new ConfigError(`Invalid value ${raw} for configuration plugin.path: not a directory`, 'plugin.path');
    }
    for (const file of moduleFiles(dir)) {
      let mod: { plugins?: unknown; default?: unknown };
      try {
        mod = (await import(pathToFileURL(file).href)) as typeof mod;
      } catch (err) {
        throw new ConfigError(`plugin.path: cannot load ${file}: ${(err as Error).message}`, 'plugin.path', { cause: err });
      }
      const descriptors = mod.plugins ?? mod.default;
      if (!Array.isArray(descriptors)) {
        throw new ConfigError(`plugin.path: ${file} exports no "plugins" array of plugin descriptors`, 'plugin.path');
      }
      for (const d of descriptors as PluginDescriptor[]) registry.register(d);
      loaded.push(file);
    }
  }
  return loaded;
}

/**
 * The per-transform cache of updated schemas (Kafka's SynchronizedCache(LRUCache(16))): a record
 * stream usually carries one or a few schemas, so the rebuilt schema is made once per schema.
 * Keys are compared by identity first and by Schema.equals() after, as Java's cache uses
 * hashCode/equals; a hit by equality is then remembered by identity too.
 */
import type { Schema } from '../../data/schema.js';

export class SchemaCache<V = Schema> {
  private readonly entries = new Map<Schema, V>();

  constructor(private readonly maxSize = 16) {}

  get(key: Schema): V | undefined {
    const hit = this.entries.get(key);
    if (hit !== undefined) return hit;
    for (const [k, v] of this.entries) {
      if (k.equals(key)) {
        this.put(key, v);
        return v;
      }
    }
    return undefined;
  }

  put(key: Schema, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    // Oldest first in a Map: drop the least recently added.
    while (this.entries.size > this.maxSize) this.entries.delete(this.entries.keys().next().value!);
  }

  clear(): void {
    this.entries.clear();
  }
}

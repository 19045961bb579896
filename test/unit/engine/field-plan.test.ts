/**
 * The printer's field-plan path (value-lines.ts printFields over json-text/scanned-fields.ts):
 * chains whose every stage is a field step (InsertField, ReplaceField without renames, MaskField,
 * TimestampConverter on a field, Filter; predicates on topic and header keys) run over the
 * value's scanned fields instead of a Map. Random chains over random schemaless JSON objects must
 * print exactly the lines FileStreamSink's put() writes for the records the compiled chain makes
 * (transformedSinkRecordsOf), drop the same records, and fail with the same error.
 */
import { describe, expect, it } from 'vitest';
import { ConnectorConfig } from '../../../src/config/connector-config.js';
import { JsonConverter } from '../../../src/converters/json.js';
import { SimpleHeaderConverter } from '../../../src/converters/simple-header.js';
import { StringConverter } from '../../../src/converters/string.js';
import { RecordBatch, TimestampTypeCode } from '../../../src/data/batch.js';
import { BatchWriter } from '../../../src/data/batch-writer.js';
import { javaToString } from '../../../src/data/java-string.js';
import type { SinkRecord } from '../../../src/data/record.js';
import { transformedSinkRecordsOf } from '../../../src/engine/batch-records.js';
import type { TaskConverters } from '../../../src/engine/task-converters.js';
import { ValueLinePrinter } from '../../../src/engine/value-lines.js';
import { registerBuiltins } from '../../../src/plugins/builtins.js';
import { CompiledChain } from '../../../src/transforms/batch/compiled-chain.js';
import { TransformationChain } from '../../../src/transforms/chain.js';
// @ts-expect-error: a plain JavaScript module of the bench runner (the bench's own chain, so the test follows it)
import { SMT_CHAIN_5 } from '../../../bench/lib/scenarios.mjs';

const registry = registerBuiltins();
const SMT = 'org.apache.kafka.connect.transforms';

function converters(): TaskConverters {
  const value = new JsonConverter();
  value.configure({ 'schemas.enable': 'false' }, false);
  const key = new StringConverter();
  key.configure({}, true);
  const header = new SimpleHeaderConverter();
  header.configure({});
  return { key, value, header };
}

function compile(props: Record<string, string>): CompiledChain {
  return CompiledChain.compile(
    TransformationChain.fromConfig<SinkRecord>(new ConnectorConfig({ name: 'c', 'connector.class': 'X', ...props }, registry), registry),
  );
}

interface Raw {
  topic: string;
  value: string;
  headers: [string, string][];
}

function frame(records: Raw[]): RecordBatch {
  const payload = records.reduce((n, r) => n + Buffer.byteLength(r.value) + 64, 0);
  const target = new Uint8Array(BatchWriter.estimate(records.length, payload, ['events', 'orders']));
  const w = new BatchWriter().reset(target, records.length);
  records.forEach((r, i) => {
    const ok = w.append(r.topic, i % 3, 100 + i, 1_700_000_000_000 + i * 997, null, Buffer.from(r.value),
      r.headers.map(([k, v]) => [k, Buffer.from(v)]), TimestampTypeCode.CREATE_TIME);
    if (!ok) throw new Error('frame too small');
  });
  return RecordBatch.from(target.subarray(0, w.finish()));
}

/** Line, drop or error message of one record: through the compiled chain, then printed as put() would. */
function expected(chain: CompiledChain, record: Raw): string {
  try {
    const out = transformedSinkRecordsOf(frame([record]), converters(), chain);
    return out.length === 0 ? '(dropped)' : `${javaToString(out[0]!.value, out[0]!.valueSchema)}\n`;
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

function printed(printer: ValueLinePrinter, record: Raw): string {
  try {
    const { lines, records } = printer.print(frame([record]), 0, 1);
    return records === 0 ? '(dropped)' : Buffer.from(lines).toString('utf8');
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

// ---- random input ----

/** A small deterministic PRNG (mulberry32), so a failure names a reproducible seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['id', 'ts', 'user', 'page', 'n', 'tags', 'pipeline', 'é', 'when'];

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}

function subset(r: () => number, xs: readonly string[]): string[] {
  const out = xs.filter(() => r() < 0.3);
  return out.length > 0 ? out : [pick(r, xs)];
}

function jsonValue(r: () => number, depth = 0): string {
  switch (Math.floor(r() * 14)) {
    case 0:
      return `"${pick(r, ['alice', '', 'bob smith', 'ünï', 'tab\\tesc', '\\u00e9', '2023-11-14T22:13:20.000'])}"`;
    case 1:
      return String(Math.floor(r() * 2_000_000_000_000));
    case 2:
      return pick(r, ['-0', '0', '-17', '12345678901234567890', '9223372036854775807', '0012']);
    case 3:
      return pick(r, ['1.5', '-0.25', '1e3', '2.0', '1.7E12', '0.1']);
    case 4:
      return pick(r, ['true', 'false']);
    case 5:
      return 'null';
    case 6:
      return depth > 1 ? '[]' : `[${jsonValue(r, depth + 1)}, ${jsonValue(r, depth + 1)}]`;
    case 7:
      return depth > 1 ? '{}' : `{"k":${jsonValue(r, depth + 1)},"z":${jsonValue(r, depth + 1)}}`;
    default:
      return String(1_700_000_000_000 + Math.floor(r() * 1e9));
  }
}

function jsonObject(r: () => number): string {
  const names = NAMES.filter(() => r() < 0.6);
  const ws = r() < 0.2 ? ' ' : '';
  return `{${names.map((n) => `${ws}"${n}"${ws}:${ws}${jsonValue(r)}`).join(',')}${ws}}`;
}

function stage(r: () => number, alias: string, props: Record<string, string>): void {
  const t = `transforms.${alias}`;
  switch (Math.floor(r() * 5)) {
    case 0: {
      props[`${t}.type`] = `${SMT}.InsertField$Value`;
      const fields = ['static.field', 'topic.field', 'partition.field', 'offset.field', 'timestamp.field'].filter(() => r() < 0.4);
      if (fields.length === 0) fields.push('static.field');
      for (const f of fields) props[`${t}.${f}`] = pick(r, NAMES);
      if (fields.includes('static.field')) props[`${t}.static.value`] = pick(r, ['bench', '', 'ü']);
      break;
    }
    case 1:
      props[`${t}.type`] = `${SMT}.ReplaceField$Value`;
      if (r() < 0.5) props[`${t}.exclude`] = subset(r, NAMES).join(',');
      if (r() < 0.5) props[`${t}.include`] = subset(r, NAMES).join(',');
      break;
    case 2:
      props[`${t}.type`] = `${SMT}.MaskField$Value`;
      props[`${t}.fields`] = subset(r, NAMES).join(',');
      if (r() < 0.3) props[`${t}.replacement`] = pick(r, ['***', '7']);
      break;
    case 3:
      props[`${t}.type`] = `${SMT}.TimestampConverter$Value`;
      props[`${t}.field`] = pick(r, ['ts', 'when', 'id', 'user']);
      props[`${t}.target.type`] = pick(r, ['string', 'unix', 'Timestamp', 'Date']);
      props[`${t}.format`] = "yyyy-MM-dd'T'HH:mm:ss.SSS";
      break;
    default:
      props[`${t}.type`] = `${SMT}.Filter`;
  }
  if (r() < 0.4 || props[`${t}.type`] === `${SMT}.Filter`) {
    props[`${t}.predicate`] = pick(r, ['hasDrop', 'isOrders']);
    if (r() < 0.3) props[`${t}.negate`] = 'true';
  }
}

function randomChain(r: () => number): Record<string, string> {
  const aliases = Array.from({ length: 1 + Math.floor(r() * 5) }, (_, k) => `s${k}`);
  const props: Record<string, string> = {
    transforms: aliases.join(','),
    predicates: 'hasDrop,isOrders',
    'predicates.hasDrop.type': `${SMT}.predicates.HasHeaderKey`,
    'predicates.hasDrop.name': 'drop',
    'predicates.isOrders.type': `${SMT}.predicates.TopicNameMatches`,
    'predicates.isOrders.pattern': 'ord.*',
  };
  for (const alias of aliases) stage(r, alias, props);
  return props;
}

describe('ValueLinePrinter over a field plan', () => {
  it('runs smt-chain-5 as a field plan and prints what put() writes', () => {
    const props = SMT_CHAIN_5 as Record<string, string>;
    const chain = compile(props);
    expect(chain.fieldPlan()).not.toBeNull();
    const printer = new ValueLinePrinter(converters(), chain);
    const kept: Raw = { topic: 'events', value: '{"id":1,"ts":1700000000000,"user":"user-7","page":"/p/1","ok":true}', headers: [] };
    expect(printed(printer, kept)).toBe('{id=1, ts=2023-11-14T22:13:20.000, user=, ok=true, pipeline=bench}\n');
    expect(printed(printer, kept)).toBe(expected(chain, kept));
    expect(printed(printer, { ...kept, headers: [['drop', '1']] })).toBe('(dropped)');
  });

  it('runs over Maps when the plan names more fields than ScannedFields holds, with the same lines', () => {
    const fields = Array.from({ length: 40 }, (_, k) => `f${k}`);
    const chain = compile({ transforms: 'm', 'transforms.m.type': `${SMT}.MaskField$Value`, 'transforms.m.fields': fields.join(',') });
    expect(chain.fieldPlan()).not.toBeNull();
    const record: Raw = { topic: 'events', value: '{"f3":"x","a":1}', headers: [] };
    expect(printed(new ValueLinePrinter(converters(), chain), record)).toBe(expected(chain, record));
  });

  it('is not used where a stage has no field step', () => {
    const chain = compile({ transforms: 'r', 'transforms.r.type': `${SMT}.ReplaceField$Value`, 'transforms.r.renames': 'a:b' });
    expect(chain.fieldPlan()).toBeNull();
  });

  it.each([
    ['in two passes (the native scan and print)', true],
    ['in one pass in JavaScript (as without the addon)', false],
  ])('prints, drops and fails as the compiled chain does, on random chains and objects, %s', (_how, native) => {
    const conv = converters();
    let planned = 0;
    let compared = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      const props = randomChain(r);
      let chain: CompiledChain;
      try {
        chain = compile(props);
      } catch {
        continue; // a config the chain refuses (e.g. TimestampConverter's) is not this test's concern
      }
      if (chain.fieldPlan() === null) continue;
      planned++;
      const printer = new ValueLinePrinter(conv, chain, { native });
      for (let k = 0; k < 20; k++) {
        const record: Raw = {
          topic: r() < 0.3 ? 'orders' : 'events',
          value: jsonObject(r),
          headers: r() < 0.3 ? [['drop', '1']] : [],
        };
        const want = expected(chain, record);
        expect(printed(printer, record), `seed ${seed}, ${JSON.stringify(props)}, value ${record.value}`).toBe(want);
        compared++;
      }
    }
    // Most random chains are field plans; the comparison must not pass by skipping them.
    expect(planned).toBeGreaterThan(200);
    expect(compared).toBeGreaterThan(4000);
  });
});

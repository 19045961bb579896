import { describe, expect, it } from 'vitest';
import { AbstractConfig, ConfigDef } from '../../../../src/api/config-def.js';
import { ConfigError, DataError } from '../../../../src/api/errors.js';
import { SchemaBuilder } from '../../../../src/data/schema-builder.js';
import { Schemas } from '../../../../src/data/schemas.js';
import { Struct } from '../../../../src/data/struct.js';
import {
  appendFieldSyntaxVersionConfig,
  fieldSyntaxVersionFromConfig,
  SingleFieldPath,
} from '../../../../src/transforms/util/field-path.js';

describe('SingleFieldPath', () => {
  it('takes a V1 path as one step, dots included', () => {
    expect(new SingleFieldPath('a.b', 'V1').steps).toEqual(['a.b']);
  });

  it('splits a V2 path on dots, with backticks around names holding dots (KIP-821 examples)', () => {
    const steps = (path: string) => new SingleFieldPath(path, 'V2').steps;
    expect(steps('foo.bar.baz')).toEqual(['foo', 'bar', 'baz']);
    expect(steps('`foo.bar`.baz')).toEqual(['foo.bar', 'baz']);
    expect(steps('foo.`bar.baz`')).toEqual(['foo', 'bar.baz']);
    expect(steps('`foo\\`.bar`.baz')).toEqual(['foo`.bar', 'baz']);
    expect(steps('foo.`ba`r`.baz')).toEqual(['foo', 'ba`r', 'baz']);
    expect(steps('foo.')).toEqual(['foo', '']);
    expect(steps('')).toEqual([]);
  });

  it('fails on a backtick that is never closed, naming its position', () => {
    expect(() => new SingleFieldPath('foo.`bar', 'V2')).toThrow(
      new ConfigError('Incomplete backtick pair in path: [foo.`bar], consider adding a backslash before backtick at position 4 to escape it'),
    );
    expect(() => new SingleFieldPath('`foo\\`', 'V2')).toThrow(ConfigError);
  });

  it('reads fields and values from structs and maps', () => {
    const inner = SchemaBuilder.struct().field('c', SchemaBuilder.int32().optional().defaultValue(4).build()).optional().build();
    const outer = SchemaBuilder.struct().field('b', inner).field('n', Schemas.STRING_SCHEMA).build();
    const struct = new Struct(outer).put('b', new Struct(inner)).put('n', 'x');
    const path = new SingleFieldPath('b.c', 'V2');
    expect(path.fieldFrom(outer)?.schema).toBe(inner.field('c')!.schema);
    expect(path.valueFromStruct(struct)).toBe(4);
    expect(path.valueFromStruct(struct, false)).toBeNull();
    expect(new SingleFieldPath('x.c', 'V2').fieldFrom(outer)).toBeNull();
    expect(() => new SingleFieldPath('n.c', 'V2').valueFromStruct(struct)).toThrow(
      new DataError('Only Struct objects supported for [nested field access], found: java.lang.String'),
    );
    const map = new Map<string, unknown>([['b', new Map([['c', 1n]])], ['n', 'x']]);
    expect(path.valueFromMap(map)).toBe(1n);
    expect(new SingleFieldPath('b.z', 'V2').valueFromMap(map)).toBeNull();
    expect(() => new SingleFieldPath('n.c', 'V2').valueFromMap(map)).toThrow(
      'Only Map objects supported in absence of schema for [nested field access], found: java.lang.String',
    );
  });

  it('reads field.syntax.version case-insensitively, V1 by default', () => {
    const def = appendFieldSyntaxVersionConfig(new ConfigDef());
    expect(fieldSyntaxVersionFromConfig(new AbstractConfig(def, {}))).toBe('V1');
    expect(fieldSyntaxVersionFromConfig(new AbstractConfig(def, { 'field.syntax.version': 'v2' }))).toBe('V2');
    expect(() => new AbstractConfig(def, { 'field.syntax.version': 'V9' })).toThrow(ConfigError);
  });
});

import { describe, expect, it } from 'vitest';
import {
  AbstractConfig, CaseInsensitiveValidString, CompositeValidator, Config, ConfigDef, ConfigType, Importance,
  LambdaValidator, NO_DEFAULT_VALUE, NonEmptyString, NonEmptyStringWithoutControlChars, NonNullValidator, Password,
  Range, ValidList, ValidString, Width, convertConfigKey, convertToString, invalidValue, mergeConfigInfos, parseType,
  prefixedConfigInfos, toConfigInfos,
} from '../../../src/api/config-def.js';
import { ConfigError } from '../../../src/api/errors.js';

const parseError = (name: string, value: unknown, type: ConfigType): string => {
  try {
    parseType(name, value, type);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).key).toBe(name);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('parseType', () => {
  it('parses INT like Integer.parseInt, trimming first', () => {
    expect(parseType('tasks.max', ' 5 ', ConfigType.INT)).toBe(5);
    expect(parseType('tasks.max', '+7', ConfigType.INT)).toBe(7);
    expect(parseType('tasks.max', '-2147483648', ConfigType.INT)).toBe(-2147483648);
    expect(parseError('tasks.max', 'abc', ConfigType.INT)).toBe(
      'Invalid value abc for configuration tasks.max: Not a number of type INT',
    );
    expect(parseError('tasks.max', '2147483648', ConfigType.INT)).toBe(
      'Invalid value 2147483648 for configuration tasks.max: Not a number of type INT',
    );
    expect(parseError('tasks.max', '1.5', ConfigType.INT)).toBe(
      'Invalid value 1.5 for configuration tasks.max: Not a number of type INT',
    );
  });

  it('keeps the untrimmed value in the message, as Java does', () => {
    expect(parseError('x', ' abc ', ConfigType.INT)).toBe('Invalid value  abc  for configuration x: Not a number of type INT');
  });

  it('parses SHORT within its range', () => {
    expect(parseType('rf', '3', ConfigType.SHORT)).toBe(3);
    expect(parseError('rf', '40000', ConfigType.SHORT)).toBe('Invalid value 40000 for configuration rf: Not a number of type SHORT');
  });

  it('parses LONG as a number, or a bigint beyond 2^53', () => {
    expect(parseType('l', '60000', ConfigType.LONG)).toBe(60000);
    expect(parseType('l', '9007199254740993', ConfigType.LONG)).toBe(9007199254740993n);
    expect(parseType('l', '9223372036854775807', ConfigType.LONG)).toBe(9223372036854775807n);
    expect(parseError('l', '9223372036854775808', ConfigType.LONG)).toBe(
      'Invalid value 9223372036854775808 for configuration l: Not a number of type LONG',
    );
    expect(parseType('l', 5000, ConfigType.LONG)).toBe(5000);
    expect(parseType('l', 12n, ConfigType.LONG)).toBe(12);
  });

  it('parses DOUBLE like Double.parseDouble', () => {
    expect(parseType('d', '1.5', ConfigType.DOUBLE)).toBe(1.5);
    expect(parseType('d', '1e3', ConfigType.DOUBLE)).toBe(1000);
    expect(parseType('d', '.5', ConfigType.DOUBLE)).toBe(0.5);
    expect(parseType('d', '2d', ConfigType.DOUBLE)).toBe(2);
    expect(parseError('d', '1,5', ConfigType.DOUBLE)).toBe('Invalid value 1,5 for configuration d: Not a number of type DOUBLE');
  });

  it('parses BOOLEAN case-insensitively', () => {
    expect(parseType('b', 'TRUE', ConfigType.BOOLEAN)).toBe(true);
    expect(parseType('b', ' False ', ConfigType.BOOLEAN)).toBe(false);
    expect(parseType('b', true, ConfigType.BOOLEAN)).toBe(true);
    expect(parseError('b', 'yes', ConfigType.BOOLEAN)).toBe(
      'Invalid value yes for configuration b: Expected value to be either true or false',
    );
  });

  it('parses LIST as a trimmed comma list, keeping empty items as Java does', () => {
    expect(parseType('l', ' a , b ,c ', ConfigType.LIST)).toEqual(['a', 'b', 'c']);
    expect(parseType('l', '', ConfigType.LIST)).toEqual([]);
    expect(parseType('l', '   ', ConfigType.LIST)).toEqual([]);
    expect(parseType('l', 'a,,b,', ConfigType.LIST)).toEqual(['a', '', 'b', '']);
    expect(parseType('l', ['x'], ConfigType.LIST)).toEqual(['x']);
    expect(parseError('l', 5, ConfigType.LIST)).toBe('Invalid value 5 for configuration l: Expected a comma separated list.');
  });

  it('parses STRING, CLASS and PASSWORD trimmed', () => {
    expect(parseType('s', '  x ', ConfigType.STRING)).toBe('x');
    expect(parseType('c', ' org.a.B ', ConfigType.CLASS)).toBe('org.a.B');
    const p = parseType('p', ' secret ', ConfigType.PASSWORD) as Password;
    expect(p).toBeInstanceOf(Password);
    expect(p.value).toBe('secret');
    expect(String(p)).toBe('[hidden]');
    expect(JSON.stringify({ p })).toBe('{"p":"[hidden]"}');
    expect(parseError('s', 5, ConfigType.STRING)).toBe(
      'Invalid value 5 for configuration s: Expected value to be a string, but it was a number',
    );
  });

  it('parses null and undefined to null', () => {
    for (const type of Object.values(ConfigType)) {
      expect(parseType('x', null, type)).toBeNull();
      expect(parseType('x', undefined, type)).toBeNull();
    }
  });
});

describe('validators', () => {
  const message = (fn: () => void): string => {
    try {
      fn();
    } catch (e) {
      return (e as Error).message;
    }
    return '';
  };

  it('Range reports bounds as Java does', () => {
    expect(message(() => Range.atLeast(1).ensureValid('tasks.max', 0))).toBe(
      'Invalid value 0 for configuration tasks.max: Value must be at least 1',
    );
    expect(message(() => Range.between(1, 5).ensureValid('x', 6))).toBe(
      'Invalid value 6 for configuration x: Value must be no more than 5',
    );
    expect(message(() => Range.atLeast(0).ensureValid('x', null))).toBe(
      'Invalid value null for configuration x: Value must be non-null',
    );
    expect(message(() => Range.atLeast(0).ensureValid('x', 10n ** 20n))).toBe('');
    expect(String(Range.atLeast(1))).toBe('[1,...]');
    expect(String(Range.between(1, 5))).toBe('[1,...,5]');
  });

  it('ValidString, CaseInsensitiveValidString and ValidList', () => {
    expect(message(() => ValidString.in('none', 'all').ensureValid('errors.tolerance', 'some'))).toBe(
      'Invalid value some for configuration errors.tolerance: String must be one of: none, all',
    );
    expect(String(ValidString.in('none', 'all'))).toBe('[none, all]');
    expect(message(() => CaseInsensitiveValidString.in('poll', 'interval').ensureValid('t', 'POLL'))).toBe('');
    expect(message(() => CaseInsensitiveValidString.in('poll').ensureValid('t', 'x'))).toBe(
      'Invalid value x for configuration t: String must be one of (case insensitive): POLL',
    );
    expect(message(() => ValidList.in('a', 'b').ensureValid('l', ['a', 'c']))).toBe(
      'Invalid value c for configuration l: String must be one of: a, b',
    );
  });

  it('NonEmptyString and NonEmptyStringWithoutControlChars, as classes or instances', () => {
    expect(message(() => new NonEmptyString().ensureValid('topic', ''))).toBe(
      'Invalid value  for configuration topic: String must be non-empty',
    );
    expect(message(() => NonEmptyString.ensureValid('topic', null))).toBe('');
    expect(message(() => new NonEmptyStringWithoutControlChars().ensureValid('name', ''))).toBe(
      'Invalid value  for configuration name: String may not be empty',
    );
    expect(message(() => NonEmptyStringWithoutControlChars.ensureValid('name', 'a\nb\tc'))).toBe(
      'Invalid value a\nb\tc for configuration name: String may not contain control sequences but had the following ASCII chars: 10, 9',
    );
    expect(message(() => NonEmptyStringWithoutControlChars.ensureValid('name', null))).toBe('');
    expect(String(new NonEmptyStringWithoutControlChars())).toBe('non-empty string without ISO control characters');
    expect(String(NonEmptyString)).toBe('non-empty string');
  });

  it('CompositeValidator runs in order and describes all; LambdaValidator uses its description', () => {
    const v = CompositeValidator.of(
      new NonNullValidator(),
      LambdaValidator.with((name, value) => {
        if (value === 'bad') throw invalidValue(name, value, 'Bad.');
      }, () => 'not bad'),
    );
    expect(message(() => v.ensureValid('x', null))).toBe('Invalid value null for configuration x: entry must be non null');
    expect(message(() => v.ensureValid('x', 'bad'))).toBe('Invalid value bad for configuration x: Bad.');
    expect(String(v)).toBe('non-null string, not bad');
  });
});

function sampleDef(): ConfigDef {
  return new ConfigDef()
    .define({ name: 'file', type: ConfigType.STRING, importance: Importance.HIGH, documentation: 'The file' })
    .define({
      name: 'tasks.max', type: ConfigType.INT, defaultValue: '1', validator: Range.atLeast(1),
      importance: Importance.HIGH, documentation: 'Tasks', group: 'Common', orderInGroup: 1, width: Width.SHORT,
      displayName: 'Tasks max',
    })
    .define({ name: 'topics', type: ConfigType.LIST, defaultValue: '', importance: Importance.HIGH, group: 'Common' })
    .define({ name: 'secret', type: ConfigType.PASSWORD, defaultValue: null, importance: Importance.LOW, group: 'Security' })
    .define({ name: 'interval', type: ConfigType.LONG, defaultValue: 60000, importance: Importance.LOW });
}

describe('ConfigDef', () => {
  it('keeps keys and groups in definition order, with Java defaults for omitted fields', () => {
    const def = sampleDef();
    expect(def.names()).toEqual(['file', 'tasks.max', 'topics', 'secret', 'interval']);
    expect(def.groups()).toEqual(['Common', 'Security']);
    const file = def.configKey('file')!;
    expect(file.defaultValue).toBe(NO_DEFAULT_VALUE);
    expect(file.width).toBe(Width.NONE);
    expect(file.displayName).toBe('file');
    expect(file.orderInGroup).toBe(-1);
    expect(def.configKey('tasks.max')!.defaultValue).toBe(1);
    expect(def.configKey('topics')!.defaultValue).toEqual([]);
  });

  it('rejects a key defined twice and an invalid default', () => {
    expect(() => sampleDef().define({ name: 'file', type: ConfigType.STRING })).toThrow('Configuration file is defined twice.');
    expect(() =>
      new ConfigDef().define({ name: 'n', type: ConfigType.INT, defaultValue: 0, validator: Range.atLeast(1) }),
    ).toThrow('Invalid value 0 for configuration n: Value must be at least 1');
  });

  it('parse() fills defaults and throws the first error with Java\'s message', () => {
    const def = sampleDef();
    expect(def.parse({ file: '/tmp/x', 'tasks.max': '3', unknown: 'ignored' })).toEqual({
      file: '/tmp/x', 'tasks.max': 3, topics: [], secret: null, interval: 60000,
    });
    expect(() => def.parse({})).toThrow('Missing required configuration "file" which has no default value.');
    expect(() => def.parse({ file: 'f', 'tasks.max': 'abc' })).toThrow(
      'Invalid value abc for configuration tasks.max: Not a number of type INT',
    );
    expect(() => def.parse({ file: 'f', 'tasks.max': '0' })).toThrow(
      'Invalid value 0 for configuration tasks.max: Value must be at least 1',
    );
  });

  it('validate() reports every error without throwing, in definition order', () => {
    const values = sampleDef().validate({ 'tasks.max': 'abc' });
    expect(values.map((v) => v.name)).toEqual(['file', 'tasks.max', 'topics', 'secret', 'interval']);
    expect(values[0]).toEqual({
      name: 'file', value: null, recommendedValues: [], visible: true,
      errorMessages: ['Missing required configuration "file" which has no default value.'],
    });
    // An unparseable value becomes null, which the validator then rejects too (as in Java).
    expect(values[1]!.value).toBeNull();
    expect(values[1]!.errorMessages).toEqual([
      'Invalid value abc for configuration tasks.max: Not a number of type INT',
      'Invalid value null for configuration tasks.max: Value must be non-null',
    ]);
    expect(values[4]!.value).toBe(60000);
  });

  it('runs recommenders after parsing, and reports undefined dependents', () => {
    const def = new ConfigDef()
      .define({ name: 'mode', type: ConfigType.STRING, defaultValue: 'a', dependents: ['detail', 'ghost'] })
      .define({
        name: 'detail', type: ConfigType.STRING, defaultValue: 'x',
        recommender: {
          validValues: (_n, parsed) => (parsed['mode'] === 'a' ? ['x', 'y'] : ['z']),
          visible: (_n, parsed) => parsed['mode'] === 'a',
        },
      });
    const all = def.validateAll({ mode: 'b' });
    expect(all.get('detail')).toMatchObject({ recommendedValues: ['z'], visible: false });
    expect(all.get('ghost')).toMatchObject({ errorMessages: ['ghost is referred in the dependents, but not defined.'], visible: false });
    expect(() => def.parse({})).toThrow('Some configurations in are referred in the dependents, but not defined: ghost');
  });

  it('embed() prefixes keys and groups while validators see the unprefixed name', () => {
    const child = new ConfigDef()
      .define({ name: 'b', type: ConfigType.INT, defaultValue: 1, validator: Range.atLeast(1), importance: Importance.LOW })
      .define({ name: 'a', type: ConfigType.INT, importance: Importance.LOW, group: 'inner' });
    const def = new ConfigDef().embed('transforms.t.', 'Transforms: t', 1, child);
    // Java's sortedConfigs order: required first, then importance, then name.
    expect(def.names()).toEqual(['transforms.t.a', 'transforms.t.b']);
    expect(def.configKey('transforms.t.a')).toMatchObject({ group: 'Transforms: t: inner', orderInGroup: 1 });
    expect(def.configKey('transforms.t.b')).toMatchObject({ group: 'Transforms: t', orderInGroup: 2 });
    expect(def.validateAll({ 'transforms.t.a': '1', 'transforms.t.b': '0' }).get('transforms.t.b')!.errorMessages).toEqual([
      'Invalid value 0 for configuration b: Value must be at least 1',
    ]);
  });

  it('copies another definition', () => {
    const copy = new ConfigDef(sampleDef()).define({ name: 'extra', type: ConfigType.BOOLEAN, defaultValue: false });
    expect(copy.names()).toHaveLength(6);
    expect(sampleDef().names()).toHaveLength(5);
  });
});

describe('AbstractConfig', () => {
  it('gives typed values and the originals', () => {
    const config = new AbstractConfig(sampleDef(), {
      file: ' /tmp/f ', 'tasks.max': '2', topics: 'a, b', secret: 's3cr3t', interval: '9007199254740993',
      'producer.acks': 'all', 'producer.': 'x', other: 'y',
    });
    expect(config.getString('file')).toBe('/tmp/f');
    expect(config.getInt('tasks.max')).toBe(2);
    expect(config.getList('topics')).toEqual(['a', 'b']);
    expect(config.getPassword('secret')!.value).toBe('s3cr3t');
    expect(config.getLong('interval')).toBe(9007199254740992); // nearest double
    expect(config.getLongExact('interval')).toBe(9007199254740993n);
    expect(config.originals()['other']).toBe('y');
    expect(config.originalsWithPrefix('producer.')).toEqual({ acks: 'all' });
    expect(config.originalsWithPrefix('producer.', false)).toEqual({ 'producer.acks': 'all' });
    expect(() => config.get('nope')).toThrow("Unknown configuration 'nope'");
  });

  it('valuesWithPrefixOverride parses prefixed overrides with the key type', () => {
    const config = new AbstractConfig(sampleDef(), { file: 'f', 'x.tasks.max': '4', 'x.free': 'v' });
    const values = config.valuesWithPrefixOverride('x.');
    expect(values['tasks.max']).toBe(4);
    expect(values['free']).toBe('v');
    expect(values['file']).toBe('f');
  });

  it('throws the first config error from its constructor', () => {
    expect(() => new AbstractConfig(sampleDef(), {})).toThrow(
      'Missing required configuration "file" which has no default value.',
    );
  });
});

describe('REST shapes', () => {
  it('convertConfigKey matches Kafka Connect\'s ConfigKeyInfo', () => {
    const def = sampleDef();
    expect(convertConfigKey(def.configKey('file')!)).toEqual({
      name: 'file', type: 'STRING', required: true, default_value: null, importance: 'HIGH', documentation: 'The file',
      group: null, width: 'NONE', display_name: 'file', dependents: [], order_in_group: -1,
    });
    expect(convertConfigKey(def.configKey('tasks.max')!, 'p.')).toMatchObject({
      name: 'p.tasks.max', type: 'INT', required: false, default_value: '1', group: 'Common', width: 'SHORT',
      display_name: 'Tasks max', order_in_group: 1,
    });
    expect(convertConfigKey(def.configKey('topics')!).default_value).toBe('');
    expect(convertConfigKey(def.configKey('secret')!).default_value).toBeNull();
  });

  it('convertToString joins lists with "," and hides passwords', () => {
    expect(convertToString(['a', 'b'], ConfigType.LIST)).toBe('a,b');
    expect(convertToString(new Password('x'), ConfigType.PASSWORD)).toBe('[hidden]');
    expect(convertToString(null, ConfigType.STRING)).toBeNull();
    expect(convertToString(true, ConfigType.BOOLEAN)).toBe('true');
  });

  it('toConfigInfos counts every error message and puts unknown values first', () => {
    const def = sampleDef();
    const values = def.validate({ 'tasks.max': 'abc', topics: 'x,y', secret: 'pw' });
    values.push({ name: 'stray', value: 'v', recommendedValues: [], errorMessages: ['not defined'], visible: true });
    const infos = toConfigInfos('org.example.MyConnector', def, values);
    expect(infos.name).toBe('org.example.MyConnector');
    expect(infos.error_count).toBe(4); // file: 1, tasks.max: 2, stray: 1
    expect(infos.groups).toEqual(['Common', 'Security']);
    expect(infos.configs[0]).toEqual({
      definition: null,
      value: { name: 'stray', value: 'v', recommended_values: [], errors: ['not defined'], visible: true },
    });
    const byName = Object.fromEntries(infos.configs.map((c) => [c.value!.name, c.value!]));
    expect(byName['topics']!.value).toBe('x,y');
    expect(byName['secret']!.value).toBe('[hidden]');
    expect(byName['interval']!.value).toBe('60000');
    expect(JSON.parse(JSON.stringify(infos))).toEqual(infos);
  });

  it('prefixedConfigInfos counts keys with errors; mergeConfigInfos sums', () => {
    const def = sampleDef();
    const prefixed = prefixedConfigInfos(def, def.validate({ 'tasks.max': 'abc' }), 'key.converter.');
    expect(prefixed.error_count).toBe(2); // file and tasks.max, whatever their message count
    expect(prefixed.configs[1]!.value!.name).toBe('key.converter.tasks.max');
    expect(prefixed.configs[1]!.definition!.name).toBe('key.converter.tasks.max');
    const merged = mergeConfigInfos('c', toConfigInfos('c', def, def.validate({ file: 'f' })), null, prefixed);
    expect(merged.error_count).toBe(2);
    expect(merged.configs).toHaveLength(10);
    expect(merged.groups).toEqual(['Common', 'Security']);
  });

  it('Config carries the values Connector.validate returns', () => {
    const values = sampleDef().validate({ file: 'f' });
    expect(new Config(values).configValues).toBe(values);
  });
});

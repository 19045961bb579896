/**
 * AvroConverter's configuration: Confluent's key names and defaults (AbstractKafkaSchemaSerDeConfig,
 * AvroDataConfig, AvroConverterConfig), for the keys sluice implements.
 */
import { ConfigDef, ConfigType, Importance, NO_DEFAULT_VALUE, Password, ValidString } from '../../api/config-def.js';
import { ConfigError } from '../../api/errors.js';
import type { AvroDataOptions } from './avro-constants.js';
import { type SubjectNameStrategy, subjectNameStrategy } from './subject-name-strategy.js';
import { newConverterConfigDef, withConverterType } from '../string.js';

export const SCHEMA_REGISTRY_URL_CONFIG = 'schema.registry.url';
export const AUTO_REGISTER_SCHEMAS_CONFIG = 'auto.register.schemas';
export const USE_LATEST_VERSION_CONFIG = 'use.latest.version';
export const LATEST_CACHE_TTL_CONFIG = 'latest.cache.ttl.sec';
export const KEY_SUBJECT_NAME_STRATEGY_CONFIG = 'key.subject.name.strategy';
export const VALUE_SUBJECT_NAME_STRATEGY_CONFIG = 'value.subject.name.strategy';
export const BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG = 'basic.auth.credentials.source';
export const USER_INFO_CONFIG = 'basic.auth.user.info';
/** The older name of basic.auth.user.info, still read by Confluent's client. */
export const LEGACY_USER_INFO_CONFIG = 'schema.registry.basic.auth.user.info';
export const MAX_SCHEMAS_PER_SUBJECT_CONFIG = 'max.schemas.per.subject';
export const SCHEMAS_CACHE_SIZE_CONFIG = 'schemas.cache.config';
export const CONNECT_META_DATA_CONFIG = 'connect.meta.data';
export const ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG = 'enhanced.avro.schema.support';
export const SCRUB_INVALID_NAMES_CONFIG = 'scrub.invalid.names';
export const NORMALIZE_SCHEMAS_CONFIG = 'normalize.schemas';
export const REQUEST_TIMEOUT_CONFIG = 'schema.registry.request.timeout.ms';

const TOPIC_NAME_STRATEGY = 'io.confluent.kafka.serializers.subject.TopicNameStrategy';

export const AVRO_CONVERTER_CONFIG_DEF: ConfigDef = newConverterConfigDef()
  .define({
    name: SCHEMA_REGISTRY_URL_CONFIG, type: ConfigType.LIST, defaultValue: NO_DEFAULT_VALUE, importance: Importance.HIGH,
    documentation: 'Comma-separated list of URLs for Schema Registry instances that can be used to register or look up schemas.',
  })
  .define({
    name: AUTO_REGISTER_SCHEMAS_CONFIG, type: ConfigType.BOOLEAN, defaultValue: true, importance: Importance.MEDIUM,
    documentation: 'Specify if the Serializer should attempt to register the Schema with Schema Registry',
  })
  .define({
    name: USE_LATEST_VERSION_CONFIG, type: ConfigType.BOOLEAN, defaultValue: false, importance: Importance.LOW,
    documentation: 'Specify if the Serializer should use the latest subject version for serialization',
  })
  .define({
    name: LATEST_CACHE_TTL_CONFIG, type: ConfigType.LONG, defaultValue: -1, importance: Importance.LOW,
    documentation: 'The TTL for caching the latest subject version, in seconds; -1 caches it for ever.',
  })
  .define({
    name: KEY_SUBJECT_NAME_STRATEGY_CONFIG, type: ConfigType.STRING, defaultValue: TOPIC_NAME_STRATEGY, importance: Importance.MEDIUM,
    documentation: 'Determines how to construct the subject name under which the key schema is registered with the schema registry.',
  })
  .define({
    name: VALUE_SUBJECT_NAME_STRATEGY_CONFIG, type: ConfigType.STRING, defaultValue: TOPIC_NAME_STRATEGY, importance: Importance.MEDIUM,
    documentation: 'Determines how to construct the subject name under which the value schema is registered with the schema registry.',
  })
  .define({
    name: BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG, type: ConfigType.STRING, defaultValue: 'URL',
    validator: ValidString.in('URL', 'USER_INFO', 'SASL_INHERIT'), importance: Importance.MEDIUM,
    documentation: 'Specify how to pick the credentials for the Basic authentication header: URL (user info in the URL) or USER_INFO (basic.auth.user.info).',
  })
  .define({
    name: USER_INFO_CONFIG, type: ConfigType.PASSWORD, defaultValue: '', importance: Importance.MEDIUM,
    documentation: 'Specify the user info for Basic Auth in the form of {username}:{password}',
  })
  .define({
    name: LEGACY_USER_INFO_CONFIG, type: ConfigType.PASSWORD, defaultValue: '', importance: Importance.LOW,
    documentation: 'Deprecated name of basic.auth.user.info.',
  })
  .define({
    name: MAX_SCHEMAS_PER_SUBJECT_CONFIG, type: ConfigType.INT, defaultValue: 1000, importance: Importance.LOW,
    documentation: 'Maximum number of schemas to create or cache locally.',
  })
  .define({
    name: SCHEMAS_CACHE_SIZE_CONFIG, type: ConfigType.INT, defaultValue: 1000, importance: Importance.LOW,
    documentation: 'Size of the converted schema cache',
  })
  .define({
    name: CONNECT_META_DATA_CONFIG, type: ConfigType.BOOLEAN, defaultValue: true, importance: Importance.LOW,
    documentation: 'Allow connect converter to add its meta data to the output schema or not',
  })
  .define({
    name: ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG, type: ConfigType.BOOLEAN, defaultValue: false, importance: Importance.LOW,
    documentation: 'Enable enhanced schema support to preserve package information and Enums',
  })
  .define({
    name: SCRUB_INVALID_NAMES_CONFIG, type: ConfigType.BOOLEAN, defaultValue: false, importance: Importance.LOW,
    documentation: 'Whether to scrub invalid names',
  })
  .define({
    name: NORMALIZE_SCHEMAS_CONFIG, type: ConfigType.BOOLEAN, defaultValue: false, importance: Importance.LOW,
    documentation: 'Whether to normalize schemas, which generally ignores ordering when it is not significant',
  })
  .define({
    name: REQUEST_TIMEOUT_CONFIG, type: ConfigType.INT, defaultValue: 30_000, importance: Importance.LOW,
    documentation: 'sluice: how long one Schema Registry request may take before the next URL is tried.',
  });

export interface AvroConverterSettings {
  isKey: boolean;
  /** Registry URLs with any user info taken out. */
  urls: string[];
  userInfo: string | null;
  autoRegister: boolean;
  useLatestVersion: boolean;
  latestCacheTtlMs: number;
  subjectNameStrategy: SubjectNameStrategy;
  clientCacheCapacity: number;
  schemasCacheSize: number;
  requestTimeoutMs: number;
  normalizeSchemas: boolean;
  avroData: AvroDataOptions;
}

export function parseAvroConverterConfig(configs: Readonly<Record<string, string>>, isKey: boolean): AvroConverterSettings {
  const parsed = AVRO_CONVERTER_CONFIG_DEF.parse(withConverterType(configs, isKey));
  const rawUrls = (parsed[SCHEMA_REGISTRY_URL_CONFIG] as string[]).filter((u) => u.length > 0);
  if (rawUrls.length === 0) throw new ConfigError(`Missing required configuration "${SCHEMA_REGISTRY_URL_CONFIG}" which has no default value.`, SCHEMA_REGISTRY_URL_CONFIG);

  let urlUserInfo: string | null = null;
  const urls = rawUrls.map((raw) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw new ConfigError(`Invalid value ${raw} for configuration ${SCHEMA_REGISTRY_URL_CONFIG}: not a URL`, SCHEMA_REGISTRY_URL_CONFIG);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new ConfigError(`Invalid value ${raw} for configuration ${SCHEMA_REGISTRY_URL_CONFIG}: only http and https URLs are supported`, SCHEMA_REGISTRY_URL_CONFIG);
    }
    if (url.username || url.password) urlUserInfo ??= `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    url.username = '';
    url.password = '';
    return url.toString().replace(/\/+$/, '');
  });

  const source = parsed[BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG] as string;
  let userInfo: string | null = null;
  if (source === 'URL') userInfo = urlUserInfo;
  else if (source === 'USER_INFO') {
    const info = (parsed[USER_INFO_CONFIG] as Password).value || (parsed[LEGACY_USER_INFO_CONFIG] as Password).value;
    if (!info) throw new ConfigError(`${BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG}=USER_INFO needs ${USER_INFO_CONFIG} ({username}:{password})`, USER_INFO_CONFIG);
    userInfo = info;
  } else {
    throw new ConfigError(`${BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG}=${source} is not supported by sluice (use URL or USER_INFO)`, BASIC_AUTH_CREDENTIALS_SOURCE_CONFIG);
  }

  const strategyKey = isKey ? KEY_SUBJECT_NAME_STRATEGY_CONFIG : VALUE_SUBJECT_NAME_STRATEGY_CONFIG;
  const ttlSec = Number(parsed[LATEST_CACHE_TTL_CONFIG] as bigint | number);
  return {
    isKey,
    urls,
    userInfo,
    autoRegister: parsed[AUTO_REGISTER_SCHEMAS_CONFIG] as boolean,
    useLatestVersion: parsed[USE_LATEST_VERSION_CONFIG] as boolean,
    latestCacheTtlMs: ttlSec < 0 ? -1 : ttlSec * 1000,
    subjectNameStrategy: subjectNameStrategy(strategyKey, parsed[strategyKey] as string),
    clientCacheCapacity: parsed[MAX_SCHEMAS_PER_SUBJECT_CONFIG] as number,
    schemasCacheSize: parsed[SCHEMAS_CACHE_SIZE_CONFIG] as number,
    requestTimeoutMs: parsed[REQUEST_TIMEOUT_CONFIG] as number,
    normalizeSchemas: parsed[NORMALIZE_SCHEMAS_CONFIG] as boolean,
    avroData: {
      connectMetaData: parsed[CONNECT_META_DATA_CONFIG] as boolean,
      enhancedSchemaSupport: parsed[ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG] as boolean,
      scrubInvalidNames: parsed[SCRUB_INVALID_NAMES_CONFIG] as boolean,
    },
  };
}

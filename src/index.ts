/** What plugin authors import: the plugin API and the data model. */
export {
  AbstractConfig, CompositeValidator, Config, ConfigDef, ConfigType, Importance, LambdaValidator,
  NO_DEFAULT_VALUE, NonEmptyString, NonEmptyStringWithoutControlChars, NonNullValidator, Password, Range,
  ValidList, ValidString, Width,
} from './api/config-def.js';
export type { ConfigKey, ConfigValue, Validator } from './api/config-def.js';
export * from './api/connector.js';
export type { Converter, HeaderConverter } from './api/converter.js';
export * from './api/errors.js';
export * from './api/sink.js';
export * from './api/source.js';
export * from './data/index.js';
export type { PluginDescriptor, PluginKind } from './plugins/registry.js';
export type { Predicate, Transformation } from './api/transformation.js';

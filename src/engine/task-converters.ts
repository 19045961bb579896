/** The key, value and header converters one task uses (connector overrides, else the worker's). */
import type { Converter, HeaderConverter } from '../api/converter.js';

export interface TaskConverters {
  key: Converter;
  value: Converter;
  header: HeaderConverter;
}

/**
 * Where sluice's routing, header and filter transforms and its predicates (InsertField,
 * ValueToKey, HeaderFrom, RegexRouter, TimestampRouter, TopicNameMatches, ...) differ from Apache
 * Kafka's on purpose, per case file and case name: the reason, and a check of what sluice does
 * instead. transforms.test.ts merges these into its KNOWN_DIFFERENCES.
 */
import { expect } from 'vitest';

interface CaseError {
  stage: string;
  type: string;
  message: string | null;
}
interface Outcome {
  error?: CaseError;
  record?: unknown;
  dropped?: true;
  result?: boolean;
}
interface KnownDifference {
  reason: string;
  check: (actual: Outcome, expected: Outcome) => void;
}

/** A Java runtime exception (not a Connect one) that sluice reports as a DataException with the same message. */
function asDataError(javaType: string): KnownDifference {
  const reason = `Java throws ${javaType}; sluice throws DataException with the same message`;
  return {
    reason,
    check: (actual, expected) => {
      expect(expected.error?.type, reason).toBe(javaType);
      expect(actual, reason).toEqual({ error: { ...expected.error, type: 'DataException' } });
    },
  };
}

/** Same stage and exception type; the message starts the same and differs after `prefix`. */
function messageDiffersAfter(prefix: string, reason: string, sluiceMessage: string): KnownDifference {
  return {
    reason,
    check: (actual, expected) => {
      expect(expected.error?.message?.startsWith(prefix), reason).toBe(true);
      expect(actual, reason).toEqual({ error: { ...expected.error, message: sluiceMessage } });
    },
  };
}

export const ROUTING_KNOWN_DIFFERENCES: Record<string, Record<string, KnownDifference>> = {
  'InsertField.json': {
    'static field without a value': messageDiffersAfter(
      'Invalid value null for configuration static.value: No value specified for static field: ',
      'Java prints its InsertionSpec object (class name and hash code); sluice prints the field as configured',
      'Invalid value null for configuration static.value: No value specified for static field: s?',
    ),
  },
  'HeaderFrom.json': {
    'a missing struct field fails': {
      reason: 'Java dereferences the missing field and throws a NullPointerException; sluice throws a DataException naming the field',
      check: (actual, expected) => {
        expect(expected.error).toMatchObject({ stage: 'apply', type: 'NullPointerException' });
        expect(actual).toEqual({ error: { stage: 'apply', type: 'DataException', message: 'Field does not exist: nope' } });
      },
    },
  },
  'RegexRouter.json': {
    'a reference to a group that does not exist fails': asDataError('IndexOutOfBoundsException'),
    'a trailing backslash in the replacement fails': asDataError('IllegalArgumentException'),
  },
  'TimestampRouter.json': {
    'a record without a timestamp fails': messageDiffersAfter(
      'Timestamp missing on record: ',
      'Java prints the whole record (key, value and headers, maps in HashMap order); sluice names the record ' +
        'by topic, partition and offset and keeps its data out of error messages and logs',
      "Timestamp missing on record: {topic='orders', kafkaPartition=3, offset=42}",
    ),
    'an illegal pattern letter': {
      reason: 'Java builds the SimpleDateFormat at the first record and fails it; sluice checks timestamp.format in ' +
        'configure(), so the connector is refused when it is created instead of failing its tasks later',
      check: (actual, expected) => {
        expect(expected.error).toEqual({ stage: 'apply', type: 'IllegalArgumentException', message: "Illegal pattern character 'q'" });
        expect(actual).toEqual({
          error: {
            stage: 'configure', type: 'ConfigException',
            message: "Invalid value yyyyMMdd-q for configuration timestamp.format: Illegal pattern character 'q'",
          },
        });
      },
    },
  },
};

/**
 * Kafka ConfigDef value types and validators (org.apache.kafka.common.config.ConfigDef): parsing
 * rules and error reasons follow ConfigDef.parseType so messages read like Apache Kafka's.
 */
import { ConfigError } from './errors';

export type ConfigType = 'boolean' | 'string' | 'int' | 'short' | 'long' | 'double' | 'list' | 'password';
export type ConfigValue = boolean | string | number | string[] | null;

/** DescribeConfigs `config_type` ids (KIP-569, DescribeConfigsResponse.ConfigType). */
export const CONFIG_TYPE_IDS: Readonly<Record<ConfigType, number>> = {
  boolean: 1,
  string: 2,
  int: 3,
  short: 4,
  long: 5,
  double: 6,
  list: 7,
  password: 9,
};

export interface Validator {
  /** Kafka-style description of the valid values, e.g. "[1,...]" or "[CreateTime, LogAppendTime]". */
  readonly describe: string;
  /** Returns the reason the value is invalid, or undefined when it is fine. Never called with null. */
  check(value: Exclude<ConfigValue, null>): string | undefined;
}

const INT_RANGE: Partial<Record<ConfigType, [number, number]>> = {
  short: [-32768, 32767],
  int: [-2147483648, 2147483647],
  // JS numbers: values near Long.MAX_VALUE lose precision, which no broker key cares about.
  long: [-(2 ** 63), 2 ** 63],
};

/** Parses a raw string (already trimmed by the caller) as `type`; throws ConfigError naming the key. */
export function parseConfigValue(key: string, type: ConfigType, raw: string): Exclude<ConfigValue, null> {
  const s = raw.trim();
  switch (type) {
    case 'boolean': {
      const lower = s.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
      throw ConfigError.invalidValue(key, raw, 'Expected value to be either true or false');
    }
    case 'string':
    case 'password':
      return s;
    case 'short':
    case 'int':
    case 'long': {
      const [min, max] = INT_RANGE[type]!;
      const n = /^[+-]?\d+$/.test(s) ? Number(s) : NaN;
      if (Number.isNaN(n) || n < min || n > max) {
        throw ConfigError.invalidValue(key, raw, `Not a number of type ${type.toUpperCase()}`);
      }
      return n;
    }
    case 'double': {
      const n = s === '' ? NaN : Number(s);
      if (!Number.isFinite(n)) throw ConfigError.invalidValue(key, raw, 'Not a number of type DOUBLE');
      return n;
    }
    case 'list':
      return s === ''
        ? []
        : s
            .split(',')
            .map((x) => x.trim())
            .filter((x) => x !== '');
  }
}

/** Canonical string form, as DescribeConfigs reports a value. */
export function formatConfigValue(value: ConfigValue): string | null {
  if (value === null) return null;
  return Array.isArray(value) ? value.join(',') : String(value);
}

export function atLeast(min: number): Validator {
  return {
    describe: `[${min},...]`,
    check: (v) => (typeof v === 'number' && v < min ? `Value must be at least ${min}` : undefined),
  };
}

/** ValidString.in for strings, ValidList.in for lists (every element must be allowed). */
export function oneOf(...allowed: string[]): Validator {
  const describe = `[${allowed.join(', ')}]`;
  return {
    describe,
    check: (v) => {
      const items = Array.isArray(v) ? v : [String(v)];
      const bad = items.find((x) => !allowed.includes(x));
      return bad === undefined ? undefined : `String must be one of: ${allowed.join(', ')} (got "${bad}")`;
    },
  };
}

export function nonEmptyString(): Validator {
  return {
    describe: 'non-empty string',
    check: (v) => (typeof v === 'string' && v === '' ? 'String may not be empty' : undefined),
  };
}

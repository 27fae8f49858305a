/**
 * Parses and validates every BROKER_CONFIG_DEFS key of a property map (explicit value, else default)
 * and hands the results out by type. Unknown keys produce a warning, never an error, as in Kafka
 * ("was supplied but isn't a known config").
 */
import { BROKER_CONFIG_DEFS, brokerConfigDef, type ConfigDef } from './defs';
import { ConfigError } from './errors';
import { parseConfigValue, type ConfigValue } from './types';

export interface ConfigLogger {
  warn(msg: string): void;
}

export function validatedValue(def: ConfigDef, raw: string): Exclude<ConfigValue, null> {
  const value = parseConfigValue(def.name, def.type, raw);
  const reason = def.validator?.check(value);
  if (reason !== undefined) throw ConfigError.invalidValue(def.name, raw, reason);
  return value;
}

export class ConfigValues {
  private readonly values = new Map<string, ConfigValue>();

  constructor(
    readonly props: ReadonlyMap<string, string>,
    log: ConfigLogger,
  ) {
    for (const key of props.keys()) {
      if (!brokerConfigDef(key))
        log.warn(`The configuration '${key}' was supplied but isn't a known config; ignored`);
    }
    for (const def of BROKER_CONFIG_DEFS) {
      const raw = props.get(def.name) ?? def.default;
      this.values.set(def.name, raw === null ? null : validatedValue(def, raw));
    }
  }

  isSet(name: string): boolean {
    return this.props.has(name);
  }

  /** The raw text as given (or the default), for error messages. */
  raw(name: string): string {
    return this.props.get(name) ?? brokerConfigDef(name)?.default ?? '';
  }

  private get(name: string): ConfigValue {
    if (!this.values.has(name))
      throw new Error(`broker config key ${name} is missing from BROKER_CONFIG_DEFS`);
    return this.values.get(name)!;
  }

  private typed<T>(name: string, ok: (v: ConfigValue) => v is T & ConfigValue): T {
    const v = this.get(name);
    if (!ok(v)) throw new Error(`broker config key ${name} has no default and no value`);
    return v;
  }

  num(name: string): number {
    return this.typed(name, (v): v is number => typeof v === 'number');
  }

  optNum(name: string): number | null {
    return this.typed(name, (v): v is number | null => v === null || typeof v === 'number');
  }

  bool(name: string): boolean {
    return this.typed(name, (v): v is boolean => typeof v === 'boolean');
  }

  str(name: string): string {
    return this.typed(name, (v): v is string => typeof v === 'string');
  }

  optStr(name: string): string | null {
    return this.typed(name, (v): v is string | null => v === null || typeof v === 'string');
  }

  list(name: string): string[] {
    return this.typed(name, (v): v is string[] => Array.isArray(v));
  }

  optList(name: string): string[] | null {
    return this.typed(name, (v): v is string[] | null => v === null || Array.isArray(v));
  }
}

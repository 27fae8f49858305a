/**
 * Start-up configuration errors. The message follows Kafka's ConfigException wording
 * ("Invalid value X for configuration Y: reason") so an operator sees the same text as with Apache Kafka.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';

  constructor(
    message: string,
    readonly key?: string,
    readonly value?: string,
  ) {
    super(message);
  }

  static invalidValue(key: string, value: string, reason: string): ConfigError {
    return new ConfigError(
      `Invalid value ${JSON.stringify(value)} for configuration ${key}: ${reason}`,
      key,
      value,
    );
  }
}

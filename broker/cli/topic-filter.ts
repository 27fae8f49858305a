/**
 * Topic selection as Kafka's tools do it (org.apache.kafka.tools.filter.TopicFilter.IncludeList):
 * `--topic`, `--include` and `--whitelist` take a regular expression that must match the whole name,
 * commas mean "or", and surrounding quotes and spaces are dropped.
 */
import { UsageError } from './errors';

/** Kafka's internal topics (org.apache.kafka.common.internals.Topic). */
export const INTERNAL_TOPICS = new Set(['__consumer_offsets', '__transaction_state', '__share_group_state']);

export class IncludeList {
  private readonly re: RegExp;

  constructor(raw: string) {
    const regex = raw
      .trim()
      .replaceAll(',', '|')
      .replaceAll(' ', '')
      .replace(/^["']+/, '')
      .replace(/["']+$/, '');
    try {
      this.re = new RegExp(`^(?:${regex})$`);
    } catch {
      throw new UsageError(`${regex} is an invalid regex`);
    }
  }

  matches(topic: string): boolean {
    return this.re.test(topic);
  }
}

/** The topics `--topic` selects, sorted; `isInternal` comes from Metadata when the cluster says. */
export function selectTopics(
  all: { name: string; isInternal: boolean }[],
  pattern: string | undefined,
  excludeInternal: boolean,
): string[] {
  const filter = pattern === undefined ? null : new IncludeList(pattern);
  return all
    .filter((t) => !(excludeInternal && (t.isInternal || INTERNAL_TOPICS.has(t.name))))
    .filter((t) => filter === null || filter.matches(t.name))
    .map((t) => t.name)
    .sort();
}

/**
 * Output in the shapes Kafka's tools print with Java's printf: `%-Ns` pads to at least N characters
 * and never truncates, columns are separated by one space, and some tables start with a blank line.
 */

/** Java's `%-Ns`: left-justified, padded to `width`, longer values kept whole. */
export function left(value: string | number, width: number): string {
  return String(value).padEnd(width);
}

/**
 * A row formatted as `%-w1s %-w2s ... %s`: every column but the last is padded; the last is printed
 * as is (width 0 means "no padding").
 */
export function row(values: (string | number)[], widths: number[]): string {
  return values.map((v, i) => (widths[i] ? left(v, widths[i]) : String(v))).join(' ');
}

/** Width of a column: the longest value or `min`, whichever is larger (Kafka's maxLen idiom). */
export function widthOf(values: Iterable<string>, min: number): number {
  let w = min;
  for (const v of values) w = Math.max(w, v.length);
  return w;
}

export function out(line = ''): void {
  process.stdout.write(`${line}\n`);
}

export function err(line = ''): void {
  process.stderr.write(`${line}\n`);
}

/** Resolves once everything written so far to stdout and stderr has been handed to the OS. */
export function flushOutput(): Promise<void> {
  const drain = (s: NodeJS.WriteStream) => new Promise<void>((resolve) => s.write('', () => resolve()));
  return Promise.all([drain(process.stdout), drain(process.stderr)]).then(() => undefined);
}

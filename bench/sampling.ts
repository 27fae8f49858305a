/** Small helpers the fetch, latency and rebalance sections share: number formatting, broker sampling. */
import { loadavg } from 'node:os';
import type { BrokerProcess } from './broker-process';

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const mib = (bytes: number) => `${fmt(bytes / 2 ** 20)} MiB`;

export const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

export interface BrokerUsage {
  /** Broker CPU time (user + system) over the window, in seconds. */
  cpuSeconds: number;
  /** Highest resident set size seen by the sampler during the window, in bytes. */
  maxRss: number;
  /** The broker's peak RSS since it started (VmHWM), in bytes. */
  peakRss: number;
}

/** Samples the broker's RSS every `intervalMs` from now until stop(), and its CPU time over the window. */
export function sampleBroker(broker: BrokerProcess, intervalMs = 100): { stop(): BrokerUsage } {
  const cpu0 = broker.cpuSeconds();
  let maxRss = 0;
  const sample = () => {
    try {
      maxRss = Math.max(maxRss, broker.memory().rss);
    } catch {
      // the broker exited; the caller's step fails on its own
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      let peakRss = NaN;
      try {
        peakRss = broker.memory().peakRss;
      } catch {
        // as above
      }
      return { cpuSeconds: broker.cpuSeconds() - cpu0, maxRss, peakRss };
    },
  };
}

/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Races `p` against a timeout; the timer does not keep the process alive. */
export async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took more than ${ms} ms`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The q-quantile (0..1) of ascending `sorted`, nearest rank. */
export function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

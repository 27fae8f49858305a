/**
 * Endpoint lists: `listeners` / `advertised.listeners` (NAME://host:port), `listener.security.protocol.map`
 * (NAME:PROTOCOL) and `controller.quorum.voters` (id@host:port). IPv6 hosts are bracketed as in Kafka's
 * EndPoint regex; listener names are upper-cased like Kafka's ListenerName.normalised.
 */
import { SECURITY_PROTOCOLS } from './defs';
import { ConfigError } from './errors';

export type SecurityProtocol = (typeof SECURITY_PROTOCOLS)[number];

export interface ListenerAddress {
  /** Upper-cased listener name, e.g. PLAINTEXT, CONTROLLER. */
  name: string;
  /** '' = all interfaces; IPv6 without brackets. */
  host: string;
  /** 0 = let the OS pick (the bound port is then what gets advertised). */
  port: number;
}

export interface Listener extends ListenerAddress {
  securityProtocol: SecurityProtocol;
}

export interface QuorumVoter {
  id: number;
  host: string;
  port: number;
}

const LISTENER_RE = /^([^\s:/,]+):\/\/(?:\[([0-9A-Za-z:.%]*)\]|([0-9A-Za-z\-%._]*)):(\d{1,5})$/;
const VOTER_RE = /^(\d+)@(?:\[([0-9A-Za-z:.%]+)\]|([0-9A-Za-z\-%._]+)):(\d{1,5})$/;

function port(key: string, uri: string, text: string, min: number): number {
  const n = Number(text);
  if (n < min || n > 65535) throw ConfigError.invalidValue(key, uri, `port must be between ${min} and 65535`);
  return n;
}

export function parseListener(key: string, uri: string): ListenerAddress {
  const m = LISTENER_RE.exec(uri);
  if (!m) {
    throw ConfigError.invalidValue(
      key,
      uri,
      'listener must look like NAME://host:port (IPv6 as NAME://[::1]:port)',
    );
  }
  return { name: m[1].toUpperCase(), host: m[2] ?? m[3], port: port(key, uri, m[4], 0) };
}

const isIPv6 = (host: string) => host.includes(':');
const isIPv4 = (host: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(host);

export function parseListeners(key: string, uris: readonly string[]): ListenerAddress[] {
  const out = uris.map((u) => parseListener(key, u));
  const value = uris.join(',');
  for (let i = 0; i < out.length; i++) {
    for (let j = 0; j < i; j++) {
      const [a, b] = [out[j], out[i]];
      if (a.name === b.name) throw ConfigError.invalidValue(key, value, `duplicate listener name ${a.name}`);
      // Kafka allows one port twice only for an IPv4 + IPv6 pair (KIP-797).
      const dualStack = (isIPv4(a.host) && isIPv6(b.host)) || (isIPv6(a.host) && isIPv4(b.host));
      if (a.port !== 0 && a.port === b.port && !dualStack) {
        throw ConfigError.invalidValue(
          key,
          value,
          `each listener must have a different port (${a.port} twice)`,
        );
      }
    }
  }
  return out;
}

export function parseSecurityProtocolMap(
  key: string,
  entries: readonly string[],
): Map<string, SecurityProtocol> {
  const out = new Map<string, SecurityProtocol>();
  for (const entry of entries) {
    const at = entry.indexOf(':');
    const name = entry.slice(0, at).trim().toUpperCase();
    const protocol = entry
      .slice(at + 1)
      .trim()
      .toUpperCase();
    if (at <= 0 || name === '') {
      throw ConfigError.invalidValue(
        key,
        entries.join(','),
        `entry "${entry}" should look like NAME:PROTOCOL`,
      );
    }
    if (!(SECURITY_PROTOCOLS as readonly string[]).includes(protocol)) {
      throw ConfigError.invalidValue(
        key,
        entries.join(','),
        `unknown security protocol "${protocol}" (one of ${SECURITY_PROTOCOLS.join(', ')})`,
      );
    }
    out.set(name, protocol as SecurityProtocol);
  }
  return out;
}

export function parseQuorumVoters(key: string, entries: readonly string[]): QuorumVoter[] {
  const out: QuorumVoter[] = [];
  for (const entry of entries) {
    const m = VOTER_RE.exec(entry);
    if (!m) throw ConfigError.invalidValue(key, entry, 'voter must look like id@host:port');
    const id = Number(m[1]);
    if (!Number.isSafeInteger(id) || id > 2147483647) {
      throw ConfigError.invalidValue(key, entry, 'voter id must be a non-negative INT');
    }
    if (out.some((v) => v.id === id)) {
      throw ConfigError.invalidValue(key, entries.join(','), `duplicate voter id ${id}`);
    }
    out.push({ id, host: m[2] ?? m[3], port: port(key, entry, m[4], 1) });
  }
  return out;
}

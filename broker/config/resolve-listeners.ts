/**
 * Cross-checks of the listener keys, after KafkaConfig: every listener needs a security protocol,
 * advertised listeners must be a subset of listeners, the inter-broker listener must be advertised.
 * One relaxation: a controller role without a controller listener is allowed, because this broker
 * can run the quorum over its broker listener (single-node quickstart with the default listeners).
 */
import type { ConfigValues, ConfigLogger } from './values';
import { ConfigError } from './errors';
import { parseListeners, parseSecurityProtocolMap, type Listener, type ListenerAddress } from './listeners';
import type { SecurityProtocol } from './listeners';

export interface ResolvedListeners {
  listeners: Listener[];
  advertisedListeners: Listener[];
  listenerSecurityProtocolMap: Map<string, SecurityProtocol>;
  interBrokerListenerName: string;
  controllerListenerNames: string[];
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::']);
// Clients cannot connect to a wildcard address; the quickstart runs on loopback.
const DEFAULT_ADVERTISED_HOST = '127.0.0.1';

export function resolveListeners(
  v: ConfigValues,
  roles: readonly string[],
  log: ConfigLogger,
): ResolvedListeners {
  const bind = parseListeners('listeners', v.list('listeners'));
  if (bind.length === 0)
    throw ConfigError.invalidValue('listeners', v.raw('listeners'), 'at least one listener');
  const controllerListenerNames = v.list('controller.listener.names').map((n) => n.toUpperCase());

  const map = parseSecurityProtocolMap(
    'listener.security.protocol.map',
    v.list('listener.security.protocol.map'),
  );
  // KafkaConfig.effectiveListenerSecurityProtocolMap: with the default map, controller listeners
  // that are not mapped are PLAINTEXT.
  if (!v.isSet('listener.security.protocol.map')) {
    for (const name of controllerListenerNames) if (!map.has(name)) map.set(name, 'PLAINTEXT');
  }
  const withProtocol = (key: string, l: ListenerAddress): Listener => {
    const securityProtocol = map.get(l.name);
    if (!securityProtocol) {
      throw ConfigError.invalidValue(
        key,
        v.raw(key),
        `no security protocol for listener ${l.name} in listener.security.protocol.map`,
      );
    }
    return { ...l, securityProtocol };
  };
  const listeners = bind.map((l) => withProtocol('listeners', l));

  let advertised: ListenerAddress[];
  const explicit = v.optList('advertised.listeners');
  if (explicit && explicit.length > 0) {
    advertised = parseListeners('advertised.listeners', explicit).map((a) => {
      if (!bind.some((l) => l.name === a.name)) {
        throw ConfigError.invalidValue(
          'advertised.listeners',
          v.raw('advertised.listeners'),
          `listener ${a.name} is not in listeners`,
        );
      }
      if (WILDCARD_HOSTS.has(a.host)) {
        throw ConfigError.invalidValue(
          'advertised.listeners',
          v.raw('advertised.listeners'),
          `cannot advertise the non-routable address ${a.host}`,
        );
      }
      return { ...a, host: a.host === '' ? DEFAULT_ADVERTISED_HOST : a.host };
    });
  } else {
    advertised = bind
      .filter((l) => !controllerListenerNames.includes(l.name))
      .map((l) => ({
        ...l,
        host: l.host === '' || WILDCARD_HOSTS.has(l.host) ? DEFAULT_ADVERTISED_HOST : l.host,
      }));
  }
  const advertisedListeners = advertised.map((l) => withProtocol('advertised.listeners', l));

  if (v.isSet('inter.broker.listener.name') && v.isSet('security.inter.broker.protocol')) {
    throw ConfigError.invalidValue(
      'inter.broker.listener.name',
      v.raw('inter.broker.listener.name'),
      'set only one of inter.broker.listener.name and security.inter.broker.protocol',
    );
  }
  const interBrokerListenerName = (
    v.optStr('inter.broker.listener.name') || v.str('security.inter.broker.protocol')
  ).toUpperCase();
  if (roles.includes('broker') && !advertisedListeners.some((l) => l.name === interBrokerListenerName)) {
    const valid = advertisedListeners.map((l) => l.name).join(', ');
    throw ConfigError.invalidValue(
      'inter.broker.listener.name',
      interBrokerListenerName,
      `must be a listener name in advertised.listeners (${valid})`,
    );
  }

  if (
    roles.includes('controller') &&
    v.isSet('controller.listener.names') &&
    !bind.some((l) => controllerListenerNames.includes(l.name))
  ) {
    log.warn(
      `controller.listener.names ${controllerListenerNames.join(',')} matches no listener; the quorum uses the broker listener`,
    );
  }
  return {
    listeners,
    advertisedListeners,
    listenerSecurityProtocolMap: map,
    interBrokerListenerName,
    controllerListenerNames,
  };
}

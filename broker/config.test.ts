import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BROKER_CONFIG_DEFS,
  CONFIG_SOURCE_IDS,
  CONFIG_TYPE_IDS,
  ConfigError,
  brokerConfigFromProperties,
  describeBrokerConfig,
  loadBrokerConfig,
  parseListener,
  parseProperties,
  parseQuorumVoters,
  type BrokerConfig,
} from './config';

function collect(): { warn(msg: string): void; warnings: string[] } {
  const warnings: string[] = [];
  return { warn: (m) => warnings.push(m), warnings };
}

function load(text: string, overrides?: Record<string, string | number | boolean>): BrokerConfig {
  const log = collect();
  const config = loadBrokerConfig({ text, overrides }, log);
  expect(log.warnings).toEqual([]);
  return config;
}

/** Runs fn, expects a ConfigError, returns it. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseProperties', () => {
  it('accepts =, : and whitespace separators and trims around them', () => {
    const p = parseProperties('a=1\nb: 2\nc 3\n  d  =  4  \ne:5\nf=\ng\nh\t=\tx y\nk = = v\n');
    expect(Object.fromEntries(p)).toEqual({
      a: '1',
      b: '2',
      c: '3',
      d: '4',
      e: '5',
      f: '',
      g: '',
      h: 'x y',
      k: '= v',
    });
  });

  it('skips # and ! comments and blank lines, but # inside a value is data', () => {
    const p = parseProperties('# comment\n! also\n   # indented comment\n\n   \nurl=a#b # not a comment\n');
    expect([...p]).toEqual([['url', 'a#b # not a comment']]);
  });

  it('joins backslash continuations, dropping leading whitespace of the next line', () => {
    const p = parseProperties('list=a,\\\n    b,\\\n\t c\nnext=1\n');
    expect(p.get('list')).toBe('a,b,c');
    expect(p.get('next')).toBe('1');
  });

  it('an even number of trailing backslashes is an escaped backslash, not a continuation', () => {
    const p = parseProperties('path=C:\\\\\\\\\nnext=1\n');
    expect(p.get('path')).toBe('C:\\\\');
    expect(p.get('next')).toBe('1');
  });

  it('a comment never continues, but a continued line may start with #', () => {
    const p = parseProperties('# comment \\\nreal=1\nv=a\\\n#b\n');
    expect(p.get('real')).toBe('1');
    expect(p.get('v')).toBe('a#b');
  });

  it('a continuation onto a blank line ends the value; one at end of input is dropped', () => {
    const p = parseProperties('a=x\\\n\nb=y\\');
    expect(p.get('a')).toBe('x');
    expect(p.get('b')).toBe('y');
  });

  it('decodes \\t \\n \\r \\f \\uXXXX and escaped separators in keys and values', () => {
    const p = parseProperties(
      'tab=a\\tb\nnl=a\\nb\ncr=\\r\\f\nuni=\\u0041\\u00e9\\u20AC\nk\\=ey\\:x\\ y=v\\=1\nother=\\q\\\\\n',
    );
    expect(p.get('tab')).toBe('a\tb');
    expect(p.get('nl')).toBe('a\nb');
    expect(p.get('cr')).toBe('\r\f');
    expect(p.get('uni')).toBe('Aé€');
    expect(p.get('k=ey:x y')).toBe('v=1');
    expect(p.get('other')).toBe('q\\');
  });

  it('drops trailing whitespace unless escaped', () => {
    const p = parseProperties('a=value   \nb=value\\ \t\n');
    expect(p.get('a')).toBe('value');
    expect(p.get('b')).toBe('value ');
  });

  it('handles CRLF and CR line ends, a BOM, and lets the last duplicate win', () => {
    const p = parseProperties('\uFEFFa=1\r\nb=2\rc=\\\r\n  3\r\na=4');
    expect(Object.fromEntries(p)).toEqual({ a: '4', b: '2', c: '3' });
  });

  it('rejects a malformed \\u escape with its line number', () => {
    const err = configError(() => parseProperties('ok=1\nbad=\\u12G4\n'));
    expect(err.message).toContain('line 2');
  });
});

describe('defaults', () => {
  it('an empty configuration is a single-node combined broker+controller on 127.0.0.1:9092', () => {
    const c = load('');
    expect(c.nodeId).toBe(1);
    expect(c.processRoles).toEqual(['broker', 'controller']);
    expect(c.controllerQuorumVoters).toEqual([]);
    expect(c.listeners).toEqual([
      { name: 'PLAINTEXT', host: '127.0.0.1', port: 9092, securityProtocol: 'PLAINTEXT' },
    ]);
    expect(c.advertisedListeners).toEqual(c.listeners);
    expect(c.interBrokerListenerName).toBe('PLAINTEXT');
    expect(c.controllerListenerNames).toEqual(['CONTROLLER']);
    expect(c.logDirs).toEqual(['./data/kafka-logs']);
    expect(c.clusterId).toBeNull();
    expect(c.brokerRack).toBeNull();
  });

  it('uses Kafka defaults for the numeric and boolean keys', () => {
    const c = load('');
    expect(c).toMatchObject({
      numPartitions: 1,
      defaultReplicationFactor: 1,
      minInsyncReplicas: 1,
      autoCreateTopicsEnable: true,
      deleteTopicEnable: true,
      offsetsTopicNumPartitions: 50,
      offsetsTopicReplicationFactor: 1,
      transactionStateLogReplicationFactor: 1,
      transactionStateLogMinIsr: 1,
      logRetentionMs: 168 * 3_600_000,
      logRetentionBytes: -1,
      logSegmentBytes: 1073741824,
      logRollMs: 168 * 3_600_000,
      logRetentionCheckIntervalMs: 300000,
      logIndexIntervalBytes: 4096,
      logIndexSizeMaxBytes: 10485760,
      logFlushIntervalMessages: 2 ** 63,
      logFlushIntervalMs: null,
      messageMaxBytes: 1048588,
      replicaLagTimeMaxMs: 30000,
      replicaFetchMaxBytes: 1048576,
      uncleanLeaderElectionEnable: false,
      autoLeaderRebalanceEnable: true,
      groupInitialRebalanceDelayMs: 3000,
      groupMinSessionTimeoutMs: 6000,
      groupMaxSessionTimeoutMs: 1800000,
      groupMaxSize: 2147483647,
      offsetsRetentionMinutes: 10080,
      transactionMaxTimeoutMs: 900000,
      socketRequestMaxBytes: 104857600,
      socketSendBufferBytes: 102400,
      socketReceiveBufferBytes: 102400,
      connectionsMaxIdleMs: 600000,
      numNetworkThreads: 3,
      numIoThreads: 8,
      logMessageTimestampType: 'CreateTime',
      compressionType: 'producer',
      brokerSessionTimeoutMs: 9000,
      brokerHeartbeatIntervalMs: 2000,
    });
  });

  it('the table has one row per key, each with a doc string', () => {
    const names = BROKER_CONFIG_DEFS.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    for (const d of BROKER_CONFIG_DEFS) expect(d.doc.length).toBeGreaterThan(5);
    for (const d of BROKER_CONFIG_DEFS) for (const s of d.synonyms ?? []) expect(names).toContain(s);
  });
});

describe('aliases and precedence', () => {
  it('log.retention.ms > log.retention.minutes > log.retention.hours', () => {
    expect(load('log.retention.hours=2').logRetentionMs).toBe(7_200_000);
    expect(load('log.retention.hours=2\nlog.retention.minutes=3').logRetentionMs).toBe(180_000);
    expect(load('log.retention.hours=2\nlog.retention.minutes=3\nlog.retention.ms=1234').logRetentionMs).toBe(
      1234,
    );
    expect(load('log.retention.minutes=3\nlog.retention.ms=-1').logRetentionMs).toBe(-1);
    // Kafka maps every negative ms value to "unlimited".
    expect(load('log.retention.ms=-5').logRetentionMs).toBe(-1);
    expect(load('log.retention.hours=-1').logRetentionMs).toBe(-1);
  });

  it('log.roll.ms > log.roll.hours', () => {
    expect(load('log.roll.hours=1').logRollMs).toBe(3_600_000);
    expect(load('log.roll.hours=1\nlog.roll.ms=500').logRollMs).toBe(500);
  });

  it('broker.id is a synonym of node.id; both set must agree', () => {
    expect(load('broker.id=7').nodeId).toBe(7);
    expect(load('node.id=8').nodeId).toBe(8);
    expect(load('node.id=9\nbroker.id=9').nodeId).toBe(9);
    const err = configError(() => load('node.id=3\nbroker.id=4'));
    expect(err.key).toBe('node.id');
    expect(err.message).toContain('broker.id');
  });

  it('log.dirs (comma list) overrides log.dir', () => {
    expect(load('log.dir=/var/k').logDirs).toEqual(['/var/k']);
    expect(load('log.dir=/var/k\nlog.dirs=/a , /b,').logDirs).toEqual(['/a', '/b']);
  });

  it('overrides beat text, text beats the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'broker-config-'));
    const file = join(dir, 'server.properties');
    writeFileSync(file, 'num.partitions=2\nmessage.max.bytes=100\nnode.id=5\n');
    const c = loadBrokerConfig(
      {
        file,
        text: 'num.partitions=3\nnode.id=6',
        overrides: { 'num.partitions': 4, 'delete.topic.enable': false },
      },
      collect(),
    );
    expect(c.numPartitions).toBe(4);
    expect(c.messageMaxBytes).toBe(100);
    expect(c.nodeId).toBe(6);
    expect(c.deleteTopicEnable).toBe(false);
  });

  it('a missing file is a ConfigError naming the file', () => {
    const err = configError(() => loadBrokerConfig({ file: '/nonexistent/server.properties' }, collect()));
    expect(err.message).toContain('/nonexistent/server.properties');
  });
});

describe('listeners', () => {
  it('parses name, host and port, including port 0, all-interfaces and IPv6', () => {
    expect(parseListener('listeners', 'PLAINTEXT://:9092')).toEqual({
      name: 'PLAINTEXT',
      host: '',
      port: 9092,
    });
    expect(parseListener('listeners', 'plaintext://0.0.0.0:0')).toEqual({
      name: 'PLAINTEXT',
      host: '0.0.0.0',
      port: 0,
    });
    expect(parseListener('listeners', 'PLAINTEXT://[::1]:9092')).toEqual({
      name: 'PLAINTEXT',
      host: '::1',
      port: 9092,
    });
    expect(parseListener('listeners', 'EXTERNAL://kafka-1.example.com:19092')).toEqual({
      name: 'EXTERNAL',
      host: 'kafka-1.example.com',
      port: 19092,
    });
  });

  it('advertises 127.0.0.1 for wildcard hosts and keeps port 0 for the bound port', () => {
    const c = load('listeners=PLAINTEXT://:0');
    expect(c.listeners[0]).toMatchObject({ host: '', port: 0 });
    expect(c.advertisedListeners).toEqual([
      { name: 'PLAINTEXT', host: '127.0.0.1', port: 0, securityProtocol: 'PLAINTEXT' },
    ]);
    expect(load('listeners=PLAINTEXT://0.0.0.0:9092').advertisedListeners[0].host).toBe('127.0.0.1');
    expect(load('listeners=PLAINTEXT://[::]:9092').advertisedListeners[0].host).toBe('127.0.0.1');
    expect(load('listeners=PLAINTEXT://[::1]:9092').advertisedListeners[0].host).toBe('::1');
  });

  it('does not advertise controller listeners and maps them to PLAINTEXT by default', () => {
    const c = load('listeners=PLAINTEXT://:9092,CONTROLLER://:9093');
    expect(c.listeners.map((l) => l.name)).toEqual(['PLAINTEXT', 'CONTROLLER']);
    expect(c.listeners[1].securityProtocol).toBe('PLAINTEXT');
    expect(c.advertisedListeners.map((l) => l.name)).toEqual(['PLAINTEXT']);
  });

  it('uses explicit advertised.listeners and the security protocol map', () => {
    const c = load(
      [
        'listeners=INTERNAL://127.0.0.1:9092,EXTERNAL://:9094',
        'advertised.listeners=INTERNAL://127.0.0.1:9092,EXTERNAL://kafka.example.com:9094',
        'listener.security.protocol.map=INTERNAL:PLAINTEXT,EXTERNAL:SASL_SSL',
        'inter.broker.listener.name=internal',
      ].join('\n'),
    );
    expect(c.interBrokerListenerName).toBe('INTERNAL');
    expect(c.advertisedListeners).toEqual([
      { name: 'INTERNAL', host: '127.0.0.1', port: 9092, securityProtocol: 'PLAINTEXT' },
      { name: 'EXTERNAL', host: 'kafka.example.com', port: 9094, securityProtocol: 'SASL_SSL' },
    ]);
    expect(c.listenerSecurityProtocolMap.get('EXTERNAL')).toBe('SASL_SSL');
  });

  it.each([
    ['PLAINTEXT://localhost', 'listeners=PLAINTEXT://localhost'],
    ['localhost:9092', 'listeners=localhost:9092'],
    ['PLAINTEXT://localhost:70000', 'listeners=PLAINTEXT://localhost:70000'],
    ['PLAINTEXT://::1:9092', 'listeners=PLAINTEXT://::1:9092'],
  ])('rejects the malformed listener %s', (value, text) => {
    const err = configError(() => load(text));
    expect(err.key).toBe('listeners');
    expect(err.message).toContain('listeners');
    expect(err.message).toContain(value);
  });

  it('rejects duplicate names, duplicate ports and listeners without a security protocol', () => {
    expect(configError(() => load('listeners=PLAINTEXT://:9092,PLAINTEXT://:9093')).message).toContain(
      'duplicate',
    );
    expect(configError(() => load('listeners=A://:9092,B://:9092')).message).toContain('9092');
    // Port 0 twice is fine: the OS picks two ports.
    expect(() =>
      load('listeners=PLAINTEXT://:0,B://:0\nlistener.security.protocol.map=PLAINTEXT:PLAINTEXT,B:PLAINTEXT'),
    ).not.toThrow();
    const err = configError(() => load('listeners=PLAINTEXT://:9092,FOO://:9093'));
    expect(err.key).toBe('listeners');
    expect(err.message).toContain('FOO');
  });

  it('rejects bad advertised listeners and a missing inter-broker listener', () => {
    let err = configError(() => load('advertised.listeners=PLAINTEXT://0.0.0.0:9092'));
    expect(err.key).toBe('advertised.listeners');
    expect(err.message).toContain('0.0.0.0');
    err = configError(() => load('advertised.listeners=OTHER://host:9092'));
    expect(err.message).toContain('OTHER');
    err = configError(() => load('inter.broker.listener.name=INTERNAL'));
    expect(err.key).toBe('inter.broker.listener.name');
    expect(err.message).toContain('INTERNAL');
    err = configError(() => load('listener.security.protocol.map=PLAINTEXT:TLS'));
    expect(err.key).toBe('listener.security.protocol.map');
    expect(err.message).toContain('TLS');
  });
});

describe('controller quorum', () => {
  it('parses id@host:port voters, IPv6 included', () => {
    expect(parseQuorumVoters('controller.quorum.voters', ['1@localhost:9093', '2@[::1]:9094'])).toEqual([
      { id: 1, host: 'localhost', port: 9093 },
      { id: 2, host: '::1', port: 9094 },
    ]);
    const err = configError(() => load('controller.quorum.voters=1@localhost'));
    expect(err.key).toBe('controller.quorum.voters');
    expect(err.message).toContain('1@localhost');
  });

  it('a controller must be a voter; a broker-only node needs voters', () => {
    expect(configError(() => load('node.id=4\ncontroller.quorum.voters=1@h:1,2@h:2')).message).toContain('4');
    expect(configError(() => load('process.roles=broker')).key).toBe('controller.quorum.voters');
    expect(load('process.roles=broker\ncontroller.quorum.voters=1@h:9093').processRoles).toEqual(['broker']);
  });
});

describe('bad values and unknown keys', () => {
  it('warns about an unknown key, naming it, and carries on', () => {
    const log = collect();
    const c = loadBrokerConfig({ text: 'num.partitions=2\nzookeeper.connect=localhost:2181' }, log);
    expect(c.numPartitions).toBe(2);
    expect(log.warnings).toHaveLength(1);
    expect(log.warnings[0]).toContain('zookeeper.connect');
  });

  it.each([
    ['num.partitions', 'abc'],
    ['num.partitions', '0'],
    ['num.partitions', '1.5'],
    ['message.max.bytes', '2147483648'],
    ['offsets.topic.replication.factor', '40000'],
    ['log.retention.ms', '10s'],
    ['auto.create.topics.enable', 'yes'],
    ['compression.type', 'brotli'],
    ['log.message.timestamp.type', 'createtime'],
    ['process.roles', 'broker,zookeeper'],
    ['node.id', '-1'],
    ['cluster.id', ''],
  ])('%s=%s throws a ConfigError naming the key and the value', (key, value) => {
    const err = configError(() => load(`${key}=${value}`));
    expect(err.key).toBe(key);
    expect(err.value).toBe(value);
    expect(err.message).toContain(key);
    expect(err.message).toContain(JSON.stringify(value));
  });

  it('accepts values Kafka accepts: any-case booleans, surrounding spaces, typed overrides', () => {
    const c = load('auto.create.topics.enable = FALSE \nnum.partitions =  12 ', {
      'log.segment.bytes': 1048576,
    });
    expect(c.autoCreateTopicsEnable).toBe(false);
    expect(c.numPartitions).toBe(12);
    expect(c.logSegmentBytes).toBe(1048576);
  });
});

describe('describeBrokerConfig', () => {
  it('lists every key with its value and source', () => {
    const c = load('num.partitions=3\nlog.dirs=/a, /b\nbroker.id=2');
    const entries = describeBrokerConfig(c);
    expect(entries.map((e) => e.name)).toEqual(BROKER_CONFIG_DEFS.map((d) => d.name));
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect(byName.get('num.partitions')).toMatchObject({
      value: '3',
      source: 'STATIC_BROKER_CONFIG',
      type: 'int',
    });
    expect(byName.get('log.dirs')).toMatchObject({ value: '/a,/b', source: 'STATIC_BROKER_CONFIG' });
    expect(byName.get('log.dir')).toMatchObject({ value: './data/kafka-logs', source: 'DEFAULT_CONFIG' });
    expect(byName.get('message.max.bytes')).toMatchObject({ value: '1048588', source: 'DEFAULT_CONFIG' });
    expect(byName.get('log.retention.ms')).toMatchObject({ value: null, source: 'DEFAULT_CONFIG' });
    expect(byName.get('log.retention.ms')!.synonyms).toEqual([
      'log.retention.minutes',
      'log.retention.hours',
    ]);
    expect(byName.get('node.id')).toMatchObject({ value: '2', source: 'STATIC_BROKER_CONFIG' });
    expect(byName.get('num.io.threads')!.noEffect).toBe(true);
    expect(CONFIG_SOURCE_IDS[byName.get('num.partitions')!.source]).toBe(4);
    expect(CONFIG_TYPE_IDS[byName.get('log.dirs')!.type]).toBe(7);
  });

  it('reports only defaults for an empty configuration', () => {
    const entries = describeBrokerConfig(brokerConfigFromProperties(new Map(), collect()));
    expect(entries.every((e) => e.source === 'DEFAULT_CONFIG')).toBe(true);
    expect(entries.find((e) => e.name === 'node.id')!.value).toBe('1');
  });
});

describe('example config files', () => {
  it.each([
    ['config/cluster/server-0.properties', 0],
    ['config/cluster/server-1.properties', 1],
    ['config/cluster/server-2.properties', 2],
  ])('%s loads as node %i of the 3-node cluster', (file, n) => {
    const log = collect();
    const c = loadBrokerConfig({ file: join(__dirname, '..', file) }, log);
    expect(log.warnings).toEqual([]);
    expect(c.nodeId).toBe(n);
    expect(c.processRoles).toEqual(['broker', 'controller']);
    expect(c.controllerQuorumVoters.map((v) => v.id)).toEqual([0, 1, 2]);
    expect(c.advertisedListeners).toEqual([
      { name: 'PLAINTEXT', host: '127.0.0.1', port: 9092 + n, securityProtocol: 'PLAINTEXT' },
    ]);
    expect(c.listeners.find((l) => l.name === 'CONTROLLER')?.port).toBe(c.controllerQuorumVoters[n].port);
    expect(c.logDirs).toEqual([`./data/kafka-logs-${n}`]);
    expect(c.offsetsTopicReplicationFactor).toBe(3);
  });

  it('config/server.properties is a single-node quickstart broker', () => {
    const log = collect();
    const c = loadBrokerConfig({ file: join(__dirname, '..', 'config/server.properties') }, log);
    expect(log.warnings).toEqual([]);
    expect(c.nodeId).toBe(1);
    expect(c.controllerQuorumVoters).toEqual([]);
    expect(c.listeners).toEqual([
      { name: 'PLAINTEXT', host: '127.0.0.1', port: 9092, securityProtocol: 'PLAINTEXT' },
    ]);
    expect(c.defaultReplicationFactor).toBe(1);
    expect(c.logDirs).toEqual(['./data/kafka-logs']);
  });
});

/**
 * kafka-console-producer: one record per line of standard input, sent with the kafkajs producer.
 * Options and line parsing follow Kafka 4.0's ConsoleProducer/LineMessageReader; acks defaults to -1
 * ("all") and --request-required-acks wins over --producer-property acks, as in Kafka. Lines read
 * while a send is in flight go out together in the next batch, in input order. On a terminal each
 * line is prompted with '>'.
 */
import readline from 'node:readline';
import { CompressionTypes, Partitioners, type Producer } from 'kafkajs';
import { checkRequired, type ParsedArgs, type ToolSpec } from './args';
import { Cluster, parseBootstrap } from './cluster';
import { CliError, oneLine, UsageError } from './errors';
import { kafkaClient } from './kafka';
import { LineReader, type LineRecord } from './line-reader';
import { err } from './output';
import { boolProp, merged, parsePropertyArgs, readPropertiesFile } from './properties';
import { runTool } from './run';

export const SPEC: ToolSpec = {
  name: 'kafka-console-producer',
  summary: 'This tool helps to read data from standard input and publish it to Kafka.',
  options: [
    {
      name: 'bootstrap-server',
      kind: 'string',
      argName: 'server to connect to',
      describe:
        'REQUIRED unless --broker-list(deprecated) is specified. The server(s) to connect to. The broker list string in the form HOST1:PORT1,HOST2:PORT2.',
    },
    {
      name: 'broker-list',
      kind: 'string',
      argName: 'broker-list',
      describe:
        'DEPRECATED, use --bootstrap-server instead; ignored if --bootstrap-server is specified. The broker list string in the form HOST1:PORT1,HOST2:PORT2.',
    },
    { name: 'topic', kind: 'string', describe: 'REQUIRED: The topic id to produce messages to.' },
    {
      name: 'sync',
      kind: 'flag',
      describe:
        'If set message send requests to the brokers are synchronously, one at a time as they arrive.',
    },
    {
      name: 'compression-codec',
      kind: 'optional',
      implicit: 'gzip',
      argName: 'compression-codec',
      describe:
        "The compression codec: either 'none', 'gzip', 'snappy', 'lz4', or 'zstd'. If specified without value, then it defaults to 'gzip'",
    },
    {
      name: 'request-required-acks',
      kind: 'string',
      argName: 'request required acks',
      describe: 'The required `acks` of the producer requests (default: -1)',
    },
    {
      name: 'request-timeout-ms',
      kind: 'int',
      argName: 'request timeout ms',
      describe: 'The ack timeout of the producer requests. Value must be non-negative and non-zero.',
      default: '1500',
    },
    {
      name: 'message-send-max-retries',
      kind: 'int',
      describe:
        'Brokers can fail receiving the message for multiple reasons, and being unavailable transiently is just one of them. This property specifies the number of retries before the producer give up and drop this message.',
      default: '3',
    },
    {
      name: 'batch-size',
      kind: 'int',
      argName: 'size',
      describe: 'Number of messages to send in a single batch if they are not being sent synchronously.',
      default: '16384',
    },
    {
      name: 'timeout',
      kind: 'int',
      argName: 'timeout_ms',
      describe:
        'If set and the producer is running in asynchronous mode, this gives the maximum amount of time a message will queue awaiting sufficient batch size. The value is given in ms.',
      default: '1000',
    },
    {
      name: 'producer-property',
      kind: 'string',
      multiple: true,
      argName: 'producer_prop',
      describe: 'A mechanism to pass user-defined properties in the form key=value to the producer.',
    },
    {
      name: 'producer.config',
      kind: 'string',
      argName: 'config file',
      describe:
        'Producer config properties file. Note that [producer-property] takes precedence over this config.',
    },
    {
      name: 'property',
      kind: 'string',
      multiple: true,
      argName: 'prop',
      describe:
        "A mechanism to pass user-defined properties in the form key=value to the message reader. Default properties include: parse.key=false, parse.headers=false, ignore.error=false, key.separator=\\t, headers.delimiter=\\t, headers.separator=',', headers.key.separator=':', null.marker=<unset>.",
    },
    {
      name: 'reader-config',
      kind: 'string',
      argName: 'config file',
      describe:
        'Config properties file for the message reader. Note that [property] takes precedence over this config.',
    },
  ],
};

const CODECS: Record<string, CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

export function parseAcks(v: string): number {
  const s = v.trim().toLowerCase();
  if (s === 'all' || s === '-1') return -1;
  if (s === '0' || s === '1') return Number(s);
  throw new UsageError(`Invalid value ${v} for configuration acks: String must be one of: all, -1, 0, 1`);
}

interface Settings {
  acks: number;
  compression: CompressionTypes;
  sync: boolean;
  batchSize: number;
  idempotent: boolean;
  clientId: string;
}

function settings(args: ParsedArgs): Settings {
  const file = args.str('producer.config');
  const props = merged(
    file ? readPropertiesFile(file) : new Map(),
    parsePropertyArgs(args.strs('producer-property'), '--producer-property'),
  );
  const acks = args.has('request-required-acks')
    ? args.str('request-required-acks')
    : (props.get('acks') ?? '-1');
  const codecName = args.has('compression-codec')
    ? args.str('compression-codec') || 'gzip'
    : (props.get('compression.type') ?? 'none');
  const compression = CODECS[codecName.trim().toLowerCase()];
  if (compression === undefined)
    throw new UsageError(
      `Invalid compression codec '${codecName}': use one of none, gzip, snappy, lz4, zstd`,
    );
  return {
    acks: parseAcks(acks ?? '-1'),
    compression,
    sync: args.has('sync'),
    batchSize: Math.max(1, args.int('batch-size', 1) ?? 16384),
    idempotent: boolProp(props, 'enable.idempotence', false),
    clientId: props.get('client.id') ?? 'console-producer',
  };
}

/** Sends queued records in input order, one batch in flight at a time. */
class Sender {
  private queue: LineRecord[] = [];
  private running: Promise<void> | null = null;
  failed = false;

  constructor(
    private readonly producer: Producer,
    private readonly topic: string,
    private readonly s: Settings,
  ) {}

  get backlog(): number {
    return this.queue.length;
  }

  push(r: LineRecord): Promise<void> {
    this.queue.push(r);
    this.running ??= this.drain().finally(() => (this.running = null));
    return this.running;
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    while (this.queue.length) {
      const batch = this.queue.splice(0, this.s.sync ? 1 : this.s.batchSize);
      try {
        await this.producer.send({
          topic: this.topic,
          acks: this.s.acks,
          compression: this.s.compression,
          messages: batch.map((r) => ({
            key: r.key,
            value: r.value,
            headers: Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, v ?? undefined])),
          })),
        });
      } catch (e) {
        this.failed = true;
        const first = batch[0];
        err(
          `ERROR Error when sending message to topic ${this.topic} with key: ${first.key === null ? 'null' : `${Buffer.byteLength(first.key)} bytes`}, value: ${first.value === null ? 'null' : `${Buffer.byteLength(first.value)} bytes`} with error: ${oneLine(e)}`,
        );
        if (this.s.sync) throw new CliError(oneLine(e));
      }
    }
  }
}

async function execute(args: ParsedArgs): Promise<number> {
  checkRequired(args, 'topic');
  const bootstrap = args.str('bootstrap-server') ?? args.str('broker-list');
  if (bootstrap === undefined) throw new UsageError('Missing required argument "[bootstrap-server]"');
  const servers = parseBootstrap(bootstrap);
  const s = settings(args);
  const readerFile = args.str('reader-config');
  const reader = new LineReader(
    merged(
      readerFile ? readPropertiesFile(readerFile) : new Map(),
      parsePropertyArgs(args.strs('property'), '--property'),
    ),
  );
  const topic = args.str('topic') ?? '';
  (await Cluster.connect(servers)).close();

  const producer = kafkaClient(servers, s.clientId).producer({
    allowAutoTopicCreation: true,
    idempotent: s.idempotent,
    maxInFlightRequests: s.idempotent ? 1 : undefined,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const sender = new Sender(producer, topic, s);
  const tty = process.stdin.isTTY === true;
  const rl = readline.createInterface({ input: process.stdin, terminal: false, crlfDelay: Infinity });
  const prompt = () => tty && process.stdout.write('>');
  let stopping = false;
  process.once('SIGINT', () => {
    stopping = true;
    rl.close();
  });
  try {
    prompt();
    for await (const line of rl) {
      const record = reader.parse(line);
      const sent = sender.push(record);
      if (s.sync || sender.backlog >= 10 * s.batchSize) await sent;
      if (stopping) break;
      prompt();
    }
  } finally {
    rl.close();
    await sender.idle().catch(() => {});
    await producer.disconnect().catch(() => {});
  }
  return sender.failed ? 1 : 0;
}

export function main(argv: string[]): Promise<never> {
  return runTool(SPEC, argv, execute);
}

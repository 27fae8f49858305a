/** kafkajs codecs for snappy/lz4/zstd, delegating to the broker's compression code (shared with the CLI). */
export { registerKafkajsCodecs } from '../../broker/cli/kafkajs-codecs';

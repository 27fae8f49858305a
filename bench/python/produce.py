"""Produces N records of S bytes (no key, so librdkafka's partitioner spreads them over every
partition) and prints one JSON line: records, seconds, records_per_sec, latency percentiles (ms).

Latency is sampled on every Nth record: time from produce() to its delivery report, which includes
time queued in the client, as kafka-producer-perf-test reports it.

usage: produce.py (--bootstrap host:port | --mock) --topic T --records N [--size 100] [--partitions 6]
                  [--sample 100] [--consume]   (--consume: also time consuming it back, for the mock)
"""
import argparse
import json
import sys
import time

from confluent_kafka import KafkaException, Producer

PRODUCER_CONFIG = {
    "acks": 1,
    "linger.ms": 5,
    "batch.size": 1000000,
    "batch.num.messages": 100000,
    "compression.type": "none",
    "queue.buffering.max.messages": 500000,
    "enable.idempotence": False,
    "log_level": 3,
}


def percentile(sorted_values, q):
    if not sorted_values:
        return None
    i = min(len(sorted_values) - 1, int(q * len(sorted_values)))
    return sorted_values[i]


def produce(bootstrap, topic, records, size, sample):
    p = Producer({"bootstrap.servers": bootstrap, **PRODUCER_CONFIG})
    md = p.list_topics(topic, timeout=10)
    partitions = len(md.topics[topic].partitions)
    value = b"x" * size
    latencies = []
    errors = []
    now = time.perf_counter

    def sampled(sent):
        def on_delivery(err, _msg):
            if err is not None:
                errors.append(str(err))
            else:
                latencies.append(now() - sent)

        return on_delivery

    def on_error(err, _msg):
        if err is not None:
            errors.append(str(err))

    send = p.produce
    poll = p.poll
    start = now()
    i = 0
    while i < records:
        end = min(records, i + sample)
        try:
            send(topic, value, on_delivery=sampled(now()))
            i += 1
            while i < end:
                send(topic, value)
                i += 1
        except BufferError:
            poll(0.001)
        poll(0)
    remaining = p.flush(120)
    elapsed = now() - start
    if remaining:
        raise KafkaException(f"{remaining} records undelivered after flush")
    if errors:
        raise KafkaException(f"{len(errors)} delivery errors, first: {errors[0]}")
    latencies.sort()
    return {
        "records": records,
        "partitions": partitions,
        "seconds": elapsed,
        "records_per_sec": records / elapsed,
        "mb_per_sec": records * size / elapsed / 1e6,
        "latency_samples": len(latencies),
        "p50_ms": percentile(latencies, 0.50) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "max_ms": latencies[-1] * 1000,
    }


def main():
    ap = argparse.ArgumentParser()
    target = ap.add_mutually_exclusive_group(required=True)
    target.add_argument("--bootstrap")
    target.add_argument("--mock", action="store_true")
    ap.add_argument("--topic", required=True)
    ap.add_argument("--records", type=int, required=True)
    ap.add_argument("--size", type=int, default=100)
    ap.add_argument("--partitions", type=int, default=6)
    ap.add_argument("--sample", type=int, default=100)
    ap.add_argument("--consume", action="store_true")
    args = ap.parse_args()

    mock = None
    bootstrap = args.bootstrap
    if args.mock:
        from mock_cluster import MockCluster

        mock = MockCluster(1)
        mock.create_topic(args.topic, args.partitions)
        bootstrap = mock.bootstrap
    try:
        out = produce(bootstrap, args.topic, args.records, args.size, args.sample)
        if args.consume:
            from consume import consume

            out["consume"] = consume(bootstrap, args.topic, args.records)
    finally:
        if mock is not None:
            mock.close()
    print(json.dumps(out))
    sys.stdout.flush()


if __name__ == "__main__":
    main()

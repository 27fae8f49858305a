"""Consumes N records from every partition of a topic with assign() from offset 0 (no group
membership, no commits) and prints one JSON line: records, seconds, records_per_sec, bytes.

usage: consume.py --bootstrap host:port --topic T --records N
"""
import argparse
import json
import sys
import time

from confluent_kafka import Consumer, KafkaException, OFFSET_BEGINNING, TopicPartition

CONSUMER_CONFIG = {
    # confluent_kafka insists on a group.id, but with assign() and no commits librdkafka never joins
    # the group, so the broker needs no group coordinator.
    "group.id": "bench-assign",
    "enable.auto.commit": False,
    "enable.auto.offset.store": False,
    "enable.partition.eof": False,
    "fetch.max.bytes": 64 * 1024 * 1024,
    "max.partition.fetch.bytes": 16 * 1024 * 1024,
    "fetch.wait.max.ms": 100,
    "queued.max.messages.kbytes": 256 * 1024,
    "log_level": 3,
}


def consume(bootstrap, topic, records, timeout_s=120.0):
    c = Consumer({"bootstrap.servers": bootstrap, **CONSUMER_CONFIG})
    try:
        md = c.list_topics(topic, timeout=10)
        parts = sorted(md.topics[topic].partitions)
        try:
            # librdkafka looks for the group coordinator as soon as group.id is set; on a fresh broker
            # that creates __consumer_offsets. Wait for it here so the timing below is fetching only.
            c.committed([TopicPartition(topic, p) for p in parts], timeout=5)
        except KafkaException:
            pass  # a broker without group APIs: nothing to wait for
        start = time.perf_counter()
        c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in parts])
        count = 0
        size = 0
        deadline = start + timeout_s
        while count < records:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"consumed {count} of {records} records in {timeout_s}s")
            for m in c.consume(num_messages=10000, timeout=1.0):
                err = m.error()
                if err is not None:
                    raise KafkaException(err)
                count += 1
                size += len(m.value())
        elapsed = time.perf_counter() - start
    finally:
        c.close()
    return {
        "records": count,
        "partitions": len(parts),
        "bytes": size,
        "seconds": elapsed,
        "records_per_sec": count / elapsed,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--topic", required=True)
    ap.add_argument("--records", type=int, required=True)
    args = ap.parse_args()
    print(json.dumps(consume(args.bootstrap, args.topic, args.records)))
    sys.stdout.flush()


if __name__ == "__main__":
    main()

"""Produces to one topic until killed (or SECONDS pass) with acks=1, printing each acknowledged record.

usage: produce.py BOOTSTRAP TOPIC PARTITIONS [SECONDS]
Record n goes to partition n % PARTITIONS with key "k-<n>" and value "v-<n>-" padded with n % 200 x's.
Every delivery report is one JSON line on stdout, flushed at once so a SIGKILL loses none that were
printed: {"p": partition, "o": offset, "k": key, "ts": timestamp} or {"err": reason, "k": key}.
The rate is kept to a few thousand records a second so a test's log stays small.
"""

import json
import sys
import time

from confluent_kafka import Producer


def main():
    bootstrap, topic, partitions = sys.argv[1], sys.argv[2], int(sys.argv[3])
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 30.0
    producer = Producer(
        {
            "bootstrap.servers": bootstrap,
            "acks": 1,
            "enable.idempotence": False,
            "linger.ms": 5,
            "message.timeout.ms": 10000,
        }
    )

    def report(err, msg):
        key = msg.key().decode()
        if err is not None:
            line = {"err": str(err), "k": key}
        else:
            line = {"p": msg.partition(), "o": msg.offset(), "k": key, "ts": msg.timestamp()[1]}
        sys.stdout.write(json.dumps(line) + "\n")
        sys.stdout.flush()

    n = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for _ in range(20):
            value = f"v-{n}-" + "x" * (n % 200)
            producer.produce(topic, key=f"k-{n}", value=value, partition=n % partitions, on_delivery=report)
            n += 1
        producer.poll(0.005)
    producer.flush(10)


if __name__ == "__main__":
    main()

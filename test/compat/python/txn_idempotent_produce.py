"""confluent-kafka (librdkafka) Producer for the idempotence tests: produces COUNT keyed records
(key "key-<i mod 16>", value "<i>" zero-padded) to TOPIC through BOOTSTRAP, in small batches so there
are many Produce requests, waits for every delivery report and prints one JSON object:
{"deliveries": [[i, partition, offset, error-or-null], ...], "undelivered": n}.

usage: txn_idempotent_produce.py BOOTSTRAP TOPIC COUNT IDEMPOTENCE(true|false)
"""

import json
import sys

from confluent_kafka import Producer


def main() -> None:
    bootstrap, topic, count, idempotence = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    producer = Producer(
        {
            "bootstrap.servers": bootstrap,
            "enable.idempotence": idempotence == "true",
            "acks": "all",
            "linger.ms": 2,
            # Small batches: thousands of records become hundreds of Produce requests.
            "batch.num.messages": 20,
            "max.in.flight.requests.per.connection": 5,
            "retry.backoff.ms": 20,
            "reconnect.backoff.ms": 20,
            "reconnect.backoff.max.ms": 200,
            "message.timeout.ms": 60000,
        }
    )
    deliveries = []

    def report(index):
        def on_delivery(err, msg):
            deliveries.append(
                [index, msg.partition(), msg.offset(), None if err is None else str(err)]
            )

        return on_delivery

    for i in range(count):
        while True:
            try:
                producer.produce(
                    topic, key=f"key-{i % 16}", value=f"{i:06d}", on_delivery=report(i)
                )
                break
            except BufferError:
                producer.poll(0.05)
        producer.poll(0)
    undelivered = producer.flush(60)
    print(json.dumps({"deliveries": deliveries, "undelivered": undelivered}))


if __name__ == "__main__":
    main()

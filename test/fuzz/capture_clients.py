"""confluent-kafka (librdkafka) workload whose requests the fuzz corpus records; prints a JSON summary.

usage: capture_clients.py BOOTSTRAP PREFIX

Admin (create topics, describe/alter configs, create partitions, list groups), producers with every
compression codec with and without idempotence, a transactional producer that commits and aborts and
sends offsets, and a group consumer that subscribes, consumes, commits and looks up offsets. Every
client uses client.id "python-fuzz" so the capture proxy can attribute its frames. Failures of single
steps are recorded, not raised: the point is the requests, not the answers.
"""

import json
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, ConfigResource, NewPartitions, NewTopic

TIMEOUT = 10
CLIENT = {"client.id": "python-fuzz"}
errors = []


def step(name, fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - any failure is just noted
        errors.append(f"{name}: {e}")


def admin_steps(bootstrap, prefix):
    admin = AdminClient({"bootstrap.servers": bootstrap, **CLIENT})
    topic = f"{prefix}-py"
    futures = admin.create_topics(
        [
            NewTopic(topic, num_partitions=3, replication_factor=1, config={"cleanup.policy": "delete"}),
            NewTopic(f"{prefix}-py-compact", num_partitions=1, replication_factor=1,
                     config={"cleanup.policy": "compact", "segment.bytes": "1048576"}),
        ]
    )
    for f in futures.values():
        step("create_topics", lambda f=f: f.result(timeout=TIMEOUT))
    res = ConfigResource(ConfigResource.Type.TOPIC, topic)
    step("describe_configs", lambda: admin.describe_configs([res])[res].result(timeout=TIMEOUT))
    broker = ConfigResource(ConfigResource.Type.BROKER, "1")
    step("describe_broker_configs", lambda: admin.describe_configs([broker])[broker].result(timeout=TIMEOUT))
    alter = ConfigResource(ConfigResource.Type.TOPIC, topic, set_config={"retention.ms": "3600000"})
    step("alter_configs", lambda: admin.alter_configs([alter])[alter].result(timeout=TIMEOUT))
    step(
        "create_partitions",
        lambda: admin.create_partitions([NewPartitions(topic, 4)])[topic].result(timeout=TIMEOUT),
    )
    step("list_topics", lambda: admin.list_topics(timeout=TIMEOUT))
    step("list_groups", lambda: admin.list_groups(timeout=TIMEOUT))
    return admin, topic


def produce_steps(bootstrap, topic):
    for codec in ["none", "gzip", "snappy", "lz4", "zstd"]:
        for idempotence in [False, True]:
            p = Producer(
                {
                    "bootstrap.servers": bootstrap,
                    **CLIENT,
                    "compression.type": codec,
                    "enable.idempotence": idempotence,
                    "acks": "all" if idempotence else "1",
                    "linger.ms": 5,
                    "batch.num.messages": 10,
                }
            )
            for i in range(30):
                # Repetitive values, so compression has something to shrink (librdkafka leaves a batch
                # uncompressed when it does not get smaller).
                p.produce(topic, key=f"k{i % 7}", value=("v" * 50) + str(i), headers=[("h", b"x" * 5)])
            p.flush(TIMEOUT)
    p = Producer({"bootstrap.servers": bootstrap, **CLIENT, "acks": "0"})
    for i in range(5):
        p.produce(topic, value=f"acks0-{i}")
    p.flush(TIMEOUT)


def consumer_steps(bootstrap, topic, prefix):
    c = Consumer(
        {
            "bootstrap.servers": bootstrap,
            **CLIENT,
            "group.id": f"{prefix}-py-group",
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            "session.timeout.ms": 6000,
            "heartbeat.interval.ms": 300,
            "fetch.wait.max.ms": 100,
        }
    )
    c.subscribe([topic])
    got = 0
    last = None
    deadline = time.time() + TIMEOUT
    while got < 100 and time.time() < deadline:
        for m in c.consume(100, 0.3):
            if m.error() is None:
                got += 1
                last = m
    if last is not None:
        step("commit", lambda: c.commit(message=last, asynchronous=False))
    step("committed", lambda: c.committed([TopicPartition(topic, 0)], timeout=TIMEOUT))
    step("position", lambda: c.position([TopicPartition(topic, 0)]))
    step("watermarks", lambda: c.get_watermark_offsets(TopicPartition(topic, 0), timeout=TIMEOUT))
    step(
        "offsets_for_times",
        lambda: c.offsets_for_times([TopicPartition(topic, 0, int(time.time() * 1000) - 60000)], timeout=TIMEOUT),
    )
    time.sleep(1)  # a few heartbeats
    return c, got


def txn_steps(bootstrap, topic, consumer):
    p = Producer(
        {
            "bootstrap.servers": bootstrap,
            **CLIENT,
            "transactional.id": f"{topic}-txn",
            "compression.type": "lz4",
            "linger.ms": 5,
        }
    )
    p.init_transactions(TIMEOUT)
    p.begin_transaction()
    for i in range(10):
        p.produce(topic, key=f"t{i}", value=f"txn-{i}")
    p.flush(TIMEOUT)
    step(
        "send_offsets",
        lambda: p.send_offsets_to_transaction(
            [TopicPartition(topic, 0, 1)], consumer.consumer_group_metadata(), TIMEOUT
        ),
    )
    p.commit_transaction(TIMEOUT)
    p.begin_transaction()
    p.produce(topic, value="aborted")
    p.flush(TIMEOUT)
    p.abort_transaction(TIMEOUT)


def main():
    bootstrap, prefix = sys.argv[1], sys.argv[2]
    admin, topic = admin_steps(bootstrap, prefix)
    step("produce", lambda: produce_steps(bootstrap, topic))
    consumer, got = consumer_steps(bootstrap, topic, prefix)
    step("transactions", lambda: txn_steps(bootstrap, topic, consumer))
    consumer.close()
    step("list_groups", lambda: admin.list_groups(timeout=TIMEOUT))
    fut = admin.delete_topics([f"{prefix}-py-compact"])
    for f in fut.values():
        step("delete_topics", lambda f=f: f.result(timeout=TIMEOUT))
    print(json.dumps({"consumed": got, "errors": errors}))


if __name__ == "__main__":
    try:
        main()
    except KafkaException as e:
        print(json.dumps({"fatal": str(e), "errors": errors}))

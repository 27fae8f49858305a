"""confluent-kafka (librdkafka) AdminClient.list_topics against the broker; prints the metadata as JSON.

usage: metadata.py BOOTSTRAP [TOPIC] [allow.auto.create.topics: true|false]
AdminClient is a producer-type librdkafka handle, so allow.auto.create.topics defaults to true for it
(librdkafka CONFIGURATION.md): list_topics(topic=...) sends Metadata with AllowAutoTopicCreation=true.
"""

import json
import sys

from confluent_kafka.admin import AdminClient


def describe(md):
    return {
        "cluster_id": md.cluster_id,
        "controller_id": md.controller_id,
        "orig_broker_id": md.orig_broker_id,
        "brokers": sorted(
            ({"id": b.id, "host": b.host, "port": b.port} for b in md.brokers.values()), key=lambda b: b["id"]
        ),
        "topics": {
            name: {
                "error": t.error.code() if t.error is not None else None,
                "partitions": [
                    {"id": p.id, "leader": p.leader, "replicas": p.replicas, "isrs": p.isrs}
                    for p in sorted(t.partitions.values(), key=lambda p: p.id)
                ],
            }
            for name, t in md.topics.items()
        },
    }


def main():
    bootstrap = sys.argv[1]
    topic = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None
    conf = {"bootstrap.servers": bootstrap}
    if len(sys.argv) > 3:
        conf["allow.auto.create.topics"] = sys.argv[3] == "true"
    admin = AdminClient(conf)
    out = {}
    if topic is not None:
        out["requested"] = describe(admin.list_topics(topic=topic, timeout=10))
    out["all"] = describe(admin.list_topics(timeout=10))
    print(json.dumps(out))


if __name__ == "__main__":
    main()

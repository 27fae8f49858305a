"""confluent-kafka (librdkafka) AdminClient topic administration against the broker; prints JSON.

usage: admin.py BOOTSTRAP scenario        create/partitions/configs/delete steps, one JSON object
       admin.py BOOTSTRAP delete TOPIC... delete_topics only (for a broker with deletion disabled)

Each step's result is null on success or {"code": Kafka error code, "name": librdkafka's name}.
python3-confluent-kafka in Debian 12 is 1.7.0: no incremental_alter_configs, so alter_configs (the
legacy AlterConfigs API) is what it can test.
"""

import json
import sys

from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient, ConfigResource, NewPartitions, NewTopic

TIMEOUT = 15


def outcome(future):
    try:
        future.result(timeout=TIMEOUT)
        return None
    except KafkaException as e:
        err = e.args[0]
        return {"code": err.code(), "name": err.name(), "str": err.str()}


def outcomes(futures):
    return {str(k): outcome(f) for k, f in futures.items()}


def configs(admin, resource, names):
    fut = admin.describe_configs([resource])[resource]
    entries = fut.result(timeout=TIMEOUT)
    return {
        n: {
            "value": entries[n].value,
            "source": int(entries[n].source),
            "read_only": entries[n].is_read_only,
            "is_default": entries[n].is_default,
        }
        for n in names
        if n in entries
    }


def topics(admin):
    return sorted(t for t in admin.list_topics(timeout=TIMEOUT).topics if not t.startswith("__"))


def scenario(admin, broker_id):
    out = {}
    out["create"] = outcomes(
        admin.create_topics(
            [
                NewTopic("py-topic", 3, 1, config={"retention.ms": "120000"}),
                NewTopic("py-bad-rf", 1, 3),
                NewTopic("bad name!", 1, 1),
                NewTopic("py-bad-config", 1, 1, config={"cleanup.policy": "forever"}),
                NewTopic("py-unknown-config", 1, 1, config={"no.such.config": "1"}),
            ],
            operation_timeout=TIMEOUT,
        )
    )
    out["create_again"] = outcomes(admin.create_topics([NewTopic("py-topic", 1, 1)]))
    out["validate_only"] = outcomes(admin.create_topics([NewTopic("py-dry-run", 2, 1)], validate_only=True))
    out["topics_after_create"] = topics(admin)
    out["partitions"] = outcomes(
        admin.create_partitions([NewPartitions("py-topic", 5), NewPartitions("py-missing", 2)])
    )
    out["shrink"] = outcomes(admin.create_partitions([NewPartitions("py-topic", 2)]))
    out["partition_count"] = len(admin.list_topics(topic="py-topic", timeout=TIMEOUT).topics["py-topic"].partitions)
    topic = ConfigResource(ConfigResource.Type.TOPIC, "py-topic")
    out["topic_configs"] = configs(admin, topic, ["retention.ms", "cleanup.policy", "segment.bytes"])
    out["broker_configs"] = configs(
        admin, ConfigResource(ConfigResource.Type.BROKER, str(broker_id)), ["num.partitions", "log.dirs"]
    )
    out["alter"] = outcomes(
        admin.alter_configs([ConfigResource(ConfigResource.Type.TOPIC, "py-topic", set_config={"retention.ms": "5000"})])
    )
    out["alter_bad"] = outcomes(
        admin.alter_configs([ConfigResource(ConfigResource.Type.TOPIC, "py-topic", set_config={"segment.ms": "0"})])
    )
    out["topic_configs_after_alter"] = configs(admin, topic, ["retention.ms"])
    out["delete"] = outcomes(admin.delete_topics(["py-topic", "py-missing"], operation_timeout=TIMEOUT))
    out["topics_after_delete"] = topics(admin)
    return out


def main():
    bootstrap, command = sys.argv[1], sys.argv[2]
    admin = AdminClient({"bootstrap.servers": bootstrap})
    if command == "scenario":
        broker_id = admin.list_topics(timeout=TIMEOUT).orig_broker_id
        result = scenario(admin, broker_id)
    elif command == "delete":
        result = outcomes(admin.delete_topics(sys.argv[3:], operation_timeout=TIMEOUT))
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()

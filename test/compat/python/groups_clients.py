"""confluent-kafka (librdkafka) consumer-group clients for the groups-*.test.ts files.

usage: groups_clients.py consume BOOTSTRAP GROUP TOPIC [--commit-limit N] [--session-ms MS]
                                                    [--commit-on-revoke]
           subscribe and print one line per event, flushed as it happens:
             "A p,p,..."  partitions assigned      "V p,p,..."  partitions revoked
             "R p o"      a record                 "C p o"      a synchronous commit of offset o done
             "CE code"    a commit failed with that Kafka error code
           Auto commit is off. With --commit-limit -1 (the default) each batch's positions are
           committed synchronously after it is printed; otherwise the first N records are each
           committed synchronously before the next is printed, later ones never are.
           --commit-on-revoke also commits the positions when partitions are revoked (as the Java
           client's auto commit does before it rejoins), that is while the group is rebalancing.
       groups_clients.py committed BOOTSTRAP GROUP TOPIC PARTITIONS
           JSON {"committed": {p: offset}, "high": {p: high watermark}} via Consumer.committed()
       groups_clients.py groups BOOTSTRAP [GROUP]
           JSON list of AdminClient.list_groups() (ListGroups + DescribeGroups)

python3-confluent-kafka in Debian 12 is 1.7.0 (librdkafka 2.0.2): it has no
list_consumer_group_offsets or describe_consumer_groups, so Consumer.committed() and
AdminClient.list_groups() are what it can use.
"""

import argparse
import json
import signal
import sys

from confluent_kafka import Consumer, KafkaException, TopicPartition
from confluent_kafka.admin import AdminClient

TIMEOUT = 15


def interrupt(signum, frame):
    raise KeyboardInterrupt()


def emit(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def commit(consumer, **kwargs):
    try:
        for tp in consumer.commit(asynchronous=False, **kwargs) or []:
            emit("C %d %d" % (tp.partition, tp.offset))
    except KafkaException as e:
        emit("CE %d" % e.args[0].code())


def consume(bootstrap, group, topic, commit_limit, session_ms, commit_on_revoke):
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": group,
            "client.id": "py-" + group,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            "session.timeout.ms": session_ms,
            "heartbeat.interval.ms": 500,
        }
    )

    def on_assign(c, partitions):
        emit("A " + ",".join(str(p.partition) for p in partitions))

    def on_revoke(c, partitions):
        emit("V " + ",".join(str(p.partition) for p in partitions))
        if commit_on_revoke:
            commit(c)

    signal.signal(signal.SIGTERM, interrupt)
    consumer.subscribe([topic], on_assign=on_assign, on_revoke=on_revoke)
    seen = 0
    try:
        while True:
            batch = consumer.consume(num_messages=500, timeout=0.2)
            for msg in batch:
                if msg.error():
                    emit("E " + str(msg.error()))
                    continue
                emit("R %d %d" % (msg.partition(), msg.offset()))
                seen += 1
                if seen <= commit_limit:
                    commit(consumer, message=msg)
            if commit_limit < 0 and batch:
                commit(consumer)
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()


def committed(bootstrap, group, topic, partitions):
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "enable.auto.commit": False})
    tps = [TopicPartition(topic, p) for p in range(partitions)]
    out = {"committed": {}, "high": {}}
    for tp in consumer.committed(tps, timeout=TIMEOUT):
        if tp.error:
            raise KafkaException(tp.error)
        out["committed"][str(tp.partition)] = tp.offset
    for tp in tps:
        low, high = consumer.get_watermark_offsets(tp, timeout=TIMEOUT)
        out["high"][str(tp.partition)] = high
    consumer.close()
    return out


def groups(bootstrap, group):
    admin = AdminClient({"bootstrap.servers": bootstrap})
    listed = admin.list_groups(group, timeout=TIMEOUT) if group else admin.list_groups(timeout=TIMEOUT)
    return [
        {
            "id": g.id,
            "error": g.error.code() if g.error else 0,
            "state": g.state,
            "protocol_type": g.protocol_type,
            "protocol": g.protocol,
            "members": sorted(
                (
                    {
                        "id": m.id,
                        "client_id": m.client_id,
                        "client_host": m.client_host,
                        "metadata_len": len(m.metadata or b""),
                        "assignment_len": len(m.assignment or b""),
                    }
                    for m in g.members
                ),
                key=lambda m: m["client_id"],
            ),
        }
        for g in sorted(listed, key=lambda g: g.id)
    ]


def main():
    command, bootstrap = sys.argv[1], sys.argv[2]
    if command == "consume":
        parser = argparse.ArgumentParser()
        parser.add_argument("group")
        parser.add_argument("topic")
        parser.add_argument("--commit-limit", type=int, default=-1)
        parser.add_argument("--session-ms", type=int, default=10000)
        parser.add_argument("--commit-on-revoke", action="store_true")
        a = parser.parse_args(sys.argv[3:])
        consume(bootstrap, a.group, a.topic, a.commit_limit, a.session_ms, a.commit_on_revoke)
    elif command == "committed":
        print(json.dumps(committed(bootstrap, sys.argv[3], sys.argv[4], int(sys.argv[5]))))
    elif command == "groups":
        print(json.dumps(groups(bootstrap, sys.argv[3] if len(sys.argv) > 3 else None)))
    else:
        raise SystemExit("unknown command " + command)


if __name__ == "__main__":
    main()

"""confluent-kafka (librdkafka) producer and consumer for the data-plane tests; JSON on stdin/stdout.

usage: data_clients.py produce BOOTSTRAP TOPIC CODEC
           stdin: one JSON record per line, {"k": b64|null, "v": b64|null, "h": [[name, b64|null], ...]}
           stdout: {"deliveries": [[partition, offset, error|null], ...] in input order}
       data_clients.py consume BOOTSTRAP TOPIC
           stdout: one JSON record per line, {"p", "o", "ts", "tstype", "k", "v", "h"}, every partition read
           from offset 0 to the high watermark found at start.

The consumer uses assign() with explicit offsets and never joins a group: confluent-kafka 1.7 insists
on a group.id, but with enable.auto.commit=false and no subscribe() librdkafka at most looks up the
coordinator in the background and fetches regardless (checked against a broker without FindCoordinator:
it logs "no broker available for coordinator query" and consumes normally).
"""

import base64
import ctypes
import json
import sys
import time

from confluent_kafka import Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka import TIMESTAMP_CREATE_TIME, TIMESTAMP_LOG_APPEND_TIME

TIMEOUT = 20


def py_headers(m):
    """Message.headers(), compensating confluent-kafka 1.7.0's missing Py_INCREF(Py_None) for null header
    values (c_headers_to_py hands Py_None to PyTuple_SetItem, which steals it): without this the
    interpreter aborts with "none_dealloc: deallocating None" after enough null headers. Messages cache
    their headers list, so this runs once per message."""
    headers = m.headers() or []
    for _name, value in headers:
        if value is None:
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(None))
    return headers


def b64(b):
    return None if b is None else base64.b64encode(b).decode("ascii")


def unb64(s):
    return None if s is None else base64.b64decode(s)


def produce(bootstrap, topic, codec):
    records = [json.loads(line) for line in sys.stdin if line.strip()]
    deliveries = [None] * len(records)
    errors = []

    def report(i):
        def cb(err, msg):
            if err is not None:
                deliveries[i] = [-1, -1, err.str()]
            else:
                deliveries[i] = [msg.partition(), msg.offset(), None]

        return cb

    p = Producer(
        {
            "bootstrap.servers": bootstrap,
            "compression.type": codec,
            "linger.ms": 20,
            "acks": "all",
            "error_cb": lambda e: errors.append(e.str()),
        }
    )
    for i, r in enumerate(records):
        headers = [(name, unb64(v)) for name, v in r["h"]]
        while True:
            try:
                p.produce(topic, key=unb64(r["k"]), value=unb64(r["v"]), headers=headers, on_delivery=report(i))
                break
            except BufferError:
                p.poll(0.1)
        p.poll(0)
    left = p.flush(TIMEOUT)
    print(json.dumps({"deliveries": deliveries, "undelivered": left, "errors": errors}))


def consume(bootstrap, topic):
    c = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": "data-compat-unused",
            "enable.auto.commit": False,
            "enable.auto.offset.store": False,
            "check.crcs": True,
            "enable.partition.eof": False,
        }
    )
    md = c.list_topics(topic, timeout=TIMEOUT).topics[topic]
    if md.error is not None:
        raise KafkaException(md.error)
    partitions = sorted(md.partitions)
    high = {}
    for p in partitions:
        _low, hi = c.get_watermark_offsets(TopicPartition(topic, p), timeout=TIMEOUT)
        high[p] = hi
    c.assign([TopicPartition(topic, p, 0) for p in partitions if high[p] > 0])
    next_offset = {p: 0 for p in partitions}
    out = sys.stdout
    deadline = time.time() + TIMEOUT
    while any(next_offset[p] < high[p] for p in partitions):
        if time.time() > deadline:
            raise SystemExit(f"timed out: at {next_offset}, high watermarks {high}")
        for m in c.consume(1000, 0.5):
            if m.error() is not None:
                raise KafkaException(m.error())
            tstype, ts = m.timestamp()
            name = {TIMESTAMP_CREATE_TIME: "create", TIMESTAMP_LOG_APPEND_TIME: "logappend"}.get(tstype, "none")
            out.write(
                json.dumps(
                    {
                        "p": m.partition(),
                        "o": m.offset(),
                        "ts": ts,
                        "tstype": name,
                        "k": b64(m.key()),
                        "v": b64(m.value()),
                        "h": [[n, b64(v)] for n, v in py_headers(m)],
                    }
                )
                + "\n"
            )
            next_offset[m.partition()] = max(next_offset[m.partition()], m.offset() + 1)
    c.close()


def main():
    command, bootstrap, topic = sys.argv[1], sys.argv[2], sys.argv[3]
    if command == "produce":
        produce(bootstrap, topic, sys.argv[4])
    elif command == "consume":
        consume(bootstrap, topic)
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main()

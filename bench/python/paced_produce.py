"""Produces records at a steady rate for end-to-end latency: each value starts with the send time,
time.monotonic_ns() in ASCII followed by a space, padded to --size bytes. CLOCK_MONOTONIC is one clock
for every process on the machine (Node's process.hrtime.bigint() reads it too), so a consumer in
another process subtracts it from its own receive time; unlike the wall clock it is never stepped.

Prints one JSON line: records, seconds, records_per_sec, errors, and the produce (ack) latency
percentiles in ms, from produce() to the delivery report.

usage: paced_produce.py --bootstrap host:port --topic T --rate R --seconds S [--size 100] [--linger 1]
"""
import argparse
import json
import sys
import time

from confluent_kafka import Producer


def percentile(sorted_values, q):
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bootstrap", required=True)
    ap.add_argument("--topic", required=True)
    ap.add_argument("--rate", type=int, required=True)
    ap.add_argument("--seconds", type=float, required=True)
    ap.add_argument("--size", type=int, default=100)
    ap.add_argument("--linger", type=float, default=1)
    args = ap.parse_args()

    p = Producer(
        {
            "bootstrap.servers": args.bootstrap,
            "acks": 1,
            "linger.ms": args.linger,
            "compression.type": "none",
            "enable.idempotence": False,
            "log_level": 3,
        }
    )
    p.list_topics(args.topic, timeout=10)  # connected, metadata known: the pacing starts warm
    acks = []
    errors = []
    clock = time.monotonic_ns

    def delivered(sent):
        def on_delivery(err, _msg):
            if err is not None:
                errors.append(str(err))
            else:
                acks.append((clock() - sent) / 1e6)

        return on_delivery

    total = int(args.rate * args.seconds)
    pad = args.size
    start = clock()
    sent = 0
    while sent < total:
        due = min(total, (clock() - start) * args.rate // 1_000_000_000 + 1)
        while sent < due:
            now = clock()
            value = b"%d " % now
            p.produce(args.topic, value.ljust(pad, b"x"), on_delivery=delivered(now))
            sent += 1
        p.poll(0)
        # Sleep until the next record is due (at least a little, so the loop does not spin).
        next_due = start + sent * 1_000_000_000 // args.rate
        time.sleep(max(0.0001, (next_due - clock()) / 1e9))
    remaining = p.flush(30)
    elapsed = (clock() - start) / 1e9
    acks.sort()
    print(
        json.dumps(
            {
                "records": sent - remaining - len(errors),
                "seconds": elapsed,
                "records_per_sec": sent / elapsed,
                "errors": len(errors) + remaining,
                "first_error": errors[0] if errors else None,
                "ack_p50_ms": percentile(acks, 0.50),
                "ack_p99_ms": percentile(acks, 0.99),
                "ack_max_ms": acks[-1] if acks else None,
            }
        )
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()

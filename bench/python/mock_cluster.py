"""librdkafka's in-memory mock cluster, created through the C API (ctypes) so the topic can have an
explicit partition count: `test.mock.num.brokers` alone auto-creates topics with 4 partitions, and
AdminClient.create_topics against the 2.0.2 mock times out "waiting for controller".

The mock runs on librdkafka threads inside this process, as it does with `test.mock.num.brokers`.
It keeps only the newest few MB of each partition (of 50,868 100-byte records, 46,192 were kept),
so it is a reference for producing, not for consuming a whole run back.
"""
import ctypes

_lib = ctypes.CDLL("librdkafka.so.1")
_lib.rd_kafka_conf_new.restype = ctypes.c_void_p
_lib.rd_kafka_conf_set.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t]
_lib.rd_kafka_new.restype = ctypes.c_void_p
_lib.rd_kafka_new.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
_lib.rd_kafka_destroy.argtypes = [ctypes.c_void_p]
_lib.rd_kafka_mock_cluster_new.restype = ctypes.c_void_p
_lib.rd_kafka_mock_cluster_new.argtypes = [ctypes.c_void_p, ctypes.c_int]
_lib.rd_kafka_mock_cluster_destroy.argtypes = [ctypes.c_void_p]
_lib.rd_kafka_mock_cluster_bootstraps.restype = ctypes.c_char_p
_lib.rd_kafka_mock_cluster_bootstraps.argtypes = [ctypes.c_void_p]
_lib.rd_kafka_mock_topic_create.restype = ctypes.c_int
_lib.rd_kafka_mock_topic_create.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int]

RD_KAFKA_PRODUCER = 0


class MockCluster:
    def __init__(self, brokers=1):
        err = ctypes.create_string_buffer(512)
        conf = _lib.rd_kafka_conf_new()
        _lib.rd_kafka_conf_set(conf, b"log_level", b"3", err, len(err))
        # The handle only hosts the mock cluster; it never produces.
        self._rk = _lib.rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, len(err))
        if not self._rk:
            raise RuntimeError(err.value.decode())
        self._mc = _lib.rd_kafka_mock_cluster_new(self._rk, brokers)
        if not self._mc:
            raise RuntimeError("rd_kafka_mock_cluster_new failed")
        self.bootstrap = _lib.rd_kafka_mock_cluster_bootstraps(self._mc).decode()

    def create_topic(self, name, partitions, replication_factor=1):
        code = _lib.rd_kafka_mock_topic_create(self._mc, name.encode(), partitions, replication_factor)
        if code != 0:
            raise RuntimeError(f"rd_kafka_mock_topic_create: error {code}")

    def close(self):
        _lib.rd_kafka_mock_cluster_destroy(self._mc)
        _lib.rd_kafka_destroy(self._rk)


def serve():
    """usage: mock_cluster.py TOPIC[:PARTITIONS]... — prints the bootstrap address, serves until stdin
    closes. Clients in other processes (kafkajs, kcat) reach the mock over loopback like our broker."""
    import sys

    mock = MockCluster(1)
    for spec in sys.argv[1:]:
        name, _, partitions = spec.partition(":")
        mock.create_topic(name, int(partitions or 1))
    print(mock.bootstrap, flush=True)
    sys.stdin.read()
    mock.close()


if __name__ == "__main__":
    serve()

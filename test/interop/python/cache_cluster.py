"""Django-format cache sessions on a Redis Cluster, for test/interop/cacheCluster.test.ts.

Usage: cache_cluster.py HOST:PORT < {"ops": [...]}
Django 3.2 has no cluster cache backend, so values are made exactly as django-redis makes them
(its PickleSerializer, protocol 4) and stored through redis-py's RedisCluster, which follows
the slots. Ops:
  write {key, data, ttl}  stores the pickled dict under the cache key with a TTL (seconds).
  read  {key}             unpickles the value under the cache key (null when absent).
"""
import json
import sys

from django.conf import settings

settings.configure()

from django_redis.serializers.pickle import PickleSerializer  # noqa: E402
from redis.cluster import RedisCluster  # noqa: E402

from tagged_values import tag, untag  # noqa: E402

host, port = sys.argv[1].rsplit(":", 1)
client = RedisCluster(host=host, port=int(port))
serializer = PickleSerializer({})


def run(op):
    if op["op"] == "write":
        client.set(op["key"], serializer.dumps(untag(op["data"])), px=op["ttl"] * 1000)
        return {}
    if op["op"] == "read":
        raw = client.get(op["key"])
        return {"data": None if raw is None else tag(serializer.loads(raw)), "ttl": client.ttl(op["key"])}
    raise ValueError("unknown op %r" % op["op"])


json.dump([run(op) for op in json.load(sys.stdin)["ops"]], sys.stdout)

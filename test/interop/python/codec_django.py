"""Real Django 3.2 on both sides of the session codec, for test/interop/codec.test.ts.

Usage: codec_django.py < {"cases": [...]}
One process handles a whole batch. Values cross the pipe in a tagged JSON form that keeps
every Python type apart (see tag()/untag()). Each case names an op:

  encode         Django builds the session (update + set_expiry) and encodes it at a fixed
                 time; returns the encoded text and Django's own decode of it.
  decode         Django decodes our text with SessionStore().decode() (settings per case)
                 and reports the data plus get_expiry_age/date/browser-close at a fixed time.
  loads_keys     Emulates SECRET_KEY_FALLBACKS on 3.2: signing.loads with each key in turn.
  dumps_cookie   signing.dumps as the signed_cookies backend does (optionally sha1).
  b64_decode     Django's signing.b64_decode of arbitrary text (differential test of ours).
  json_loads     Python's json.loads of arbitrary text (differential test of ours).
  pickle_dumps   pickle.dumps at a given protocol (0-5), for our reader.
  pickle_loads   pickle.loads of our pickle bytes.
"""
import datetime
import json
import pickle
import sys
import time
import warnings

import django
from django.conf import settings

warnings.simplefilter("ignore")
settings.configure(
    SECRET_KEY="placeholder-secret-key-placeholder-secret-key-000",
    USE_TZ=True,
    INSTALLED_APPS=["django.contrib.sessions"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
)
django.setup()

from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core import signing  # noqa: E402
from tagged_values import tag, untag  # noqa: E402

SERIALIZERS = {
    "json": "django.contrib.sessions.serializers.JSONSerializer",
    "pickle": "django.contrib.sessions.serializers.PickleSerializer",
}
_store_classes = {}


def store_class(salt):
    """A SessionStore subclass whose __qualname__ gives the requested salt."""
    name = salt[len("django.contrib.sessions."):]
    if name == "SessionStore":
        return SessionStore
    if name not in _store_classes:
        cls = type(name, (SessionStore,), {})
        cls.__qualname__ = name
        _store_classes[name] = cls
    return _store_classes[name]


def configure(case):
    settings.SECRET_KEY = case["secret_key"]
    settings.SESSION_SERIALIZER = SERIALIZERS[case.get("serializer", "json")]
    settings.DEFAULT_HASHING_ALGORITHM = case.get("algorithm", "sha256")


def fixed_now(case):
    return datetime.datetime.fromtimestamp(case["now"], tz=datetime.timezone.utc)


def expiry_value(spec, case):
    kind = spec["kind"]
    if kind == "none":
        return None
    if kind == "seconds":
        return spec["value"]
    if kind == "timedelta":
        return datetime.timedelta(seconds=spec["value"])
    if kind == "datetime":
        return fixed_now(case) + datetime.timedelta(seconds=spec["value"])
    raise ValueError(kind)


def op_encode(case):
    configure(case)
    store = store_class(case["salt"])()
    store.update(untag(case["data"]))
    if "expiry" in case:
        store.set_expiry(expiry_value(case["expiry"], case))
    data = store._get_session()
    real_time = time.time
    time.time = lambda: case["now"]
    try:
        encoded = store.encode(data)
    finally:
        time.time = real_time
    return {"encoded": encoded, "decoded": tag(store_class(case["salt"])().decode(encoded))}


def op_decode(case):
    configure(case)
    store = store_class(case["salt"])()
    data = store.decode(case["encoded"])
    store._session_cache = data
    now = fixed_now(case)
    out = {"decoded": tag(data)}
    if case.get("expiry_checks"):
        out["expiry_age"] = store.get_expiry_age(modification=now)
        out["expiry_date"] = store.get_expiry_date(modification=now).timestamp()
        out["browser_close"] = store.get_expire_at_browser_close()
    return out


def op_loads_keys(case):
    configure(case)
    serializer = store_class(case["salt"])().serializer
    for index, key in enumerate(case["keys"]):
        try:
            data = signing.loads(case["encoded"], key=key, salt=case["salt"], serializer=serializer)
        except signing.BadSignature:
            continue
        return {"decoded": tag(data), "key_index": index}
    return {"decoded": None, "key_index": None}


def op_dumps_cookie(case):
    configure(case)
    serializer = store_class(case["salt"])().serializer
    real_time = time.time
    time.time = lambda: case["now"]
    try:
        encoded = signing.dumps(untag(case["data"]), salt=case["salt"], serializer=serializer, compress=True)
    finally:
        time.time = real_time
    return {"encoded": encoded}


def op_b64_decode(case):
    return {"hex": signing.b64_decode(case["text"].encode()).hex()}


def op_pickle_dumps(case):
    value = untag(case["data"])
    data = pickle.dumps(value, case["protocol"])
    return {"hex": data.hex(), "decoded": tag(pickle.loads(data))}


def op_pickle_loads(case):
    return {"decoded": tag(pickle.loads(bytes.fromhex(case["hex"])))}


def op_json_loads(case):
    return {"decoded": tag(json.loads(case["text"]))}


OPS = {
    "encode": op_encode,
    "decode": op_decode,
    "loads_keys": op_loads_keys,
    "dumps_cookie": op_dumps_cookie,
    "b64_decode": op_b64_decode,
    "json_loads": op_json_loads,
    "pickle_dumps": op_pickle_dumps,
    "pickle_loads": op_pickle_loads,
}

results = []
for case in json.load(sys.stdin)["cases"]:
    try:
        results.append(OPS[case["op"]](case))
    except Exception as exc:  # reported per case so one failure does not hide the rest
        results.append({"error": "%s: %s" % (type(exc).__name__, exc)})
json.dump(results, sys.stdout)

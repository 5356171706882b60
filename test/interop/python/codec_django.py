"""Real Django on both sides of the session codec, for test/interop/codec*.test.ts: the
machine's 3.2, or 5.2 when test/interop/codecDjango52.test.ts puts it first on PYTHONPATH.

Usage: codec_django.py < {"cases": [...]}
Each case may set algorithm (DEFAULT_HASHING_ALGORITHM, 3.2 only), fallback_keys
(SECRET_KEY_FALLBACKS, 4.1+ only), use_tz and time_zone; the process
time zone follows time_zone, as Django's own settings loading does with TZ and time.tzset().
One process handles a whole batch. Values cross the pipe in a tagged JSON form that keeps
every Python type apart (see tag()/untag()). Each case names an op:

  encode         Django builds the session (update + set_expiry) and encodes it at a fixed
                 time; returns the encoded text and Django's own decode of it.
  decode         Django decodes our text with SessionStore().decode() (settings per case)
                 and reports the data plus get_expiry_age/date/browser-close at a fixed time.
                 decode() answers {} for data it refuses, so the text is first verified
                 strictly (strict_decode), and a refusal is reported as an error.
  loads          signing.loads with the case's salt, as the signed_cookies backend reads.
  loads_keys     Emulates SECRET_KEY_FALLBACKS on 3.2: signing.loads with each key in turn.
  dumps_cookie   signing.dumps as the signed_cookies backend does (optionally sha1).
  b64_decode     Django's signing.b64_decode of arbitrary text (differential test of ours).
  json_loads     Python's json.loads of arbitrary text (differential test of ours).
  pickle_dumps   pickle.dumps at a given protocol (0-5), for our reader.
  pickle_loads   pickle.loads of our pickle bytes.
"""
import base64
import datetime
import json
import os
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
from django.utils import timezone  # noqa: E402
from django.utils.crypto import constant_time_compare  # noqa: E402
from tagged_values import tag, untag  # noqa: E402

SERIALIZERS = {
    "json": "django.contrib.sessions.serializers.JSONSerializer",
    "pickle": "django.contrib.sessions.serializers.PickleSerializer",
}
if django.VERSION >= (5, 0):

    class PickleSerializer:
        """Django 5.0 removed PickleSerializer; projects that keep pickled sessions copy it, as here."""

        def dumps(self, obj):
            return pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)

        def loads(self, data):
            return pickle.loads(data)

    SERIALIZERS["pickle"] = "__main__.PickleSerializer"
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
    settings.SECRET_KEY_FALLBACKS = case.get("fallback_keys", [])
    settings.USE_TZ = case.get("use_tz", True)
    zone = case.get("time_zone", "UTC")
    if settings.TIME_ZONE != zone:
        settings.TIME_ZONE = zone
        os.environ["TZ"] = zone
        time.tzset()


def fixed_now(case):
    """timezone.now() at the case's time: aware UTC, or naive local time when USE_TZ is off."""
    if settings.USE_TZ:
        return datetime.datetime.fromtimestamp(case["now"], tz=datetime.timezone.utc)
    return datetime.datetime.fromtimestamp(case["now"])


def expiry_report(store, case):
    """get_expiry_age/date/browser-close at the case's time; a naive date is read in TIME_ZONE."""
    now = fixed_now(case)
    out = {}
    try:
        out["expiry_age"] = store.get_expiry_age(modification=now)
    except TypeError as exc:
        out["expiry_age_error"] = "TypeError: %s" % exc
    out["expiry_date"] = store.get_expiry_date(modification=now).timestamp()
    out["browser_close"] = store.get_expire_at_browser_close()
    return out


def strict_decode(store, encoded):
    """What SessionStore.decode() reads, but raising where it would log and return {}.
    Django 4.0+ has no pre-3.1 format (nor _hash): there signing.loads refuses it too."""
    if ":" in encoded or not hasattr(store, "_hash"):
        return signing.loads(encoded, salt=store.key_salt, serializer=store.serializer)
    raw = base64.b64decode(encoded.encode("ascii"))
    digest, serialized = raw.split(b":", 1)
    if not constant_time_compare(digest.decode(), store._hash(serialized)):
        raise signing.BadSignature("the pre-3.1 hash does not match")
    return store.serializer().loads(serialized)


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
        real_now = timezone.now
        timezone.now = lambda: fixed_now(case)
        try:
            store.set_expiry(expiry_value(case["expiry"], case))
        finally:
            timezone.now = real_now
    data = store._get_session()
    real_time = time.time
    time.time = lambda: case["now"]
    try:
        encoded = store.encode(data)
    finally:
        time.time = real_time
    out = {"encoded": encoded, "decoded": tag(store_class(case["salt"])().decode(encoded))}
    if case.get("expiry_checks"):
        out.update(expiry_report(store, case))
    return out


def op_decode(case):
    configure(case)
    store = store_class(case["salt"])()
    strict_decode(store, case["encoded"])
    data = store.decode(case["encoded"])
    store._session_cache = data
    out = {"decoded": tag(data)}
    if case.get("expiry_checks"):
        out.update(expiry_report(store, case))
    return out


def op_loads(case):
    configure(case)
    serializer = store_class(case["salt"])().serializer
    return {"decoded": tag(signing.loads(case["encoded"], salt=case["salt"], serializer=serializer))}


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
    "loads": op_loads,
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

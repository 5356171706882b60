"""The tagged JSON form of Python values that the interop tests exchange (see codecTagged.ts).

Kept apart from the Django scripts, which configure Django when imported, so each can share it.
"""
import datetime
import decimal
import uuid

import pytz


def tag_tz(tz):
    if tz is None:
        return None
    if isinstance(tz, type(pytz.utc)):
        return {"pytz_utc": True}
    args = tz.__getinitargs__()
    offset = args[0]
    us = (offset.days * 86400 + offset.seconds) * 1000000 + offset.microseconds
    return {"offset_us": us, "name": args[1] if len(args) > 1 else None}


def untag_tz(t):
    if t is None:
        return None
    if t.get("pytz_utc"):
        return pytz.utc
    offset = datetime.timedelta(microseconds=t["offset_us"])
    if t["name"] is None:
        return datetime.timezone(offset)
    return datetime.timezone(offset, t["name"])


def tag(v):
    if v is None or isinstance(v, bool) or isinstance(v, str):
        return v
    if isinstance(v, int):
        return {"int": str(v)}
    if isinstance(v, float):
        return {"float": repr(v)}
    if isinstance(v, list):
        return [tag(x) for x in v]
    if isinstance(v, tuple):
        return {"tuple": [tag(x) for x in v]}
    if isinstance(v, dict):
        return {"dict": [[tag(k), tag(x)] for k, x in v.items()]}
    if isinstance(v, frozenset):
        return {"frozenset": [tag(x) for x in v]}
    if isinstance(v, set):
        return {"set": [tag(x) for x in v]}
    if isinstance(v, bytes):
        return {"bytes": v.hex()}
    if isinstance(v, datetime.datetime):
        return {"datetime": [v.year, v.month, v.day, v.hour, v.minute, v.second, v.microsecond, v.fold], "tz": tag_tz(v.tzinfo)}
    if isinstance(v, datetime.date):
        return {"date": [v.year, v.month, v.day]}
    if isinstance(v, datetime.time):
        return {"time": [v.hour, v.minute, v.second, v.microsecond, v.fold], "tz": tag_tz(v.tzinfo)}
    if isinstance(v, datetime.timedelta):
        return {"timedelta": [v.days, v.seconds, v.microseconds]}
    if isinstance(v, decimal.Decimal):
        return {"decimal": str(v)}
    if isinstance(v, uuid.UUID):
        return {"uuid": v.hex}
    if isinstance(v, datetime.tzinfo):
        return {"tzinfo": tag_tz(v)}
    raise TypeError("cannot tag %r" % type(v))


def untag(t):
    if t is None or isinstance(t, (bool, str)):
        return t
    if isinstance(t, list):
        return [untag(x) for x in t]
    (kind, body), = [(k, t[k]) for k in t if k != "tz"]
    if kind == "int":
        return int(body)
    if kind == "float":
        return float(body)
    if kind == "tuple":
        return tuple(untag(x) for x in body)
    if kind == "dict":
        return {untag(k): untag(x) for k, x in body}
    if kind == "frozenset":
        return frozenset(untag(x) for x in body)
    if kind == "set":
        return set(untag(x) for x in body)
    if kind == "bytes":
        return bytes.fromhex(body)
    if kind == "datetime":
        y, mo, d, h, mi, s, us, fold = body
        return datetime.datetime(y, mo, d, h, mi, s, us, tzinfo=untag_tz(t["tz"]), fold=fold)
    if kind == "date":
        return datetime.date(*body)
    if kind == "time":
        h, mi, s, us, fold = body
        return datetime.time(h, mi, s, us, tzinfo=untag_tz(t["tz"]), fold=fold)
    if kind == "timedelta":
        return datetime.timedelta(*body)
    if kind == "decimal":
        return decimal.Decimal(body)
    if kind == "uuid":
        return uuid.UUID(hex=body)
    if kind == "tzinfo":
        return untag_tz(body)
    raise ValueError("unknown tag %r" % kind)

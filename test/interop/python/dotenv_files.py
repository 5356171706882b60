"""Reads .env files with the machine's python-dotenv, for the .env interop test.

Usage: dotenv_files.py < ["FILE", ...]   (with the environment the files are read in)
Prints, for each file, {"values": dotenv_values(FILE), "loaded": what load_dotenv(FILE) adds to or
changes in os.environ}, each file loaded into the environment as it was before any of them.
"""
import json
import logging
import os
import sys

from dotenv import dotenv_values, load_dotenv

# python-dotenv warns on stderr of each line it cannot parse; the test compares what it sets.
logging.disable(logging.CRITICAL)

before = dict(os.environ)
out = []
for file in json.load(sys.stdin):
    values = dotenv_values(file)
    load_dotenv(file)
    loaded = {name: value for name, value in os.environ.items() if before.get(name) != value}
    os.environ.clear()
    os.environ.update(before)
    out.append({"values": values, "loaded": loaded})
print(json.dumps(out))

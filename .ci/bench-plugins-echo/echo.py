#!/usr/bin/python3
"""A blindfold-plugin/1 plugin that does no work (benchmark only, .ci/bench-plugins): it reads
each item's frames and answers the item's length, so a scan through it costs the protocol alone,
with Python's own frame reading and JSON on the plugin's side."""
import json
import struct
import sys

source, sink = sys.stdin.buffer, sys.stdout.buffer


def frame():
    head = source.read(4)
    if len(head) < 4:
        return None
    return source.read(struct.unpack(">I", head)[0])


def send(message):
    data = json.dumps(message, separators=(",", ":")).encode()
    sink.write(struct.pack(">I", len(data)) + data)
    sink.flush()


frame()
send({"type": "hello", "version": 1, "name": "echo", "plugin_version": "1",
      "outputs": [{"key": "echo_len", "kind": "integer"}], "accepts": {"mime": ["*"]}})
while (item := frame()) is not None:
    ident = json.loads(item)["id"]
    length = 0
    while chunk := frame():
        length += len(chunk)
    send({"type": "result", "id": ident, "outputs": {"echo_len": length}})

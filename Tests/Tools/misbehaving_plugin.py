#!/usr/bin/python3
"""A blindfold-plugin/1 plugin that misbehaves on demand, for the external-plugin tests.

The protocol fixes the environment and gives no arguments, so the misbehaviour is chosen by:
- the file name it is started under (a copy of this script), for the handshake:
  `hello-garbage` (not JSON), `hello-late` (answers after 15 s), `hello-v2` (another version),
  `hello-taken` (declares the key `sha256`, a built-in's), `crash-always` (crashes on every item);
- a file `NAME.version` beside the copy, when there is one: its first line is the declared
  `plugin_version` (a declaration that changes while the executable stays the same);
- a marker in the item's bytes, for one item: BF-CRASH, BF-HANG, BF-UNDECLARED, BF-BADVALUE,
  BF-LONGTEXT, BF-GARBAGE, BF-FLOOD, BF-2GB, BF-WRONGID, BF-ERROR.
Otherwise it answers mb_count (bytes), mb_sha1 (hex SHA-1), mb_label (text) and mb_b64 (the
SHA-1 in base64), so the tests can check values against sha1sum.
"""
import base64
import hashlib
import json
import os
import struct
import sys
import time

MODE = os.path.basename(sys.argv[0])
source = sys.stdin.buffer
sink = sys.stdout.buffer


def read_frame():
    head = source.read(4)
    if not head:
        return None
    (length,) = struct.unpack(">I", head)
    data = source.read(length)
    if len(data) != length:
        raise EOFError
    return data


def send_raw(data):
    sink.write(struct.pack(">I", len(data)) + data)
    sink.flush()


def send(message):
    send_raw(json.dumps(message).encode())


hello = json.loads(read_frame())
if MODE.startswith("hello-late"):
    time.sleep(15)
if MODE.startswith("hello-garbage"):
    send_raw(b"{this is not json")
    time.sleep(30)
    sys.exit(0)
outputs = [
    {"key": "mb_count", "kind": "integer"},
    {"key": "mb_sha1", "kind": "hex"},
    {"key": "mb_label", "kind": "text"},
    {"key": "mb_b64", "kind": "base64"},
]
if MODE.startswith("hello-taken"):
    outputs.append({"key": "sha256", "kind": "hex"})
plugin_version = "0.1"
version_file = os.path.abspath(sys.argv[0]) + ".version"
if os.path.exists(version_file):
    with open(version_file) as f:
        plugin_version = f.readline().strip()
send({
    "type": "hello", "version": 2 if MODE.startswith("hello-v2") else 1, "name": "misbehave",
    "plugin_version": plugin_version, "outputs": outputs, "accepts": {"mime": ["*"], "max_bytes": 1 << 20},
})

while True:
    frame = read_frame()
    if frame is None:
        sys.exit(0)
    item = json.loads(frame)
    content = bytearray()
    while True:
        chunk = read_frame()
        if not chunk:
            break
        content += chunk
    ident = item["id"]
    digest = hashlib.sha1(content).digest()
    result = {"type": "result", "id": ident, "outputs": {
        "mb_count": len(content), "mb_sha1": digest.hex(), "mb_label": "ok",
        "mb_b64": base64.b64encode(digest).decode()}}
    if MODE.startswith("crash-always") or b"BF-CRASH" in content:
        os._exit(3)
    if b"BF-HANG" in content:
        time.sleep(3600)
    if b"BF-UNDECLARED" in content:
        result["outputs"]["mb_secret"] = "1234"
    if b"BF-BADVALUE" in content:
        result["outputs"]["mb_sha1"] = "not-hex"
    if b"BF-LONGTEXT" in content:
        result["outputs"]["mb_label"] = "x" * 300
    if b"BF-WRONGID" in content:
        result["id"] = ident + 1000
    if b"BF-ERROR" in content:
        # A careless plugin quoting the item in its message: it must reach no output.
        result = {"type": "result", "id": ident, "error": {"kind": "corrupt", "message": content.decode("latin-1")}}
    if b"BF-FLOOD" in content:
        block = b"E" * (1 << 20)
        for _ in range(64):
            sys.stderr.buffer.write(block)
        sys.stderr.buffer.flush()
    if b"BF-GARBAGE" in content:
        send_raw(b"\x00\xffgarbage, not JSON")
        continue
    if b"BF-2GB" in content:
        sink.write(struct.pack(">I", 0x80000000) + b"x" * 4096)
        sink.flush()
        time.sleep(3600)
    send(result)

#!/usr/bin/env python3
"""Builds the hostile-evidence tree the HostileEvidenceTests scan, under the folder given.

Usage: build_hostile_tree.py ROOT FIXTURES
Everything is synthetic and made here; special files (FIFO, device, links, modes) are made by
the Swift test itself. Archive members carry no real content.
"""
import io
import os
import random
import shutil
import subprocess
import sys
import tarfile
import zipfile

root, fixtures = sys.argv[1], sys.argv[2]
os.makedirs(root, exist_ok=True)


def path(*parts):
    p = os.path.join(root, *parts)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    return p


# Flat bomb: 256 MiB of zeros deflated to about 256 KiB, with a member after it.
with zipfile.ZipFile(path("archives", "flat-bomb.zip"), "w", zipfile.ZIP_DEFLATED) as z:
    with z.open("zeros.bin", "w", force_zip64=True) as m:
        block = bytes(1 << 20)
        for _ in range(256):
            m.write(block)
    z.writestr("after.txt", "a member after the bomb\n")

# Nested bomb: each level holds 8 deflated copies of the level below (4 levels of 8 MiB zeros:
# 32 GiB when fully expanded).
level = io.BytesIO()
with zipfile.ZipFile(level, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("zeros.bin", bytes(8 << 20))
for depth in range(3):
    inner = level.getvalue()
    level = io.BytesIO()
    with zipfile.ZipFile(level, "w", zipfile.ZIP_DEFLATED) as z:
        for copy in range(8):
            z.writestr("level%d-%d.zip" % (depth, copy), inner)
open(path("archives", "nested-bomb.zip"), "wb").write(level.getvalue())

# Path tricks and names that are not UTF-8, in a tar (tar keeps raw bytes).
with tarfile.open(path("archives", "tricks.tar"), "w", format=tarfile.GNU_FORMAT,
                  encoding="utf-8", errors="surrogateescape") as t:
    for name in ["../../escape.txt", "/absolute/path.txt", "a/../../b.txt", "dup.txt", "dup.txt",
                 "bad-\udcff\udcfe-name.txt"]:
        data = ("member %s\n" % len(name)).encode()
        info = tarfile.TarInfo(name)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))

# Truncated archive: the first half of a gzip'd tar of several members.
buffer = io.BytesIO()
with tarfile.open(fileobj=buffer, mode="w:gz") as t:
    for index in range(8):
        data = (("line %d\n" % index) * 4000).encode()
        info = tarfile.TarInfo("part-%d.txt" % index)
        info.size = len(data)
        t.addfile(info, io.BytesIO(data))
whole = buffer.getvalue()
open(path("archives", "truncated.tar.gz"), "wb").write(whole[: len(whole) // 2])

# Corrupt archive: a zip whose central directory is intact but whose member data is garbage.
buffer = io.BytesIO()
with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("victim.bin", random.Random(7).randbytes(50000))
data = bytearray(buffer.getvalue())
for offset in range(40, 200):
    data[offset] ^= 0x5A
open(path("archives", "corrupt.zip"), "wb").write(bytes(data))

# Encrypted zip (ZipCrypto) made with the zip tool.
secret = path("archives", "secret.txt")
open(secret, "w").write("encrypted member\n")
subprocess.run(["zip", "-q", "-j", "-P", "password", path("archives", "encrypted.zip"), secret], check=True)
os.remove(secret)

# Images: the decoder fixtures, hostile and healthy.
for sub in ("hostile", "formats"):
    shutil.copytree(os.path.join(fixtures, "images", sub), path("images", sub))

# A name that is not valid UTF-8.
open(os.path.join(root, b"name-\xff\xfe.bin".decode("utf-8", "surrogateescape")), "wb").write(b"odd name\n")

# A file deeper than PATH_MAX (4096 bytes of path): 24 folders of 200 characters.
cwd = os.getcwd()
os.chdir(root)
for _ in range(24):
    os.mkdir("d" * 200)
    os.chdir("d" * 200)
open("deep-leaf.txt", "w").write("deep evidence\n")
os.chdir(cwd)

#!/usr/bin/env python3
"""Writes the hostile containers of ContainerIsolationTests into DIR (deterministic, synthetic).

- xar-doublelink.xar: a XAR whose table of contents lists two files, each a hard link
  to the other ("1" links to "original", "2" links to "1", both twice). libarchive 3.6.2
  follows the links without end and never returns (a real parser hang, the structure of
  libarchive's own test_read_format_xar_doublelink, written here from the XAR layout:
  a 28-byte big-endian header "xar!", header size, version 1, compressed and plain TOC
  lengths, checksum algorithm 1 = SHA-1; the zlib-compressed XML TOC; the heap, which starts
  with the SHA-1 of the compressed TOC, as the TOC's <checksum> says).
- crash.tar, hang.tar, memory.tar: three 100,000-byte members, then a 200,000-byte member,
  then a member holding a fault marker, then one more member. The marker makes the test-only
  fault injection of a container worker (BLINDFOLD_WORKER_FAULTS=1) crash with an invalid
  write, hang, or allocate past its cap when the block holding it reaches the parser: a fault
  the worker cannot tell from a real parser crash, hang or runaway allocation.
- good.tar.gz: four members, read normally; nested.tar holds a copy of it (a second worker
  parses the inner archive while the first waits on its member).
- members.json: name -> SHA-256 of every member above, computed here with hashlib.
"""
import hashlib
import io
import json
import os
import random
import struct
import sys
import tarfile
import zlib


def member_bytes(seed, size):
    return random.Random(seed).randbytes(size)


def write_tar(path, members, compress=False):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1_700_000_000
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(data))
    data = buffer.getvalue()
    if compress:
        out = io.BytesIO()
        import gzip
        with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, filename="") as stream:
            stream.write(data)
        data = out.getvalue()
    with open(path, "wb") as handle:
        handle.write(data)


def xar_doublelink(path):
    def file(identifier, name, link):
        return (f'  <file id="{identifier}">\n   <name>{name}</name>\n'
                f'   <type link="{link}">hardlink</type>\n   <type link="{link}">hardlink</type>\n'
                '   <inode>7</inode>\n   <deviceno>1</deviceno>\n   <mode>0644</mode>\n  </file>\n')
    toc = ('<?xml version="1.0" encoding="UTF-8"?>\n<xar>\n <toc>\n'
           '  <checksum style="sha1">\n   <offset>0</offset>\n   <size>20</size>\n  </checksum>\n'
           + file(1, "file1", "original") + file(2, "file2", "1") + ' </toc>\n</xar>\n').encode()
    compressed = zlib.compress(toc, 9)
    header = struct.pack(">4sHHQQI", b"xar!", 28, 1, len(compressed), len(toc), 1)
    with open(path, "wb") as handle:
        handle.write(header + compressed + hashlib.sha1(compressed).digest())


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    digests = {}
    xar_doublelink(os.path.join(out, "xar-doublelink.xar"))
    for index, fault in enumerate(["CRASH", "HANG", "MEMORY"]):
        members = [(f"m{n}.bin", member_bytes(100 * index + n, 100_000)) for n in range(3)]
        members.append(("padding.bin", member_bytes(100 * index + 9, 200_000)))
        members.append(("marker.txt", f"BLINDFOLD-FAULT-{fault}\n".encode()))
        members.append(("after.bin", member_bytes(100 * index + 10, 1000)))
        write_tar(os.path.join(out, f"{fault.lower()}.tar"), members)
        for name, data in members:
            digests[f"{fault.lower()}.tar/{name}"] = hashlib.sha256(data).hexdigest()
    good = [(f"dir/g{n}.bin", member_bytes(1000 + n, 5000 * (n + 1))) for n in range(4)]
    write_tar(os.path.join(out, "good.tar.gz"), good, compress=True)
    for name, data in good:
        digests[f"good.tar.gz/{name}"] = hashlib.sha256(data).hexdigest()
        digests[f"nested.tar/inner/good.tar.gz/{name}"] = hashlib.sha256(data).hexdigest()
    with open(os.path.join(out, "good.tar.gz"), "rb") as handle:
        write_tar(os.path.join(out, "nested.tar"), [("inner/good.tar.gz", handle.read())])
    with open(os.path.join(out, "sibling.txt"), "wb") as handle:
        handle.write(b"a plain file beside the hostile containers\n")
    for name in sorted(os.listdir(out)):
        with open(os.path.join(out, name), "rb") as handle:
            digests[name] = hashlib.sha256(handle.read()).hexdigest()
    with open(os.path.join(out, "..", "members.json"), "w") as handle:
        json.dump(digests, handle, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()

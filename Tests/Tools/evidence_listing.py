#!/usr/bin/env python3
"""Prints one line per object under ROOT: path, type, size, mode, mtime/ctime/atime in ns and,
for regular files, the SHA-256 of the content, read with O_NOATIME so the listing itself does
not touch what it checks. Used before and after a scan to prove the evidence is untouched.

Usage: evidence_listing.py ROOT
"""
import hashlib
import os
import stat
import sys

root = sys.argv[1]
for directory, folders, files in os.walk(root):
    folders.sort()
    for name in sorted(folders + files):
        full = os.path.join(directory, name)
        st = os.lstat(full)
        digest = "-"
        if stat.S_ISREG(st.st_mode):
            fd = os.open(full, os.O_RDONLY | os.O_NOATIME)
            h = hashlib.sha256()
            while True:
                block = os.read(fd, 1 << 20)
                if not block:
                    break
                h.update(block)
            os.close(fd)
            digest = h.hexdigest()
        print(repr(os.path.relpath(full, root)), stat.S_IFMT(st.st_mode), st.st_size, oct(st.st_mode),
              st.st_mtime_ns, st.st_ctime_ns, st.st_atime_ns, digest)
# The root folder itself.
st = os.lstat(root)
print("'.'", st.st_mtime_ns, st.st_ctime_ns, st.st_atime_ns)

#!/usr/bin/env python3
"""Zips whose two listings disagree, padded and damaged zips, and self-extracting programs
(issue #13, finding 6). Synthetic and deterministic; nothing comes from outside.

Writes every file into OUT and OUT/expected.json: for each file, the container status Blindfold
must record and its members in the order Blindfold lists them (local headers first, then
members only the central directory lists), each with its name, the SHA-256 of its data
(Python's hashlib: the independent oracle) and the note kinds it must carry; "container":
false for a file that must not be opened at all.

Zip layouts (L = local header and data, C = central directory entry, E = end record):
- extra-local.zip:   L(a) L(extra) C(a) E         -> extra is local_header_only
- hidden-member.zip: L(outer, its stored data holding L(hidden)) C(outer) C(hidden) E -> hidden
  is central_directory_only (a walk of the local headers skips over the outer member's data)
- padded-front.zip:  512 bytes of zeros, then a zip whose offsets were not shifted
- padded-end.zip:    a zip followed by 300 bytes of zeros
- bad-end-record.zip: a zip64 end record and locator that are right, then a classic end
  record that is wrong (its two entry counts differ), as libarchive's issue 869 describes
- sfx-elf-zip:       a small ELF head and code-like filler, then a zip (offsets not shifted)
- sfx-pe-zip.exe:    an "MZ" head, then a zip written by zipfile in append mode (offsets shifted)
- sfx-pe-7z.exe:     an "MZ" head, then a 7-Zip archive written by 7z (p7zip)
- plain-program:     an ELF head and filler, no archive: hashed, never opened

usage: make_zip_findings.py OUT
"""
import hashlib
import io
import json
import os
import random
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib


def data(seed, size):
    return random.Random(seed).randbytes(size)


def local_entry(name, content):
    """A stored member's local header and data."""
    header = struct.pack('<IHHHHHIIIHH', 0x04034B50, 20, 0, 0, 0, 0x21, zlib.crc32(content),
                         len(content), len(content), len(name), 0)
    return header + name + content


def central_entry(name, content, offset):
    return struct.pack('<IHHHHHHIIIHHHHHII', 0x02014B50, 20, 20, 0, 0, 0, 0x21, zlib.crc32(content),
                       len(content), len(content), len(name), 0, 0, 0, 0, 0, offset) + name


def end_record(count, size, offset, total=None):
    return struct.pack('<IHHHHIIH', 0x06054B50, 0, 0, count, count if total is None else total, size, offset, 0)


def program_head(kind, size):
    """The first bytes of a program: an ELF or DOS/PE header, then filler that looks like code
    (deterministic bytes; checked to hold no archive signature)."""
    if kind == 'elf':
        head = b'\x7fELF\x02\x01\x01' + b'\x00' * 9 + struct.pack('<HHI', 2, 62, 1) + b'\x00' * 40
    else:
        head = b'MZ' + b'\x90\x00' + b'\x00' * 56 + struct.pack('<I', 0x80) + b'\x00' * 60 + b'PE\x00\x00'
    filler = data(kind, size - len(head))
    for signature in (b'PK', b'7z\xbc\xaf', b'Rar!'):
        filler = filler.replace(signature, b'\x00\x00')
    return head + filler


def member(name, content, notes=()):
    return {'name': name, 'sha256': hashlib.sha256(content).hexdigest(), 'notes': list(notes)}


def main(out):
    os.makedirs(out, exist_ok=True)
    expected = {}

    def write(file, content, members, status='ok', container=True):
        with open(os.path.join(out, file), 'wb') as handle:
            handle.write(content)
        expected[file] = {'status': status, 'container': container, 'members': members}

    a, extra, hidden = data('a', 3000), data('extra', 2000), data('hidden', 1500)

    # A member the directory does not list.
    first = local_entry(b'a.bin', a)
    second = local_entry(b'extra.bin', extra)
    directory = central_entry(b'a.bin', a, 0)
    write('extra-local.zip', first + second + directory + end_record(1, len(directory), len(first + second)),
          [member('a.bin', a), member('extra.bin', extra, ['local_header_only'])])

    # A member only the directory lists: its local header lies inside the stored data of the
    # member before it, which a walk of the local headers skips over.
    inner = local_entry(b'hidden.bin', hidden)
    outer = data('outer-head', 100) + inner + data('outer-tail', 200)
    first = local_entry(b'outer.bin', outer)
    hidden_offset = first.index(inner)
    directory = central_entry(b'outer.bin', outer, 0) + central_entry(b'hidden.bin', hidden, hidden_offset)
    write('hidden-member.zip', first + directory + end_record(2, len(directory), len(first)),
          [member('outer.bin', outer), member('hidden.bin', hidden, ['central_directory_only'])])

    # Padding in front (offsets not shifted) and at the end.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as archive:
        archive.writestr('file0.txt', b'padded zip member zero\n' * 40)
        archive.writestr('file1.txt', b'padded zip member one\n' * 40)
    plain = buffer.getvalue()
    padded_members = [member('file0.txt', b'padded zip member zero\n' * 40),
                      member('file1.txt', b'padded zip member one\n' * 40)]
    write('padded-front.zip', b'\x00' * 512 + plain, padded_members)
    write('padded-end.zip', plain + b'\x00' * 300, padded_members)

    # A wrong classic end record after a right zip64 one.
    b = data('b', 700)
    body = local_entry(b'a.bin', a) + local_entry(b'b.bin', b)
    directory = central_entry(b'a.bin', a, 0) + central_entry(b'b.bin', b, len(local_entry(b'a.bin', a)))
    zip64_end = struct.pack('<IQHHIIQQQQ', 0x06064B50, 44, 45, 45, 0, 0, 2, 2, len(directory), len(body))
    locator = struct.pack('<IIQI', 0x07064B50, 0, len(body) + len(directory), 1)
    write('bad-end-record.zip', body + directory + zip64_end + locator + end_record(2, len(directory), len(body), total=7),
          [member('a.bin', a), member('b.bin', b)])

    # Self-extracting programs.
    sfx_one, sfx_two = data('sfx1', 5000), b'self-extracting member\n' * 10
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w', zipfile.ZIP_DEFLATED) as archive:
        archive.writestr('setup/one.bin', sfx_one)
        archive.writestr('setup/readme.txt', sfx_two)
    sfx_members = [member('setup/one.bin', sfx_one), member('setup/readme.txt', sfx_two)]
    write('sfx-elf-zip', program_head('elf', 6000) + buffer.getvalue(), sfx_members)
    buffer = io.BytesIO(program_head('pe', 9000))
    buffer.seek(0, 2)
    with zipfile.ZipFile(buffer, 'a', zipfile.ZIP_DEFLATED) as archive:  # appends, offsets shifted
        archive.writestr('setup/one.bin', sfx_one)
        archive.writestr('setup/readme.txt', sfx_two)
    write('sfx-pe-zip.exe', buffer.getvalue(), sfx_members)
    seven = data('seven', 4000)
    with tempfile.TemporaryDirectory() as work:
        os.makedirs(os.path.join(work, 'in', 'payload'))
        with open(os.path.join(work, 'in', 'payload', 'seven.bin'), 'wb') as handle:
            handle.write(seven)
        subprocess.run(['7z', 'a', '-t7z', '-bd', '-y', os.path.join(work, 'a.7z'), 'payload'],
                       cwd=os.path.join(work, 'in'), check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(work, 'a.7z'), 'rb') as handle:
            archive_7z = handle.read()
    write('sfx-pe-7z.exe', program_head('pe', 7000) + archive_7z, [member('payload/seven.bin', seven)])
    write('plain-program', program_head('elf', 20000), [], container=False)

    with open(os.path.join(out, 'expected.json'), 'w') as handle:
        json.dump(expected, handle, indent=1, sort_keys=True)


if __name__ == '__main__':
    main(sys.argv[1])

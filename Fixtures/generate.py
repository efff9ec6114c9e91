#!/usr/bin/env python3
"""Deterministic fixture generator for Blindfold.

Run from the repository root:

    python3 Fixtures/generate.py

It deletes and recreates ``Fixtures/evidence/`` and ``Fixtures/hashsets/`` and
rewrites ``Fixtures/sentinel.txt``.  Everything is synthetic and produced by
code: images are seeded gradients/shapes, documents are hand-written.  Running
it twice gives byte-identical output (fixed seeds, no timestamps, sorted zip
members, fixed mtimes of 2024-01-01T00:00:00Z on every file and folder).

Requirements: Python 3.11 standard library, plus ``cjpeg`` (libjpeg-turbo-progs)
and ``cwebp`` (webp) on PATH.  If either is missing the script says so and exits
with status 1.  Byte identity is guaranteed for the same tool versions (zlib,
libjpeg-turbo, libwebp); on other versions images may differ, but the hash sets
and expected.json are always recomputed from the files actually written, so the
tree stays self-consistent.

Evidence tree (``Fixtures/evidence/``)
--------------------------------------
DCIM/100CAMERA/IMG_0001.jpg       JPEG 160x120 (cjpeg -quality 85); known-bad (sha256 AND md5)
DCIM/100CAMERA/IMG_0002.jpg       JPEG 128x96; no set hit; its *name* appears in known-bad.sha256
                                  with a made-up digest (scanners must match by hash, not name)
DCIM/100CAMERA/holiday.jpg        LYING: grey+alpha PNG content, .jpg extension; known-bad sha256
DCIM/100CAMERA/sunset.png         RGB PNG with a tEXt chunk holding the sentinel
Pictures/icons/badge.png          palette (colour type 3) PNG
Pictures/logo.gif                 GIF89a, 16-colour palette, simple LZW (clear code every 12 literals)
Pictures/scan.bmp                 24-bit BMP, 66x42 (row padding exercised)
Pictures/web/banner.webp          WebP (cwebp -q 80 -metadata none); known-bad md5
Documents/letter.txt              plain text with sentinel; known-good (hashdeep + sha1)
Documents/budget, final.csv       CSV whose name contains a comma and a space; known-good hashdeep
Documents/invoice.pdf             minimal 1-page PDF (correct xref) with sentinel; known-good hashdeep
Documents/notes.txt               LYING: PDF content, .txt extension
Documents/report.doc              LYING: JPEG content, .doc extension
Documents/config.json             JSON with sentinel; known-good sha1
Documents/drafts/memo.docx        docx-shaped zip; sentinel inside word/document.xml (deflated, so
                                  not visible in the raw bytes of the .docx)
Downloads/index.html              HTML with sentinel in a comment; known-good hashdeep
Downloads/misc/blob.bin           20480 seeded random bytes with the sentinel planted at offset 4096;
                                  known-bad sha256 (the "nested folder" hit)
Downloads/misc/empty.dat          0 bytes; listed in known-good.hashdeep but must NEVER match
Downloads/misc/archive/readme.md  small markdown file, 3 levels deep; no set hit

Hash sets (``Fixtures/hashsets/``)
----------------------------------
known-bad.sha256     sha256sum format: 3 hits + 3 decoys (one decoy uses the escaped ``\\`` form,
                     one decoy reuses a real evidence file name with a made-up digest)
known-bad.md5        md5sum format, some lines with the ``*`` binary marker: 2 hits + 1 decoy
known-good.hashdeep  hashdeep 1.0 (size,md5,sha256,filename): 4 hits (one name has a comma)
                     + the empty file's entry + 1 decoy
known-good.sha1      sha1sum format with CRLF line endings: 2 hits
malformed.sha256     3rd line has a 63-hex-digit digest (must be reported as an error)
expected.json        per evidence file: size, intended content type, sets it must match, and
                     whether its extension lies.  Computed by actually looking up every md5/sha1/
                     sha256 of every file in every set (empty-file hashes never count) and
                     cross-checked against the hand-written intent below.

``Fixtures/sentinel.txt`` holds BLINDFOLD-SENTINEL-DO-NOT-EMIT (no newline).  It is planted in
letter.txt, config.json, index.html, invoice.pdf, sunset.png (tEXt), memo.docx
(word/document.xml) and blob.bin.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path

SENTINEL = b"BLINDFOLD-SENTINEL-DO-NOT-EMIT"
MTIME = 1704067200  # 2024-01-01T00:00:00Z

ROOT = Path(__file__).resolve().parent          # .../Fixtures
EVIDENCE = ROOT / "evidence"
HASHSETS = ROOT / "hashsets"
IMAGES = ROOT / "images"

EMPTY_DIGESTS = {
    hashlib.md5(b"").hexdigest(),
    hashlib.sha1(b"").hexdigest(),
    hashlib.sha256(b"").hexdigest(),
}

# --------------------------------------------------------------------------
# Raster canvas (list of rows of (r, g, b, a) tuples) drawn from a seeded PRNG
# --------------------------------------------------------------------------


def make_canvas(w: int, h: int, seed: int, shapes: int = 6):
    rng = random.Random(seed)
    c0 = [rng.randrange(256) for _ in range(3)]
    c1 = [rng.randrange(256) for _ in range(3)]
    px = []
    for y in range(h):
        row = []
        for x in range(w):
            t = (x + y) / (w + h - 2)
            row.append([int(c0[i] + (c1[i] - c0[i]) * t) for i in range(3)] + [255])
        px.append(row)
    for _ in range(shapes):
        col = [rng.randrange(256) for _ in range(3)]
        alpha = rng.randrange(96, 256)
        kind = rng.choice(("rect", "circle"))
        cx, cy = rng.randrange(w), rng.randrange(h)
        size = rng.randrange(max(4, min(w, h) // 8), max(5, min(w, h) // 2))
        for y in range(max(0, cy - size), min(h, cy + size)):
            for x in range(max(0, cx - size), min(w, cx + size)):
                if kind == "circle" and (x - cx) ** 2 + (y - cy) ** 2 > size * size:
                    continue
                p = px[y][x]
                for i in range(3):
                    p[i] = (p[i] * (255 - alpha) + col[i] * alpha) // 255
                if kind == "circle":
                    p[3] = min(p[3], 64 + (abs(x - cx) + abs(y - cy)) * 4)
    return px


def ppm_bytes(px) -> bytes:
    h, w = len(px), len(px[0])
    body = bytearray()
    for row in px:
        for p in row:
            body += bytes(p[:3])
    return b"P6\n%d %d\n255\n" % (w, h) + bytes(body)


# --------------------------------------------------------------------------
# PNG
# --------------------------------------------------------------------------


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bytes(w, h, color_type, rows: list[bytes], plte: bytes | None = None, text: list[tuple[bytes, bytes]] = ()) -> bytes:
    out = b"\x89PNG\r\n\x1a\n"
    out += png_chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, color_type, 0, 0, 0))
    if plte is not None:
        out += png_chunk(b"PLTE", plte)
    for key, value in text:
        out += png_chunk(b"tEXt", key + b"\x00" + value)
    raw = b"".join(b"\x00" + r for r in rows)  # filter type 0 on every row
    out += png_chunk(b"IDAT", zlib.compress(raw, 9))
    out += png_chunk(b"IEND", b"")
    return out


def png_rgb(px, text=()) -> bytes:
    rows = [bytes(v for p in row for v in p[:3]) for row in px]
    return png_bytes(len(px[0]), len(px), 2, rows, text=text)


def png_grey_alpha(px) -> bytes:
    rows = [bytes(v for p in row for v in ((p[0] * 299 + p[1] * 587 + p[2] * 114) // 1000, p[3])) for row in px]
    return png_bytes(len(px[0]), len(px), 4, rows)


def quantize(px, palette):
    """Nearest-colour index for each pixel (palette: list of (r,g,b))."""
    cache = {}
    out = []
    for row in px:
        r_out = []
        for p in row:
            key = tuple(p[:3])
            if key not in cache:
                cache[key] = min(range(len(palette)), key=lambda i: sum((palette[i][k] - key[k]) ** 2 for k in range(3)))
            r_out.append(cache[key])
        out.append(r_out)
    return out


def fixed_palette(seed: int, n: int):
    rng = random.Random(seed)
    return [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(n)]


def png_palette(px, palette) -> bytes:
    idx = quantize(px, palette)
    rows = [bytes(r) for r in idx]
    plte = b"".join(bytes(c) for c in palette)
    return png_bytes(len(px[0]), len(px), 3, rows, plte=plte)


# --------------------------------------------------------------------------
# GIF89a with a simple LZW encoder (literals only, clear code every 12 codes)
# --------------------------------------------------------------------------


def gif_lzw(indices: list[int], min_code_size: int) -> bytes:
    clear = 1 << min_code_size
    eoi = clear + 1
    width = min_code_size + 1
    # After a clear, each literal beyond the first makes the decoder add one table
    # entry starting at eoi+1.  Keep next_code well below 1 << width so the code
    # width never grows: with min_code_size 4 -> 5-bit codes, at most 14 literals.
    run = (1 << width) - (eoi + 1) - 2  # 12 for min_code_size 4
    codes = []
    for i, v in enumerate(indices):
        if i % run == 0:
            codes.append(clear)
        codes.append(v)
    codes.append(eoi)
    acc = nbits = 0
    out = bytearray()
    for c in codes:
        acc |= c << nbits
        nbits += width
        while nbits >= 8:
            out.append(acc & 0xFF)
            acc >>= 8
            nbits -= 8
    if nbits:
        out.append(acc & 0xFF)
    return bytes(out)


def gif_bytes(px, palette) -> bytes:
    assert len(palette) == 16
    h, w = len(px), len(px[0])
    idx = [v for row in quantize(px, palette) for v in row]
    out = bytearray(b"GIF89a")
    out += struct.pack("<HHBBB", w, h, 0x80 | (3 << 4) | 3, 0, 0)  # GCT, 4-bit colour res, 16 entries
    out += b"".join(bytes(c) for c in palette)
    out += b"\x2c" + struct.pack("<HHHHB", 0, 0, w, h, 0)
    data = gif_lzw(idx, 4)
    out.append(4)
    for i in range(0, len(data), 255):
        block = data[i:i + 255]
        out.append(len(block))
        out += block
    out.append(0)
    out.append(0x3B)
    return bytes(out)


# --------------------------------------------------------------------------
# BMP (24-bit, bottom-up, rows padded to 4 bytes)
# --------------------------------------------------------------------------


def bmp_bytes(px) -> bytes:
    h, w = len(px), len(px[0])
    stride = (w * 3 + 3) & ~3
    pixels = bytearray()
    for row in reversed(px):
        line = bytearray()
        for p in row:
            line += bytes((p[2], p[1], p[0]))
        line += b"\x00" * (stride - len(line))
        pixels += line
    info = struct.pack("<IiiHHIIiiII", 40, w, h, 1, 24, 0, len(pixels), 2835, 2835, 0, 0)
    header = struct.pack("<2sIHHI", b"BM", 14 + len(info) + len(pixels), 0, 0, 14 + len(info))
    return header + info + bytes(pixels)


# --------------------------------------------------------------------------
# PDF (hand-written, one page, exact xref offsets)
# --------------------------------------------------------------------------


def pdf_escape(s: bytes) -> bytes:
    return s.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def pdf_bytes(lines: list[bytes]) -> bytes:
    content = b"BT\n/F1 11 Tf\n14 TL\n36 150 Td\n"
    for line in lines:
        content += b"(" + pdf_escape(line) + b") Tj T*\n"
    content += b"ET\n"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 360 200] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# --------------------------------------------------------------------------
# DOCX-shaped zip
# --------------------------------------------------------------------------


def docx_bytes(path: Path, paragraphs: list[bytes]) -> None:
    members = {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/word/document.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            b"</Types>\n"
        ),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            b'relationships/officeDocument" Target="word/document.xml"/>'
            b"</Relationships>\n"
        ),
        "word/document.xml": (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            + b"".join(b"<w:p><w:r><w:t>" + p + b"</w:t></w:r></w:p>" for p in paragraphs)
            + b"</w:body></w:document>\n"
        ),
    }
    with zipfile.ZipFile(path, "w") as zf:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            zf.writestr(info, members[name], compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)


# --------------------------------------------------------------------------
# External tools
# --------------------------------------------------------------------------


def require_tools() -> None:
    missing = [t for t in ("cjpeg", "cwebp") if shutil.which(t) is None]
    if missing:
        sys.stderr.write(
            "generate.py: required tool(s) not found on PATH: %s\n"
            "  install with: apt-get install libjpeg-turbo-progs webp\n" % ", ".join(missing)
        )
        sys.exit(1)


def run(cmd: list[str]) -> None:
    res = subprocess.run(cmd, capture_output=True)
    if res.returncode != 0:
        sys.stderr.write("generate.py: command failed: %s\n%s" % (" ".join(cmd), res.stderr.decode(errors="replace")))
        sys.exit(1)


def jpeg_file(tmp: Path, out: Path, px, name: str) -> None:
    ppm = tmp / (name + ".ppm")
    ppm.write_bytes(ppm_bytes(px))
    run(["cjpeg", "-quality", "85", "-outfile", str(out), str(ppm)])


def webp_file(tmp: Path, out: Path, px, name: str) -> None:
    ppm = tmp / (name + ".ppm")
    ppm.write_bytes(ppm_bytes(px))
    run(["cwebp", "-quiet", "-q", "80", "-metadata", "none", str(ppm), "-o", str(out)])


# --------------------------------------------------------------------------
# Evidence tree
# --------------------------------------------------------------------------

# path -> (intended content type as `file --mime-type -b` reports it, extension lies?)
CONTENT = {
    "DCIM/100CAMERA/IMG_0001.jpg": ("image/jpeg", False),
    "DCIM/100CAMERA/IMG_0002.jpg": ("image/jpeg", False),
    "DCIM/100CAMERA/holiday.jpg": ("image/png", True),
    "DCIM/100CAMERA/sunset.png": ("image/png", False),
    "Pictures/icons/badge.png": ("image/png", False),
    "Pictures/logo.gif": ("image/gif", False),
    "Pictures/scan.bmp": ("image/bmp", False),
    "Pictures/web/banner.webp": ("image/webp", False),
    "Documents/letter.txt": ("text/plain", False),
    "Documents/budget, final.csv": ("text/csv", False),
    "Documents/invoice.pdf": ("application/pdf", False),
    "Documents/notes.txt": ("application/pdf", True),
    "Documents/report.doc": ("image/jpeg", True),
    "Documents/config.json": ("application/json", False),
    "Documents/drafts/memo.docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", False),
    "Downloads/index.html": ("text/html", False),
    "Downloads/misc/blob.bin": ("application/octet-stream", False),
    "Downloads/misc/empty.dat": ("inode/x-empty", False),
    "Downloads/misc/archive/readme.md": ("text/plain", False),
}

# Hand-written intent: which evidence files each set is meant to hit.
INTENDED = {
    "known-bad.sha256": ["DCIM/100CAMERA/IMG_0001.jpg", "DCIM/100CAMERA/holiday.jpg", "Downloads/misc/blob.bin"],
    "known-bad.md5": ["Pictures/web/banner.webp", "DCIM/100CAMERA/IMG_0001.jpg"],
    "known-good.hashdeep": ["Documents/letter.txt", "Documents/budget, final.csv", "Documents/invoice.pdf", "Downloads/index.html"],
    "known-good.sha1": ["Documents/letter.txt", "Documents/config.json"],
    "known-bad.pdq": ["Pictures/scan.bmp"],
}

# Filled by reference_pdq(): the PDQ list's entry, from Meta's reference (the pdqhash binding).
PDQ_ENTRY: dict = {}


def reference_pdq() -> None:
    """The reference PDQ of scan.bmp's picture at twice its size, and its distance to scan.bmp.

    Needs numpy and pdqhash (pip install pdqhash numpy); without them the values recorded in
    the committed hashsets/expected.json are kept, so the tree stays reproducible."""
    try:
        import numpy as np
        import pdqhash
    except ImportError:
        previous = json.loads((HASHSETS / "expected.json").read_text())["pdq_reference"]
        PDQ_ENTRY.update(previous)
        return
    canvas = make_canvas(66, 42, seed=105)
    small = np.array([[p[:3] for p in row] for row in canvas], dtype=np.uint8)
    large = np.repeat(np.repeat(small, 2, axis=0), 2, axis=1)

    def pdq(array):
        bits, quality = pdqhash.compute(np.ascontiguousarray(array))
        return format(int("".join(str(int(b)) for b in bits), 2), "064x"), int(quality)

    listed, quality = pdq(large)
    copy, _ = pdq(small)  # scan.bmp holds exactly these pixels (24-bit, lossless)
    distance = bin(int(listed, 16) ^ int(copy, 16)).count("1")
    PDQ_ENTRY.update({"file": "Pictures/scan.bmp", "hash": listed, "quality": quality, "distance": distance})


def build_evidence(tmp: Path) -> None:
    files: dict[str, bytes] = {}

    # Images
    files["DCIM/100CAMERA/sunset.png"] = png_rgb(
        make_canvas(96, 64, seed=101), text=[(b"Comment", SENTINEL), (b"Software", b"blindfold-fixtures")]
    )
    files["DCIM/100CAMERA/holiday.jpg"] = png_grey_alpha(make_canvas(80, 60, seed=102))
    files["Pictures/icons/badge.png"] = png_palette(make_canvas(64, 48, seed=103), fixed_palette(203, 8))
    files["Pictures/logo.gif"] = gif_bytes(make_canvas(64, 48, seed=104), fixed_palette(204, 16))
    files["Pictures/scan.bmp"] = bmp_bytes(make_canvas(66, 42, seed=105))

    # Text
    files["Documents/letter.txt"] = (
        b"Dear colleague,\n\n"
        b"This letter is synthetic test data for the Blindfold scanner.\n"
        b"Reference: " + SENTINEL + b"\n\n"
        b"Regards,\nA. Nobody\n"
    )
    files["Documents/budget, final.csv"] = (
        b"item,quantity,unit_price\n"
        b"widgets,12,3.50\n"
        b"gadgets,4,19.99\n"
        b"\"sprockets, large\",7,0.25\n"
    )
    files["Documents/config.json"] = (
        b'{\n  "name": "synthetic-config",\n  "retries": 3,\n  "token": "' + SENTINEL + b'",\n'
        b'  "tags": ["alpha", "beta"]\n}\n'
    )
    files["Downloads/index.html"] = (
        b"<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>Synthetic page</title></head>\n"
        b"<body>\n<!-- " + SENTINEL + b" -->\n<h1>Nothing to see</h1>\n<p>Generated fixture.</p>\n</body>\n</html>\n"
    )
    files["Downloads/misc/archive/readme.md"] = b"# Archive\n\nSynthetic readme, three folders deep.\n"

    # PDFs
    files["Documents/invoice.pdf"] = pdf_bytes([b"Invoice #0001 (synthetic)", b"Total: 42.00", SENTINEL])
    files["Documents/notes.txt"] = pdf_bytes([b"Meeting notes (synthetic)", b"1. nothing decided"])

    # Binary
    blob = bytearray(random.Random(301).randbytes(20480))
    blob[4096:4096 + len(SENTINEL)] = SENTINEL
    files["Downloads/misc/blob.bin"] = bytes(blob)
    files["Downloads/misc/empty.dat"] = b""

    for rel, data in files.items():
        p = EVIDENCE / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)

    # Tool-produced files
    def dest(rel: str) -> Path:
        p = EVIDENCE / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    jpeg_file(tmp, dest("DCIM/100CAMERA/IMG_0001.jpg"), make_canvas(160, 120, seed=401), "img1")
    jpeg_file(tmp, dest("DCIM/100CAMERA/IMG_0002.jpg"), make_canvas(128, 96, seed=402), "img2")
    jpeg_file(tmp, dest("Documents/report.doc"), make_canvas(72, 54, seed=403), "report")
    webp_file(tmp, dest("Pictures/web/banner.webp"), make_canvas(120, 40, seed=404), "banner")
    docx_bytes(dest("Documents/drafts/memo.docx"), [b"Memo (synthetic).", b"Ref " + SENTINEL])


# --------------------------------------------------------------------------
# Image decoder fixtures (Fixtures/images/)
# --------------------------------------------------------------------------
#
# formats/: one 16-colour picture (96x64) written losslessly as PNG, BMP, GIF, TIFF and WebP
#   (cwebp -lossless): every decoder must return exactly the same pixels, hence the same PDQ.
#   pattern.heic is the same picture through heif-enc (lossy): its PDQ must be near, not equal.
# hostile/: inputs a decoder must refuse without crashing, each with its expected status.


def tiff_rgb(px) -> bytes:
    """Baseline little-endian TIFF, uncompressed RGB, one strip."""
    h, w = len(px), len(px[0])
    pixels = bytes(v for row in px for p in row for v in p[:3])
    entries = [
        (256, 3, 1, w), (257, 3, 1, h), (258, 3, 3, None), (259, 3, 1, 1), (262, 3, 1, 2),
        (273, 4, 1, None), (277, 3, 1, 3), (278, 3, 1, h), (279, 4, 1, len(pixels)), (284, 3, 1, 1),
    ]
    ifd_offset = 8
    ifd_size = 2 + 12 * len(entries) + 4
    bits_offset = ifd_offset + ifd_size
    strip_offset = bits_offset + 6
    out = bytearray(b"II*\x00" + struct.pack("<I", ifd_offset))
    out += struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        if tag == 258:
            value = bits_offset
        elif tag == 273:
            value = strip_offset
        if kind == 3 and count == 1:
            out += struct.pack("<HHIHH", tag, kind, count, value, 0)
        else:
            out += struct.pack("<HHII", tag, kind, count, value)
    out += struct.pack("<I", 0)
    out += struct.pack("<HHH", 8, 8, 8)
    out += pixels
    return bytes(out)


def hostile_jpeg_huge() -> bytes:
    """A JPEG whose frame header declares 65000x65000 pixels (4.2 gigapixels) over 8x8 of data."""
    soi = b"\xff\xd8"
    dqt = b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + bytes([1] * 64)
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, 65000, 65000, 1) + b"\x01\x11\x00"
    # DC table: one code of length 1 for category 0; AC table: one code of length 1 for EOB.
    dht = b"\xff\xc4" + struct.pack(">H", 2 + 17 + 1) + b"\x00" + bytes([1] + [0] * 15) + b"\x00"
    dht += b"\xff\xc4" + struct.pack(">H", 2 + 17 + 1) + b"\x10" + bytes([1] + [0] * 15) + b"\x00"
    sos = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00" + b"\x00\x3f\x00"
    return soi + dqt + sof + dht + sos + b"\x00" * 64 + b"\xff\xd9"


def build_images(tmp: Path) -> None:
    if IMAGES.exists():
        shutil.rmtree(IMAGES)
    formats = IMAGES / "formats"
    hostile = IMAGES / "hostile"
    formats.mkdir(parents=True)
    hostile.mkdir(parents=True)

    palette = fixed_palette(501, 16)
    indices = quantize(make_canvas(96, 64, seed=502, shapes=8), palette)
    px = [[list(palette[i]) + [255] for i in row] for row in indices]
    (formats / "pattern.png").write_bytes(png_rgb(px))
    (formats / "pattern.bmp").write_bytes(bmp_bytes(px))
    (formats / "pattern.gif").write_bytes(gif_bytes(px, palette))
    (formats / "pattern.tif").write_bytes(tiff_rgb(px))
    # The same picture with a gAMA chunk of 1.0 (a decoder must not gamma-correct, as Pillow
    # does not), and at 16 bits per sample (v * 257: the high byte is the 8-bit value).
    plain = png_rgb(px)
    ihdr_end = 8 + 4 + 4 + 13 + 4
    (formats / "pattern-gamma.png").write_bytes(plain[:ihdr_end] + png_chunk(b"gAMA", struct.pack(">I", 100000)) + plain[ihdr_end:])
    rows16 = [b"".join(struct.pack(">H", v * 257) for p in row for v in p[:3]) for row in px]
    raw16 = b"".join(b"\x00" + r for r in rows16)
    (formats / "pattern-16bit.png").write_bytes(
        b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 96, 64, 16, 2, 0, 0, 0))
        + png_chunk(b"IDAT", zlib.compress(raw16, 9)) + png_chunk(b"IEND", b""))
    # 16-bit grey, a ramp 0..1023 along x: Pillow's conversion clips it at 255.
    grey16 = [b"".join(struct.pack(">H", (x * 1024) // 64) for x in range(64)) for _ in range(16)]
    (formats / "grey16.png").write_bytes(
        b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 64, 16, 16, 0, 0, 0, 0))
        + png_chunk(b"IDAT", zlib.compress(b"".join(b"\x00" + r for r in grey16), 9)) + png_chunk(b"IEND", b""))
    ppm = tmp / "pattern.ppm"
    ppm.write_bytes(ppm_bytes(px))
    run(["cwebp", "-quiet", "-lossless", "-exact", "-metadata", "none", str(ppm), "-o", str(formats / "pattern.webp")])
    if shutil.which("heif-enc"):
        run(["heif-enc", "-q", "90", "-o", str(formats / "pattern.heic"), str(formats / "pattern.png")])
    elif not (formats / "pattern.heic").exists():
        sys.stderr.write("generate.py: heif-enc (libheif-examples) not found; pattern.heic not written\n")

    (hostile / "huge-dimensions.jpg").write_bytes(hostile_jpeg_huge())
    # An icon: an image to libmagic, but no decoder handles ICO, so PDQ says `unsupported`.
    icon_pixels = bytes(16 * 16 * 4)
    icon_bmp = struct.pack("<IiiHHIIiiII", 40, 16, 32, 1, 32, 0, len(icon_pixels), 0, 0, 0, 0) + icon_pixels + bytes(64)
    icon = struct.pack("<HHH", 0, 1, 1) + struct.pack("<BBBBHHII", 16, 16, 0, 0, 1, 32, len(icon_bmp), 22) + icon_bmp
    (hostile / "icon.ico").write_bytes(icon)
    whole = png_rgb(make_canvas(64, 64, seed=503))
    idat = whole.index(b"IDAT")
    (hostile / "truncated.png").write_bytes(whole[: idat + 4 + (len(whole) - idat) // 3])
    screen = b"GIF89a" + struct.pack("<HHBBB", 16, 16, 0x80, 0, 0) + bytes(6)
    (hostile / "no-frames.gif").write_bytes(screen + b"\x3b")
    (hostile / "empty.jpg").write_bytes(b"")
    camera = (EVIDENCE / "DCIM/100CAMERA/IMG_0001.jpg").read_bytes()
    (hostile / "truncated.jpg").write_bytes(camera[: len(camera) * 2 // 3])
    (hostile / "random-after-signature.png").write_bytes(b"\x89PNG\r\n\x1a\n" + random.Random(504).randbytes(4096))
    fix_mtimes_and_modes(IMAGES)


# --------------------------------------------------------------------------
# Hash sets
# --------------------------------------------------------------------------


def evidence_files() -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(EVIDENCE):
        dirnames.sort()
        for f in sorted(filenames):
            out.append(Path(dirpath, f).relative_to(EVIDENCE).as_posix())
    return sorted(out)


def digests(rel: str) -> dict[str, str]:
    data = (EVIDENCE / rel).read_bytes()
    return {
        "size": len(data),
        "md5": hashlib.md5(data).hexdigest(),
        "sha1": hashlib.sha1(data).hexdigest(),
        "sha256": hashlib.sha256(data).hexdigest(),
    }


def decoy(label: str, algo: str) -> str:
    return hashlib.new(algo, b"blindfold-decoy:" + label.encode()).hexdigest()


def build_hashsets(info: dict[str, dict]) -> dict[str, set[str]]:
    """Write the set files; return set name -> digests listed (for lookup)."""
    HASHSETS.mkdir(parents=True)
    listed: dict[str, set[str]] = {}

    def ev(rel: str) -> str:
        return "evidence/" + rel

    # known-bad.sha256 (sha256sum format)
    lines = [
        f"{info['DCIM/100CAMERA/IMG_0001.jpg']['sha256']}  {ev('DCIM/100CAMERA/IMG_0001.jpg')}",
        f"{decoy('bad-1', 'sha256')}  {ev('DCIM/100CAMERA/IMG_0002.jpg')}",  # real name, fake digest
        f"{info['DCIM/100CAMERA/holiday.jpg']['sha256']}  {ev('DCIM/100CAMERA/holiday.jpg')}",
        f"{decoy('bad-2', 'sha256')}  contraband/not-present.bin",
        f"{info['Downloads/misc/blob.bin']['sha256']}  {ev('Downloads/misc/blob.bin')}",
        # escaped form, as GNU sha256sum prints a name containing a backslash and a newline
        "\\" + f"{decoy('bad-3', 'sha256')}  contraband/odd\\\\name\\nsecond-line.bin",
    ]
    (HASHSETS / "known-bad.sha256").write_text("\n".join(lines) + "\n")
    listed["known-bad.sha256"] = {l.lstrip("\\").split(" ", 1)[0] for l in lines}

    # known-bad.md5 (md5sum format, '*' binary marker on some lines)
    lines = [
        f"{info['Pictures/web/banner.webp']['md5']} *{ev('Pictures/web/banner.webp')}",
        f"{decoy('bad-4', 'md5')}  contraband/decoy.jpg",
        f"{info['DCIM/100CAMERA/IMG_0001.jpg']['md5']} *{ev('DCIM/100CAMERA/IMG_0001.jpg')}",
    ]
    (HASHSETS / "known-bad.md5").write_text("\n".join(lines) + "\n")
    listed["known-bad.md5"] = {l.split(" ", 1)[0] for l in lines}

    # known-good.hashdeep
    header = [
        "%%%% HASHDEEP-1.0",
        "%%%% size,md5,sha256,filename",
        "## Invoked from: /cases/synthetic",
        "## $ hashdeep -r -l evidence",
        "## ",
    ]
    rows = []
    for rel in INTENDED["known-good.hashdeep"] + ["Downloads/misc/empty.dat"]:
        d = info[rel]
        rows.append(f"{d['size']},{d['md5']},{d['sha256']},{ev(rel)}")
    rows.append(f"1234,{decoy('good-1', 'md5')},{decoy('good-1', 'sha256')},evidence/Documents/old, draft.txt")
    (HASHSETS / "known-good.hashdeep").write_text("\n".join(header + rows) + "\n")
    listed["known-good.hashdeep"] = set()
    for r in rows:
        _size, md5, sha256, _name = r.split(",", 3)
        listed["known-good.hashdeep"] |= {md5, sha256}

    # known-good.sha1 (CRLF)
    lines = [f"{info[rel]['sha1']}  {ev(rel)}" for rel in INTENDED["known-good.sha1"]]
    with open(HASHSETS / "known-good.sha1", "w", newline="") as fh:
        fh.write("".join(l + "\r\n" for l in lines))
    listed["known-good.sha1"] = {l.split(" ", 1)[0] for l in lines}

    # known-bad.pdq (ThreatExchange "pdq <hex>" lines): the reference PDQ hash of a picture
    # twice the size of evidence/Pictures/scan.bmp, so the BMP is a resized copy that only a
    # perceptual hash can find (distance and quality computed with the reference binding).
    lines = ["# Synthetic PDQ list: the reference PDQ of a 132x84 original whose 66x42 copy is scan.bmp.",
             "pdq " + PDQ_ENTRY["hash"], "pdq " + decoy("pdq-1", "sha256")]
    (HASHSETS / "known-bad.pdq").write_text("\n".join(lines) + "\n")

    # malformed.sha256: 3rd line has a 63-digit digest
    lines = [
        f"{decoy('malformed-1', 'sha256')}  evidence/a.bin",
        f"{decoy('malformed-2', 'sha256')}  evidence/b.bin",
        f"{decoy('malformed-3', 'sha256')[:63]}  evidence/c.bin",
        f"{decoy('malformed-4', 'sha256')}  evidence/d.bin",
    ]
    (HASHSETS / "malformed.sha256").write_text("\n".join(lines) + "\n")
    return listed


def build_expected(info: dict[str, dict], listed: dict[str, set[str]]) -> dict:
    files = {}
    for rel in sorted(info):
        d = info[rel]
        matches = []
        if d["size"] > 0:
            for set_name in sorted(listed):
                if {d["md5"], d["sha1"], d["sha256"]} & listed[set_name]:
                    matches.append(set_name)
        mime, lies = CONTENT[rel]
        files[rel] = {
            "size": d["size"],
            "content_type": mime,
            "extension_mismatch": lies,
            "matches": matches,
            "md5": d["md5"],
            "sha1": d["sha1"],
            "sha256": d["sha256"],
        }
    # The PDQ list: the reference binding's distance decides, as a matcher at 31/50 would.
    if PDQ_ENTRY["distance"] <= 31 and PDQ_ENTRY["quality"] >= 50:
        files[PDQ_ENTRY["file"]]["matches"] = sorted(files[PDQ_ENTRY["file"]]["matches"] + ["known-bad.pdq"])
    # Cross-check computed matches against the hand-written intent.
    for set_name, intended in INTENDED.items():
        got = sorted(rel for rel, f in files.items() if set_name in f["matches"])
        if got != sorted(intended):
            sys.exit(f"generate.py: internal error: {set_name} hits {got}, intended {sorted(intended)}")
    sets = {s: sorted(rel for rel, f in files.items() if s in f["matches"]) for s in sorted(listed) + ["known-bad.pdq"]}
    return {
        "note": "Paths are relative to Fixtures/evidence. A file matches a set if any of its md5/sha1/sha256 "
        "is listed there; the empty file never matches. malformed.sha256 must fail to load. known-bad.pdq "
        "matches by PDQ distance (31 bits, quality 50): pdq_reference gives the reference binding's values.",
        "pdq_reference": PDQ_ENTRY,
        "sentinel": SENTINEL.decode(),
        "files": files,
        "sets": sets,
    }


# --------------------------------------------------------------------------


def fix_mtimes_and_modes(top: Path) -> None:
    for dirpath, dirnames, filenames in os.walk(top, topdown=False):
        for f in filenames:
            p = os.path.join(dirpath, f)
            os.chmod(p, 0o644)
            os.utime(p, (MTIME, MTIME))
        os.chmod(dirpath, 0o755)
        os.utime(dirpath, (MTIME, MTIME))


def main() -> int:
    require_tools()
    reference_pdq()
    for d in (EVIDENCE, HASHSETS):
        if d.exists():
            shutil.rmtree(d)
    EVIDENCE.mkdir(parents=True)
    with tempfile.TemporaryDirectory(prefix="blindfold-fixtures-") as tmp:
        build_evidence(Path(tmp))
        build_images(Path(tmp))

    rels = evidence_files()
    if rels != sorted(CONTENT):
        sys.exit(f"generate.py: internal error: evidence tree {rels} != declared {sorted(CONTENT)}")
    info = {rel: digests(rel) for rel in rels}
    listed = build_hashsets(info)
    expected = build_expected(info, listed)
    (HASHSETS / "expected.json").write_text(json.dumps(expected, indent=2, sort_keys=True) + "\n")

    sentinel_path = ROOT / "sentinel.txt"
    sentinel_path.write_bytes(SENTINEL)
    os.chmod(sentinel_path, 0o644)
    os.utime(sentinel_path, (MTIME, MTIME))
    fix_mtimes_and_modes(EVIDENCE)
    fix_mtimes_and_modes(HASHSETS)
    print(f"generate.py: wrote {len(rels)} evidence files and {len(listed) + 3} hash-set files under {ROOT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

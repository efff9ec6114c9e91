/// The fields of libmagic descriptions that state facts about an item's format and never
/// text taken from it: libmagic's own phrases, with numbers where it prints numbers.
///
/// Each entry is written as libmagic prints it, with example numbers; a field of a
/// description is kept when it has the same ``FieldShape`` as an entry (numbers may differ,
/// words may not). Keys whose value libmagic copies from the item (`comment:`, `Title:`,
/// `was "…"`, `manufacturer=`, `model=`, `name=`, `label`, `user`, `host`, `serial`, `UUID=`,
/// `BuildID`, `interpreter /…`, `original name:`, version *strings*, backing-file paths) are
/// deliberately absent. When in doubt, a phrase is left out: an unknown field is dropped.
enum DescriptionVocabulary {
    /// The shapes of every safe field.
    static let shapes: Set<FieldShape> = Set(allPhrases.map(FieldShape.init))

    /// Every entry, as written.
    static let allPhrases = images + audioVideo + archives + executables + documents + text + other

    static let images = [
        // JPEG
        "JFIF standard 1.01", "aspect ratio", "resolution (DPI)", "resolution (DPCM)", "density 72x72",
        "segment length 16", "thumbnail 16x16", "baseline", "extended sequential", "progressive", "lossless",
        "precision 8", "640x480", "components 3", "Exif Standard", "Exif standard", "JPEG image data",
        // PNG, GIF, BMP, Netpbm, ICO
        "640 x 480", "640 x 480 x 24", "size = 640 x 480", "8-bit/color RGB", "8-bit/color RGBA", "8-bit grayscale",
        "8-bit gray+alpha", "8-bit colormap", "non-interlaced", "interlaced", "version 89a", "version 87a",
        "Windows 3.x format", "OS/2 1.x format", "OS/2 2.x format", "Windows 95/NT4 and newer format",
        "Windows 98/2000 and newer format", "image size 9216", "resolution 3780 x 3780 px/m", "cbSize 9270",
        "bits offset 54", "rawbits", "bitmap", "greymap", "pixmap", "ASCII text", "32 bits/pixel", "with alpha",
        // TIFF
        "little-endian", "big-endian", "direntries=10", "height=480", "width=640", "bps=8", "compression=none",
        "compression=LZW", "compression=deflate", "compression=JPEG", "compression=PackBits",
        "compression=bi-level group 3", "compression=bi-level group 4", "compression=CCITT RLE",
        "PhotometricInterpretation=RGB", "PhotometricInterpretation=BlackIsZero",
        "PhotometricInterpretation=WhiteIsZero", "PhotometricInterpretation=RGB Palette",
        "PhotometricInterpretation=YCbCr", "PhotometricInterpretation=CMYK", "PhotometricInterpretation=Separated",
        "orientation=upper-left", "orientation=upper-right", "orientation=lower-right", "orientation=lower-left",
        "orientation=left-upper", "orientation=right-upper", "orientation=right-lower", "orientation=left-lower",
        "xresolution=146", "yresolution=154", "resolutionunit=2", "GPS-Data",
        // WebP, HEIF, AVIF
        "Web/P image", "WebP image", "VP8 encoding", "Scaling: [none]x[none]", "YUV color", "decoders should clamp",
        "with alpha channel", "HEIF Image", "HEIF Image HEVC Main or Main Still Picture Profile", "AVIF Image",
        "HEIF Image Sequence", "AVIF Image Sequence",
    ]

    static let audioVideo = [
        "contains: MPEG ADTS", "MPEG ADTS", "layer I", "layer II", "layer III", "v1", "v2", "v2.5", "96 kbps",
        "44.1 kHz", "48 kHz", "Monaural", "Stereo", "JntStereo", "2x Monaural", "mono", "stereo", "5.1",
        "WAVE audio", "Microsoft PCM", "IEEE Float", "MPEG Layer 3", "16 bit", "mono 44100 Hz", "stereo 44100 Hz",
        "44100 Hz", "1411 kbps", "AVI", "640 x 480", "25.00 fps", "ISO Media", "MP4 Base Media v1 [ISO 14496-12:2003]",
        "MP4 v2 [ISO 14496-14]", "MP4 v1 [ISO 14496-1:ch13]", "Apple QuickTime movie (.MOV/QT)",
        "Apple iTunes Video (.M4V) Video", "Apple iTunes AAC-LC (.M4A) Audio", "MPEG v4 system",
        "3GPP", "version 2", "Matroska data", "WebM", "Vorbis audio", "Opus audio",
        "FLAC audio bitstream data", "24 bit", "8 bit", "1 bit", "44.1 kHz", "1234 samples", "variable bitrate",
        "no compression", "Dictionary ID: 1", "Dictionary ID: None",
    ]

    static let archives = [
        "version 0.4", "block size = 900k", "from Unix", "from FAT filesystem (MS-DOS, OS/2, NT)",
        "from NTFS filesystem (NT)", "from MacOS", "from Amiga", "from Atari", "from VMS", "from TOPS/20",
        "from Acorn RISCOS", "from Z-System", "from CP/M", "from OS/2", "from Prime/PRIMOS", "from QDOS",
        "max compression", "max speed", "original size modulo 2^32 1234", "last modified: Sat Aug 22 14:07:46 2020",
        "checksum CRC64", "checksum CRC32", "checksum SHA-256", "checksum NONE", "at least v2.0 to extract",
        "at least v1.0 to extract", "compression method=deflate", "compression method=store",
        "compression method=bzip2", "compression method=lzma", "compression method=xz",
        "compression method=zstd", "v5", "v4", "v11", "os: Unix", "os: MS-DOS", "os: Win32", "os: OS/2",
        "slash-switched", "multi-volume", "solid", "encrypted", "last disk", "with recovery record",
        "locked", "AES256", "encryption AES256", "split",
    ]

    static let executables = [
        "x86-64", "Intel 80386", "ARM aarch64", "ARM", "MIPS", "PowerPC or cisco 4500", "64-bit PowerPC or cisco 7500",
        "IBM S/390", "RISC-V", "version 1 (SYSV)", "version 1 (GNU/Linux)", "version 1 (FreeBSD)",
        "version 1 (ARM)", "EABI5 version 1 (SYSV)", "dynamically linked", "statically linked", "static-pie linked",
        "for GNU/Linux 3.2.0", "stripped", "not stripped", "with debug_info", "no section header",
        "for MS Windows", "3 sections", "Mono/.Net assembly", "UPX compressed", "Nullsoft Installer self-extracting archive",
        "MS-DOS executable", "RO-rootFS", "RW-rootFS", "Normal VGA", "Extended VGA", "Prompt for Videomode",
        "swap_dev 0X7", "swap_dev 0x7", "root_dev 0X801", "root_dev 0x801",
    ]

    static let documents = [
        "version 1.4", "1 pages", "1 page(s)", "Little Endian", "Big Endian", "Os: Windows", "Os: MacOS",
        "Version 10.0", "Code page: 1252", "Revision Number: 2", "Number of Pages: 1", "Number of Words: 0",
        "Number of Characters: 0", "Security: 0", "Total Editing Time: 00:01:00",
        "Create Time/Date: Sat Aug 22 14:07:46 2020", "Last Saved Time/Date: Sat Aug 22 14:07:46 2020",
        "Last Printed: Sat Aug 22 14:07:46 2020", "PostScript document text conforming DSC level 3.0",
        "type EPS", "last written using SQLite version 3040001", "file counter 3", "database pages 2",
        "cookie 0x1", "schema 4", "UTF-8", "version-valid-for 3", "writer version 2", "read version 2",
        "unused bytes 12",
    ]

    static let text = [
        "ASCII text", "ASCII text executable", "Unicode text", "UTF-8 text", "UTF-8 text executable",
        "UTF-8 (with BOM) text", "UTF-16", "UTF-32", "little-endian text", "big-endian text", "ISO-8859 text",
        "Non-ISO extended-ASCII text", "with very long lines (1234)", "with very long lines",
        "with CRLF line terminators", "with CR line terminators", "with LF line terminators",
        "with no line terminators", "with CRLF", "with CR", "with LF", "CR", "LF", "CR line terminators",
        "LF line terminators", "CRLF line terminators", "NEL line terminators", "with NEL line terminators",
        "with escape sequences", "with overstriking", "with BOM", "JSON text data", "CSV text",
    ]

    static let other = [
        "version 1", "version 1.1", "version 2.4.0", "v1.0", "revision 1.0", "1 bytes", "1 sections",
        "pid 1234", "version 7.4", "no leap seconds", "1 abbreviation chars", "1 local time types",
        "1 local time type", "1 transition times", "1 transition time", "no transition times", "no gmt time flags",
        "no std time flags", "1 gmt time flags", "1 std time flags", "(bootable)", "1 total blocks",
        "1 devices", "1 messages", "blocksize 1", "Created Sat Aug 22 14:07:46 2020",
    ]
}

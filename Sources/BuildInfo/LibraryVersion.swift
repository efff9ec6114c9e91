import CArchive
import CBuildStamp
import CGIF
import CHeif
import CMagic
import CPNG
import CSQLite
import CTIFF
import CWebP

/// One C library's name and version.
///
/// Besides the one wrapper per library elsewhere, this is the only code that calls into the C
/// libraries, and only for their version functions.
public struct LibraryVersion: Sendable, Hashable {
    /// The library's name (`libarchive`, `libpng`, ...).
    public var name: String
    /// The version it reports at run time (or, where it has no such call, its headers' version
    /// at build time: libjpeg-turbo and giflib).
    public var version: String

    /// A library and its version.
    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }

    /// The libraries this binary is linked with, asked at run time where they can say.
    static var linked: [LibraryVersion] {
        [
            LibraryVersion(name: "libarchive", version: cString(archive_version_details()) ?? "unknown"),
            LibraryVersion(name: "libmagic", version: libmagicVersion),
            LibraryVersion(name: "libjpeg-turbo", version: cString(blindfold_stamp_libjpeg_turbo()) ?? "unknown"),
            LibraryVersion(name: "libpng", version: cString(png_get_libpng_ver(nil)) ?? "unknown"),
            LibraryVersion(name: "libwebp", version: hexTriple(WebPGetDecoderVersion())),
            LibraryVersion(name: "giflib", version: "\(GIFLIB_MAJOR).\(GIFLIB_MINOR).\(GIFLIB_RELEASE)"),
            LibraryVersion(name: "libtiff", version: tiffVersion),
            LibraryVersion(name: "libheif", version: cString(heif_get_version()) ?? "unknown"),
            LibraryVersion(name: "sqlite", version: cString(sqlite3_libversion()) ?? "unknown"),
        ]
    }

    /// libmagic's version as `5.44` (it reports `544`).
    static var libmagicVersion: String {
        let number = Int(magic_version())
        return "\(number / 100).\(String(format2: number % 100))"
    }

    /// libtiff's version line without its banner: `4.5.0` from "LIBTIFF, Version 4.5.0\nCopyright ...".
    static var tiffVersion: String {
        guard let text = cString(TIFFGetVersion()) else { return "unknown" }
        let line = text.split(separator: "\n").first.map(String.init) ?? text
        let prefix = "LIBTIFF, Version "
        return line.hasPrefix(prefix) ? String(line.dropFirst(prefix.count)) : line
    }

    /// `1.2.4` from libwebp's `0x010204`.
    static func hexTriple(_ packed: Int32) -> String {
        "\((packed >> 16) & 0xff).\((packed >> 8) & 0xff).\(packed & 0xff)"
    }

    private static func cString(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}

private extension String {
    /// Two decimal digits (`05` for 5).
    init(format2 value: Int) { self = value < 10 ? "0\(value)" : "\(value)" }
}

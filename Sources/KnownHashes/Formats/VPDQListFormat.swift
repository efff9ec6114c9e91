import BlindfoldCore
import Crypto
import Glibc
import Signals

/// vPDQ lists: one video per file in the reference's text format (`frame,quality,pdq_hex,timestamp`
/// lines, ``VPDQText``), given as one file or as a folder of them (every regular file directly in
/// it, in byte order of the names; links and sub-folders are refused, hidden files skipped).
///
/// A listed video is named by its file name (without the folder), which matches cite as their
/// category. The set's `sha256` is the file's digest; for a folder, the SHA-256 of the lines
/// `<file sha256>  <file name>\n` in name order (the `sha256sum` listing of the folder).
public enum VPDQListFormat {
    /// The largest list file read (a two-hour video hashed at every frame is about 18 MB).
    public static let maxFileBytes = 64 << 20

    /// One listed video.
    public struct Video: Sendable {
        /// Its file name.
        public var name: String
        /// Its frames.
        public var features: [VPDQFeature]
    }

    /// True when `path` is a folder (with `folders`), or a file whose first non-empty line is a
    /// vPDQ frame line.
    public static func recognises(_ path: String, folders: Bool = true) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else { return false }
        if (status.st_mode & S_IFMT) == S_IFDIR { return folders }
        guard (status.st_mode & S_IFMT) == S_IFREG, let descriptor = try? SetFile.open(path) else { return false }
        defer { close(descriptor) }
        var head = [UInt8](repeating: 0, count: 512)
        let count = head.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, 512) }
        guard count > 0 else { return false }
        let text = String(decoding: head[0..<count], as: UTF8.self)
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
        guard let line = lines.first(where: { (candidate: Substring) in !candidate.allSatisfy { $0.isWhitespace } }) else { return false }
        return (try? VPDQText.parse(line: line, number: 1)) != nil
    }

    /// The videos at `path` (a file or a folder) and the set's digest.
    public static func read(path: String) throws(HashSetError) -> (videos: [Video], sha256: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { throw HashSetError(file: path, reason: "cannot be read") }
        guard (status.st_mode & S_IFMT) == S_IFDIR else {
            let (video, digest) = try readFile(path, name: String(path.split(separator: "/").last ?? Substring(path)))
            return ([video], digest)
        }
        let names = try listing(path)
        guard !names.isEmpty else { throw HashSetError(file: path, reason: "holds no vPDQ list files") }
        var videos: [Video] = []
        var listingText = ""
        for name in names {
            let (video, digest) = try readFile(path + "/" + name, name: name)
            videos.append(video)
            listingText += "\(digest)  \(name)\n"
        }
        return (videos, Hex.encode(SHA256.hash(data: Array(listingText.utf8))))
    }

    /// The regular files directly in the folder, by name bytes; anything else is an error.
    private static func listing(_ path: String) throws(HashSetError) -> [String] {
        guard let directory = opendir(path) else { throw HashSetError(file: path, reason: "cannot be listed") }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            names.append(name)
        }
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    private static func readFile(_ path: String, name: String) throws(HashSetError) -> (Video, String) {
        let descriptor = try SetFile.open(path)
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let got = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, 1 << 16) }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { throw HashSetError(file: path, reason: "cannot be read") }
            if got == 0 { break }
            bytes += chunk[0..<got]
            guard bytes.count <= maxFileBytes else { throw HashSetError(file: path, reason: "is larger than \(maxFileBytes) bytes") }
        }
        let features: [VPDQFeature]
        do throws(VPDQText.Malformed) {
            features = try VPDQText.parse(Substring(String(decoding: bytes, as: UTF8.self)))
        } catch {
            throw HashSetError(file: path, line: error.line, reason: error.problem)
        }
        guard !features.isEmpty else { throw HashSetError(file: path, reason: "holds no vPDQ frame lines") }
        let digest = Hex.encode(SHA256.hash(data: bytes))
        return (Video(name: name, features: features), digest)
    }
}

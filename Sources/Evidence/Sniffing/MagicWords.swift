import CMagic
import Glibc

/// Every word of libmagic's compiled database (`magic.mgc`), by ``FieldShape``: the words a
/// type phrase may hold. libmagic's own phrases are all in it; text copied from an item
/// almost never is (the database also holds the strings libmagic matches, so a word such as
/// `Canon` is in it, but a name, a title or a serial number is not).
struct MagicWords: Sendable {
    /// The shapes of the words.
    let shapes: Set<String>

    /// The words of the database libmagic loads by default, read once per process.
    static let system = MagicWords(databasePaths: defaultDatabasePaths())

    /// The words of the first readable database among `databasePaths`; none when none is.
    init(databasePaths: [String]) {
        var shapes: Set<String> = []
        for path in databasePaths {
            guard let bytes = Self.contents(of: path) else { continue }
            bytes.withUnsafeBufferPointer { buffer in
                var start = 0
                var hasDigit = false
                for index in 0...buffer.count {
                    let byte = index < buffer.count ? buffer[index] : 0
                    if byte > 0x20 && byte < 0x7F {
                        if byte >= 0x30 && byte <= 0x39 { hasDigit = true }
                        continue
                    }
                    if index > start {
                        let word = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<index]), as: UTF8.self)
                        // Only words with digits change shape (weekday and month names are added below).
                        shapes.insert(hasDigit ? FieldShape(word).text : word)
                    }
                    start = index + 1
                    hasDigit = false
                }
            }
            shapes.formUnion(["<d>", "<m>"])
            break
        }
        // Phrases libmagic's built-in tests print (text, JSON, CSV, CDF), which are not in the database.
        for phrase in Self.builtInPhrases + DescriptionVocabulary.allPhrases {
            for word in phrase.split(separator: " ") { shapes.insert(FieldShape(word).text) }
        }
        self.shapes = shapes
    }

    /// The type phrases of libmagic's built-in (compiled-in) tests.
    static let builtInPhrases = [
        "JSON text data", "New Line Delimited JSON text data", "CSV text", "empty", "very short file",
        "Composite Document File V2 Document", "Unicode text", "UTF-8 text", "ASCII text", "ISO-8859 text",
        "Non-ISO extended-ASCII text", "EBCDIC text", "International EBCDIC text", "data",
    ]

    /// The compiled databases libmagic looks for (`magic_getpath`: `/etc/magic:/usr/share/misc/magic`).
    static func defaultDatabasePaths() -> [String] {
        guard let path = magic_getpath(nil, 0) else { return [] }
        return String(cString: path).split(separator: ":").map { component in
            component.hasSuffix(".mgc") ? String(component) : component + ".mgc"
        }
    }

    /// The whole of a regular file, or nil when it cannot be read.
    private static func contents(of path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG,
            status.st_size > 0, status.st_size < 256 << 20
        else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
        var filled = 0
        while filled < bytes.count {
            let read = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return -1 }
                return Glibc.read(descriptor, base + filled, buffer.count - filled)
            }
            if read < 0 && errno == EINTR { continue }
            guard read > 0 else { return nil }
            filled += read
        }
        return bytes
    }
}

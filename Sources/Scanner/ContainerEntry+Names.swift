import BlindfoldCore
import Crypto
import Evidence

/// What a member's names cost, and the cut that keeps one name from filling the manifest.
extension ContainerEntry {
    /// The bytes of the member's header that reach memory and the manifest: its name and its
    /// link target. Charged to the container's expansion budget like data.
    var headerBytes: Int64 { Int64(name.bytes.count + (linkTarget?.bytes.count ?? 0)) }

    /// Cuts the name and the link target to `limit` bytes; returns a `name_truncated` note for
    /// each cut (its full length and the SHA-256 of the whole name, so two long names that
    /// share a prefix stay distinguishable and the original can be proved when found).
    mutating func limitNames(to limit: Int) -> [String] {
        var notes: [String] = []
        if let note = Self.cut(&name, to: limit, what: "name") { notes.append(note) }
        if var target = linkTarget, let note = Self.cut(&target, to: limit, what: "link target") {
            linkTarget = target
            notes.append(note)
        }
        return notes
    }

    private static func cut(_ bytes: inout PathBytes, to limit: Int, what: String) -> String? {
        guard bytes.bytes.count > limit else { return nil }
        let digest = Hex.encode(Array(SHA256.hash(data: bytes.bytes)))
        let length = bytes.bytes.count
        var end = limit
        // A UTF-8 name is cut between characters, so it stays text.
        if bytes.isValidUTF8 {
            while end > 0, bytes.bytes[end] & 0xC0 == 0x80 { end -= 1 }
        }
        bytes = PathBytes(Array(bytes.bytes.prefix(end)))
        return "name_truncated: the stored \(what) is \(length) bytes; the first \(end) are recorded (member_name_bytes); SHA-256 of the whole \(what): \(digest)"
    }
}

/// The exact-match digest algorithms hash sets carry, with their hex lengths.
public enum DigestAlgorithm: String, Sendable, CaseIterable, Hashable {
    case md5
    case sha1
    case sha256

    /// Hex characters in one digest.
    public var hexLength: Int {
        switch self {
        case .md5: 32
        case .sha1: 40
        case .sha256: 64
        }
    }

    /// The algorithm whose digests have `hexLength` hex characters.
    public init?(hexLength: Int) {
        guard let match = Self.allCases.first(where: { $0.hexLength == hexLength }) else { return nil }
        self = match
    }

    /// The algorithm for a name as lists write it (`MD5`, `sha-1`, `SHA256`).
    public init?(name: some StringProtocol) {
        switch name.lowercased().filter({ $0 != "-" }) {
        case "md5": self = .md5
        case "sha1": self = .sha1
        case "sha256": self = .sha256
        default: return nil
        }
    }

    /// The digest of zero bytes. Real sets list it; it is never counted as a match.
    public var emptyInputDigest: String {
        switch self {
        case .md5: "d41d8cd98f00b204e9800998ecf8427e"
        case .sha1: "da39a3ee5e6b4b0d3255bfef95601890afd80709"
        case .sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        }
    }
}

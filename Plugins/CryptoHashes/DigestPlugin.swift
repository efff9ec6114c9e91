import BlindfoldCore
import Crypto

/// A streaming plugin over one swift-crypto hash function (MD5, SHA-1, SHA-256).
///
/// swift-crypto on Linux is BoringSSL with its assembly (SHA-NI where the CPU has it), as fast
/// as the system's OpenSSL on this machine kind (measured: docs/PERFORMANCE.md), so no second
/// crypto library is linked.
public struct DigestPlugin<Function: HashFunction>: HashPlugin {
    public let descriptor: HashPluginDescriptor

    /// A plugin writing its digest under `id`.
    public init(id: String, version: String = "1", summary: String) {
        descriptor = HashPluginDescriptor(id: id, version: version, summary: summary)
    }

    public func makeSession(for item: ItemContext) -> (any HashSession)? {
        DigestSession<Function>(key: descriptor.id)
    }
}

/// The running digest of one item.
final class DigestSession<Function: HashFunction>: HashSession {
    private var function = Function()
    private let key: String

    init(key: String) { self.key = key }

    func update(_ chunk: UnsafeRawBufferPointer) {
        function.update(bufferPointer: chunk)
    }

    func finish() -> PluginOutcome {
        .values([HashOutput(key: key, value: .hex(Hex.encode(function.finalize())))])
    }
}

/// The cryptographic plugins, in manifest order.
public enum CryptoHashes {
    /// MD5 (RFC 1321): what VICS and most lab tools key on.
    public static let md5 = DigestPlugin<Insecure.MD5>(id: "md5", summary: "MD5 digest (RFC 1321)")
    /// SHA-1 (FIPS 180-4): NSRL's and VICS's second key.
    public static let sha1 = DigestPlugin<Insecure.SHA1>(id: "sha1", summary: "SHA-1 digest (FIPS 180-4)")
    /// SHA-256 (FIPS 180-4).
    public static let sha256 = DigestPlugin<SHA256>(id: "sha256", summary: "SHA-256 digest (FIPS 180-4)")

    /// All three.
    public static let all: [any HashPlugin] = [md5, sha1, sha256]
}

import BlindfoldCore
import Crypto
import Foundation

/// What `verify` checks of the files items refer to (vPDQ frame files): each exists under the
/// manifest's folder, stays inside it, and has the SHA-256 its record gives.
public struct SidecarCheck: Sendable {
    /// Files checked (each distinct file once).
    public private(set) var checked = 0
    /// One sentence per problem, naming the file's recorded path (written by the scan, never evidence text).
    public private(set) var problems: [String] = []

    /// Checks the files `items` refer to, relative to the folder holding `manifest`.
    public init(manifest: String, items: [ItemRecord]) {
        let folder = URL(fileURLWithPath: manifest).deletingLastPathComponent()
        var seen = Set<String>()
        for sidecar in items.compactMap(\.sidecar) where seen.insert(sidecar.file).inserted {
            checked += 1
            let parts = sidecar.file.split(separator: "/", omittingEmptySubsequences: false)
            guard !sidecar.file.hasPrefix("/"), !parts.contains(where: { $0 == ".." || $0.isEmpty }) else {
                problems.append("the frame file \(sidecar.file) is not a path inside the output folder")
                continue
            }
            guard let bytes = try? Data(contentsOf: folder.appendingPathComponent(sidecar.file)) else {
                problems.append("the frame file \(sidecar.file) is missing")
                continue
            }
            let digest = Hex.encode(SHA256.hash(data: bytes))
            if digest != sidecar.sha256 {
                problems.append("the frame file \(sidecar.file) does not match its sha256: it was changed after the scan")
            }
        }
    }
}

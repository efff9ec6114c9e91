import BlindfoldCore
import Crypto
import Evidence
import Manifest

/// The split of one scan into shards, computed by every shard on its own from a listing of the
/// roots: the same ``FileSystemWalker`` walk as the scan (directories listed, objects
/// `lstat`ed, nothing opened), so walk entry `n` of the listing is walk entry `n` of the scan.
///
/// Units are walk entries weighted by the bytes a scan reads from them plus a fixed per-entry
/// cost (``entryCost``); ``ShardBalancer`` spreads them longest-first. The listing's SHA-256
/// (every entry's root, path, kind, size, modification time and disposition) goes into each
/// shard's header, so `merge` can refuse shards that listed different trees.
public struct ShardPlan: Sendable {
    /// Which shard this run is.
    public let spec: ShardSpec
    /// SHA-256 of the listing, lower-case hex.
    public let listingSHA256: String
    /// Walk entries in the listing.
    public let entries: Int
    /// Bytes of the files in the listing (what a scan reads, archive members aside).
    public let bytes: Int64
    /// Walk entries this shard scans.
    public let ownEntries: Int
    /// Bytes of the files this shard scans.
    public let ownBytes: Int64
    /// Bytes of files per shard, for every shard.
    public let shardBytes: [Int64]
    /// One bit per walk entry: set when this shard scans it.
    private let owned: [UInt64]

    /// What one entry weighs besides its bytes: opening, sniffing and recording a file costs
    /// about as much as reading this many bytes, so a million empty files are not free.
    public static let entryCost: Int64 = 4096

    /// True when walk entry `sequence` belongs to this shard.
    public func owns(_ sequence: Int) -> Bool {
        guard sequence >= 0, sequence < entries else { return false }
        return owned[sequence >> 6] & (1 << UInt64(sequence & 63)) != 0
    }

    /// Lists `roots` as a scan with `options` would walk them and splits the entries.
    public static func list(roots: [PathBytes], options: FileSystemWalker.Options, spec: ShardSpec) -> ShardPlan {
        var weights: [Int64] = []
        var sizes: [Int64] = []
        var hasher = SHA256()
        for entry in FileSystemWalker(roots: roots, options: options) {
            let read: Int64
            if case .read = entry.disposition { read = max(0, entry.stat?.size ?? 0) } else { read = 0 }
            sizes.append(read)
            weights.append(read + entryCost)
            ListingFingerprint.add(entry, to: &hasher)
        }
        let (owners, _) = ShardBalancer.assign(weights: weights, shards: spec.count)
        var owned = [UInt64](repeating: 0, count: (owners.count + 63) / 64)
        var shardBytes = [Int64](repeating: 0, count: spec.count)
        var ownEntries = 0
        for (sequence, owner) in owners.enumerated() {
            shardBytes[Int(owner)] += sizes[sequence]
            if Int(owner) == spec.index {
                owned[sequence >> 6] |= 1 << UInt64(sequence & 63)
                ownEntries += 1
            }
        }
        return ShardPlan(
            spec: spec, listingSHA256: Hex.encode(hasher.finalize()), entries: owners.count,
            bytes: sizes.reduce(0, +), ownEntries: ownEntries, ownBytes: shardBytes[spec.index],
            shardBytes: shardBytes, owned: owned)
    }

    /// The header's `shard` object: which shard, of how many, of which listing.
    public var headerJSON: JSONValue {
        var shard = JSONObjectBuilder()
        shard.add("index", spec.index)
        shard.add("count", spec.count)
        shard.add("listing_sha256", listingSHA256)
        shard.add("listing_entries", entries)
        shard.add("listing_bytes", bytes)
        shard.add("entries", ownEntries)
        shard.add("bytes", ownBytes)
        return shard.value
    }
}

/// What of a walk entry goes into the listing's fingerprint.
enum ListingFingerprint {
    static func add(_ entry: WalkEntry, to hasher: inout SHA256) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entry.path.relative.bytes.count + 48)
        append(UInt64(entry.path.rootIndex), to: &bytes)
        append(UInt64(entry.path.relative.bytes.count), to: &bytes)
        bytes += entry.path.relative.bytes
        bytes += Array(entry.kind.rawValue.utf8) + [0]
        append(UInt64(bitPattern: entry.stat?.size ?? -1), to: &bytes)
        append(UInt64(bitPattern: entry.stat?.mtime.seconds ?? -1), to: &bytes)
        append(UInt64(UInt32(bitPattern: entry.stat?.mtime.nanoseconds ?? -1)), to: &bytes)
        switch entry.disposition {
        case .read: bytes += Array("read".utf8) + [0]
        case .record(let status, _): bytes += Array(status.rawValue.utf8) + [0]
        }
        hasher.update(data: bytes)
    }

    private static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}

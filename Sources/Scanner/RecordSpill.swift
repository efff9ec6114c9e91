import BlindfoldCore
import Foundation
import Manifest

#if canImport(Glibc)
import Glibc
#endif

/// A scanning thread's spill file: the manifest lines of a container's finished member
/// records once more than ``holdLimit`` are held, read back in order when its walk entry is
/// written (``RecordList``). It lives in the output folder next to the manifest (the same
/// lines, nothing else), opened `O_TMPFILE` where the file system allows it so it has no
/// name and vanishes with its descriptor, else created and unlinked at once.
///
/// `@unchecked Sendable`: a spill belongs to one scanning thread, which writes it while
/// it processes an entry; the sink reads ranges of it only after that entry was delivered and
/// under the sink's lock, and the thread writes only past those ranges (appends), so no byte
/// is read while being written. The write position is touched by the owning thread only.
final class RecordSpill: @unchecked Sendable {
    /// Finished records held in memory before they are spilled.
    let holdLimit: Int
    private let directory: String
    private let multipleRoots: Bool
    /// The file, once made (-1: not yet; -2: could not be made, records stay held).
    private var descriptor: Int32 = -1
    private var end: UInt64 = 0

    /// A spill in `directory` (the output folder); its file is made when first needed.
    init(directory: String, multipleRoots: Bool, holdLimit: Int = 10_000) {
        self.directory = directory
        self.multipleRoots = multipleRoots
        self.holdLimit = holdLimit
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// `O_TMPFILE` (glibc defines it only under `_GNU_SOURCE`, so Swift does not see it):
    /// `__O_TMPFILE | O_DIRECTORY`, 0o20000000 on every Linux architecture Debian builds for
    /// but alpha, parisc and sparc. Where it is wrong or unsupported, `open` fails and the
    /// named-then-unlinked fallback is used.
    private static let temporaryFile: Int32 = 0o20_000_000 | O_DIRECTORY

    /// The file's descriptor, made on first use; nil when it cannot be made.
    private func file() -> Int32? {
        if descriptor == -1 {
            var fd = open(directory, O_RDWR | Self.temporaryFile | O_CLOEXEC, 0o600)
            if fd < 0 {
                let path = directory + "/.records-spill-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
                fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
                if fd >= 0 { unlink(path) }
            }
            descriptor = fd >= 0 ? fd : -2
        }
        return descriptor >= 0 ? descriptor : nil
    }

    /// Appends `records` as manifest lines; their byte range, or nil when the write failed.
    func write(_ records: [ItemRecord]) -> Range<UInt64>? {
        var text = ""
        for record in records {
            record.manifestJSON(multipleRoots: multipleRoots).write(to: &text)
            text.append("\n")
        }
        guard let descriptor = file() else { return nil }
        let start = end
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { writeAll($0, to: descriptor, at: start) }
        guard written else { return nil }
        end += UInt64(text.utf8.count)
        return start..<end
    }

    /// The records in `range`, read back in order (each with the line's JSON, written as read).
    func read(_ range: Range<UInt64>, _ body: (ManifestItem) -> Void) {
        guard descriptor >= 0 else { return }
        var offset = range.lowerBound
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while offset < range.upperBound {
            let wanted = Int(min(UInt64(chunk.count), range.upperBound - offset))
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, wanted, off_t(offset)) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            offset += UInt64(count)
            pending.append(contentsOf: chunk[0..<count])
            var start = 0
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                if case .item(let item)? = try? ManifestReader.line(pending[start..<newline]) { body(item) }
                start = newline + 1
            }
            pending.removeFirst(start)
        }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, at start: UInt64) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var done = 0
        while done < bytes.count {
            let count = pwrite(descriptor, base + done, bytes.count - done, off_t(start + UInt64(done)))
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return false }
            done += count
        }
        return true
    }
}

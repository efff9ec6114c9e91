import BlindfoldCore
import Evidence

extension ItemProcessor {
    /// Reads one item from `source` once, whatever it is (a file, a member, bytes in memory):
    /// sniffs its head, feeds every byte to its plugin sessions and, when it is a container,
    /// to the container's parser as well. Fills `record` (hashes, type, status, matches); the
    /// records of its members go to `context.records`, after the place of its own.
    ///
    /// `record.size` holds the declared size, if any, when this is called.
    ///
    /// - Returns: the bytes read from `source`.
    @discardableResult
    func read(from source: any ChunkSource, record: inout ItemRecord, context: ExpansionContext) -> Int64 {
        let buffer = buffer(for: context.level)
        let declaredSize = record.size
        let pass = ItemPass(analysis: analysis, file: source.itemFile, firstPass: firstPass)
        var total: Int64 = 0
        do throws(ItemReadError) {
            // The head libmagic sees: members come in small pieces (a tar block, what is left of
            // a decompressor's window), so read until the head is full or the item ends.
            let wanted = min(buffer.count, headBytes)
            var first = 0
            while first < wanted {
                let count = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[first...]))
                if count == 0 { break }
                first += count
                total = Int64(first)
            }
            let head = UnsafeRawBufferPointer(rebasing: buffer[0..<first])
            pass.begin(head: head, sniffer: sniffer, record: &record)
            if first > 0, var opening = containerOpening(for: record, head: head, fileOnDisk: source.randomAccess != nil) {
                if opening.access == .randomAccess { opening.random = source.randomAccess }
                // Random access without a file to read from (a member) falls back to a copy.
                let copies = opening.access == .seeking || (opening.access == .randomAccess && opening.random == nil)
                let tee = TeeInput(
                    source: source, buffer: buffer, firstCount: first, interrupt: interrupt,
                    keepCopyUpTo: copies ? configuration.limits.seekableArchiveBytes : nil,
                    pass: pass)
                // Whatever happens, the bytes read so far are reported truthfully.
                defer { total = tee.consumed }
                try expand(opening, tee: tee, record: &record, context: context)
            } else {
                var count = first
                while count > 0 {
                    if interrupt.isRaised {
                        throw ItemReadError(status: .skipped, reason: interrupt.itemReason)
                    }
                    count = try source.read(into: buffer)
                    total += Int64(count)
                    pass.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                }
            }
        } catch {
            record.status = error.status
            let size = declaredSize.map { " of \($0)" } ?? ""
            record.reason = "\(error.reason) (after \(total)\(size) bytes)"
            return total
        }
        if context.level > 0 { record.size = total }
        pass.finish(into: &record)
        return total
    }

    /// The first container format that claims the item, and how it reads it.
    ///
    /// An item read in memory when small is held in memory when its size (on disk, or as
    /// its header declares) is within `seekable_archive_bytes`; otherwise, when it is a file
    /// on disk (`fileOnDisk`) and the format reads such files, read with random access from
    /// the file; otherwise it is streamed or, when the format cannot stream it, left to the
    /// next format.
    func containerOpening(for record: ItemRecord, head: UnsafeRawBufferPointer, fileOnDisk: Bool = false) -> ContainerOpening? {
        for format in containerFormats {
            guard var access = format.access(mime: record.mime, head: head) else { continue }
            if case .inMemoryWhenSmall(let orStreamed, let fromFileWhenLarge) = access {
                if let size = record.size, size <= configuration.limits.seekableArchiveBytes {
                    access = .seeking
                } else if fromFileWhenLarge, fileOnDisk {
                    access = .randomAccess
                } else if orStreamed {
                    access = .streaming
                } else {
                    continue
                }
            }
            return ContainerOpening(format: format, access: access)
        }
        return nil
    }
}

/// A container format that claimed an item, and how the item is to be read.
struct ContainerOpening {
    let format: any ContainerFormat
    let access: ContainerAccess
    /// The item's bytes at any offset, for a format that reads with random access.
    var random: (any RandomAccessInput)?
}

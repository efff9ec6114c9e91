import BlindfoldCore
import Evidence

/// Containers of every kind, opened and listed the same way: one depth limit, one expansion
/// budget per container, one batching of small members, one record order.
extension ItemProcessor {
    /// Opens a container read through `tee`, lists its members into `context.records`, and
    /// reads whatever the parser left so the container's digests cover every byte.
    ///
    /// The parser sees the bytes as a stream when it can read them front to back, and from
    /// memory when they are there already (a small member read whole) or when it needs random
    /// access (held in memory up to `seekable_archive_bytes`).
    func expand(
        _ opening: ContainerOpening, tee: TeeInput, record: inout ItemRecord, context: ExpansionContext
    ) throws(ItemReadError) {
        let limits = configuration.limits
        let depth = record.path.layers.count
        if depth >= limits.archiveDepth {
            try tee.drain()
            record.apply((.limit, "archive_depth: nested \(depth) archives deep; its members are not examined"))
            return
        }
        let budget = ExpansionBudget(
            limits: limits, containerSize: { [unowned tee] in tee.consumed }, declaredSize: record.size,
            parent: context.budget)
        let members = context.members(charging: budget)
        var note: (ItemStatus, String)?
        let format = opening.format
        if let whole = tee.wholeBytes {
            try tee.drain()
            guard format.claims(memory: whole) else { return }
            note = open(format, .memory(whole), record: &record, context: members)
        } else if let random = opening.random {
            // Hashed front to back first; then the parser reads where it needs.
            try tee.drain()
            guard format.claims(random: random) else { return }
            note = openAndList({ () throws(ItemReadError) in try format.open(random: random) }, record: &record, context: members)
        } else if opening.access == .streaming {
            note = open(opening.format, .stream(tee), record: &record, context: members)
            if let failure = tee.failure { throw failure }
            try tee.drain()
        } else {
            try tee.drain()
            if tee.copyOverflowed {
                note = (.limit, "seekable_archive_bytes: larger than \(limits.seekableArchiveBytes) bytes, so hashed but not expanded")
            } else {
                let claimed = tee.copy.withUnsafeBytes { format.claims(memory: $0) }
                guard claimed else { return }
                note = tee.copy.withUnsafeBytes { memory in
                    open(opening.format, .memory(memory), record: &record, context: members)
                }
            }
        }
        record.apply(note)
    }

    /// Opens the container and lists it; returns why listing stopped early, if it did.
    private func open(
        _ format: any ContainerFormat, _ bytes: ContainerBytes, record: inout ItemRecord, context: ExpansionContext
    ) -> (ItemStatus, String)? {
        openAndList({ () throws(ItemReadError) in try format.open(bytes) }, record: &record, context: context)
    }

    /// Opens a container with `opener` and lists it; returns why listing stopped early, if it did.
    private func openAndList(
        _ opener: () throws(ItemReadError) -> any Container, record: inout ItemRecord, context: ExpansionContext
    ) -> (ItemStatus, String)? {
        do throws(ItemReadError) {
            let container = try opener()
            return list(container, record: &record, context: context)
        } catch {
            return (error.status, error.reason)
        }
    }

    /// Lists every member of `container` (whose own record is `record`) in `context`, the
    /// members' context: records for special members, reads regular ones (recursing into
    /// nested containers). Small members are read whole and analysed in batches on every
    /// core; records keep the container's order. Returns why listing stopped early.
    func list(_ container: any Container, record: inout ItemRecord, context: ExpansionContext) -> (ItemStatus, String)? {
        guard let budget = context.budget else { return nil }
        var listed = 0
        var produced: Int64 = 0
        var batch = MemberBatch()
        defer {
            record.container = ContainerInfo(
                format: container.formatName, members: listed, memberBytes: produced, disk: container.diskLayout)
        }
        func stop(_ note: (ItemStatus, String)?) -> (ItemStatus, String)? {
            flush(&batch, context: context)
            if note == nil, let exhausted = budget.exhausted { return (exhausted.status, exhausted.reason) }
            return note
        }
        while true {
            if interrupt.isRaised {
                return stop((.skipped, interrupt.listingReason))
            }
            var entry: ContainerEntry
            switch container.next() {
            case .end: return stop(nil)
            case .failure(let status, let reason): return stop((status, reason))
            case .entry(let next): entry = next
            }
            listed += 1
            if listed > configuration.limits.entriesPerArchive {
                return stop((.limit, "entries_per_archive: more than \(configuration.limits.entriesPerArchive) members; the rest are not examined"))
            }
            // Names cost memory and manifest like data does: a tar of long PAX names is a bomb too.
            do throws(ItemReadError) {
                try budget.charge(entry.headerBytes)
            } catch {
                return stop((error.status, error.reason))
            }
            if entry.kind == .directory { continue }
            let cut = entry.limitNames(to: configuration.limits.memberNameBytes)
            var member = Self.memberRecord(entry, in: record.path, format: container.formatName)
            member.addNotes(cut + container.memberNotes)
            if member.status != .ok {
                batch.add(MemberBatch.Job(record: member, data: [], readFailed: true))
                continue
            }
            let source = MemberChunkSource(container: container, budget: budget)
            if let size = entry.declaredSize, size <= MemberBatch.memberLimit {
                var job = readWhole(source, member, level: context.level)
                job.record.addNotes(container.memberNotes)
                produced += Int64(job.data.count)
                batch.add(job)
                if batch.isFull { flush(&batch, context: context) }
            } else {
                flush(&batch, context: context)
                let place = context.records.reserve(member)
                produced += read(from: source, record: &member, context: context)
                member.addNotes(container.memberNotes)
                context.records.fill(place, with: member)
            }
            if let exhausted = budget.exhausted { return stop((exhausted.status, exhausted.reason)) }
        }
    }

    /// A member's record as its entry states it; not `ok` when its data is not to be read
    /// (links and special members, encrypted data).
    static func memberRecord(_ entry: ContainerEntry, in container: VirtualPath, format: String) -> ItemRecord {
        var path = container
        path.layers.append(VirtualPath.Layer(
            format: format, member: entry.name, location: entry.location, carved: entry.carved))
        var member = ItemRecord(path: path, kind: entry.kind)
        member.size = entry.declaredSize
        member.mtime = entry.mtime
        if entry.isDeleted { member.deleted = true }
        if let withheld = entry.withheld {
            member.status = withheld.status
            member.reason = withheld.reason
        } else if entry.isHardLink || entry.kind != .file {
            member.linkTarget = entry.linkTarget
            member.status = .notOpened
            member.reason = entry.isHardLink
                ? "hard link inside the archive; its data is recorded under the member it links to"
                : "special member (\(entry.kind.rawValue)), recorded and never opened"
        } else if entry.isEncrypted {
            member.status = .encrypted
            member.reason = "member data is encrypted; no key is used"
        }
        return member
    }

    /// Reads a small member into memory (its bytes are still read once, and charged to the budgets).
    private func readWhole(_ source: MemberChunkSource, _ member: ItemRecord, level: Int) -> MemberBatch.Job {
        let buffer = buffer(for: level)
        var data: [UInt8] = []
        var record = member
        do throws(ItemReadError) {
            while true {
                if interrupt.isRaised {
                    throw ItemReadError(status: .skipped, reason: interrupt.itemReason)
                }
                let count = try source.read(into: buffer)
                if count == 0 { break }
                data.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                // Batched because its header declared at most 1 MiB; one that produces more is
                // lying, and is not held in memory past that.
                if data.count > Int(MemberBatch.memberLimit) {
                    throw ItemReadError(
                        status: .limit,
                        reason: "declared_size: the member produced more than the \(member.size ?? 0) bytes its header declares")
                }
            }
        } catch {
            record.status = error.status
            let size = member.size.map { " of \($0)" } ?? ""
            record.reason = "\(error.reason) (after \(data.count)\(size) bytes)"
            return MemberBatch.Job(record: record, data: [], readFailed: true)
        }
        return MemberBatch.Job(record: record, data: data, readFailed: false)
    }

    /// Opens a member that was read whole and analysed already, when it is a container: its
    /// bytes are a chunk source like any other, and its members go to `context.records`.
    func expandRead(_ data: [UInt8], record: inout ItemRecord, context: ExpansionContext) {
        data.withUnsafeBytes { bytes in
            let head = UnsafeRawBufferPointer(rebasing: bytes.prefix(headBytes))
            guard !bytes.isEmpty, let opening = containerOpening(for: record, head: head) else { return }
            let tee = TeeInput(
                source: MemoryChunkSource(bytes), buffer: buffer(for: context.level), firstCount: 0,
                interrupt: interrupt, pass: nil)
            do throws(ItemReadError) {
                try expand(opening, tee: tee, record: &record, context: context)
            } catch {
                // Only an interruption can stop reading bytes that are in memory.
                record.apply((error.status, error.reason))
            }
        }
    }
}

extension ItemRecord {
    /// Adds the container's notes on this member that it does not carry yet.
    mutating func addNotes(_ added: [String]) {
        for note in added where !notes.contains(note) { notes.append(note) }
    }

    /// Sets the status and reason from a note, when there is one.
    mutating func apply(_ note: (ItemStatus, String)?) {
        guard let (status, reason) = note else { return }
        self.status = status
        self.reason = reason
    }
}

import BlindfoldCore
import Dispatch
import Evidence
import KnownHashes

/// The steps every item goes through, whatever its source: identify the type from the head,
/// open the plugin sessions that apply, feed them, finish and match.
struct ItemAnalysis {
    typealias Sessions = [(id: String, session: any HashSession, wholeItem: Bool)]

    let configuration: ScanConfiguration

    /// Sets `mime`, `description` and `extension_mismatch` from the item's first bytes.
    func identify(_ head: UnsafeRawBufferPointer, with sniffer: TypeSniffer?, into record: inout ItemRecord) {
        guard let sniffer else { return }
        let signature = sniffer.sniff(head)
        record.mime = signature.mime
        record.description = signature.description
        record.extensionMismatch = ExtensionCheck.isMismatch(name: record.path.effectiveName, mime: signature.mime)
    }

    /// Fresh sessions of every plugin that applies to the item. When the item is a file on disk
    /// (`file`), a plugin that reads descriptors gets the file's descriptor instead of its bytes.
    func sessions(for record: ItemRecord, size: Int64?, file: (any ItemFile)? = nil, firstPass: Bool = false) -> Sessions {
        let context = ItemContext(mime: record.mime, size: size, firstPass: firstPass)
        var sessions: Sessions = []
        for plugin in configuration.registry.plugins where plugin.descriptor.applies(to: context) {
            if let file, let reader = plugin as? any DescriptorReadingPlugin, reader.readsDescriptors {
                sessions.append((plugin.descriptor.id, DescriptorSession(plugin: reader, file: file, context: context), true))
            } else if let session = plugin.makeSession(for: context) {
                sessions.append((plugin.descriptor.id, session, plugin.descriptor.inputMode == .wholeItem))
            }
        }
        return sessions
    }

    /// Collects the sessions' values (or failures) and matches the hashes against every set.
    ///
    /// Hashes exist only for items read in full, so every item with hashes is matched,
    /// including containers whose structure turned out damaged. Streaming plugins (digests)
    /// finish first: an exact known-good match spares the whole-item plugins' decode when
    /// ``ScanConfiguration/skipPerceptualForKnownGood`` is set.
    func finish(_ sessions: Sessions, into record: inout ItemRecord) {
        for entry in sessions where !entry.wholeItem { collect(entry, into: &record) }
        let wholeItem = sessions.filter(\.wholeItem)
        if !wholeItem.isEmpty {
            let exact = record.hashes.isEmpty ? [] : configuration.matcher.matches(for: record.hashes)
            let knownGood = exact.contains { $0.role == .knownGood } && !exact.contains { $0.role == .knownBad }
            if knownGood && configuration.skipPerceptualForKnownGood {
                let skipped = wholeItem.map(\.id).joined(separator: ", ")
                record.notes.append("\(skipped) not computed: the item matched a known-good set exactly")
            } else {
                for entry in wholeItem { collect(entry, into: &record) }
            }
        }
        record.notes.append(contentsOf: configuration.signals.notes(for: record.hashes))
        if !record.hashes.isEmpty { record.matches = configuration.matcher.matches(for: record.hashes) }
        VPDQFrameFiles(outputDirectory: configuration.outputDirectory).move(&record)
    }

    private func collect(_ entry: Sessions.Element, into record: inout ItemRecord) {
        switch entry.session.finish() {
        case .values(let outputs): record.hashes.append(contentsOf: outputs)
        case .notApplicable: break
        case .failure(let failure): record.pluginErrors.append(PluginErrorNote(plugin: entry.id, reason: failure.recorded))
        }
    }

    /// Feeds one chunk to every session; for large items each session runs on its own core.
    static func feed(_ sessions: Sessions, _ chunk: UnsafeRawBufferPointer, parallel: Bool) {
        if parallel {
            let lanes = ParallelLanes(sessions: sessions.map(\.session), chunk: chunk)
            DispatchQueue.concurrentPerform(iterations: lanes.sessions.count) { index in
                lanes.sessions[index].update(lanes.chunk)
            }
        } else {
            for entry in sessions { entry.session.update(chunk) }
        }
    }
}

/// The sessions of one item and one chunk, handed to `concurrentPerform` for one round.
///
/// `@unchecked Sendable` is safe here because of how it is used: each iteration touches exactly
/// one session (its own index), the chunk is only read, and `concurrentPerform` returns only
/// after every iteration finished, so no session is used by two threads at once and the chunk
/// outlives every reader. Nothing keeps this value beyond that call.
private struct ParallelLanes: @unchecked Sendable {
    let sessions: [any HashSession]
    let chunk: UnsafeRawBufferPointer
}

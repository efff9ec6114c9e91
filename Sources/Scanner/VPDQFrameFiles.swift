import BlindfoldCore
import Crypto
import Foundation
import Signals

/// Moves a video's vPDQ frame lines out of its record into a file under the output folder,
/// `vpdq/<sha256>.txt` (named by its digest: no name from the evidence reaches the file
/// system, and identical videos share one file), and puts the reference in the record
/// (``SidecarFile``). A plugin's damage sentence becomes its `plugin_errors` entry.
struct VPDQFrameFiles {
    /// The folder the frame files go under.
    static let folder = "vpdq"
    let outputDirectory: String

    /// Rewrites `record` if it holds vPDQ frame lines; other records are left alone.
    func move(_ record: inout ItemRecord) {
        if let damage = record.hashes.first(where: { $0.key == VPDQSignal.Key.damage }), case .text(let reason) = damage.value {
            record.pluginErrors.append(PluginErrorNote(plugin: VPDQSignal.Key.features, reason: "\(ItemStatus.corrupt.rawValue): \(reason)"))
            record.hashes.removeAll { $0.key == VPDQSignal.Key.damage }
        }
        // A triage's first pass hashed the first seconds only: the frame file says it is not complete.
        var partialSeconds: Int?
        if let partial = record.hashes.first(where: { $0.key == VPDQSignal.Key.partial }), case .integer(let seconds) = partial.value {
            partialSeconds = seconds
            record.hashes.removeAll { $0.key == VPDQSignal.Key.partial }
        }
        guard let position = record.hashes.firstIndex(where: { $0.key == VPDQSignal.Key.features }),
              case .text(let text) = record.hashes[position].value
        else { return }
        record.hashes.remove(at: position)
        let bytes = Data(text.utf8)
        let digest = Hex.encode(SHA256.hash(data: bytes))
        let relative = "\(Self.folder)/\(digest).txt"
        let folder = URL(fileURLWithPath: outputDirectory).appendingPathComponent(Self.folder)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let target = folder.appendingPathComponent("\(digest).txt")
            if !FileManager.default.fileExists(atPath: target.path) { try bytes.write(to: target, options: .atomic) }
        } catch {
            record.pluginErrors.append(PluginErrorNote(
                plugin: VPDQSignal.Key.features,
                reason: "\(ItemStatus.skipped.rawValue): the frame hashes could not be written under the output folder"))
            return
        }
        let frames = text.utf8.count { $0 == UInt8(ascii: "\n") }
        record.sidecar = SidecarFile(
            key: VPDQSignal.Key.features, file: relative, sha256: digest, count: frames, countKey: "frames",
            complete: partialSeconds == nil)
        if let partialSeconds {
            record.notes.append("vpdq: only the first \(partialSeconds) s of the video were hashed (the triage's first pass); the budget ran out before the rest")
        }
    }
}

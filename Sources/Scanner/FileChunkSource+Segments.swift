import BlindfoldCore
import Evidence

/// An evidence file opens the files beside it, read-only and through the same I/O gate, when
/// it is the first segment of a split image (E01, `disk.001`), a differencing VHD or a VMDK
/// descriptor: ``ImageMedia`` asks. Only a regular file is opened (never through a link).
extension FileChunkSource: SegmentedInput {
    var fileName: [UInt8] { location.name.bytes }

    func openSibling(named name: [UInt8]) throws(ItemReadError) -> (any RandomAccessInput)? {
        let sibling = location.sibling(named: PathBytes(name))
        guard let stat = try sibling.regularFile() else { return nil }
        let file = try EvidenceFile(at: sibling, expected: stat)
        return FileChunkSource(file: file, location: sibling, ioGate: ioGate, progress: progress)
    }
}

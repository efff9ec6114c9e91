import BlindfoldCore

/// Random access to an evidence file that can also open the files beside it, read-only: how
/// the later segments of a split image (`disk.002`, `case.E02`) are found from the first.
///
/// The scanner's evidence files conform; bytes in memory (an image inside an archive) do not,
/// so such an image is read from its one segment.
public protocol SegmentedInput: RandomAccessInput {
    /// The file's own name (its last path component), as bytes.
    var fileName: [UInt8] { get }

    /// Opens the file called `name` in the same directory, read-only, the way every evidence
    /// file is opened; nil when there is no such file.
    func openSibling(named name: [UInt8]) throws(ItemReadError) -> (any RandomAccessInput)?
}

extension SegmentedInput {
    /// ``openSibling(named:)``, its error saying which of the image's files (`what`: "segment
    /// 2 of the image", "an extent file of the VMDK", ...) could not be opened. The name itself
    /// is never quoted: it may come from inside the image.
    func openSibling(named name: [UInt8], for what: String) throws(ItemReadError) -> (any RandomAccessInput)? {
        do throws(ItemReadError) {
            return try openSibling(named: name)
        } catch {
            throw ItemReadError(status: error.status, reason: "\(what) could not be opened: \(error.reason)")
        }
    }
}

extension RandomAccessInput {
    /// Up to `count` bytes from `offset`: fewer only at the end of the input.
    func bytes(at offset: Int64, count: Int) throws(ItemReadError) -> [UInt8] {
        guard count > 0 else { return [] }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: count, alignment: 8)
        defer { buffer.deallocate() }
        var filled = 0
        while filled < count {
            let read = try read(at: offset + Int64(filled), into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if read == 0 { break }
            filled += read
        }
        return Array(buffer[0..<filled])
    }
}

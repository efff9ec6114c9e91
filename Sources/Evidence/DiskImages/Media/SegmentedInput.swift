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

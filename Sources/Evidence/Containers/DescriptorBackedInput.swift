/// Random access to a container that is made of evidence files the scanner opened read-only:
/// their descriptors can be handed to a container worker, which then reads them with `pread`
/// and never needs a path (README, rule 2).
public protocol DescriptorBackedInput: RandomAccessInput {
    /// The files, in order: one for a plain image, one per segment of a split or multi-segment
    /// image (the worker opens them with ``ContainerFormat/open(segments:)``). The descriptors
    /// are borrowed: open for as long as the input lives; the worker receives duplicates.
    var files: [DescriptorSegment] { get }
}

/// One open evidence file of a ``DescriptorBackedInput``.
public struct DescriptorSegment: Sendable, Hashable {
    /// The read-only descriptor (borrowed).
    public var descriptor: Int32
    /// Its size in bytes, as the scanner measured it when it opened the file.
    public var size: Int64

    /// A segment from its parts.
    public init(descriptor: Int32, size: Int64) {
        self.descriptor = descriptor
        self.size = size
    }
}

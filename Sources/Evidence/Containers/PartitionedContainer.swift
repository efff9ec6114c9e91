/// A container whose members come file system by file system, in the order of its volume
/// system's partitions (a disk image). A container worker that took over from one whose parser
/// crashed or hung in partition `k` opens the image again and skips to the partitions after it,
/// so a fault costs one file system, not the image.
public protocol PartitionedContainer: Container {
    /// Leaves out the file systems of every partition whose index (as `mmls` numbers it) is at
    /// most `index`. Called once, before the first ``Container/next()``.
    func skipPartitions(through index: Int)
}

import BlindfoldCore

/// The members a disk image's carving yields, one after another, for the image's container:
/// each named `carved/<offset>.<ext>` (the offset in bytes from the image's start, in
/// decimal), with its location in the image, read straight from the image's bytes.
///
/// An item over its cap is a member recorded `limit` and never read. Not `Sendable`: one disk
/// image reader owns it.
public final class CarvedMembers {
    private let input: any RandomAccessInput
    private let carver: Carver
    private var current: (offset: Int64, end: Int64)?
    private var finished = false

    /// The members carved from `input`'s `regions`.
    public init(input: any RandomAccessInput, regions: [CarvingRegion], options: CarvingOptions) {
        self.input = input
        self.carver = Carver(input: input, regions: regions, options: options)
    }

    /// The next carved member, a failure that ends the carving, or nil when it is over.
    public func next() -> ContainerStep? {
        current = nil
        guard !finished else { return nil }
        let item: CarvedItem?
        do throws(ItemReadError) {
            item = try carver.next()
        } catch {
            finished = true
            return .failure(error.status, error.reason)
        }
        guard let item else {
            finished = true
            return nil
        }
        var entry = ContainerEntry(name: PathBytes(Array("carved/\(item.offset).\(item.ext)".utf8)), kind: .file)
        entry.declaredSize = item.length
        entry.carved = CarvedLocation(offset: item.offset, length: item.length, origin: item.origin)
        if let cap = item.exceededCap {
            entry.withheld = ItemReadError(
                status: .limit,
                reason: "carving: the structure found here runs past the \(cap)-byte cap on a carved item, so it is not read")
        } else if let length = item.length {
            current = (item.offset, item.offset + length)
        }
        return .entry(entry)
    }

    /// Reads the current member's next bytes; 0 at its end.
    public func readData(into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        guard let (offset, end) = current, offset < end else { return 0 }
        let wanted = Int(min(Int64(buffer.count), end - offset))
        let count = try input.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted]))
        guard count > 0 else {
            throw ItemReadError(status: .corrupt, reason: "the image ended inside a carved item")
        }
        current = (offset + Int64(count), end)
        return count
    }
}

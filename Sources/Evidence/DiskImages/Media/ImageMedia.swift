import BlindfoldCore

/// How an image's bytes become the media The Sleuth Kit reads: the seam between the image
/// file(s) and TSK. Given the image's first segment (and, through ``SegmentedInput``, the
/// files beside it), it gives random access to the **media** (the disk as acquired) and the
/// facts the image's format states about itself, for the record.
///
/// - raw: the input itself; a fixed VHD (a raw disk with a VHD footer) through libvhdi.
/// - split raw (`disk.001`, `disk.002`, ...; `disk.aa`, `disk.ab`, ...): the segments end to end.
/// - EWF (`.E01`, `.E02`, ...; `.Ex01` ...): libewf over a libbfio pool of the segments, and
///   the stored media digests verified in a pass of their own.
/// - VHD (fixed, dynamic, differencing with its parents beside it) through libvhdi; VMDK
///   (monolithic sparse, stream-optimized, and a descriptor with its split sparse or flat
///   extents beside it) through libvmdk.
public struct ImageMedia {
    /// The media, read at any offset.
    public let input: any RandomAccessInput
    /// Sector size for TSK.
    public let sectorSize: Int
    /// What the format states; nil for a plain raw image.
    public let facts: ImageFacts?

    /// Opens the media of the image that starts `input`, whose head detection called `kind`
    /// (the files beside it are found through ``SegmentedInput``).
    public static func open(_ input: any RandomAccessInput, kind: DiskImageDetection.Kind?) throws(ItemReadError) -> ImageMedia {
        try open(files: try files(of: input, kind: kind), kind: kind)
    }

    /// The image's files in order: `input` and, when it is a file whose name starts a segment
    /// set of its kind (E01, split raw), the segments after it that are there; for a
    /// differencing VHD, its parents. The scanner hands all of them to a container worker,
    /// which cannot look beside a descriptor.
    public static func files(of input: any RandomAccessInput, kind: DiskImageDetection.Kind?) throws(ItemReadError) -> [any RandomAccessInput] {
        switch kind {
        case .ewf?: return try segments(from: input, scheme: SegmentNaming.ewfScheme)
        case .vhd?: return try VHDParentLink.chain(from: input)
        case .vmdk?: return try VMDKDescriptor.files(from: input)
        default:
            if try hasVHDFooter(input) { return [input] }
            return try segments(from: input, scheme: SegmentNaming.splitRawScheme)
        }
    }

    /// Opens the media of the image made of `files` (as ``files(of:kind:)`` lists them; the
    /// first one's head detection called `kind`).
    public static func open(files: [any RandomAccessInput], kind: DiskImageDetection.Kind?) throws(ItemReadError) -> ImageMedia {
        guard let first = files.first else {
            throw ItemReadError(status: .unreadable, reason: "no file of the image was handed over")
        }
        switch kind {
        case .ewf?:
            return try ewf(files)
        case .vhd?:
            return try vhd(files)
        case .vmdk?:
            let media = try VMDKMedia(files: files)
            guard files.count > 1 else {
                return ImageMedia(input: media, sectorSize: 512, facts: ImageFacts(format: "vmdk", imageType: media.imageType))
            }
            return ImageMedia(
                input: media, sectorSize: 512,
                facts: ImageFacts(
                    format: "vmdk", segments: files.count, segmentBytes: files.reduce(0) { $0 + $1.size },
                    imageType: media.imageType))
        default:
            if try hasVHDFooter(first) { return try vhd([first]) }
            guard files.count > 1 else { return ImageMedia(input: first, sectorSize: 512, facts: nil) }
            let whole = ConcatenatedInput(files)
            return ImageMedia(
                input: whole, sectorSize: 512,
                facts: ImageFacts(format: "split-raw", segments: files.count, segmentBytes: whole.size))
        }
    }

    /// Opens an EWF image from all of its segment files, in order (a worker that was handed
    /// their descriptors).
    public static func ewf(_ segments: [any RandomAccessInput]) throws(ItemReadError) -> ImageMedia {
        let media = try EWFMedia(segments: segments)
        let facts = ImageFacts(
            format: "ewf", segments: segments.count, segmentBytes: segments.reduce(0) { $0 + $1.size },
            acquisition: media.acquisition(), verification: MediaVerification.verify(media))
        return ImageMedia(input: media, sectorSize: max(media.bytesPerSector, 512), facts: facts)
    }

    private static func vhd(_ chain: [any RandomAccessInput]) throws(ItemReadError) -> ImageMedia {
        let media = try VHDMedia(chain: chain)
        guard media.chainLength > 1 else {
            return ImageMedia(input: media, sectorSize: 512, facts: ImageFacts(format: "vhd", imageType: media.imageType))
        }
        let read = chain.prefix(media.chainLength)
        return ImageMedia(
            input: media, sectorSize: 512,
            facts: ImageFacts(
                format: "vhd", segments: read.count, segmentBytes: read.reduce(0) { $0 + $1.size },
                imageType: media.imageType))
    }

    /// `input` and, when it is a file whose name starts a segment set, the segments after it
    /// that are there, in order, up to the first missing one.
    static func segments(
        from input: any RandomAccessInput, scheme: ([UInt8]) -> SegmentNaming.Scheme?
    ) throws(ItemReadError) -> [any RandomAccessInput] {
        guard let file = input as? any SegmentedInput, let found = scheme(file.fileName) else { return [input] }
        var parts: [any RandomAccessInput] = [input]
        var number = 2
        while let name = SegmentNaming.name(of: number, scheme: found, first: file.fileName) {
            guard let next = try file.openSibling(named: name, for: "segment \(number) of the image") else { break }
            parts.append(next)
            number += 1
        }
        return parts
    }

    /// True when the last 512 bytes are a VHD footer (`conectix`): a fixed VHD, whose head is
    /// the raw disk itself.
    private static func hasVHDFooter(_ input: any RandomAccessInput) throws(ItemReadError) -> Bool {
        guard input.size >= 1024 else { return false }
        return try input.bytes(at: input.size - 512, count: 8) == Array("conectix".utf8)
    }
}

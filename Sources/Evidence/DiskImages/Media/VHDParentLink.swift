import BlindfoldCore

/// What a VHD's own headers say about its place in a differencing chain: its unique
/// identifier, and for a differencing image the identifier and file name of its parent. Read
/// by the scanner (not a worker) from two fixed-size structures, bounds-checked, so that it
/// can find the parent beside the image and hand its descriptor over with the child's.
///
/// The parent's name is image metadata that may be a full path on the acquiring machine
/// (`C:\Users\...`): only its last component is used, to look beside the image, and it is
/// never recorded or quoted.
struct VHDParentLink {
    /// The image's own unique identifier (footer).
    let identifier: [UInt8]
    /// For a differencing image, its parent's identifier and file name (last component,
    /// UTF-8); nil for a fixed or dynamic image.
    let parent: (identifier: [UInt8], fileName: [UInt8])?

    /// The most images a chain may have, the child included: a bound against images that name
    /// each other.
    static let maximumChain = 16

    private static let footerBytes = 512
    private static let headerBytes = 1024
    private static let differencingType: UInt32 = 4

    /// Reads the link of the VHD in `input`; nil when `input` has no VHD footer.
    static func read(_ input: any RandomAccessInput) throws(ItemReadError) -> VHDParentLink? {
        guard input.size >= Int64(footerBytes) * 2 else { return nil }
        let footer = try input.bytes(at: input.size - Int64(footerBytes), count: footerBytes)
        guard footer.count == footerBytes, Array(footer[0..<8]) == Array("conectix".utf8) else { return nil }
        let identifier = Array(footer[68..<84])
        guard bigEndian(footer[60..<64]) == UInt64(differencingType) else {
            return VHDParentLink(identifier: identifier, parent: nil)
        }
        let headerOffset = bigEndian(footer[16..<24])
        guard headerOffset <= UInt64(input.size - Int64(headerBytes)) else {
            return VHDParentLink(identifier: identifier, parent: nil)
        }
        let header = try input.bytes(at: Int64(headerOffset), count: headerBytes)
        guard header.count == headerBytes, Array(header[0..<8]) == Array("cxsparse".utf8) else {
            return VHDParentLink(identifier: identifier, parent: nil)
        }
        let name = lastComponent(ofUTF16BigEndian: Array(header[64..<576]))
        return VHDParentLink(identifier: identifier, parent: (Array(header[40..<56]), name))
    }

    /// The image in `input` and its parents found beside it, child first: each parent opened
    /// through ``SegmentedInput/openSibling(named:)`` by the name its child states, and kept
    /// only when its identifier is the one its child names. Stops at the first parent that is
    /// missing, does not match, or is already in the chain (the worker then refuses the chain
    /// as incomplete).
    static func chain(from input: any RandomAccessInput) throws(ItemReadError) -> [any RandomAccessInput] {
        var chain: [any RandomAccessInput] = [input]
        var current = input
        var seen: Set<[UInt8]> = []
        while chain.count < maximumChain, let link = try read(current), let parent = link.parent,
              seen.insert(link.identifier).inserted, !seen.contains(parent.identifier),
              !["", ".", ".."].contains(String(decoding: parent.fileName, as: UTF8.self)),
              let beside = current as? any SegmentedInput {
            guard let opened = try beside.openSibling(named: parent.fileName, for: "the parent of the differencing VHD"),
                  try read(opened)?.identifier == parent.identifier else { break }
            chain.append(opened)
            current = opened
        }
        return chain
    }

    private static func bigEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The UTF-16BE name up to its first NUL, its last component after `/` or `\`, as UTF-8;
    /// empty when it is not valid UTF-16.
    private static func lastComponent(ofUTF16BigEndian bytes: [UInt8]) -> [UInt8] {
        var units: [UInt16] = []
        var index = 0
        while index + 1 < bytes.count {
            let unit = UInt16(bytes[index]) << 8 | UInt16(bytes[index + 1])
            if unit == 0 { break }
            units.append(unit)
            index += 2
        }
        var scalars: [Unicode.Scalar] = []
        var iterator = units.makeIterator()
        var decoder = UTF16()
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .emptyInput: break decoding
            case .error: return []
            }
        }
        let last = scalars.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last ?? []
        var name = String.UnicodeScalarView()
        name.append(contentsOf: last)
        return Array(String(name).utf8)
    }
}

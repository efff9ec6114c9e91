import BlindfoldCore

/// What a VMDK's text descriptor says about where its data lives: the extent lines
/// (`RW 4194304 SPARSE "disk-s001.vmdk"`), read by the scanner (not a worker) so that it can
/// open the extent files beside the descriptor and hand their descriptors over with it.
///
/// Only the access, size, type and file name fields of an extent line are looked at; a file
/// name is used to look beside the descriptor (its last component only) and is never recorded.
enum VMDKDescriptor {
    /// The text that starts a descriptor, in its own file or embedded in a sparse extent.
    static let signature = Array("# Disk DescriptorFile".utf8)

    /// The most descriptor bytes read; VMware's descriptors are a few hundred bytes.
    static let maximumBytes = 65_536

    /// The most extent files an image may have (a 2 GB split of a 62 TB disk is about 32,000).
    static let maximumExtents = 65_536

    /// The `createType` values whose data is one raw file of its own (`-flat.vmdk`), read as a
    /// raw image on its own: their descriptor is not read as an image too.
    static let singleFlatTypes: Set<String> = ["monolithicFlat", "vmfs", "vmfsPreallocated", "vmfsEagerZeroedThick"]

    /// The `createType` values of one self-contained file (descriptor embedded in the data).
    static let selfContainedTypes: Set<String> = ["monolithicSparse", "streamOptimized"]

    /// The descriptor's `createType` value, if `text` states one.
    static func createType(in text: ArraySlice<UInt8>) -> String? {
        for line in lines(of: text) {
            let fields = line.split(separator: UInt8(ascii: "="), maxSplits: 1)
            guard fields.count == 2, trimmed(fields[0]) == Array("createType".utf8) else { continue }
            let value = trimmed(fields[1]).filter { $0 != UInt8(ascii: "\"") }
            return String(decoding: value, as: UTF8.self)
        }
        return nil
    }

    /// The file names of the descriptor's extents, in order (the last component of each, as
    /// bytes); nil for an extent line without a file (a `ZERO` extent), which no file backs.
    static func extentFiles(in text: ArraySlice<UInt8>) -> [[UInt8]?] {
        var files: [[UInt8]?] = []
        for line in lines(of: text) where files.count < maximumExtents {
            let fields = line.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
            guard fields.count >= 3, ["RW", "RDONLY", "NOACCESS"].contains(String(decoding: fields[0], as: UTF8.self)),
                  fields[1].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { continue }
            guard let open = line.firstIndex(of: UInt8(ascii: "\"")),
                  let close = line[(open + 1)...].firstIndex(of: UInt8(ascii: "\"")) else {
                files.append(nil)
                continue
            }
            let name = line[(open + 1)..<close]
            let last = name.split(whereSeparator: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") }).last
            files.append(last.map(Array.init))
        }
        return files
    }

    /// The image in `input` and, when it is a text descriptor, the extent files it names found
    /// beside it, in the descriptor's order. Stops at the first extent that is missing or
    /// unnamed (the worker then refuses the image as incomplete).
    static func files(from input: any RandomAccessInput) throws(ItemReadError) -> [any RandomAccessInput] {
        let head = try input.bytes(at: 0, count: Int(min(input.size, Int64(maximumBytes))))
        guard head.starts(with: signature), let beside = input as? any SegmentedInput else { return [input] }
        var files: [any RandomAccessInput] = [input]
        for name in extentFiles(in: head[...]) {
            guard let name, !["", ".", ".."].contains(String(decoding: name, as: UTF8.self)) else { break }
            guard let opened = try beside.openSibling(named: name, for: "an extent file of the VMDK") else { break }
            files.append(opened)
        }
        return files
    }

    private static func lines(of text: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        let end = text.firstIndex(of: 0) ?? text.endIndex
        return text[text.startIndex..<end].split(whereSeparator: { $0 == 0x0A || $0 == 0x0D })
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        let isSpace: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }),
              let last = bytes.lastIndex(where: { !isSpace($0) }) else { return [] }
        return Array(bytes[first...last])
    }
}

import BlindfoldCore
import Evidence

/// A container format made for the pipeline tests: `FAKE`, then members, each one op byte, a
/// name (UInt16 length, little-endian) and a payload (UInt32 length). Ops: `F` a file, `E` an
/// encrypted file, `L` a symbolic link (payload = target), `X` damage (listing fails there),
/// `D` a file whose data fails half-way.
enum FakeArchive {
    enum Member {
        case file(String, [UInt8])
        case encrypted(String, [UInt8])
        case link(String, String)
        case damage
        case failingData(String, [UInt8])
    }

    static let magic: [UInt8] = Array("FAKE".utf8)

    static func build(_ members: [Member]) -> [UInt8] {
        var bytes = magic
        func add(_ op: Character, _ name: String, _ payload: [UInt8]) {
            bytes.append(op.asciiValue ?? 0)
            let nameBytes = Array(name.utf8)
            bytes += [UInt8(nameBytes.count & 0xff), UInt8(nameBytes.count >> 8)]
            bytes += nameBytes
            let count = UInt32(payload.count)
            bytes += [0, 8, 16, 24].map { UInt8(truncatingIfNeeded: count >> $0) }
            bytes += payload
        }
        for member in members {
            switch member {
            case .file(let name, let data): add("F", name, data)
            case .encrypted(let name, let data): add("E", name, data)
            case .link(let name, let target): add("L", name, Array(target.utf8))
            case .damage: add("X", "", [])
            case .failingData(let name, let data): add("D", name, data)
            }
        }
        return bytes
    }
}

/// Recognises `FAKE` by its first bytes, whatever libmagic says; streams or seeks as told.
struct FakeFormat: ContainerFormat {
    var access: ContainerAccess = .streaming

    func access(mime: String?, head: UnsafeRawBufferPointer) -> ContainerAccess? {
        head.starts(with: FakeArchive.magic) ? access : nil
    }

    func open(_ bytes: ContainerBytes) throws(ItemReadError) -> any Container {
        var data: [UInt8] = []
        switch bytes {
        case .memory(let memory): data = Array(memory)
        case .stream(let input):
            while true {
                let block = try input.nextBlock()
                if block.isEmpty { break }
                data += block
            }
        }
        guard data.starts(with: FakeArchive.magic) else {
            throw ItemReadError(status: .corrupt, reason: "not a fake archive")
        }
        return FakeContainer(data: data)
    }
}

/// The fake format's reader, entry after entry.
final class FakeContainer: Container {
    private let data: [UInt8]
    private var offset = FakeArchive.magic.count
    private var current: (payload: Range<Int>, used: Int, failsHalfWay: Bool)?
    /// How many times `next()` was called after it answered `.end` or `.failure`.
    private(set) var callsAfterEnd = 0
    private var ended = false

    init(data: [UInt8]) { self.data = data }

    var formatName: String { "fake" }

    func next() -> ContainerStep {
        if ended { callsAfterEnd += 1 }
        guard offset < data.count else {
            ended = true
            return .end
        }
        guard offset + 3 <= data.count else { return fail() }
        let op = data[offset]
        let nameCount = Int(data[offset + 1]) | Int(data[offset + 2]) << 8
        let nameStart = offset + 3
        let sizeStart = nameStart + nameCount
        guard sizeStart + 4 <= data.count else { return fail() }
        let size = (0..<4).reduce(0) { $0 | Int(data[sizeStart + $1]) << (8 * $1) }
        let payload = (sizeStart + 4)..<(sizeStart + 4 + size)
        guard payload.upperBound <= data.count else { return fail() }
        offset = payload.upperBound
        let name = PathBytes(Array(data[nameStart..<sizeStart]))
        current = (payload, 0, op == UInt8(ascii: "D"))
        switch op {
        case UInt8(ascii: "F"), UInt8(ascii: "D"):
            return .entry(ContainerEntry(name: name, kind: .file, declaredSize: Int64(size)))
        case UInt8(ascii: "E"):
            return .entry(ContainerEntry(name: name, kind: .file, declaredSize: Int64(size), isEncrypted: true))
        case UInt8(ascii: "L"):
            return .entry(ContainerEntry(
                name: name, kind: .symlink, linkTarget: PathBytes(Array(data[payload]))))
        default:
            return fail()
        }
    }

    private func fail() -> ContainerStep {
        ended = true
        return .failure(.corrupt, "fake damage")
    }

    func readData(into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
        guard let member = current else { return 0 }
        let position = member.payload.lowerBound + member.used
        if member.failsHalfWay, member.used >= member.payload.count / 2 {
            throw ItemReadError(status: .truncated, reason: "fake member data ends early")
        }
        // Small pieces, as a decompressor hands them out.
        let count = min(buffer.count, member.payload.upperBound - position, 4096)
        guard count > 0 else { return 0 }
        buffer.copyBytes(from: data[position..<(position + count)])
        current?.used += count
        return count
    }
}

import BlindfoldCore

/// The bytes that travel between the scanner and a decoder worker: length-prefixed fields,
/// little-endian, no interpretation of the item's bytes.
///
/// Request:  `BFWQ`, plugin id, MIME type, declared size (-1 unknown), payload.
/// Response: `BFWR`, then the outcome: 0 values (key, type, value...), 1 not applicable,
/// 2 failure (status, reason).
enum WireFormat {
    static let requestMagic: [UInt8] = Array("BFWQ".utf8)
    static let responseMagic: [UInt8] = Array("BFWR".utf8)
}

/// A request: which plugin, what the scanner knows of the item, and its bytes.
struct WorkerRequest {
    var pluginID: String
    var context: ItemContext
    var payload: [UInt8]

    /// Everything before the payload (the payload is sent separately, without a copy).
    func encodedHeader() -> [UInt8] {
        var writer = WireWriter()
        writer.bytes(WireFormat.requestMagic)
        writer.string(pluginID)
        writer.string(context.mime ?? "")
        writer.integer(context.size ?? -1)
        writer.integer(Int64(payload.count))
        return writer.buffer
    }
}

/// Appends fields to a byte buffer.
struct WireWriter {
    var buffer: [UInt8] = []

    mutating func bytes(_ value: [UInt8]) { buffer += value }

    mutating func integer(_ value: Int64) {
        withUnsafeBytes(of: value.littleEndian) { buffer += $0 }
    }

    mutating func string(_ value: String) {
        let utf8 = Array(value.utf8)
        integer(Int64(utf8.count))
        buffer += utf8
    }

    mutating func outcome(_ outcome: PluginOutcome) {
        bytes(WireFormat.responseMagic)
        switch outcome {
        case .values(let outputs):
            integer(0)
            integer(Int64(outputs.count))
            for output in outputs {
                string(output.key)
                switch output.value {
                case .hex(let hex):
                    integer(0)
                    string(hex)
                case .integer(let number):
                    integer(1)
                    integer(Int64(number))
                case .hexList(let list):
                    integer(2)
                    integer(Int64(list.count))
                    for item in list { string(item) }
                }
            }
        case .notApplicable:
            integer(1)
        case .failure(let failure):
            integer(2)
            string(failure.status.rawValue)
            string(failure.reason)
        }
    }
}

/// Reads fields back; every read is bounds-checked, so a garbled message is an error, not a trap.
struct WireReader {
    private let buffer: [UInt8]
    private var offset = 0

    struct Malformed: Error {}

    init(_ buffer: [UInt8]) { self.buffer = buffer }

    mutating func bytes(_ count: Int) throws(Malformed) -> ArraySlice<UInt8> {
        guard count >= 0, count <= buffer.count - offset else { throw Malformed() }
        defer { offset += count }
        return buffer[offset..<offset + count]
    }

    mutating func integer() throws(Malformed) -> Int64 {
        let raw = try bytes(8)
        var value: UInt64 = 0
        for (index, byte) in raw.enumerated() { value |= UInt64(byte) << UInt64(index * 8) }
        return Int64(bitPattern: value)
    }

    mutating func string(limit: Int = 1 << 20) throws(Malformed) -> String {
        let count = try integer()
        guard count >= 0, count <= limit else { throw Malformed() }
        return String(decoding: try bytes(Int(count)), as: UTF8.self)
    }

    mutating func outcome() throws(Malformed) -> PluginOutcome {
        guard Array(try bytes(4)) == WireFormat.responseMagic else { throw Malformed() }
        switch try integer() {
        case 0:
            let count = try integer()
            guard (0...64).contains(count) else { throw Malformed() }
            var outputs: [HashOutput] = []
            for _ in 0..<count {
                let key = try string(limit: 256)
                switch try integer() {
                case 0: outputs.append(HashOutput(key: key, value: .hex(try string(limit: 4096))))
                case 1: outputs.append(HashOutput(key: key, value: .integer(Int(try integer()))))
                case 2:
                    let items = try integer()
                    guard (0...64).contains(items) else { throw Malformed() }
                    var list: [String] = []
                    for _ in 0..<items { list.append(try string(limit: 4096)) }
                    outputs.append(HashOutput(key: key, value: .hexList(list)))
                default: throw Malformed()
                }
            }
            return .values(outputs)
        case 1:
            return .notApplicable
        case 2:
            guard let status = ItemStatus(rawValue: try string(limit: 64)) else { throw Malformed() }
            return .failure(PluginFailure(status: status, reason: try string(limit: 4096)))
        default:
            throw Malformed()
        }
    }
}

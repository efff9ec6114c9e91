/// Standard base64 (RFC 4648 section 4, with padding), for names that are not valid UTF-8.
public enum Base64 {
    private static let alphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The base64 text of `bytes`.
    public static func encode(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let b0 = bytes[index]
            let b1 = remaining > 1 ? bytes[index + 1] : 0
            let b2 = remaining > 2 ? bytes[index + 2] : 0
            output.append(alphabet[Int(b0 >> 2)])
            output.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            output.append(remaining > 1 ? alphabet[Int((b1 & 0x0f) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            output.append(remaining > 2 ? alphabet[Int(b2 & 0x3f)] : UInt8(ascii: "="))
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes of base64 text, or nil when it is not well-formed.
    public static func decode(_ text: String) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        var quantum: [UInt8] = []
        for (position, character) in characters.enumerated() {
            if character == UInt8(ascii: "=") {
                guard position >= characters.count - 2 else { return nil }
                quantum.append(0xFF)
            } else {
                guard let value = alphabet.firstIndex(of: character) else { return nil }
                quantum.append(UInt8(value))
            }
            guard quantum.count == 4 else { continue }
            output.append(quantum[0] << 2 | (quantum[1] & 0x3f) >> 4)
            if quantum[2] != 0xFF { output.append((quantum[1] & 0x0f) << 4 | (quantum[2] & 0x3f) >> 2) }
            if quantum[3] != 0xFF { output.append((quantum[2] & 0x03) << 6 | quantum[3]) }
            quantum.removeAll(keepingCapacity: true)
        }
        return output
    }
}

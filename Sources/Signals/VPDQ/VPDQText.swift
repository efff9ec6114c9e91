import Foundation

/// The reference's text form of a video's frame hashes, one line per frame:
/// `frame_number,quality,pdq_hex,timestamp` with the timestamp to three decimals
/// (`vpdq/cpp/vpdq/cpp/io/vpdqio.cpp`). What Blindfold writes next to its manifest and reads as
/// a vPDQ list.
public enum VPDQText {
    /// Why a vPDQ text could not be read; names the line, never quotes it.
    public struct Malformed: Error, Sendable, Hashable, CustomStringConvertible {
        /// The line's number, from 1.
        public var line: Int
        /// What is wrong with it.
        public var problem: String
        public var description: String { "line \(line) is not a vPDQ frame line: \(problem)" }
    }

    /// One frame's line, without the newline.
    public static func line(_ feature: VPDQFeature) -> String {
        "\(feature.frameNumber),\(feature.quality),\(feature.hash.hex),\(String(format: "%.3f", feature.timestamp))"
    }

    /// The whole text: every frame's line, each ending in a newline.
    public static func text(_ features: [VPDQFeature]) -> String {
        features.map { line($0) + "\n" }.joined()
    }

    /// The frames of a text; empty lines (and a final line break) are allowed, anything else
    /// that is not a frame line is an error.
    public static func parse(_ text: Substring) throws(Malformed) -> [VPDQFeature] {
        var features: [VPDQFeature] = []
        var number = 0
        // "\r\n" is one Character in Swift: both line ends separate lines.
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            features.append(try parse(line: line, number: number))
        }
        return features
    }

    /// One frame line (numbered `number` for the error).
    public static func parse(line: Substring, number: Int) throws(Malformed) -> VPDQFeature {
        let fields = line.split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count == 4 else { throw Malformed(line: number, problem: "\(fields.count) fields, not 4") }
        let trimmed = fields.map { $0.trimmingCharacters(in: .whitespaces) }
        guard let frame = Int(trimmed[0]), frame >= 0 else { throw Malformed(line: number, problem: "the frame number is not a whole number") }
        guard let quality = Int(trimmed[1]), (0...100).contains(quality) else {
            throw Malformed(line: number, problem: "the quality is not a whole number from 0 to 100")
        }
        guard trimmed[2].count == PDQHash.hexLength, let hash = PDQHash(hex: trimmed[2]) else {
            throw Malformed(line: number, problem: "the hash is not 64 hex digits")
        }
        guard let timestamp = Double(trimmed[3]), timestamp.isFinite, timestamp >= 0 else {
            throw Malformed(line: number, problem: "the timestamp is not a number of seconds")
        }
        return VPDQFeature(frameNumber: frame, quality: quality, hash: hash, timestamp: timestamp)
    }
}

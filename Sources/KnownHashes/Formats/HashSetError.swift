/// A hash set that cannot be used: which file, which line, and why. Nothing is scanned with it.
public struct HashSetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The set file.
    public var file: String
    /// The 1-based line, when the problem is on one line.
    public var line: Int?
    /// What is wrong, without quoting the line.
    public var reason: String

    /// An error from its parts.
    public init(file: String, line: Int? = nil, reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    /// `FILE:LINE: reason`.
    public var description: String {
        if let line { return "\(file):\(line): \(reason)" }
        return "\(file): \(reason)"
    }
}

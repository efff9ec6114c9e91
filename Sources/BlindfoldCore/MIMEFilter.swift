/// Which MIME types a plugin accepts: exact types (`image/jpeg`) or whole families (`image/*`).
public struct MIMEFilter: Sendable, Hashable, CustomStringConvertible {
    /// The patterns; `*/*` accepts everything, including items whose type is unknown.
    public var patterns: [String]

    /// A filter from patterns such as `image/*` or `application/pdf`.
    public init(_ patterns: [String]) { self.patterns = patterns }

    /// Every item, whatever its type.
    public static let all = MIMEFilter(["*/*"])

    /// True when `mime` matches a pattern. An unknown type only matches `*/*`.
    public func accepts(_ mime: String?) -> Bool {
        for pattern in patterns {
            if pattern == "*/*" { return true }
            guard let mime else { continue }
            if pattern.hasSuffix("/*") {
                if mime.hasPrefix(pattern.dropLast(1)) { return true }
            } else if mime == pattern {
                return true
            }
        }
        return false
    }

    /// The patterns, comma-separated.
    public var description: String { patterns.joined(separator: ",") }
}

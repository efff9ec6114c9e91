/// Text made safe to show: characters that could act on a terminal or reorder what is shown
/// are written as visible escapes instead.
///
/// Names and messages may come from evidence or from a hash set, whose authors control every
/// byte: an escape sequence could retitle or clear the terminal, a carriage return or line feed
/// could forge a line of the verdict, and a bidirectional override (U+202E) could make
/// `bidi\u{202E}gpj.exe` read as `bidiexe.jpg`. C0 controls, DEL, C1 controls and the
/// bidirectional formatting characters become `\u{XXXX}`; everything else is kept.
public enum TerminalText {
    /// `text` with every control and bidirectional formatting character escaped.
    public static func escaping(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isUnsafe) else { return text }
        var output = ""
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar) {
                output += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// True for C0 and C1 controls, DEL, and the bidirectional formatting characters (marks,
    /// embeddings, overrides, isolates).
    public static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}

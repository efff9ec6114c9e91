/// The shape of one field of a libmagic description: its numbers and hexadecimal runs replaced
/// by placeholders, so that `640 x 480` and `64 x 48` have the same shape.
///
/// - a run of hexadecimal digits that holds a decimal digit becomes `#` when it is all decimal
///   and `%` when it also holds a letter (`2.4.0` is `#.#.#`, `0x1fcb9c` is `#x%`);
/// - the names of weekdays and months become `<d>` and `<m>` (libmagic prints dates as
///   `Sat Aug 22 14:07:46 2020`);
/// - runs of spaces become one space.
///
/// Letters that are not part of such a run stay as they are: a shape only ever stands for
/// numbers, never for words.
struct FieldShape: Hashable, Sendable {
    /// The normalised text.
    let text: String

    /// The shape of `field`.
    init(_ field: some StringProtocol) {
        var words: [String] = []
        for word in String(field).split(separator: " ", omittingEmptySubsequences: true) {
            if Self.weekdays.contains(String(word)) {
                words.append("<d>")
            } else if Self.months.contains(String(word)) {
                words.append("<m>")
            } else {
                words.append(Self.numbersReplaced(word))
            }
        }
        text = words.joined(separator: " ")
    }

    private static let weekdays: Set<String> = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    private static let months: Set<String> = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    private static func numbersReplaced(_ word: Substring) -> String {
        var result = ""
        var run = ""
        func flush() {
            guard !run.isEmpty else { return }
            let hasDigit = run.contains { $0.isASCII && $0.isNumber }
            let hasLetter = run.contains { $0.isASCII && $0.isLetter }
            if hasDigit { result += hasLetter ? "%" : "#" } else { result += run }
            run = ""
        }
        for character in word {
            if character.isHexDigit && character.isASCII {
                run.append(character)
            } else {
                flush()
                result.append(character)
            }
        }
        flush()
        return result
    }
}

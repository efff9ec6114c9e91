/// Keeps of a libmagic description only what libmagic says about the format, by allow-list.
///
/// libmagic builds a description from its own phrases, numbers read from the item and, for
/// many formats, text copied from the item (EXIF makes and models, TIFF document names, gzip
/// and ARJ file names, volume labels, disk serials, a script's interpreter line, kernel version
/// strings, backing-file paths). Such text is content, so instead of looking for it the filter
/// keeps only what is known to be safe:
///
/// - the description is split into comma-separated fields (a comma inside brackets or
///   parentheses does not split);
/// - the first field, the type phrase (`JPEG image data`), is kept up to the first place where
///   libmagic starts quoting the item: a quote, ` - `, `:`, `=`, `;`, `@`, `<`, `[`, `{`, a
///   word starting with `/`, or any character outside printable ASCII; a script's interpreter
///   line (`a /usr/bin/env foo script`) becomes `script`; and it ends before the first word
///   that is not a word of libmagic's compiled database (``MagicWords``), since some phrases
///   hold the item's text unquoted (`HDD Raw Copy Tool %s`);
/// - every other field is kept only when its ``FieldShape`` is one of
///   ``DescriptionVocabulary`` (`640 x 480`, `precision 8`, `compression=LZW`); an EXIF block
///   is reduced to `Exif Standard`.
///
/// Dropped fields leave no mark: a count of them would tell how many commas the item's own
/// text held. The result is at most 240 characters.
enum DescriptionFilter {
    /// The safe part of `description`.
    static func filtered(_ description: String, words: MagicWords = .system) -> String {
        let fields = splitFields(description)
        guard let first = fields.first else { return "data" }
        var kept: [String] = []
        var rest = fields.dropFirst()
        if isScriptLine(first) {
            kept.append("script")
            // The interpreter line may itself hold commas: skip to the field that closes it.
            if !first.hasSuffix(" script"), let close = rest.firstIndex(where: { $0.hasSuffix(" script") }) {
                rest = rest[(close + 1)...]
            }
        } else {
            let phrase = typePhrase(first, words: words)
            kept.append(phrase.isEmpty ? "data" : phrase)
        }
        for field in rest {
            if field.hasPrefix("Exif Standard: [") || field.hasPrefix("Exif standard: [") {
                kept.append("Exif Standard")
            } else if field.count <= 120, DescriptionVocabulary.shapes.contains(FieldShape(field)) {
                kept.append(String(field))
            }
        }
        var result = kept.joined(separator: ", ")
        if result.count > 240 { result = String(result.prefix(240)) + "..." }
        return result
    }

    /// The fields of a description: split at `, ` outside brackets and parentheses.
    static func splitFields(_ description: String) -> [Substring] {
        var fields: [Substring] = []
        var depth = 0
        var start = description.startIndex
        var index = description.startIndex
        while index < description.endIndex {
            let character = description[index]
            switch character {
            case "(", "[": depth += 1
            case ")", "]": depth = max(0, depth - 1)
            case "," where depth == 0:
                let next = description.index(after: index)
                if next < description.endIndex, description[next] == " " {
                    fields.append(description[start..<index])
                    start = description.index(after: next)
                    index = start
                    continue
                }
            default: break
            }
            index = description.index(after: index)
        }
        fields.append(description[start...])
        return fields
    }

    /// True for libmagic's generic script phrase `a <interpreter line> script`.
    private static func isScriptLine(_ field: Substring) -> Bool {
        guard field.hasPrefix("a ") else { return false }
        return field.contains(" /") || field.contains("script")
    }

    /// Characters at which libmagic starts quoting the item inside a type phrase.
    private static let stops: Set<Character> = ["\"", "`", ":", "=", ";", "@", "<", ">", "[", "{", "|", "\\", "#", "~"]

    /// The type phrase, cut before the first place that may quote the item.
    static func typePhrase(_ field: Substring, words: MagicWords) -> String {
        var phrase = ""
        var previous: Character = " "
        for character in field {
            let printable = character.isASCII && (character.asciiValue.map { $0 >= 0x20 && $0 < 0x7F } ?? false)
            if !printable || stops.contains(character) { break }
            // An apostrophe opens a quote after a space (`data 'LABEL'`), not inside a word (`compress'd`).
            if character == "'" && !previous.isLetter { break }
            if character == "/" && previous == " " { break }
            if character == "-" && previous == " " { break }
            phrase.append(character)
            previous = character
        }
        // A parenthesis left open by the cut would have held the item's text.
        var open: String.Index?
        var depth = 0
        for index in phrase.indices {
            if phrase[index] == "(" {
                if depth == 0 { open = index }
                depth += 1
            } else if phrase[index] == ")" {
                depth = max(0, depth - 1)
            }
        }
        if depth > 0, let open { phrase = String(phrase[..<open]) }
        // Every word must be one of libmagic's own: an unquoted `%s` (`HDD Raw Copy Tool %s`)
        // puts the item's text straight into the phrase.
        var known: [Substring] = []
        for word in phrase.split(separator: " ") {
            guard words.shapes.contains(FieldShape(word).text) else { break }
            known.append(word)
        }
        phrase = known.joined(separator: " ")
        while phrase.last == " " || phrase.last == "," || phrase.last == "-" { phrase.removeLast() }
        return phrase
    }
}

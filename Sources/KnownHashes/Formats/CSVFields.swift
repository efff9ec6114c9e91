/// Splits one CSV line into fields: `"`-quoted fields may hold commas and doubled quotes
/// (`""`); unquoted fields run to the next comma. Works on bytes, whatever the text encoding.
enum CSVFields {
    /// The fields of `line`, unquoted; nil when a quoted field is not closed.
    static func split(_ line: UnsafeBufferPointer<UInt8>) -> [ArraySlice<UInt8>]? {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")
        var fields: [ArraySlice<UInt8>] = []
        var index = 0
        while true {
            if index < line.count, line[index] == quote {
                var field: [UInt8] = []
                index += 1
                while true {
                    guard index < line.count else { return nil }
                    if line[index] == quote {
                        if index + 1 < line.count, line[index + 1] == quote {
                            field.append(quote)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    field.append(line[index])
                    index += 1
                }
                fields.append(field[...])
                // Anything between the closing quote and the comma is malformed.
                guard index == line.count || line[index] == comma else { return nil }
            } else {
                let start = index
                while index < line.count, line[index] != comma { index += 1 }
                fields.append(Array(line[start..<index])[...])
            }
            guard index < line.count else { return fields }
            index += 1  // the comma
        }
    }
}

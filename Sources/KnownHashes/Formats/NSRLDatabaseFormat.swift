/// NIST NSRL RDS v3: the SQLite database as NIST ships it, full or minimal.
///
/// Both layouts expose `FILE(sha256, sha1, md5, crc32, file_name, file_size, package_id)`: a
/// view over the normalised tables in the full database, a table in the minimal one, which
/// also has the `DISTINCT_HASH` view (that is how the layouts are told apart). The minimal
/// database is read through `DISTINCT_HASH` (one row per distinct hash tuple), the full one
/// through `FILE` (one row per file and package; duplicates are removed when the index is
/// built). Hex is compared without case. The `VERSION` row, when present, is recorded.
///
/// The database is opened read-only and immutable (no lock, no journal). It is read in the
/// order SQLite finds cheapest; the importer sorts.
enum NSRLDatabaseFormat {
    /// The 16-byte header every SQLite 3 database starts with.
    static let magic = Array("SQLite format 3\0".utf8)

    static func read(path: String) throws(HashSetError) -> ParsedHashList {
        let database = try SQLiteDatabase(readOnly: path)
        var objects: [String: String] = [:]
        let schema = try database.prepare("SELECT upper(name), type FROM sqlite_master WHERE type IN ('table', 'view')")
        while try schema.step() {
            if let name = schema.text(0), let type = schema.text(1) { objects[name] = type }
        }
        guard objects["FILE"] != nil else {
            throw database.error("an SQLite database without a FILE table or view: not an NSRL RDSv3 database")
        }
        let minimal = objects["DISTINCT_HASH"] != nil
        var list = ParsedHashList(format: minimal ? "nsrl-rds3-minimal" : "nsrl-rds3-full")
        if objects["VERSION"] != nil {
            let version = try database.prepare("SELECT * FROM VERSION LIMIT 1")
            if try version.step() {
                list.sourceVersion = (0..<version.columnCount).compactMap { version.text($0) }.joined(separator: " ")
            }
        }
        let rows = try database.prepare("SELECT sha256, sha1, md5 FROM \(minimal ? "DISTINCT_HASH" : "FILE")")
        let columns: [(Int32, DigestAlgorithm)] = [(0, .sha256), (1, .sha1), (2, .md5)]
        var row = 0
        while try rows.step() {
            row += 1
            for (column, algorithm) in columns {
                try rows.withText(column) { hex throws(HashSetError) in
                    guard hex.isEmpty || list.add(hex: hex, algorithm) else {
                        throw database.error("\(minimal ? "DISTINCT_HASH" : "FILE") row \(row): \(algorithm.rawValue) is not \(algorithm.hexLength) hex digits")
                    }
                }
            }
            list.entries += 1
        }
        return list
    }
}

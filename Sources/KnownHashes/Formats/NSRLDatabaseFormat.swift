/// NIST NSRL RDS v3: the SQLite database as NIST ships it, full or minimal.
///
/// Both layouts expose `FILE(sha256, sha1, md5, crc32, file_name, file_size, package_id)`: a
/// view over the normalised tables in the full database, a table in the minimal one, which
/// also has the `DISTINCT_HASH` view (that is how the layouts are told apart). The minimal
/// database is read through `DISTINCT_HASH` (one row per distinct hash tuple), the full one
/// through `FILE` (one row per file and package; duplicates are removed when the index is
/// built). Hex is compared without case. The `VERSION` row, when present, is recorded.
///
/// The database is opened read-only and immutable (no lock, no journal), under SQLite's
/// lowered limits and a watchdog (``SQLiteDatabase``). Only tables are ever read, never the
/// views a database brings: the minimal layout must have `FILE` as a table (its
/// `DISTINCT_HASH` view is replaced by `SELECT DISTINCT ... FROM FILE`), the full layout
/// `METADATA` and `PACKAGE_OBJECT` tables (its `FILE` view is replaced by their join), and a
/// database with any trigger, or whose tables are views, is refused: a `FILE` view over an
/// endless recursive query never runs. It is read in the order SQLite finds cheapest; the
/// importer sorts.
enum NSRLDatabaseFormat {
    /// The 16-byte header every SQLite 3 database starts with.
    static let magic = Array("SQLite format 3\0".utf8)

    static func read(path: String, stallLimit: Double = 60) throws(HashSetError) -> ParsedHashList {
        let database = try SQLiteDatabase(readOnly: path, stallLimit: stallLimit)
        var objects: [String: String] = [:]
        let schema = try database.prepare("SELECT upper(name), type FROM sqlite_master WHERE type IN ('table', 'view', 'trigger')")
        while try schema.step() {
            if let name = schema.text(0), let type = schema.text(1) { objects[name] = type }
        }
        guard !objects.values.contains("trigger") else {
            throw database.error("the database has triggers: not the published NSRL RDSv3 schema")
        }
        guard objects["FILE"] != nil else {
            throw database.error("an SQLite database without a FILE table or view: not an NSRL RDSv3 database")
        }
        let minimal = objects["DISTINCT_HASH"] != nil
        let required = minimal ? ["FILE"] : ["METADATA", "PACKAGE_OBJECT"]
        for name in required + (objects["VERSION"] != nil ? ["VERSION"] : []) where objects[name] != "table" {
            throw database.error(
                "\(name) is \(objects[name] == "view" ? "a view" : "missing"), not a table: not the published NSRL RDSv3 schema")
        }
        var list = ParsedHashList(format: minimal ? "nsrl-rds3-minimal" : "nsrl-rds3-full")
        if objects["VERSION"] != nil {
            let version = try database.prepare("SELECT * FROM VERSION LIMIT 1")
            if try version.step() {
                list.sourceVersion = (0..<version.columnCount).compactMap { version.text($0) }.joined(separator: " ")
            }
        }
        let source = minimal ? "DISTINCT_HASH" : "FILE"
        let rows = try database.prepare(
            minimal
                ? "SELECT DISTINCT sha256, sha1, md5, crc32 FROM FILE"
                : "SELECT m.sha256, m.sha1, m.md5 FROM METADATA m JOIN PACKAGE_OBJECT p ON m.object_id = p.object_id")
        let columns: [(Int32, DigestAlgorithm)] = [(0, .sha256), (1, .sha1), (2, .md5)]
        var row = 0
        while try rows.step() {
            row += 1
            for (column, algorithm) in columns {
                try rows.withText(column) { hex throws(HashSetError) in
                    guard hex.isEmpty || list.add(hex: hex, algorithm) else {
                        throw database.error("\(source) row \(row): \(algorithm.rawValue) is not \(algorithm.hexLength) hex digits")
                    }
                }
            }
            list.entries += 1
        }
        return list
    }
}

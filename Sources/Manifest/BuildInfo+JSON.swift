import BuildInfo

extension BuildInfo {
    /// The header's `build` object: commit, toolchain, each C library's version and the
    /// libmagic database (source, libmagic version, each file's name and SHA-256).
    public var headerJSON: JSONValue {
        var build = JSONObjectBuilder()
        build.add("commit", commit)
        build.add("toolchain", toolchain)
        var libraries = JSONObjectBuilder()
        for library in self.libraries { libraries.add(library.name, library.version) }
        build.add("libraries", libraries.value)
        var database = JSONObjectBuilder()
        database.add("source", magicDatabase.source)
        database.add("files", .array(magicDatabase.files.map { file in
            var entry = JSONObjectBuilder()
            entry.add("name", file.name)
            entry.add("sha256", file.sha256)
            return entry.value
        }))
        build.add("magic_database", database.value)
        return build.value
    }
}

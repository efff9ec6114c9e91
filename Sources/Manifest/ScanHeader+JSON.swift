import BlindfoldCore

extension ScanHeader {
    /// The header line's object.
    public var manifestJSON: JSONValue {
        var object = JSONObjectBuilder()
        object.add("record", "scan")
        object.add("schema", schema)
        var toolObject = JSONObjectBuilder()
        toolObject.add("name", tool.name)
        toolObject.add("version", tool.version)
        object.add("tool", toolObject.value)
        object.add("started", started.rfc3339)
        object.add("roots", .array(roots.map { .string($0) }))
        object.add("plugins", .array(plugins.map(\.manifestJSON)))
        object.add("hashsets", .array(hashSets.map { set in
            var entry = JSONObjectBuilder()
            entry.add("name", set.name)
            entry.add("role", set.role.rawValue)
            entry.add("format", set.format)
            entry.add("entries", set.entries)
            entry.add("sha256", set.sha256)
            return entry.value
        }))
        object.add("limits", .object(limits.map { ($0.name, .int($0.value)) }))
        object.add("options", options.jsonObject)
        if let build { object.add("build", build) }
        if let shard { object.add("shard", shard) }  // sharded scans (#17)
        if let shards { object.add("shards", shards) }
        if !resumed.isEmpty {
            object.add("resumed", .array(resumed.map { .object([("started", .string($0.rfc3339))]) }))
        }
        return preserved.merged(into: object.value)
    }

    /// Reads a header line's object back.
    public init(manifestJSON value: JSONValue) throws(ManifestReadError) {
        var reader = try JSONObjectReader(value, what: "scan header")
        guard try reader.string("record") == "scan" else { throw reader.invalid("record", "is not 'scan'") }
        let schema = try reader.required("schema", reader.string("schema"))
        var toolReader = try reader.required("tool", reader.object("tool"))
        let tool = Tool(
            name: try toolReader.required("name", toolReader.string("name")),
            version: try toolReader.required("version", toolReader.string("version")))
        let startedText = try reader.required("started", reader.string("started"))
        let started = try reader.required("started", Timestamp(rfc3339: startedText))
        let roots = try reader.strings("roots", reader.required("roots", reader.array("roots")))
        var plugins: [Plugin] = []
        for entry in try reader.required("plugins", reader.array("plugins")) {
            plugins.append(try Plugin(manifestJSON: entry))
        }
        var hashSets: [HashSet] = []
        for entry in try reader.required("hashsets", reader.array("hashsets")) {
            var set = try JSONObjectReader(entry, what: "scan header ('hashsets')")
            let roleName = try set.required("role", set.string("role"))
            hashSets.append(HashSet(
                name: try set.required("name", set.string("name")),
                role: try set.required("role", HashSetRole(rawValue: roleName)),
                format: try set.required("format", set.string("format")),
                entries: Int(try set.required("entries", set.int("entries"))),
                sha256: try set.required("sha256", set.string("sha256"))))
        }
        var limits: [Limit] = []
        for member in try reader.required("limits", reader.members("limits")) {
            guard case .int(let number) = member.value else { throw reader.invalid("limits", "holds a value that is not an integer") }
            limits.append(Limit(name: member.key, value: number))
        }
        let options = try reader.required("options", reader.members("options")).map { JSONField($0.key, $0.value) }
        self.init(tool: tool, started: started, roots: roots, plugins: plugins, hashSets: hashSets, limits: limits, options: options)
        self.schema = schema
        build = reader.take("build")
        shard = reader.take("shard")
        shards = reader.take("shards")
        for run in try reader.array("resumed") ?? [] {
            var runReader = try JSONObjectReader(run, what: "scan header ('resumed')")
            let text = try runReader.required("started", runReader.string("started"))
            resumed.append(try runReader.required("started", Timestamp(rfc3339: text)))
        }
        preserved = reader.preserved
    }
}

extension ScanHeader.Plugin {
    /// The entry's object: `id`, `version`, then `options` when the plugin has some.
    public var manifestJSON: JSONValue {
        var entry = JSONObjectBuilder()
        entry.add("id", id)
        entry.add("version", version)
        if !options.isEmpty { entry.add("options", options.jsonObject) }
        if let external { entry.add("external", external) }
        return preserved.merged(into: entry.value)
    }

    /// Reads an entry back.
    public init(manifestJSON value: JSONValue) throws(ManifestReadError) {
        var reader = try JSONObjectReader(value, what: "scan header ('plugins')")
        self.init(
            id: try reader.required("id", reader.string("id")),
            version: try reader.required("version", reader.string("version")),
            options: (try reader.members("options") ?? []).map { JSONField($0.key, $0.value) })
        external = reader.take("external")
        preserved = reader.preserved
    }
}

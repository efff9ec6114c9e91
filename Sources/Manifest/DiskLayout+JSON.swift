import BlindfoldCore

extension LayerLocation {
    /// Adds the location's members to a layer object: `partition` (absent without a volume
    /// system), `offset`, `fs`, `inode`, `pool_volume` and `attribute` (when they apply).
    func add(to layer: inout JSONObjectBuilder) {
        layer.add("partition", partition)
        layer.add("offset", offset)
        layer.add("fs", fileSystem)
        layer.add("inode", Int64(clamping: inode))
        layer.add("pool_volume", poolVolume)
        layer.add("attribute", attribute)
    }

    /// The location a layer object holds, or nil for an archive member's layer.
    static func read(from layer: inout JSONObjectReader) throws(ManifestReadError) -> LayerLocation? {
        guard layer.hasMember("fs") else { return nil }
        let partition = try layer.int("partition").map { Int($0) }
        let offset = try layer.required("offset", layer.int("offset"))
        let fileSystem = try layer.required("fs", layer.string("fs"))
        let inode = try layer.required("inode", layer.int("inode"))
        let poolVolume = try layer.int("pool_volume").map { Int($0) }
        let attribute = try layer.string("attribute")
        return LayerLocation(
            partition: partition, offset: offset, fileSystem: fileSystem, inode: UInt64(clamping: inode),
            poolVolume: poolVolume, attribute: attribute)
    }
}

extension DiskLayout {
    /// The image's `disk_image` object.
    var manifestJSON: JSONValue {
        var object = JSONObjectBuilder()
        object.add("format", imageFormat)
        object.add("media_size", mediaSize)
        object.add("sector_size", sectorSize)
        facts?.add(to: &object)
        object.add("volume_system", volumeSystem)
        object.add("fs", fileSystem)
        pool.map { object.add("pool", $0.manifestJSON) }
        if volumeSystem != nil {
            object.add("partitions", .array(partitions.map { partition in
                var entry = JSONObjectBuilder()
                entry.add("index", partition.index)
                entry.add("offset", partition.offset)
                entry.add("length", partition.length)
                entry.add("allocated", partition.allocated)
                entry.add("fs", partition.fileSystem)
                partition.pool.map { entry.add("pool", $0.manifestJSON) }
                return entry.value
            }))
        }
        return object.value
    }

    /// A `disk_image` object read back.
    init(manifestJSON reader: inout JSONObjectReader) throws(ManifestReadError) {
        var partitions: [Partition] = []
        for element in try reader.array("partitions") ?? [] {
            var entry = try JSONObjectReader(element, what: "item record ('disk_image.partitions')")
            partitions.append(Partition(
                index: Int(try entry.required("index", entry.int("index"))),
                offset: try entry.required("offset", entry.int("offset")),
                length: try entry.required("length", entry.int("length")),
                allocated: try entry.required("allocated", entry.bool("allocated")),
                fileSystem: try entry.string("fs"), pool: try Pool(member: "pool", of: &entry)))
        }
        let format = try reader.required("format", reader.string("format"))
        self.init(
            imageFormat: format,
            mediaSize: try reader.required("media_size", reader.int("media_size")),
            sectorSize: Int(try reader.required("sector_size", reader.int("sector_size"))),
            volumeSystem: try reader.string("volume_system"), partitions: partitions,
            fileSystem: try reader.string("fs"), facts: try ImageFacts(format: format, manifestJSON: &reader),
            pool: try Pool(member: "pool", of: &reader))
    }
}

extension DiskLayout.Pool {
    /// The `pool` object: `type`, `volumes`, `encrypted_volumes`, `unread_volumes`.
    var manifestJSON: JSONValue {
        var object = JSONObjectBuilder()
        object.add("type", type)
        object.add("volumes", volumes)
        object.add("encrypted_volumes", .array(encryptedVolumes.map { .int(Int64($0)) }))
        object.add("unread_volumes", .array(unreadVolumes.map { .int(Int64($0)) }))
        return object.value
    }

    /// The pool `member` of `reader` read back, or nil when there is none.
    init?(member: String, of reader: inout JSONObjectReader) throws(ManifestReadError) {
        guard let value = reader.take(member) else { return nil }
        var object = try JSONObjectReader(value, what: "item record ('disk_image.pool')")
        func indexes(_ key: String) throws(ManifestReadError) -> [Int] {
            var result: [Int] = []
            for element in try object.array(key) ?? [] {
                guard case .int(let number) = element else {
                    throw object.invalid(key, "holds a value that is not a number")
                }
                result.append(Int(number))
            }
            return result
        }
        self.init(
            type: try object.required("type", object.string("type")),
            volumes: Int(try object.required("volumes", object.int("volumes"))),
            encryptedVolumes: try indexes("encrypted_volumes"), unreadVolumes: try indexes("unread_volumes"))
    }
}

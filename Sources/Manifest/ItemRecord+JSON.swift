import BlindfoldCore

extension ItemRecord {
    /// The record as its manifest line's object (schema `blindfold.manifest/1`).
    ///
    /// - Parameter multipleRoots: add `root` (the root's index) when the scan has several roots.
    public func manifestJSON(multipleRoots: Bool) -> JSONValue {
        var object = JSONObjectBuilder()
        object.add("record", "item")
        if multipleRoots { object.add("root", path.rootIndex) }
        object.add("path", path.relative.escaped)
        if !path.relative.isValidUTF8 { object.add("path_b64", path.relative.base64) }
        if !path.layers.isEmpty {
            object.add("layers", .array(path.layers.map { layer in
                var entry = JSONObjectBuilder()
                entry.add("format", layer.format)
                entry.add("member", layer.member.escaped)
                if !layer.member.isValidUTF8 { entry.add("member_b64", layer.member.base64) }
                layer.location?.add(to: &entry)
                layer.carved?.add(to: &entry)
                return entry.value
            }))
        }
        object.add("kind", kind.rawValue)
        object.add("size", size)
        object.add("mtime", mtime?.rfc3339)
        object.add("deleted", deleted)
        if let linkTarget {
            object.add("target", linkTarget.escaped)
            if !linkTarget.isValidUTF8 { object.add("target_b64", linkTarget.base64) }
        }
        object.add("mime", mime)
        object.add("description", description)
        object.add("extension_mismatch", extensionMismatch)
        if !hashes.isEmpty {
            object.add("hashes", .object(hashes.map { output in
                switch output.value {
                case .hex(let hex): (output.key, .string(hex))
                case .integer(let number): (output.key, .int(Int64(number)))
                case .hexList(let list): (output.key, .array(list.map { .string($0) }))
                case .text(let text): (output.key, .string(text))
                }
            }))
        }
        if let sidecar {
            var reference = JSONObjectBuilder()
            reference.add("file", sidecar.file)
            reference.add("sha256", sidecar.sha256)
            reference.add(sidecar.countKey, sidecar.count)
            if !sidecar.complete { reference.add("complete", false) }
            object.add(sidecar.key, reference.value)
        }
        if !matches.isEmpty {
            object.add("matches", .array(matches.map { match in
                var entry = JSONObjectBuilder()
                entry.add("set", match.set)
                entry.add("role", match.role.rawValue)
                entry.add("algorithm", match.algorithm)
                entry.add("category", match.category)
                entry.add("distance", match.distance)
                for (key, value) in [("query_match", match.queryPercent), ("compared_match", match.comparedPercent),
                                     ("timestamp", match.timestamp)] {
                    if let value { entry.add(key, .double(value)) }
                }
                if !match.alerts { entry.add("alert", false) }
                return entry.value
            }))
        }
        if let container {
            var info = JSONObjectBuilder()
            info.add("format", container.format)
            info.add("members", container.members)
            info.add("member_bytes", container.memberBytes)
            object.add("archive", info.value)
            if let disk = container.disk { object.add("disk_image", disk.manifestJSON) }
        }
        if !notes.isEmpty { object.add("notes", .array(notes.map { .string($0) })) }
        if !pluginErrors.isEmpty {
            object.add("plugin_errors", .object(pluginErrors.map { ($0.plugin, .string($0.reason)) }))
        }
        object.add("status", status.rawValue)
        object.add("reason", reason)
        return object.value
    }
}

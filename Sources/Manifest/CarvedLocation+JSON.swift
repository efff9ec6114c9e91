import BlindfoldCore

extension CarvedLocation {
    /// Adds the layer's `carved` object: the item's `offset` and `length` (when known) in the image, the
    /// space it came `from`, and that space's `partition`, `region_offset` and `fs`.
    func add(to layer: inout JSONObjectBuilder) {
        var object = JSONObjectBuilder()
        object.add("offset", offset)
        object.add("length", length)
        object.add("from", origin.space.rawValue)
        object.add("partition", origin.partition)
        object.add("region_offset", origin.regionOffset)
        object.add("fs", origin.fileSystem)
        layer.add("carved", object.value)
    }

    /// The carved location a layer object holds, or nil for a layer without one.
    static func read(from layer: inout JSONObjectReader) throws(ManifestReadError) -> CarvedLocation? {
        guard var object = try layer.object("carved") else { return nil }
        let spaceName = try object.required("from", object.string("from"))
        guard let space = CarvedOrigin.Space(rawValue: spaceName) else {
            throw object.invalid("from", "is not a kind of carved space")
        }
        let origin = CarvedOrigin(
            space: space, partition: try object.int("partition").map { Int($0) },
            regionOffset: try object.required("region_offset", object.int("region_offset")),
            fileSystem: try object.string("fs"))
        return CarvedLocation(
            offset: try object.required("offset", object.int("offset")),
            length: try object.int("length"), origin: origin)
    }
}

import BlindfoldCore

extension DiskImageReader {
    /// The space of the image no file system lists, to be carved: every file system's
    /// unallocated blocks (coalesced into runs), the space inside a partition past its file
    /// system, regions the volume system leaves unallocated, partitions without a file system
    /// The Sleuth Kit reads, for an image that is one file system, the bytes past it, and for an
    /// image where nothing was found (no volume system, no file system), the whole media.
    /// A pool (APFS container) is not carved yet: its volumes' blocks are numbered inside it.
    func carvingRegions() -> [CarvingRegion] {
        var regions: [CarvingRegion] = []
        var spans: [Int64: Int64] = [:]
        // A pool's volumes share its blocks, which TSK numbers inside the pool: not carved.
        for volume in fileSystems where volume.poolVolume == nil {
            let (runs, span) = image.unallocatedRuns(volume.handle, shouldStop: carving.shouldStop)
            spans[volume.offset] = span
            let origin = CarvedOrigin(
                space: .unallocated, partition: volume.partition, regionOffset: volume.offset, fileSystem: volume.type)
            regions += runs.map { CarvingRegion(offset: $0.offset, length: $0.length, origin: origin) }
        }
        guard let layout = diskLayout else { return regions }
        if layout.volumeSystem == nil {
            if nothingListed {
                let origin = CarvedOrigin(space: .noFileSystem, partition: nil, regionOffset: 0, fileSystem: nil)
                regions.append(CarvingRegion(offset: 0, length: layout.mediaSize, origin: origin))
            } else if let span = spans[0], span < layout.mediaSize {
                let origin = CarvedOrigin(space: .unpartitioned, partition: nil, regionOffset: span, fileSystem: nil)
                regions.append(CarvingRegion(offset: span, length: layout.mediaSize - span, origin: origin))
            }
        }
        for partition in layout.partitions {
            if !partition.allocated {
                let origin = CarvedOrigin(
                    space: .unpartitioned, partition: partition.index, regionOffset: partition.offset, fileSystem: nil)
                regions.append(CarvingRegion(offset: partition.offset, length: partition.length, origin: origin))
            } else if partition.fileSystem == nil {
                let origin = CarvedOrigin(
                    space: .noFileSystem, partition: partition.index, regionOffset: partition.offset, fileSystem: nil)
                regions.append(CarvingRegion(offset: partition.offset, length: partition.length, origin: origin))
            } else if let span = spans[partition.offset], span < partition.length {
                let origin = CarvedOrigin(
                    space: .noFileSystem, partition: partition.index, regionOffset: partition.offset, fileSystem: nil)
                regions.append(CarvingRegion(offset: partition.offset + span, length: partition.length - span, origin: origin))
            }
        }
        // Nothing past the image's end, whatever a damaged table claims.
        return regions.compactMap { region in
            let end = min(region.end, layout.mediaSize)
            guard region.offset < end else { return nil }
            var clamped = region
            clamped.length = end - region.offset
            return clamped
        }
    }
}

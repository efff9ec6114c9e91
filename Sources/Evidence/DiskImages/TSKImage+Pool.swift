import CTSK

/// One volume of a pool (an APFS container), as TSK lists it: numbers and a flag only (its
/// name is text the owner wrote, never kept).
struct TSKPoolVolume {
    /// The volume's index in the pool (`pstat` order).
    let index: Int
    /// The block of its volume superblock, as `fls -B` takes it.
    let block: UInt64
    /// True when the volume is encrypted: it is recorded, never opened (no password is tried).
    let encrypted: Bool
}

extension TSKImage {
    /// Opens the pool (an APFS container) that starts at byte `offset`: its type name and its
    /// volumes in TSK's order, or nil when TSK reads none there.
    func openPool(at offset: Int64) -> (type: String, volumes: [TSKPoolVolume])? {
        guard let opened = tsk_pool_open_img_sing(image, TSK_OFF_T(offset), TSK_POOL_TYPE_DETECT) else {
            tsk_error_reset()
            return nil
        }
        pools.append(opened)
        var volumes: [TSKPoolVolume] = []
        var next = opened.pointee.vol_list
        // The list is TSK's own, `num_vols` long; the count bounds the walk should it loop.
        while let volume = next, volumes.count < Int(max(opened.pointee.num_vols, 0)) {
            volumes.append(TSKPoolVolume(
                index: Int(volume.pointee.index), block: volume.pointee.block,
                encrypted: volume.pointee.flags.rawValue & TSK_POOL_VOLUME_FLAG_ENCRYPTED.rawValue != 0))
            next = volume.pointee.next
        }
        let name = tsk_pool_type_toname(opened.pointee.ctype).map { String(cString: $0) } ?? "unknown"
        return (name, volumes)
    }

    /// Opens the file system of the pool volume whose superblock is at `block` in the pool
    /// opened last by ``openPool(at:)``: a handle for ``list(_:)`` and its type name, or nil
    /// when TSK reads none there.
    ///
    /// libtsk 4.11 declares `tsk_fs_open_pool` but does not export it, so this does what it
    /// (and `fls -B`) does: the pool's own `get_img_info` gives an image of the volume, and
    /// `tsk_fs_open_img` opens the file system at its byte 0.
    func openPoolFileSystem(block: UInt64) -> (handle: Int, type: String)? {
        guard let pool = pools.last, let volumeImage = pool.pointee.get_img_info?(pool, TSK_DADDR_T(block)) else {
            tsk_error_reset()
            return nil
        }
        poolImages.append(volumeImage)
        guard let opened = tsk_fs_open_img(volumeImage, 0, TSK_FS_TYPE_APFS_DETECT) else {
            tsk_error_reset()
            return nil
        }
        fileSystems.append(opened)
        let name = tsk_fs_type_toname(opened.pointee.ftype).map { String(cString: $0) } ?? "unknown"
        return (fileSystems.count - 1, name)
    }
}

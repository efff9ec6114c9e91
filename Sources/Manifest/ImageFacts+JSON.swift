import BlindfoldCore

extension ImageFacts {
    /// Adds the facts to the `disk_image` object: `segments`, `segment_bytes`, `image_type`,
    /// `acquisition`, then the verification (`verified`, `stored_md5`, `computed_md5`,
    /// `stored_sha1`, `computed_sha1`, `checksum_errors`).
    func add(to object: inout JSONObjectBuilder) {
        object.add("segments", segments)
        object.add("segment_bytes", segmentBytes)
        object.add("image_type", imageType)
        if let acquisition {
            var entry = JSONObjectBuilder()
            entry.add("case_number", acquisition.caseNumber)
            entry.add("evidence_number", acquisition.evidenceNumber)
            entry.add("acquiry_date", acquisition.acquiryDate)
            entry.add("system_date", acquisition.systemDate)
            entry.add("acquiry_software_version", acquisition.softwareVersion)
            entry.add("compression", acquisition.compression)
            object.add("acquisition", entry.value)
        }
        if let verification {
            object.add("verified", verification.verified)
            object.add("stored_md5", verification.storedMD5)
            object.add("computed_md5", verification.computedMD5)
            object.add("stored_sha1", verification.storedSHA1)
            object.add("computed_sha1", verification.computedSHA1)
            object.add("checksum_errors", verification.checksumErrors)
        }
    }

    /// The facts a `disk_image` object holds, or nil for a plain raw image that states none.
    init?(format: String, manifestJSON reader: inout JSONObjectReader) throws(ManifestReadError) {
        let segments = try reader.int("segments").map { Int($0) }
        let segmentBytes = try reader.int("segment_bytes")
        let imageType = try reader.string("image_type")
        var acquisition: Acquisition?
        if var entry = try reader.object("acquisition") {
            acquisition = Acquisition(
                caseNumber: try entry.string("case_number"), evidenceNumber: try entry.string("evidence_number"),
                acquiryDate: try entry.string("acquiry_date"), systemDate: try entry.string("system_date"),
                softwareVersion: try entry.string("acquiry_software_version"),
                compression: try entry.string("compression"))
        }
        var verification: Verification?
        if let verified = try reader.bool("verified") {
            verification = Verification(
                verified: verified, storedMD5: try reader.string("stored_md5"),
                computedMD5: try reader.string("computed_md5"), storedSHA1: try reader.string("stored_sha1"),
                computedSHA1: try reader.string("computed_sha1"),
                checksumErrors: Int(try reader.int("checksum_errors") ?? 0))
        }
        if format == "raw" && segments == nil && segmentBytes == nil && imageType == nil && acquisition == nil
            && verification == nil {
            return nil
        }
        self.init(
            format: format, segments: segments, segmentBytes: segmentBytes, imageType: imageType,
            acquisition: acquisition, verification: verification)
    }
}

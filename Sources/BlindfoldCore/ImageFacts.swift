/// What a disk image's container format says about itself (E01, split raw, VHD, VMDK), as the
/// image's record states it: the format, its segment files, and for EWF the acquisition facts
/// that are not content and the verification of the stored media digests.
///
/// Never notes, descriptions or the examiner's name: those are free text that may quote
/// anything. The case and evidence numbers are the examiner's own labels and are kept.
public struct ImageFacts: Hashable, Sendable, Codable {
    /// EWF acquisition facts: the header values that are not free text.
    public struct Acquisition: Hashable, Sendable, Codable {
        /// The examiner's case number.
        public var caseNumber: String?
        /// The examiner's evidence number.
        public var evidenceNumber: String?
        /// When the acquisition ran, as the acquiring machine's clock said (ISO 8601, no zone).
        public var acquiryDate: String?
        /// The acquiring machine's clock when the header was written (ISO 8601, no zone).
        public var systemDate: String?
        /// The acquiring software's version.
        public var softwareVersion: String?
        /// The compression level the image was written with (`none`, `fast`, `best`).
        public var compression: String?

        /// Acquisition facts from their parts.
        public init(
            caseNumber: String?, evidenceNumber: String?, acquiryDate: String?, systemDate: String?,
            softwareVersion: String?, compression: String?
        ) {
            self.caseNumber = caseNumber
            self.evidenceNumber = evidenceNumber
            self.acquiryDate = acquiryDate
            self.systemDate = systemDate
            self.softwareVersion = softwareVersion
            self.compression = compression
        }
    }

    /// The stored media digests against those of the media bytes read.
    public struct Verification: Hashable, Sendable, Codable {
        /// True when every stored digest equals the computed one.
        public var verified: Bool
        /// Lower-case hex digests; `stored*` as the image holds them, `computed*` over every
        /// media byte read. A SHA-1 is computed only when one is stored.
        public var storedMD5: String?
        public var computedMD5: String?
        public var storedSHA1: String?
        public var computedSHA1: String?
        /// Chunks whose checksum failed while the media was read (EWF).
        public var checksumErrors: Int

        /// A verification from its parts.
        public init(
            verified: Bool, storedMD5: String?, computedMD5: String?, storedSHA1: String?, computedSHA1: String?,
            checksumErrors: Int
        ) {
            self.verified = verified
            self.storedMD5 = storedMD5
            self.computedMD5 = computedMD5
            self.storedSHA1 = storedSHA1
            self.computedSHA1 = computedSHA1
            self.checksumErrors = checksumErrors
        }
    }

    /// The image format: `raw`, `split-raw`, `ewf`, `vhd`, `vmdk`.
    public var format: String
    /// The number of segment files read (the first included), for split formats; for a
    /// differencing VHD, the images read (itself and its parents).
    public var segments: Int?
    /// The bytes of all the segment files (or chained images) together.
    public var segmentBytes: Int64?
    /// The format's own subtype: `fixed`, `dynamic`, `differencing` (VHD), `monolithic-sparse`,
    /// ... (VMDK).
    public var imageType: String?
    /// EWF only.
    public var acquisition: Acquisition?
    /// EWF only: nil when the image stores no media digest.
    public var verification: Verification?

    /// Facts from their parts.
    public init(
        format: String, segments: Int? = nil, segmentBytes: Int64? = nil, imageType: String? = nil,
        acquisition: Acquisition? = nil, verification: Verification? = nil
    ) {
        self.format = format
        self.segments = segments
        self.segmentBytes = segmentBytes
        self.imageType = imageType
        self.acquisition = acquisition
        self.verification = verification
    }
}

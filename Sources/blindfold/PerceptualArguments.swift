import ArgumentParser
import BlindfoldCore
import PDQ

/// The perceptual-hashing options `scan` and `triage` share: which image plugins run, how,
/// and how their hashes are matched.
struct PerceptualArguments: ParsableArguments {
    @Option(name: .customLong("pdq-distance"), help: ArgumentHelp("Largest Hamming distance (of 256 bits) that counts as a PDQ match.", valueName: "bits"))
    var pdqDistance: Int = PDQMatchPolicy.standard.maxDistance

    @Option(name: .customLong("pdq-quality"), help: ArgumentHelp("Images whose PDQ quality is below this are hashed but never matched.", valueName: "0-100"))
    var pdqQuality: Int = PDQMatchPolicy.standard.qualityFloor

    @Flag(name: .customLong("pdq-dihedral"), help: "Also compute and match the seven rotated and mirrored PDQ hashes of every image.")
    var pdqDihedral = false

    @Flag(name: .customLong("pdq-fast"), help: "Decode JPEGs at a reduced scale (short side kept at 1000 px or more): faster, a few bits from the reference.")
    var pdqFast = false

    @Flag(name: .customLong("phash"), help: "Also compute ImageHash's 64-bit pHash of every image (decodes JPEGs in full colour).")
    var phash = false

    @Flag(name: .customLong("no-pdq"), help: "Do not compute PDQ hashes.")
    var noPDQ = false

    @Option(name: .customLong("image-pixels"), help: ArgumentHelp("Images declaring more pixels than this are recorded as 'limit' without being decoded.", valueName: "n"))
    var imagePixels: Int = ScanLimits().imagePixels

    @Flag(inversion: .prefixedNo, help: "Skip the perceptual plugins' decode for items a known-good set matched exactly.")
    var skipKnownGood = true

    func validate() throws {
        guard (0...256).contains(pdqDistance) else { throw ValidationError("--pdq-distance must be between 0 and 256") }
        guard (0...100).contains(pdqQuality) else { throw ValidationError("--pdq-quality must be between 0 and 100") }
        guard imagePixels > 0 else { throw ValidationError("--image-pixels must be positive") }
    }

    /// The matching thresholds for PDQ sets.
    var policy: PDQMatchPolicy {
        PDQMatchPolicy(maxDistance: pdqDistance, qualityFloor: pdqQuality, dihedral: pdqDihedral)
    }

    /// The plugin options these arguments describe.
    var selection: PluginCatalog.Selection {
        PluginCatalog.Selection(
            pdq: noPDQ ? nil : PDQOptions(dihedral: pdqDihedral, fast: pdqFast, maxPixels: imagePixels),
            phash: phash, maxPixels: imagePixels)
    }
}

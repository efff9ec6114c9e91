import BlindfoldCore
import Manifest

extension ScanConfiguration {
    /// The header's `plugins` entries this configuration writes (ids, versions, options and,
    /// for external plugins, their executables' digests and declarations): what a resumed scan
    /// must still run to continue the interrupted one.
    public var headerPlugins: [ScanHeader.Plugin] { header(started: Timestamp(seconds: 0, nanoseconds: 0)).plugins }
}

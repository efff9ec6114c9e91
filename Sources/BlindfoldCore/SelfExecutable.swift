#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How this process starts another copy of itself (the crash-report restart, decoder workers,
/// external plugins), and where its own binary lies (a portable release's files are found
/// next to it).
///
/// Normally the copy is started through `/proc/self/exe`, whatever folder the binary was
/// unpacked into. When the binary was started through the dynamic loader
/// (`/lib64/ld-linux-x86-64.so.2 ./blindfold/bin/blindfold ...`, for a bundle on a medium
/// whose files lack the execute bit), `/proc/self/exe` is the loader: the copy is then the
/// loader again, given the binary's absolute path as its first argument.
public struct SelfExecutable: Sendable, Hashable {
    /// The file to execute.
    public var path: String
    /// Arguments that go between argument 0 and the copy's own arguments (the binary's path
    /// when started through the loader, else none).
    public var loaderArguments: [String]
    /// The absolute path of the blindfold binary itself, symbolic links resolved; nil when it
    /// cannot be found (no `/proc`).
    public var binaryPath: String?

    /// The folder above the binary's folder (`/media/usb/blindfold` for
    /// `/media/usb/blindfold/bin/blindfold`): a portable release's root, holding `share/` and
    /// `LIBRARIES`. Nil when the binary is unknown or lies directly under `/`.
    public var releaseRoot: String? {
        guard var components = binaryPath?.split(separator: "/"), components.count >= 2 else { return nil }
        components.removeLast(2)
        return "/" + components.joined(separator: "/")
    }

    /// This process's executable, found once.
    public static let current = SelfExecutable.resolve(
        procExe: realPath("/proc/self/exe"), argument0: CommandLine.arguments.first)

    /// The arguments to execute `path` with: `argument0`, the loader's arguments, then `arguments`.
    public func argv(_ argument0: String, _ arguments: [String]) -> [String] {
        [argument0] + loaderArguments + arguments
    }

    /// The executable for a process whose `/proc/self/exe` resolves to `procExe` and whose
    /// argument 0 is `argument0` (the loader sets it to the program's path).
    static func resolve(procExe: String?, argument0: String?) -> SelfExecutable {
        guard let procExe else { return SelfExecutable(path: "/proc/self/exe", loaderArguments: [], binaryPath: nil) }
        guard isDynamicLoader(procExe), let argument0, let binary = realPath(argument0) else {
            return SelfExecutable(path: "/proc/self/exe", loaderArguments: [], binaryPath: procExe)
        }
        return SelfExecutable(path: "/proc/self/exe", loaderArguments: [binary], binaryPath: binary)
    }

    /// Whether `path` names glibc's dynamic loader (`ld-linux-x86-64.so.2`, `ld-linux-aarch64.so.1`, `ld.so`).
    static func isDynamicLoader(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name == "ld.so" || (name.hasPrefix("ld-") && name.contains(".so"))
    }

    /// `realpath(3)` of `path`, or nil.
    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}

import CDescriptors
import Glibc

/// Hands an open descriptor to the process at the other end of a Unix socket (`SCM_RIGHTS`).
///
/// A worker reads an evidence file through the read-only descriptor the scanner opened, never
/// through a path of its own, so a worker can neither open nor modify anything near the
/// evidence (README, rule 2), and a file that is renamed or replaced mid-scan is still the one
/// the scanner hashed.
///
/// The descriptor travels with one marker byte. The framing around it is the caller's: send
/// a frame that announces the descriptor, then call ``send(_:over:)``; the receiver reads that
/// frame without reading past it, then calls ``receive(over:)``, which consumes exactly the
/// marker byte.
enum DescriptorPassing {
    /// Why a descriptor could not be passed.
    enum Failure: Error, Equatable, CustomStringConvertible {
        /// The other end closed the socket.
        case closed
        /// The marker came without exactly one descriptor (anything that came was closed).
        case malformed
        /// The system call failed.
        case system(errno: Int32)

        var description: String {
            switch self {
            case .closed: "the other end closed the socket"
            case .malformed: "no single descriptor came with the marker"
            case .system(let number): "the socket failed: \(String(cString: strerror(number)))"
            }
        }
    }

    /// Sends a duplicate of `descriptor` over `socket`; the caller keeps its own.
    static func send(_ descriptor: Int32, over socket: Int32) throws(Failure) {
        let status = cdescriptors_send(socket, descriptor)
        switch status {
        case 0: return
        case EPIPE, ECONNRESET: throw .closed
        default: throw .system(errno: status)
        }
    }

    /// Receives one descriptor from `socket` (close-on-exec); the caller owns and closes it.
    static func receive(over socket: Int32) throws(Failure) -> Int32 {
        var descriptor: Int32 = -1
        let status = cdescriptors_receive(socket, &descriptor)
        switch status {
        case 0: return descriptor
        case EPIPE, ECONNRESET: throw .closed
        case EPROTO: throw .malformed
        default: throw .system(errno: status)
        }
    }
}

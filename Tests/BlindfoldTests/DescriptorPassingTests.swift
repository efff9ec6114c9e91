import Foundation
import Testing
@testable import Isolation

#if canImport(Glibc)
import Glibc
#endif

/// A worker reads evidence through a descriptor the scanner hands it over its socket.
@Suite("Descriptor passing")
struct DescriptorPassingTests {
    /// A connected pair of Unix stream sockets, closed by the caller.
    static func socketPair() throws -> (Int32, Int32) {
        var pair: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        return (pair[0], pair[1])
    }

    @Test("A read-only descriptor arrives open, reads the same bytes, and the stream after it is intact")
    func passesDescriptor() throws {
        let work = try TemporaryDirectory("descriptors")
        defer { work.remove() }
        let file = work.url.appendingPathComponent("evidence.bin")
        try Data("sixteen bytes!!\n".utf8).write(to: file)
        let original = open(file.path, O_RDONLY)
        try #require(original >= 0)
        defer { close(original) }
        let (left, right) = try Self.socketPair()
        defer { close(left); close(right) }

        try DescriptorPassing.send(original, over: left)
        #expect(send(left, "after", 5, 0) == 5)
        let received = try DescriptorPassing.receive(over: right)
        defer { close(received) }
        #expect(received != original)
        #expect(fcntl(received, F_GETFD) & FD_CLOEXEC != 0)
        #expect(fcntl(received, F_GETFL) & O_ACCMODE == O_RDONLY)
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(pread(received, &buffer, 16, 0) == 16)
        #expect(String(decoding: buffer, as: UTF8.self) == "sixteen bytes!!\n")
        var rest = [UInt8](repeating: 0, count: 5)
        #expect(recv(right, &rest, 5, 0) == 5)
        #expect(String(decoding: rest, as: UTF8.self) == "after")
    }

    @Test("A marker byte without a descriptor, and a closed socket, are typed failures")
    func refusesWhatIsNotADescriptor() throws {
        let (left, right) = try Self.socketPair()
        defer { close(right) }
        var marker: UInt8 = 1
        #expect(send(left, &marker, 1, 0) == 1)
        #expect(throws: DescriptorPassing.Failure.malformed) { try DescriptorPassing.receive(over: right) }
        close(left)
        #expect(throws: DescriptorPassing.Failure.closed) { try DescriptorPassing.receive(over: right) }
    }
}

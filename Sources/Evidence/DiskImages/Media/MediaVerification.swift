import BlindfoldCore
import Crypto

/// The classic image verification: the media digests an EWF image stores, against digests of
/// every media byte read back through libewf, in one sequential pass of its own.
enum MediaVerification {
    /// The bytes read at a time.
    static let chunk = 1 << 20

    /// The verification of `media`, or nil when it stores no digest and is not damaged.
    /// `verified` is true only when every stored digest equals the computed one, no chunk
    /// failed its checksum and the segment files are whole. A read that fails part of the way
    /// gives `verified: false` without computed digests; it never fails the image.
    static func verify(_ media: EWFMedia) -> ImageFacts.Verification? {
        let stored = media.storedDigests()
        let damaged = media.segmentsDamaged
        guard stored.md5 != nil || stored.sha1 != nil || damaged else { return nil }
        var md5 = Insecure.MD5()
        var sha1: Insecure.SHA1? = stored.sha1 == nil ? nil : Insecure.SHA1()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 64)
        defer { buffer.deallocate() }
        var offset: Int64 = 0
        var complete = true
        while offset < media.size {
            let count: Int
            do throws(ItemReadError) {
                count = try media.read(at: offset, into: buffer)
            } catch {
                complete = false
                break
            }
            if count == 0 {
                complete = false
                break
            }
            let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
            md5.update(bufferPointer: bytes)
            sha1?.update(bufferPointer: bytes)
            offset += Int64(count)
        }
        let computedMD5 = complete ? Hex.string(md5.finalize()) : nil
        let computedSHA1 = complete ? sha1.map { Hex.string($0.finalize()) } : nil
        let checksumErrors = media.checksumErrors
        let verified = complete && !damaged && checksumErrors == 0 && (stored.md5 == nil || stored.md5 == computedMD5)
            && (stored.sha1 == nil || stored.sha1 == computedSHA1)
        return ImageFacts.Verification(
            verified: verified, storedMD5: stored.md5, computedMD5: computedMD5,
            storedSHA1: stored.sha1, computedSHA1: computedSHA1, checksumErrors: checksumErrors)
    }
}

/// Lower-case hexadecimal.
enum Hex {
    static func string(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] }, as: UTF8.self)
    }
}

import BlindfoldCore
import Evidence
import Foundation
import Manifest
import Testing

@Suite("Core vocabulary")
struct CoreTests {
    @Test("PathBytes escapes invalid UTF-8 byte by byte and base64 restores the bytes")
    func pathBytes() throws {
        let valid = PathBytes("Fotos/Été 2024/ü.jpg")
        #expect(valid.isValidUTF8)
        #expect(valid.escaped == "Fotos/Été 2024/ü.jpg")
        let invalid = PathBytes([0x61, 0xE9, 0x62, 0xC3, 0xA9, 0xFF, 0xC3])
        #expect(!invalid.isValidUTF8)
        #expect(invalid.escaped == "a\\xe9bé\\xff\\xc3")
        #expect(Base64.decode(invalid.base64) == invalid.bytes)
        #expect(invalid.base64 == Data(invalid.bytes).base64EncodedString())
        for length in 0..<8 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 * 97 + 200) }
            #expect(Base64.encode(bytes) == Data(bytes).base64EncodedString())
            #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        }
    }

    @Test("extensions: last component, lower-cased, dot files have none")
    func extensions() {
        #expect(PathBytes("a/B.JPG").fileExtension == "jpg")
        #expect(PathBytes("a.d/file").fileExtension == nil)
        #expect(PathBytes(".profile").fileExtension == nil)
        #expect(PathBytes("archive.tar.gz").fileExtension == "gz")
        #expect(PathBytes("trailing.").fileExtension == nil)
    }

    @Test("extension check: lies are flagged, unknown extensions and empty items are not")
    func extensionCheck() {
        #expect(ExtensionCheck.isMismatch(name: PathBytes("x.jpg"), mime: "image/png"))
        #expect(!ExtensionCheck.isMismatch(name: PathBytes("x.JPEG"), mime: "image/jpeg"))
        #expect(ExtensionCheck.isMismatch(name: PathBytes("notes.txt"), mime: "application/pdf"))
        #expect(!ExtensionCheck.isMismatch(name: PathBytes("notes.txt"), mime: "text/x-c"))
        #expect(!ExtensionCheck.isMismatch(name: PathBytes("README.md"), mime: "application/javascript"))
        #expect(ExtensionCheck.isMismatch(name: PathBytes("notes.txt"), mime: "application/octet-stream"))
        #expect(ExtensionCheck.isMismatch(name: PathBytes("notes.txt"), mime: "image/jpeg"))
        #expect(!ExtensionCheck.isMismatch(name: PathBytes("data.xyz"), mime: "image/png"))
        #expect(!ExtensionCheck.isMismatch(name: PathBytes("x.jpg"), mime: "application/x-empty"))
    }

    @Test("timestamps are RFC 3339 UTC with trimmed fractions")
    func timestamps() {
        #expect(Timestamp(seconds: 1_704_067_200).rfc3339 == "2024-01-01T00:00:00Z")
        #expect(Timestamp(seconds: 1_704_067_200, nanoseconds: 500_000_000).rfc3339 == "2024-01-01T00:00:00.5Z")
        #expect(Timestamp(seconds: 0, nanoseconds: 1).rfc3339 == "1970-01-01T00:00:00.000000001Z")
    }

    @Test("JSON lines escape control characters and keep key order")
    func json() throws {
        var object = JSONObjectBuilder()
        object.add("z", "line\nbreak \"quoted\" \u{1}")
        object.add("a", 3 as Int)
        object.add("m", .double(1.25))
        let text = object.value.serialized
        #expect(text == #"{"z":"line\nbreak \"quoted\" \u0001","a":3,"m":1.25}"#)
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        #expect(parsed?["z"] as? String == "line\nbreak \"quoted\" \u{1}")
    }

    @Test("libmagic descriptions lose quoted text and free-text properties")
    func descriptionSanitising() throws {
        let sniffer = try TypeSniffer()
        // A JPEG whose comment segment holds text: libmagic quotes comments in its description.
        var jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0, 1, 1, 0, 0, 1, 0, 1, 0, 0]
        let comment = Array("SECRET-COMMENT-TEXT".utf8)
        jpeg += [0xFF, 0xFE, 0x00, UInt8(comment.count + 2)] + comment
        jpeg += [0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x10, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]
        let signature = jpeg.withUnsafeBytes { sniffer.sniff($0) }
        #expect(signature.mime == "image/jpeg")
        #expect(!signature.description.contains("SECRET"))
        #expect(signature.description.hasPrefix("JPEG image data"))
    }
}

@Suite("Plugin registry")
struct PluginRegistryTests {
    struct Fake: HashPlugin {
        let descriptor: HashPluginDescriptor
        init(_ id: String, writes: [String]? = nil) {
            descriptor = HashPluginDescriptor(id: id, version: "1", summary: "test", outputKeys: writes)
        }
        func makeSession(for item: ItemContext) -> (any HashSession)? { nil }
    }

    @Test("a duplicate id or output key is a start-up error")
    func duplicates() throws {
        #expect(throws: PluginRegistryError.duplicateID("md5")) { try PluginRegistry([Fake("md5"), Fake("md5")]) }
        #expect(throws: PluginRegistryError.duplicateOutputKey("x")) {
            try PluginRegistry([Fake("a", writes: ["x"]), Fake("b", writes: ["x"])])
        }
        let registry = try PluginRegistry([Fake("a"), Fake("b"), Fake("c")])
        #expect(try registry.selecting(["c", "a"]).descriptors.map(\.id) == ["a", "c"])
        #expect(throws: PluginRegistryError.unknownID("z")) { try registry.selecting(["z"]) }
    }

    @Test("MIME filters: exact, family, everything")
    func mimeFilter() {
        #expect(MIMEFilter(["image/*"]).accepts("image/png"))
        #expect(!MIMEFilter(["image/*"]).accepts("imagex/png"))
        #expect(!MIMEFilter(["image/*"]).accepts(nil))
        #expect(MIMEFilter.all.accepts(nil))
        #expect(MIMEFilter(["application/pdf"]).accepts("application/pdf"))
        let capped = HashPluginDescriptor(id: "p", version: "1", summary: "", accepts: .all, sizeCap: 10)
        #expect(!capped.applies(to: ItemContext(mime: "x/y", size: 11)))
        #expect(capped.applies(to: ItemContext(mime: "x/y", size: 10)))
    }
}

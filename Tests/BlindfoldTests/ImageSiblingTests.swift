import BlindfoldCore
@testable import Evidence
import Testing

/// How the scanner finds an image's other files from what the image states (a VMDK
/// descriptor's extent names, a differencing VHD's parent name): only a name's last
/// component is looked for beside the image, and chains that loop or name `..` stop.
@Suite("Image files found beside an image")
struct ImageSiblingTests {
    /// A folder of files in memory; records the names asked for.
    final class FolderFile: SegmentedInput {
        let fileName: [UInt8]
        private let folder: Folder
        private let bytes: [UInt8]

        final class Folder {
            var files: [String: [UInt8]] = [:]
            var asked: [String] = []
        }

        init(_ name: String, in folder: Folder) {
            fileName = Array(name.utf8)
            self.folder = folder
            bytes = folder.files[name] ?? []
        }

        var size: Int64 { Int64(bytes.count) }

        func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(ItemReadError) -> Int {
            guard offset >= 0, offset < size else { return 0 }
            let count = min(buffer.count, bytes.count - Int(offset))
            buffer.copyBytes(from: bytes[Int(offset)..<(Int(offset) + count)])
            return count
        }

        func openSibling(named name: [UInt8]) throws(ItemReadError) -> (any RandomAccessInput)? {
            let text = String(decoding: name, as: UTF8.self)
            folder.asked.append(text)
            return folder.files[text] == nil ? nil : FolderFile(text, in: folder)
        }
    }

    @Test("VMDK extent names: the last component only, in order, up to the first line without a file")
    func vmdkExtents() throws {
        let folder = FolderFile.Folder()
        folder.files["vm.vmdk"] = Array("""
            # Disk DescriptorFile
            version=1
            parentCID=ffffffff
            createType = "twoGbMaxExtentSparse"
            RW 4194304 SPARSE "../../etc/vm-s001.vmdk"
            RDONLY 4194304 SPARSE "C:\\VMs\\vm-s002.vmdk"
            RW 10 ZERO
            RW 4194304 SPARSE "vm-s003.vmdk"
            ddb.comment = "RW 1 SPARSE \\"x.vmdk\\""

            """.utf8)
        folder.files["vm-s001.vmdk"] = [1]
        folder.files["vm-s002.vmdk"] = [2]
        folder.files["vm-s003.vmdk"] = [3]
        let files = try VMDKDescriptor.files(from: FolderFile("vm.vmdk", in: folder))
        #expect(files.count == 3)
        #expect(folder.asked == ["vm-s001.vmdk", "vm-s002.vmdk"])
        let text = try #require(folder.files["vm.vmdk"])
        #expect(VMDKDescriptor.createType(in: text[...]) == "twoGbMaxExtentSparse")
        #expect(VMDKDescriptor.extentFiles(in: text[...]).count == 4)

        // A self-contained VMDK (no text descriptor at its start) is one file.
        folder.files["one.vmdk"] = Array("KDMV".utf8) + [UInt8](repeating: 0, count: 508)
        #expect(try VMDKDescriptor.files(from: FolderFile("one.vmdk", in: folder)).count == 1)
    }

    /// A differencing VHD's three structures: footer copy, dynamic header, footer.
    static func differencingVHD(identifier: UInt8, parent: UInt8, parentName: String) -> [UInt8] {
        var footer = [UInt8](repeating: 0, count: 512)
        footer.replaceSubrange(0..<8, with: Array("conectix".utf8))
        footer[22] = 0x02  // header at 512 (big-endian 0x0200)
        footer[63] = 4  // differencing
        footer.replaceSubrange(68..<84, with: [UInt8](repeating: identifier, count: 16))
        var header = [UInt8](repeating: 0, count: 1024)
        header.replaceSubrange(0..<8, with: Array("cxsparse".utf8))
        header.replaceSubrange(40..<56, with: [UInt8](repeating: parent, count: 16))
        var name: [UInt8] = []
        for unit in parentName.utf16 { name += [UInt8(unit >> 8), UInt8(unit & 0xFF)] }
        header.replaceSubrange(64..<(64 + name.count), with: name)
        return footer + header + footer
    }

    @Test("Differencing VHD parents: found by the last component of the stated name and kept only with the stated identifier; loops and `..` stop the chain")
    func vhdParents() throws {
        let folder = FolderFile.Folder()
        folder.files["child.vhd"] = Self.differencingVHD(identifier: 1, parent: 2, parentName: "D:\\Images\\mid.vhd")
        folder.files["mid.vhd"] = Self.differencingVHD(identifier: 2, parent: 3, parentName: "/srv/base.vhd")
        folder.files["base.vhd"] = Self.differencingVHD(identifier: 3, parent: 1, parentName: "child.vhd")
        let chain = try VHDParentLink.chain(from: FolderFile("child.vhd", in: folder))
        // child -> mid -> base, whose parent would be child again: the loop stops.
        #expect(chain.count == 3)
        #expect(folder.asked == ["mid.vhd", "base.vhd"])

        folder.asked = []
        folder.files["wrong.vhd"] = Self.differencingVHD(identifier: 4, parent: 9, parentName: "mid.vhd")
        folder.files["mid.vhd"] = Self.differencingVHD(identifier: 5, parent: 3, parentName: "base.vhd")
        #expect(try VHDParentLink.chain(from: FolderFile("wrong.vhd", in: folder)).count == 1)
        #expect(folder.asked == ["mid.vhd"])

        folder.asked = []
        folder.files["up.vhd"] = Self.differencingVHD(identifier: 6, parent: 7, parentName: "a\\..")
        #expect(try VHDParentLink.chain(from: FolderFile("up.vhd", in: folder)).count == 1)
        #expect(folder.asked.isEmpty)
        let link = try #require(try VHDParentLink.read(FolderFile("child.vhd", in: folder)))
        #expect(link.identifier == [UInt8](repeating: 1, count: 16))
        #expect(link.parent?.fileName == Array("mid.vhd".utf8))
    }
}

import BlindfoldCore

/// Whether a name's extension contradicts the type libmagic detected, for the common media and
/// document types an examiner cares about. Unknown extensions never count as a mismatch.
public enum ExtensionCheck {
    /// Extension → the MIME types that are consistent with it.
    static let expected: [String: Set<String>] = {
        var table: [String: Set<String>] = [:]
        func add(_ extensions: [String], _ types: [String]) {
            for ext in extensions { table[ext, default: []].formUnion(types) }
        }
        add(["jpg", "jpeg", "jpe", "jfif"], ["image/jpeg"])
        add(["png"], ["image/png", "image/apng"])
        add(["gif"], ["image/gif"])
        add(["bmp", "dib"], ["image/bmp", "image/x-ms-bmp"])
        add(["webp"], ["image/webp"])
        add(["tif", "tiff"], ["image/tiff"])
        add(["heic", "heif", "hif"], ["image/heic", "image/heif", "image/heic-sequence", "image/heif-sequence"])
        add(["avif"], ["image/avif"])
        add(["ico"], ["image/vnd.microsoft.icon", "image/x-icon"])
        add(["mp4", "m4v"], ["video/mp4", "video/x-m4v", "video/quicktime"])
        add(["mov", "qt"], ["video/quicktime", "video/mp4"])
        add(["avi"], ["video/x-msvideo", "video/avi"])
        add(["mkv"], ["video/x-matroska"])
        add(["webm"], ["video/webm", "video/x-matroska"])
        add(["wmv", "asf"], ["video/x-ms-asf", "video/x-ms-wmv"])
        add(["mpg", "mpeg"], ["video/mpeg", "video/mp2p", "video/mp2t"])
        add(["3gp"], ["video/3gpp", "video/mp4"])
        add(["flv"], ["video/x-flv"])
        add(["mp3"], ["audio/mpeg"])
        add(["wav"], ["audio/x-wav", "audio/wav"])
        add(["pdf"], ["application/pdf"])
        add(["zip"], ["application/zip"])
        add(["7z"], ["application/x-7z-compressed"])
        add(["rar"], ["application/x-rar", "application/vnd.rar"])
        add(["gz", "tgz"], ["application/gzip", "application/x-gzip"])
        add(["bz2"], ["application/x-bzip2"])
        add(["xz"], ["application/x-xz"])
        add(["tar"], ["application/x-tar"])
        add(["doc", "xls", "ppt"], ["application/msword", "application/vnd.ms-excel",
            "application/vnd.ms-powerpoint", "application/x-ole-storage", "application/CDFV2"])
        add(["docx"], ["application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip",
            "application/octet-stream"])
        add(["xlsx"], ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip",
            "application/octet-stream"])
        add(["pptx"], ["application/vnd.openxmlformats-officedocument.presentationml.presentation", "application/zip",
            "application/octet-stream"])
        add(["txt", "log", "csv", "md"], ["text/plain", "text/csv", "application/csv", "text/x-Algol68",
            "application/json", "text/html", "text/xml", "application/x-empty"])
        return table
    }()

    /// True when `name`'s extension is a known one and `mime` is not among its types.
    ///
    /// Empty items (`application/x-empty`) never mismatch: no bytes, no contradiction.
    public static func isMismatch(name: PathBytes, mime: String) -> Bool {
        guard mime != "application/x-empty", let ext = name.fileExtension, let types = expected[ext] else {
            return false
        }
        if types.contains(mime) { return false }
        // Plain-text names: any textual type is consistent (notes with code in them are text);
        // binary data, media, archives or documents behind a text name are not.
        if types.contains("text/plain"), Self.isTextual(mime) { return false }
        return true
    }

    /// MIME types that are text of some kind.
    static func isTextual(_ mime: String) -> Bool {
        mime.hasPrefix("text/") || ["json", "javascript", "xml", "script", "x-empty", "csv", "yaml", "toml", "ini"]
            .contains { mime.contains($0) }
    }
}

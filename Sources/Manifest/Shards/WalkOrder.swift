import BlindfoldCore

/// The scan's walk order recomputed from recorded paths: roots in the order given, then
/// depth-first with each directory's names sorted byte-wise — which is the order of the paths'
/// components compared one by one, byte-wise (`a/b` comes before `a.txt`, because the folder
/// `a` sorts before the name `a.txt`). `merge` orders shards' record groups by it.
public enum WalkOrder {
    /// True when the top-level item at `left` is walked before the one at `right`.
    public static func precedes(_ left: VirtualPath, _ right: VirtualPath) -> Bool {
        compare(left, right) < 0
    }

    /// -1, 0 or 1 as `left` is walked before, at the same place as, or after `right`.
    public static func compare(_ left: VirtualPath, _ right: VirtualPath) -> Int {
        if left.rootIndex != right.rootIndex { return left.rootIndex < right.rootIndex ? -1 : 1 }
        let slash = UInt8(ascii: "/")
        var a = left.relative.bytes.split(separator: slash, omittingEmptySubsequences: false).makeIterator()
        var b = right.relative.bytes.split(separator: slash, omittingEmptySubsequences: false).makeIterator()
        while true {
            switch (a.next(), b.next()) {
            case (nil, nil): return 0
            case (nil, _): return -1
            case (_, nil): return 1
            case (let x?, let y?):
                if x.elementsEqual(y) { continue }
                return x.lexicographicallyPrecedes(y) ? -1 : 1
            }
        }
    }
}

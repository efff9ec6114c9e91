/// A binary min-heap ordered by a caller-given `less`; ties are the caller's to break (give
/// `less` a total order and the heap is deterministic). Used by the shard balancer (least-loaded
/// shard) and the shard merge (next record group in walk order).
public struct MinHeap<Element> {
    private var elements: [Element] = []
    private let less: (Element, Element) -> Bool

    /// An empty heap ordered by `less`.
    public init(less: @escaping (Element, Element) -> Bool) {
        self.less = less
    }

    /// The number of elements.
    public var count: Int { elements.count }

    /// The smallest element, if any.
    public var minimum: Element? { elements.first }

    /// Adds `element`.
    public mutating func push(_ element: Element) {
        elements.append(element)
        var child = elements.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard less(elements[child], elements[parent]) else { break }
            elements.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the smallest element.
    public mutating func pop() -> Element? {
        guard !elements.isEmpty else { return nil }
        elements.swapAt(0, elements.count - 1)
        let smallest = elements.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var best = parent
            if left < elements.count, less(elements[left], elements[best]) { best = left }
            if right < elements.count, less(elements[right], elements[best]) { best = right }
            if best == parent { break }
            elements.swapAt(parent, best)
            parent = best
        }
        return smallest
    }
}

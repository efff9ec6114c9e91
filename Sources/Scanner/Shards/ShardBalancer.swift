import Manifest

/// Assigns units of work to shards balanced by weight: longest-processing-time first (units by
/// weight, heaviest first, each to the least-loaded shard). Deterministic: equal weights go in
/// unit order, equal loads to the lowest shard index, so every shard computes the same split.
///
/// Bound: when the last unit lands on a shard that shard was the least loaded, so the spread
/// between the most and the least loaded shard is at most the heaviest unit; every shard is
/// within one heaviest unit of the mean.
enum ShardBalancer {
    /// The shard of every unit (indexed like `weights`) and the total weight per shard.
    static func assign(weights: [Int64], shards: Int) -> (owners: [UInt16], loads: [Int64]) {
        precondition(shards >= 1 && shards <= ShardSpec.maximumCount)
        var order = Array(0..<UInt32(weights.count))
        order.sort { left, right in
            let (a, b) = (weights[Int(left)], weights[Int(right)])
            return a != b ? a > b : left < right
        }
        var owners = [UInt16](repeating: 0, count: weights.count)
        var loads = [Int64](repeating: 0, count: shards)
        var heap = MinHeapOfShards(count: shards)
        for unit in order {
            let shard = heap.leastLoaded
            owners[Int(unit)] = UInt16(shard)
            loads[shard] += weights[Int(unit)]
            heap.charge(weights[Int(unit)])
        }
        return (owners, loads)
    }
}

/// The shards' loads as a heap keyed by (load, index).
private struct MinHeapOfShards {
    private var heap: MinHeap<(load: Int64, shard: Int)>

    init(count: Int) {
        heap = MinHeap { $0.load != $1.load ? $0.load < $1.load : $0.shard < $1.shard }
        for shard in 0..<count { heap.push((0, shard)) }
    }

    var leastLoaded: Int { heap.minimum?.shard ?? 0 }

    /// Adds `weight` to the least-loaded shard.
    mutating func charge(_ weight: Int64) {
        guard let least = heap.pop() else { return }
        heap.push((least.load + weight, least.shard))
    }
}

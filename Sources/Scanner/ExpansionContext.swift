/// Where an item sits in the container tree while it is read: how deep, inside which budget,
/// and where its records (and its members') go.
struct ExpansionContext {
    /// 0 for a walk entry, 1 for its members, and so on.
    let level: Int
    /// The budget of the container the item is a member of (nil for a walk entry).
    let budget: ExpansionBudget?
    /// Where records go, in manifest order.
    let records: RecordList

    /// The context of a walk entry.
    static func walkEntry(records: RecordList) -> ExpansionContext {
        ExpansionContext(level: 0, budget: nil, records: records)
    }

    /// The context of the members of a container read in this context.
    func members(charging budget: ExpansionBudget) -> ExpansionContext {
        ExpansionContext(level: level + 1, budget: budget, records: records)
    }
}

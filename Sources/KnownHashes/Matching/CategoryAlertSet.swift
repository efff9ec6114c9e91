import BlindfoldCore

/// A known-bad set whose entries carry categories (VICS, CAID) where only some categories
/// alert: every match is kept with its category, and a match outside `alerting` is marked
/// `alerts: false` (recorded, listed in the summary's categories, not a hit).
///
/// `uncategorised` stands for entries without a category.
public struct CategoryAlertSet: KnownHashSet {
    /// The wrapped set.
    public let base: any KnownHashSet
    /// The categories that alert.
    public let alerting: Set<String>

    /// `base`, alerting only for `alerting`.
    public init(_ base: any KnownHashSet, alerting: Set<String>) {
        self.base = base
        self.alerting = alerting
    }

    public var info: HashSetInfo { base.info }

    public func matches(for hashes: [HashOutput]) -> [Match] {
        base.matches(for: hashes).map { match in
            var match = match
            match.alerts = alerting.contains(match.category ?? "uncategorised")
            return match
        }
    }
}

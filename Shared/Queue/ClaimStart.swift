/// Where a drain worker's claims start walking the consumer's deliveries (`mq.claim`'s after_place).
///
/// A claim starts just before the place of the first delivery the worker's previous batch
/// claimed: nothing before it was claimable then. What becomes claimable before it later (an
/// event of a lower id committed late, a retry falling due, another worker's batch rolled back) is found by a walk
/// from the start: a drain's first claim is one (a late commit's NOTIFY starts a drain), and so
/// is a claim `fullWalkEvery` after the last. While an old snapshot keeps acknowledged rows in
/// the index, only those walks meet them.
struct ClaimStart {
    static let fullWalkEvery = Duration.seconds(1)
    private var after: Int64?
    private var nextFullWalk = ContinuousClock.now

    /// The `after_place` of the next claim: nil for a walk from the start.
    mutating func next() -> Int64? {
        let now = ContinuousClock.now
        guard let after, now < nextFullWalk else {
            after = nil
            nextFullWalk = now + Self.fullWalkEvery
            return nil
        }
        return after
    }

    /// A claim returned these deliveries (in line); the next one starts before the first.
    mutating func claimed(_ deliveries: [ClaimedRow]) {
        if let first = deliveries.first { after = first.place - 1 }
    }
}

/// Wakes the consumer at the earliest due time it was armed with. A later due time it drops is
/// found again: when the timer fires it has the database asked for the next one.
struct RetryTimer {
    private var deadline: ContinuousClock.Instant?
    private var task: Task<Void, Never>?

    /// The shortest wait it arms: a retry due already but locked by another instance's batch
    /// would otherwise have the consumer ask again and again while that batch runs.
    static let shortest = Duration.milliseconds(20)

    mutating func arm(at due: ContinuousClock.Instant, wake: AsyncStream<Void>.Continuation, due times: DueTimes) {
        let due = max(due, .now + Self.shortest)
        if let deadline, deadline > .now, deadline <= due { return }
        task?.cancel()
        deadline = due
        task = Task {
            try? await Task.sleep(until: due + .milliseconds(1), clock: .continuous)
            guard !Task.isCancelled else { return }
            times.askDatabaseAfterNextDrain()
            wake.yield()
        }
    }

    func cancel() { task?.cancel() }
}

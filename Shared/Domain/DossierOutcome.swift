/// How a finished dossier met its due date (DOMAIN §3), the numerator of the on-time rate:
/// `DossierClock.outcome(of:completedAt:)` compares the day of completion with the due date.
public enum DossierOutcome: String, Codable, Sendable, CaseIterable {
    /// Finished before the due date (trước hạn).
    case early
    /// Finished on the due date (đúng hạn).
    case onTime = "on_time"
    /// Finished after the due date (quá hạn).
    case late
}

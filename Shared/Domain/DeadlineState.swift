/// Where a pending dossier stands against its due date (DOMAIN §3), the colour of the queue: green on track,
/// amber due within one working day, red overdue. `DossierClock.deadlineState(of:at:)` computes it.
public enum DeadlineState: String, Codable, Sendable, CaseIterable {
    /// Due two or more working days from today (trong hạn).
    case onTrack = "on_track"
    /// Due today or on the next working day (sắp đến hạn).
    case dueSoon = "due_soon"
    /// Today is after the due date (quá hạn).
    case overdue
}

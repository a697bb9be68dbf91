#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One dossier's deadline as the service stores it (DOMAIN §3): the due date its clock gives, whether the clock is
/// paused for a supplement, and the new date an apology promised. `DossierClock` computes and moves it.
///
/// The due date is what the law counts against — the outcome (early, on time, late) and the deadline state compare
/// with it, so an apology does not turn a late dossier into an on-time one (KPI 1 and 16). The appointment date is
/// what the citizen was last promised.
public struct Deadline: Hashable, Sendable {
    /// The day the result is due: receipt plus the processing days, plus the working days any supplement waited.
    public let dueDate: LocalDate
    /// When a supplement request paused the clock, while it waits; nil while the clock runs.
    public let pausedSince: Date?
    /// The new appointment date of the latest apology (Phiếu xin lỗi và hẹn lại ngày trả kết quả), if any.
    public let rescheduledTo: LocalDate?

    /// A deadline read back from storage, or made by `DossierClock.deadline(receivedAt:processingDays:procedureCutoff:)`.
    public init(dueDate: LocalDate, pausedSince: Date? = nil, rescheduledTo: LocalDate? = nil) {
        self.dueDate = dueDate
        self.pausedSince = pausedSince
        self.rescheduledTo = rescheduledTo
    }

    /// The date the citizen was last promised: the apology's new date, else the due date.
    public var appointmentDate: LocalDate { rescheduledTo ?? dueDate }
}

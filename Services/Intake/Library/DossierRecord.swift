import Domain
import Events
import Foundation
import Postgres

/// One row of `dossiers` as the actions read and write it.
struct DossierRecord: Sendable {
    var code: DossierCode
    var unitCode: String
    var procedure: ProcedureSummary
    var sameDayCutoff: TimeOfDay?
    var channel: DossierChannel
    var assistedBy: String?
    var lifecycle: DossierLifecycle
    var applicant: Applicant
    var submittedAt: Date?
    var acceptanceDueAt: Date?
    var acceptedLate: Bool?
    var receivedAt: Date?
    var receivedBy: String?
    var deadline: Deadline?
    var completedAt: Date?
    var returnedAt: Date?
    var resultDocumentId: String?
    var paperResult: Bool
    var feeDue: Money
    var feePaid: Money
    var paymentState: String
    var delayExcluded: Bool

    var status: DossierStatus { lifecycle.status }

    /// The facts the status machine needs now.
    func facts(clock: DossierClock, now: Date) -> DossierLifecycle.Facts {
        DossierLifecycle.Facts(feeOutstanding: feePaid < feeDue, deadline: deadlineState(clock: clock, now: now))
    }

    /// Pending dossiers against the clock; finished ones by their outcome (late → overdue).
    func deadlineState(clock: DossierClock, now: Date) -> DeadlineState? {
        guard let deadline else { return nil }
        switch status {
        case .received, .inProgress, .supplementRequested:
            return clock.deadlineState(of: deadline, at: now)
        case .completed, .returned:
            guard let completedAt else { return nil }
            return clock.outcome(of: deadline, completedAt: completedAt) == .late ? .overdue : .onTrack
        case .submitted, .refused, .withdrawn:
            return nil
        }
    }

}

extension DossierRecord {
    static let columns = """
        code, unit_code, procedure::text, channel, assisted_by, status, supplement_requested_from, applicant_name,
        applicant_cccd, applicant_phone, applicant_email, applicant_address, submitted_at, acceptance_due_at,
        accepted_late, received_at, received_by, due_date, paused_since, rescheduled_to, completed_at, returned_at,
        result_document_id, paper_result, fee_due, fee_paid, payment_state, delay_excluded
        """

    init(_ row: PostgresRow) throws {
        var column = 0
        func next<T: PostgresDecodable>(_: T.Type = T.self) throws -> T {
            defer { column += 1 }
            return try row.decode(T.self, at: column)
        }
        code = try next()
        unitCode = try next()
        let stored = try JSONB<StoredProcedure>(postgresText: try next(String.self)).value
        procedure = stored.summary
        sameDayCutoff = stored.sameDayCutoff
        channel = try next()
        assistedBy = try next()
        let status: DossierStatus = try next()
        let from: DossierStatus? = try next()
        lifecycle = try DossierLifecycle(status: status, supplementRequestedFrom: from)
        applicant = Applicant(
            fullName: try next(), cccd: try next(), phone: try next(), email: try next(), address: try next())
        submittedAt = try next()
        acceptanceDueAt = try next()
        acceptedLate = try next()
        receivedAt = try next()
        receivedBy = try next()
        let dueDate: LocalDate? = try next()
        let pausedSince: Date? = try next()
        let rescheduledTo: LocalDate? = try next()
        deadline = dueDate.map { Deadline(dueDate: $0, pausedSince: pausedSince, rescheduledTo: rescheduledTo) }
        completedAt = try next()
        returnedAt = try next()
        resultDocumentId = try next()
        paperResult = try next()
        feeDue = try next()
        feePaid = try next()
        paymentState = try next()
        delayExcluded = try next()
    }
}

/// The procedure as a dossier keeps it from its receipt: a later edit of the catalogue does not
/// change a dossier already received.
struct StoredProcedure: Codable, Sendable {
    var summary: ProcedureSummary
    var sameDayCutoff: TimeOfDay?
}

import Domain
import Events
import Foundation
import Postgres
import ServiceKit

/// The SQL of dossiers, their components and timelines. Every function runs in the caller's
/// scoped transaction, so the unit's row-level security applies to each statement.
enum DossierStore {
    /// The next code of `unit` for the Vietnamese day of `instant`: gap-free, because the day's
    /// counter row is taken in the receipt's transaction and rolls back with it.
    static func nextCode(unit: String, at instant: Date, in tx: ScopedTransaction) async throws -> DossierCode {
        let day = VietnamTime(instant).date
        let sequence = try await tx.query(
            """
            INSERT INTO dossier_sequences (unit_code, day, last) VALUES ($1, $2, 1)
            ON CONFLICT (unit_code, day) DO UPDATE SET last = dossier_sequences.last + 1
            RETURNING last
            """, [unit, day]
        ).single().decode(Int.self, at: 0)
        guard DossierCode.sequences.contains(sequence) else {
            throw DomainError(
                code: "daily_sequence_exhausted",
                message:
                    "Đơn vị đã tiếp nhận \(DossierCode.sequences.upperBound) hồ sơ trong ngày; không thể cấp thêm mã.",
                kind: .conflict)
        }
        return try DossierCode(agency: unit, date: day, sequence: sequence)
    }

    /// Inserts a new dossier with its components and its first step, in one round trip.
    static func insert(
        _ record: DossierRecord, components: [DossierView.Component], firstStep: DossierView.Step,
        in tx: ScopedTransaction
    ) async throws {
        let procedure = JSONB(StoredProcedure(summary: record.procedure, sameDayCutoff: record.sameDayCutoff))
        try await tx.pipeline([
            (
                """
                INSERT INTO dossiers (code, unit_code, procedure_code, procedure, channel, assisted_by, status,
                    applicant_name, applicant_cccd, applicant_phone, applicant_email, applicant_address, submitted_at,
                    acceptance_due_at, received_at, received_by, due_date, fee_due, updated_at)
                VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
                """,
                [
                    record.code, record.unitCode, record.procedure.code, procedure, record.channel, record.assistedBy,
                    record.status, record.applicant.fullName, record.applicant.cccd, record.applicant.phone,
                    record.applicant.email, record.applicant.address, record.submittedAt, record.acceptanceDueAt,
                    record.receivedAt, record.receivedBy, record.deadline?.dueDate, record.feeDue,
                    record.receivedAt ?? record.submittedAt,
                ]
            ),
            (
                """
                INSERT INTO dossier_components (dossier_code, code, unit_code, name, required, document_id)
                SELECT $1, c.code, $2, c.name, c.required, c."documentId"
                FROM jsonb_to_recordset($3::jsonb) AS c(code text, name text, required boolean, "documentId" text)
                """, [record.code, record.unitCode, JSONB(components.map(StoredComponent.init))]
            ),
            stepStatement(firstStep, of: record.code, unit: record.unitCode),
        ])
    }

    /// The dossier `code` locked for an action; nil when it does not exist in the scope's unit.
    static func lock(_ code: DossierCode, in tx: ScopedTransaction) async throws -> DossierRecord? {
        try await tx.query("SELECT \(DossierRecord.columns) FROM dossiers WHERE code = $1 FOR UPDATE", [code])
            .first.map(DossierRecord.init)
    }

    /// The dossier `code`, unlocked.
    static func find(_ code: DossierCode, in tx: ScopedTransaction) async throws -> DossierRecord? {
        try await tx.query("SELECT \(DossierRecord.columns) FROM dossiers WHERE code = $1", [code])
            .first.map(DossierRecord.init)
    }

    /// Writes back what an action changed.
    static func save(_ record: DossierRecord, at now: Date, in tx: ScopedTransaction) async throws {
        try await tx.execute(
            """
            UPDATE dossiers SET status = $2, supplement_requested_from = $3, acceptance_due_at = $4, accepted_late = $5,
                received_at = $6, received_by = $7, due_date = $8, paused_since = $9, rescheduled_to = $10,
                completed_at = $11, returned_at = $12, result_document_id = $13, paper_result = $14, fee_due = $15,
                fee_paid = $16, payment_state = $17, delay_excluded = $18, updated_at = $19
            WHERE code = $1
            """,
            [
                record.code, record.status, record.lifecycle.supplementRequestedFrom, record.acceptanceDueAt,
                record.acceptedLate, record.receivedAt, record.receivedBy, record.deadline?.dueDate,
                record.deadline?.pausedSince, record.deadline?.rescheduledTo, record.completedAt, record.returnedAt,
                record.resultDocumentId, record.paperResult, record.feeDue, record.feePaid, record.paymentState,
                record.delayExcluded, now,
            ])
    }

    /// Appends a step to the dossier's timeline.
    static func appendStep(
        _ code: DossierCode, unit: String, at: Date, action: String, from: DossierStatus?, to: DossierStatus,
        actor: String, actorName: String?, reason: (code: String?, text: String?)? = nil,
        details: [String: String] = [:], in tx: ScopedTransaction
    ) async throws {
        let step = DossierView.Step(
            at: at, action: action, fromStatus: from, toStatus: to, actor: actor, actorName: actorName,
            reasonCode: reason?.code, reason: reason?.text)
        let (sql, parameters) = stepStatement(step, of: code, unit: unit, details: details)
        try await tx.execute(sql, parameters)
    }

    /// The INSERT of one timeline step.
    private static func stepStatement(
        _ step: DossierView.Step, of code: DossierCode, unit: String, details: [String: String] = [:]
    ) -> (String, [any PostgresEncodable]) {
        (
            """
            INSERT INTO dossier_timeline (dossier_code, unit_code, at, action, from_status, to_status, actor, actor_name,
                                          reason_code, reason, details)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb)
            """,
            [
                code, unit, step.at, step.action, step.fromStatus, step.toStatus, step.actor, step.actorName,
                step.reasonCode, step.reason, JSONB(details),
            ]
        )
    }

    static func components(of code: DossierCode, in tx: ScopedTransaction) async throws -> [DossierView.Component] {
        try await tx.query(
            "SELECT code, name, required, document_id, reused FROM dossier_components WHERE dossier_code = $1 ORDER BY code",
            [code]
        ).map { row in
            let (code, name, required, documentId, reused) = try row.decode(
                String.self, String.self, Bool.self, String?.self, Bool.self)
            return DossierView.Component(
                code: code, name: name, required: required, documentId: documentId, reused: reused)
        }
    }

    static func timeline(of code: DossierCode, in tx: ScopedTransaction) async throws -> [DossierView.Step] {
        try await tx.query(
            """
            SELECT at, action, from_status, to_status, actor, actor_name, reason_code, reason
            FROM dossier_timeline WHERE dossier_code = $1 ORDER BY id
            """, [code]
        ).map { row in
            let (at, action, from, to, actor, actorName, reasonCode, reason) = try row.decode(
                Date.self, String.self, DossierStatus?.self, DossierStatus.self, String.self, String?.self,
                String?.self,
                String?.self)
            return DossierView.Step(
                at: at, action: action, fromStatus: from, toStatus: to, actor: actor, actorName: actorName,
                reasonCode: reasonCode, reason: reason)
        }
    }

    /// The view of `record` with its components, timeline and allowed actions.
    static func view(_ record: DossierRecord, clock: DossierClock, now: Date, in tx: ScopedTransaction) async throws
        -> DossierView
    {
        view(
            record, components: try await components(of: record.code, in: tx),
            timeline: try await timeline(of: record.code, in: tx), clock: clock, now: now)
    }

    /// The view of `record` from what the caller already holds (a receipt knows its components and
    /// its first step: no query while the day's sequence is locked).
    static func view(
        _ record: DossierRecord, components: [DossierView.Component], timeline: [DossierView.Step], clock: DossierClock,
        now: Date
    ) -> DossierView {
        let facts = record.facts(clock: clock, now: now)
        return DossierView(
            code: record.code, status: record.status, channel: record.channel, assistedBy: record.assistedBy,
            procedureCode: record.procedure.code, procedureName: record.procedure.name,
            applicant: DossierView.Applicant(
                fullName: record.applicant.fullName, cccd: record.applicant.cccd, phone: record.applicant.phone,
                email: record.applicant.email, address: record.applicant.address),
            submittedAt: record.submittedAt, acceptanceDueAt: record.acceptanceDueAt, acceptedLate: record.acceptedLate,
            receivedAt: record.receivedAt, appointmentDate: record.deadline?.appointmentDate,
            dueDate: record.deadline?.dueDate, deadlineState: facts.deadline,
            paused: record.deadline?.pausedSince != nil,
            completedAt: record.completedAt, returnedAt: record.returnedAt, resultDocumentId: record.resultDocumentId,
            paperResult: record.paperResult, feeDue: record.feeDue, feePaid: record.feePaid,
            paymentState: record.paymentState, delayExcluded: record.delayExcluded,
            components: components, timeline: timeline,
            allowedActions: record.lifecycle.allowedActions(facts: facts).map(\.pathSegment))
    }
}

/// A component as the insert's JSON parameter carries it.
private struct StoredComponent: Codable, Sendable {
    let code: String
    let name: String
    let required: Bool
    let documentId: String?

    init(_ component: DossierView.Component) {
        code = component.code
        name = component.name
        required = component.required
        documentId = component.documentId
    }
}

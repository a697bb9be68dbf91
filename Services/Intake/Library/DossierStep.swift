import Domain
import Events
import Foundation
import HTTP
import Postgres
import ServiceKit

/// The body of `POST /api/dossiers/{code}/{action}`; which fields an action needs is checked by
/// the action (`request-supplement {reason}`, `refuse {reason}`, `withdraw {reason}`, `complete
/// {resultDocumentId}` or `{paperResult: true}`, `apologise {reason, newAppointmentDate}`,
/// `exclude-delay {cause, evidenceDocumentId, note}`, the others `{}`).
struct StepRequest: Decodable, Sendable {
    var reason: String?
    /// The coded list's code (`missing_component`, `not_under_competence`…); `other` when absent.
    var reasonCode: String?
    var missingComponents: [String]?
    var resultDocumentId: String?
    var paperResult: Bool?
    var newAppointmentDate: LocalDate?
    var cause: String?
    var evidenceDocumentId: String?
    var note: String?

    /// A 422 naming each field longer than it may be (the reason's own bound is `ReasonText`'s).
    func checkLengths() throws(ProblemError) {
        var errors = FieldErrors()
        for (field, text, limit) in [
            ("reasonCode", reasonCode, 64), ("resultDocumentId", resultDocumentId, 200), ("cause", cause, 64),
            ("evidenceDocumentId", evidenceDocumentId, 200), ("note", note, ReasonText.maximumLength),
        ] {
            if let text { errors.bound(text, field: field, limit: limit) }
        }
        let missing = missingComponents ?? []
        if missing.count > 100 {
            errors.add(field: "missingComponents", code: "too_many", detail: "Nhiều nhất 100 thành phần hồ sơ.")
        }
        for (index, code) in missing.enumerated() {
            errors.bound(code, field: "missingComponents[\(index)]", limit: 64)
        }
        try errors.throwIfAny()
    }
}

/// One step of a dossier's life: checks the role, locks the dossier, applies the status machine,
/// writes, appends the timeline and the audit trail, and publishes, in one transaction.
struct DossierStep {
    let cache: CalendarCache

    /// Who may take each step.
    static let roles: [DossierAction: Set<StaffRole>] = [
        .accept: [.receptionist], .start: [.receptionist, .handler], .requestSupplement: [.receptionist, .handler],
        .supplement: [.receptionist], .refuse: [.receptionist, .handler, .leader], .withdraw: [.receptionist],
        .complete: [.handler, .leader], .returnResult: [.receptionist], .apologise: [.leader, .receptionist],
        .excludeDelay: [.leader, .admin],
    ]

    func take(
        _ action: DossierAction, on code: DossierCode, request: StepRequest, context: ServiceRequestContext
    ) async throws -> DossierView {
        let principal = try context.requirePrincipal()
        try request.checkLengths()
        let now = context.clock.now
        return try await context.transaction { tx in
            guard var record = try await DossierStore.lock(code, in: tx) else { throw Self.notFound(code) }
            let clock = try await cache.clock(in: tx)
            let previous = record.status
            record.lifecycle = try record.lifecycle.applying(action, facts: record.facts(clock: clock, now: now))
            let reason = try apply(action, to: &record, request: request, clock: clock, now: now, actor: principal)
            try await DossierStore.save(record, at: now, in: tx)
            try await DossierStore.appendStep(
                code, unit: record.unitCode, at: now, action: action.rawValue, from: previous, to: record.status,
                actor: principal.id, actorName: principal.name, reason: reason, details: details(of: request), in: tx)
            try await context.audit(
                "dossier.\(action.rawValue)", subject: code.value,
                details: ["from": previous.rawValue, "to": record.status.rawValue], in: tx)
            if record.status != previous {
                try await DossierEvents.publishStatusChange(
                    record, from: previous, actor: principal.id, reason: reason?.text, at: now, in: tx)
            }
            try await publishStepEvent(action, record: record, reason: reason, actor: principal.id, now: now, in: tx)
            return try await DossierStore.view(record, clock: clock, now: now, in: tx)
        }
    }

    /// What the action changes besides the status; returns the reason the timeline keeps.
    private func apply(
        _ action: DossierAction, to record: inout DossierRecord, request: StepRequest, clock: DossierClock, now: Date,
        actor: StaffPrincipal
    ) throws -> (code: String?, text: String?)? {
        switch action {
        case .accept:
            record.receivedAt = now
            record.receivedBy = actor.id
            record.acceptedLate = record.submittedAt.map { clock.isAcceptanceLate(submittedAt: $0, at: now) }
            record.deadline = clock.deadline(
                receivedAt: now, processingDays: record.procedure.processingDays, procedureCutoff: record.sameDayCutoff)
            return nil
        case .start:
            return nil
        case .requestSupplement:
            let reason = try SupplementReason(code: request.reasonCode ?? SupplementReason.other.rawValue)
            let text = try ReasonText(request.reason ?? "")
            record.deadline = record.deadline.map { clock.pausing($0, at: now) }
            return (reason.rawValue, text.value)
        case .supplement:
            record.deadline = record.deadline.map { clock.resuming($0, at: now) }
            if record.status == .submitted {
                record.submittedAt = now
                record.acceptanceDueAt = clock.acceptanceDue(submittedAt: now)
            }
            return nil
        case .refuse:
            let reason = try RefusalReason(code: request.reasonCode ?? RefusalReason.other.rawValue)
            return (reason.rawValue, try ReasonText(request.reason ?? "").value)
        case .withdraw:
            return (nil, try ReasonText(request.reason ?? "").value)
        case .complete:
            var errors = FieldErrors()
            let document = request.resultDocumentId.flatMap { $0.isEmpty ? nil : $0 }
            if (document == nil) == (request.paperResult != true) {
                errors.add(
                    field: "resultDocumentId", code: "result_required",
                    detail:
                        "Cần đúng một kết quả: mã tài liệu kết quả điện tử, hoặc paperResult = true cho kết quả giấy.")
            }
            try errors.throwIfAny()
            record.completedAt = now
            record.resultDocumentId = document
            record.paperResult = document == nil
            return nil
        case .returnResult:
            record.returnedAt = now
            return nil
        case .apologise:
            let text = try ReasonText(request.reason ?? "")
            guard let date = request.newAppointmentDate, let deadline = record.deadline else {
                var errors = FieldErrors()
                errors.add(
                    field: "newAppointmentDate", code: "required", detail: "Vui lòng chọn ngày hẹn trả kết quả mới.")
                throw errors.problem
            }
            record.deadline = try clock.rescheduling(deadline, to: date)
            return (nil, text.value)
        case .excludeDelay:
            let cause = try ExclusionCause(code: request.cause ?? "")
            guard let evidence = request.evidenceDocumentId, !evidence.isEmpty else {
                var errors = FieldErrors()
                errors.add(
                    field: "evidenceDocumentId", code: "required",
                    detail: "Cần tài liệu chứng minh sự cố hệ thống hoặc bất khả kháng.")
                throw errors.problem
            }
            record.delayExcluded = true
            return (cause.rawValue, request.note)
        }
    }

    private func details(of request: StepRequest) -> [String: String] {
        var details: [String: String] = [:]
        details["resultDocumentId"] = request.resultDocumentId
        details["evidenceDocumentId"] = request.evidenceDocumentId
        details["newAppointmentDate"] = request.newAppointmentDate?.iso
        if let missing = request.missingComponents, !missing.isEmpty {
            details["missingComponents"] = missing.joined(separator: ",")
        }
        return details
    }

    /// The step's own event besides `dossier.status_changed`.
    private func publishStepEvent(
        _ action: DossierAction, record: DossierRecord, reason: (code: String?, text: String?)?, actor: String,
        now: Date, in tx: ScopedTransaction
    ) async throws {
        let key = record.code.value
        switch action {
        case .accept:
            try await DossierEvents.publishReceived(
                record, components: try await DossierStore.components(of: record.code, in: tx), in: tx)
        case .requestSupplement:
            try await tx.publish(
                DossierSupplementRequested(
                    dossierCode: record.code,
                    reason: CodedReason(code: reason?.code ?? "other", text: reason?.text ?? ""),
                    missingComponents: [], requestedBy: actor, requestedAt: now), key: key)
        case .refuse:
            try await tx.publish(
                DossierRefused(
                    dossierCode: record.code,
                    reason: CodedReason(code: reason?.code ?? "other", text: reason?.text ?? ""),
                    refusedBy: actor, refusedAt: now), key: key)
        case .withdraw:
            try await tx.publish(
                DossierWithdrawn(
                    dossierCode: record.code, reason: reason?.text ?? "", recordedBy: actor, withdrawnAt: now),
                key: key)
        case .apologise:
            guard let deadline = record.deadline, let newDate = deadline.rescheduledTo else { return }
            try await tx.publish(
                DossierApologised(
                    dossierCode: record.code, reason: reason?.text ?? "", previousDueDate: deadline.dueDate,
                    newDueDate: newDate, apologisedBy: actor, apologisedAt: now), key: key)
        case .returnResult:
            guard let deadline = record.deadline, let completedAt = record.completedAt else { return }
            try await tx.publish(
                DossierResultReturned(
                    dossierCode: record.code, procedureCode: record.procedure.code, dueDate: deadline.dueDate,
                    completedAt: completedAt, returnedAt: now, resultDocumentId: record.resultDocumentId,
                    delayExcluded: record.delayExcluded, returnedBy: actor), key: key)
        case .start, .supplement, .complete, .excludeDelay:
            return
        }
    }

    static func notFound(_ code: DossierCode) -> DomainError {
        DomainError(code: "dossier_not_found", message: "Không tìm thấy hồ sơ \(code.value).", kind: .notFound)
    }
}

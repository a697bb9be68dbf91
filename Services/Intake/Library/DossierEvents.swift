import Domain
import Events
import Foundation
import ServiceKit

/// The events a dossier's steps publish, in the step's transaction, keyed by its code.
enum DossierEvents {
    /// `dossier.status_changed`, for every change of status (and the first).
    static func publishStatusChange(
        _ record: DossierRecord, from: DossierStatus?, actor: String, reason: String? = nil, at now: Date,
        in tx: ScopedTransaction
    ) async throws {
        try await tx.publish(
            DossierStatusChanged(
                dossierCode: record.code, procedureCode: record.procedure.code, channel: record.channel, from: from,
                to: record.status, actor: actor, reason: reason, changedAt: now),
            key: record.code.value)
    }

    /// `dossier.received`: all that digitization, payment and reporting need, once the clock runs.
    static func publishReceived(
        _ record: DossierRecord, components: [DossierView.Component], in tx: ScopedTransaction
    ) async throws {
        guard let receivedAt = record.receivedAt, let deadline = record.deadline else { return }
        try await tx.publish(
            DossierReceived(
                dossierCode: record.code, procedure: record.procedure, applicant: record.applicant,
                components: components.map {
                    SubmittedComponent(code: $0.code, name: $0.name, documentId: $0.documentId)
                },
                channel: record.channel, assistedBy: record.assistedBy, receivedBy: record.receivedBy,
                receivedAt: receivedAt, dueDate: deadline.dueDate),
            key: record.code.value)
    }
}

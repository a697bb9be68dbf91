import Domain
import Events
import Foundation
import Observability
import Postgres
import Queue
import ServiceKit

/// The events intake consumes to keep each dossier's view whole (ARCHITECTURE §5), and the
/// citizen's notices of each change of status.
struct Handlers {
    let notifier: any Notifier

    func consumers(context: ServiceContext) -> [any QueueConsumer] {
        [
            EventConsumer.transactional(
                [
                    DossierDigitized.self, ResultIssued.self, CopyCertified.self, PaymentRequested.self,
                    PaymentSettled.self, PaymentRefunded.self,
                ], context: context
            ) { event, tx in
                try await apply(event, in: tx)
            },
            EventConsumer.leased(DossierStatusChanged.self, name: "intake.notifier", lease: .seconds(60)) { envelope in
                try await notifier.notify(envelope)
            },
        ]
    }

    /// One event's effect on its dossier, with a timeline step for the staff to see.
    private func apply(_ event: AnyEvent, in tx: ScopedTransaction) async throws {
        switch event {
        case .dossierDigitized(let envelope):
            let data = envelope.data
            try await tx.execute(
                """
                UPDATE dossier_components c SET document_id = d."documentId", reused = d.reused
                FROM jsonb_to_recordset($2::jsonb) AS d(code text, "documentId" text, reused boolean)
                WHERE c.dossier_code = $1 AND c.code = d.code
                """, [data.dossierCode, JSONB(data.components)])
            try await tx.execute(
                """
                INSERT INTO dossier_components (dossier_code, code, unit_code, name, required, document_id, reused)
                SELECT $1, d.code, $2, d.code, false, d."documentId", d.reused
                FROM jsonb_to_recordset($3::jsonb) AS d(code text, "documentId" text, reused boolean)
                ON CONFLICT (dossier_code, code) DO NOTHING
                """, [data.dossierCode, envelope.wardCode, JSONB(data.components)])
            try await touch(
                data.dossierCode, ("UPDATE dossiers SET digitized_at = $2 WHERE code = $1", [data.digitizedAt]),
                note: "digitized", envelope.occurredAt, tx)
        case .resultIssued(let envelope):
            let data = envelope.data
            try await touch(
                data.dossierCode,
                (
                    "UPDATE dossiers SET result_document_id = coalesce(result_document_id, $2) WHERE code = $1",
                    [data.documentId]
                ),
                note: "result_issued", envelope.occurredAt, tx)
        case .copyCertified(let envelope):
            try await touch(envelope.data.dossierCode, nil, note: "copy_certified", envelope.occurredAt, tx)
        case .paymentRequested(let envelope):
            let data = envelope.data
            try await touch(
                data.dossierCode,
                (
                    "UPDATE dossiers SET fee_due = $2, payment_state = 'requested' WHERE code = $1",
                    [data.fee + data.charge]
                ),
                note: "payment_requested", envelope.occurredAt, tx)
        case .paymentSettled(let envelope):
            let data = envelope.data
            try await touch(
                data.dossierCode,
                (
                    "UPDATE dossiers SET fee_paid = fee_paid + $2, payment_state = 'settled' WHERE code = $1",
                    [data.amount]
                ),
                note: "payment_settled", envelope.occurredAt, tx)
        case .paymentRefunded(let envelope):
            let data = envelope.data
            try await touch(
                data.dossierCode,
                (
                    "UPDATE dossiers SET fee_paid = greatest(fee_paid - $2, 0), payment_state = 'refunded' WHERE code = $1",
                    [data.amount]
                ),
                note: "payment_refunded", envelope.occurredAt, tx)
        default:
            return
        }
    }

    /// Runs `update` (its `$1` is the code) and notes the event on the dossier's timeline; an event
    /// about a dossier this unit does not have is ignored (another deployment's, or a test's).
    private func touch(
        _ code: DossierCode, _ update: (sql: String, values: [any PostgresEncodable])?, note action: String, _ at: Date,
        _ tx: ScopedTransaction
    ) async throws {
        guard let status = try await tx.query("SELECT status FROM dossiers WHERE code = $1 FOR UPDATE", [code]).first
        else { return }
        if let update { try await tx.execute(update.sql, [code] + update.values) }
        let current = try status.decode(DossierStatus.self, at: 0)
        try await DossierStore.appendStep(
            code, unit: code.agency, at: at, action: action, from: current, to: current, actor: "system",
            actorName: nil,
            in: tx)
    }
}

/// Tells a citizen of a change of their dossier's status: SMS, Zalo or e-mail adapters later;
/// the log now.
protocol Notifier: Sendable {
    func notify(_ change: Envelope<DossierStatusChanged>) async throws
}

/// The notifier of a deployment without a messaging gateway: one log line per notice.
struct LoggingNotifier: Notifier {
    let logger: Logger

    func notify(_ change: Envelope<DossierStatusChanged>) async throws {
        logger.info(
            "citizen notified",
            [
                "dossier": .string(change.data.dossierCode.value), "status": .string(change.data.to.rawValue),
                "eventId": .string(change.eventId.uuidString),
            ])
    }
}

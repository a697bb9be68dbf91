import Domain
import Events
import Foundation
import Observability
import Postgres
import Queue
import ServiceKit

/// National-portal sync (đồng bộ hồ sơ lên Cổng Dịch vụ công quốc gia): a leased consumer of
/// `dossier.status_changed` that POSTs each dossier's receipt and its end (completed, returned,
/// refused, withdrawn) to the configured receiver as signed JSON (`PortalStatus`, see
/// `WebhookSignature` for the scheme), then marks the dossier `portal_synced_at`, the KPI's
/// "synced to the portal".
///
/// A failed call (no answer within the timeout, or a status other than 2xx) is retried with the
/// queue's backoff and is dead after `options.maxAttempts` tries, its last error kept
/// (`motcua-intake queue dead --consumer intake.portal`, and `queue stats`). Delivery is at least
/// once: the receiver deduplicates by `eventId`.
public struct PortalSync: Sendable {
    /// The consumer's name in the queue.
    public static let consumerName = "intake.portal"
    /// The prefix of the configuration variables: `MOTCUA_PORTAL_URL`, `MOTCUA_PORTAL_SECRET_FILE`,
    /// `MOTCUA_PORTAL_TIMEOUT_SECONDS` (see `OutboundTarget`).
    public static let environmentPrefix = "MOTCUA_PORTAL"
    /// The statuses the portal is told of: the receipt and every end of a dossier.
    public static let syncedStatuses: Set<DossierStatus> = [.received, .completed, .returned, .refused, .withdrawn]

    public let target: OutboundTarget
    /// Retries and backoff; the default retries for about two and a half hours before a delivery is dead.
    public let options: ConsumerOptions

    public init(target: OutboundTarget, options: ConsumerOptions = PortalSync.defaultOptions) {
        self.target = target
        self.options = options
    }

    /// The sync the environment configures, or nil when `MOTCUA_PORTAL_URL` is unset.
    public static func fromEnvironment(_ environment: [String: String]) throws(ConfigError) -> PortalSync? {
        try OutboundTarget.fromEnvironment(environment, prefix: environmentPrefix).map { PortalSync(target: $0) }
    }

    /// 15 tries, waits from 5 s doubling to 15 min, 8 calls in flight at most.
    public static var defaultOptions: ConsumerOptions {
        var options = ConsumerOptions()
        options.batchSize = 8
        options.maxAttempts = 15
        options.backoff = Backoff(initial: .seconds(5), maximum: .seconds(900))
        return options
    }

    /// The leased consumer; its lease outlasts a call that runs to the timeout.
    func consumer(context: ServiceContext) -> any QueueConsumer {
        EventConsumer.leased(
            DossierStatusChanged.self, name: Self.consumerName, lease: max(target.timeout * 3, .seconds(30)),
            options: options
        ) { envelope in
            try await sync(envelope, context: context)
        }
    }

    /// Sends one change of status, if the portal is told of it, and marks the dossier synced.
    func sync(_ envelope: Envelope<DossierStatusChanged>, context: ServiceContext) async throws {
        let change = envelope.data
        guard Self.syncedStatuses.contains(change.to) else { return }
        let dates = try await context.transaction(.unit(envelope.wardCode)) { tx in
            try await tx.query(
                """
                SELECT received_at, coalesce(rescheduled_to, due_date), completed_at, returned_at
                FROM dossiers WHERE code = $1
                """, [change.dossierCode]
            ).first.map { try $0.decode(Date?.self, LocalDate?.self, Date?.self, Date?.self) }
        }
        // Another deployment's dossier (or a test's event): nothing of it here to report.
        guard let (receivedAt, dueDate, completedAt, returnedAt) = dates else { return }
        let eventId = envelope.eventId.uuidString.lowercased()
        let status = PortalStatus(
            eventId: eventId, dossierCode: change.dossierCode.value, unitCode: envelope.wardCode,
            procedureCode: change.procedureCode, channel: change.channel, status: change.to,
            previousStatus: change.from, changedAt: change.changedAt, reason: change.reason, receivedAt: receivedAt,
            dueDate: dueDate, completedAt: completedAt, returnedAt: returnedAt)
        let response = try await target.post(
            json: try status.body(), idempotencyKey: eventId)
        guard response.isSuccess else { throw PortalRefusal(response) }
        try await context.transaction(.unit(envelope.wardCode)) { tx in
            try await tx.execute(
                "UPDATE dossiers SET portal_synced_at = $2 WHERE code = $1", [change.dossierCode, context.clock.now])
        }
    }
}

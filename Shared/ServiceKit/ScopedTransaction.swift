import Events
import Foundation
import Postgres
import Queue
import Synchronization

/// A transaction inside one `DataScope`: what handlers and consumers write with.
///
/// The scope's settings travel with the transaction's first statement (one round trip for both),
/// so every statement runs under the units' row-level security. Events published here carry the
/// scope's unit and the context clock's time, and are delivered if and only if it commits.
public struct ScopedTransaction: PostgresQueryable {
    public let scope: DataScope
    /// The clock the transaction's events and audit records are dated by.
    public let clock: any WallClock
    let transaction: PostgresTransaction
    private let scopePending: ScopePending

    init(_ transaction: PostgresTransaction, scope: DataScope, clock: any WallClock) {
        self.transaction = transaction
        self.scope = scope
        self.clock = clock
        scopePending = ScopePending()
    }

    /// The unit written to; throws when the scope writes nowhere (a province-wide read).
    public func writingUnit() throws -> String {
        guard let unit = scope.unit else {
            throw PostgresError(kind: .usage, message: "the scope (\(scope)) names no unit to write into")
        }
        return unit
    }

    @discardableResult
    public func query(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws(PostgresError)
        -> PostgresRows
    {
        try await pipeline([(sql, parameters)])[0]
    }

    @discardableResult
    public func execute(_ sql: String, _ parameters: [any PostgresEncodable] = []) async throws(PostgresError) -> Int {
        try await query(sql, parameters).affectedRows
    }

    /// Several statements in one round trip.
    public func pipeline(_ statements: [(String, [any PostgresEncodable])]) async throws(PostgresError)
        -> [PostgresRows]
    {
        guard scopePending.take() else { return try await transaction.pipeline(statements) }
        let setScope = (UnitScope.setScopeSQL, UnitScope.parameters(scope))
        return Array(try await transaction.pipeline([setScope] + statements).dropFirst())
    }

    /// Runs `action` once the transaction has committed.
    public func afterCommit(_ action: @escaping @Sendable () -> Void) { transaction.afterCommit(action) }

    /// Publishes `event` under its topic, ordered with the other events of `key` (a dossier code),
    /// in the scope's unit; returns its id in the queue's log.
    @discardableResult
    public func publish<E: Event>(_ event: E, key: String) async throws -> Int64 {
        let envelope = Envelope(eventId: UUID(), occurredAt: clock.now, wardCode: try writingUnit(), data: event)
        try await applyScope()
        return try await transaction.publish(E.topic, key: key, envelope)
    }

    /// Sends the scope's settings now if no statement has yet (before code that reaches the
    /// transaction another way, such as the queue's publish).
    func applyScope() async throws(PostgresError) {
        guard scopePending.take() else { return }
        try await transaction.query(UnitScope.setScopeSQL, UnitScope.parameters(scope))
    }
}

/// Whether the scope's settings are still to be sent: once per transaction.
private final class ScopePending: Sendable {
    private let pending = Atomic<Bool>(true)

    func take() -> Bool { pending.exchange(false, ordering: .acquiringAndReleasing) }
}

extension ScopedTransaction {
    /// Appends to the service's audit trail in this transaction, in the scope's unit, dated by
    /// its clock: a consumer's record (`.system(consumer:)`); handlers use the request context's
    /// `audit`, which names the signed-in staff member.
    public func audit(
        actor: AuditActor, action: String, subject: String, details: some Encodable = [String: String](),
        requestId: String? = nil
    ) async throws {
        try await applyScope()
        try await AuditTrail.record(
            actor: actor, action: action, subject: subject, details: details, unit: try writingUnit(),
            requestId: requestId, at: clock.now, in: transaction)
    }
}

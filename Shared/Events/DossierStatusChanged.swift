import Domain
import Foundation

/// `dossier.status_changed`: every change of a dossier's status, with who made it and why; the
/// citizen's notices and the satisfaction surveys start from it.
public struct DossierStatusChanged: Event {
    public static let topic = "dossier.status_changed"
    public static let version = 1
    public static let producers = ["intake"]
    /// Intake itself consumes it too: its notifier tells the citizen of every change.
    public static let consumers = ["reporting", "communication", "intake"]

    public var dossierCode: DossierCode
    public var procedureCode: String
    public var channel: DossierChannel
    /// Nil for a dossier's first status.
    public var from: DossierStatus?
    public var to: DossierStatus
    /// The staff member's id, `citizen`, or `system`.
    public var actor: String
    public var reason: String?
    public var changedAt: Date

    public init(
        dossierCode: DossierCode, procedureCode: String, channel: DossierChannel, from: DossierStatus?,
        to: DossierStatus, actor: String, reason: String? = nil, changedAt: Date
    ) {
        self.dossierCode = dossierCode
        self.procedureCode = procedureCode
        self.channel = channel
        self.from = from
        self.to = to
        self.actor = actor
        self.reason = reason
        self.changedAt = changedAt
    }
}

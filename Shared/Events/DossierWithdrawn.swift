import Domain
import Foundation

/// `dossier.withdrawn`: the citizen withdrew the dossier (TT 03/2025's Thông báo dừng giải quyết).
public struct DossierWithdrawn: Event {
    public static let topic = "dossier.withdrawn"
    public static let version = 1
    public static let producers = ["intake"]
    public static let consumers = ["reporting"]

    public var dossierCode: DossierCode
    public var reason: String
    /// The staff member who recorded it, or `citizen` when done online.
    public var recordedBy: String
    public var withdrawnAt: Date

    public init(dossierCode: DossierCode, reason: String, recordedBy: String, withdrawnAt: Date) {
        self.dossierCode = dossierCode
        self.reason = reason
        self.recordedBy = recordedBy
        self.withdrawnAt = withdrawnAt
    }
}

import Domain
import Foundation

/// `dossier.refused`: the dossier was refused (Phiếu từ chối tiếp nhận giải quyết hồ sơ), with its
/// coded reason.
public struct DossierRefused: Event {
    public static let topic = "dossier.refused"
    public static let version = 1
    public static let producers = ["intake"]
    public static let consumers = ["reporting"]

    public var dossierCode: DossierCode
    public var reason: CodedReason
    public var refusedBy: String
    public var refusedAt: Date

    public init(dossierCode: DossierCode, reason: CodedReason, refusedBy: String, refusedAt: Date) {
        self.dossierCode = dossierCode
        self.reason = reason
        self.refusedBy = refusedBy
        self.refusedAt = refusedAt
    }
}

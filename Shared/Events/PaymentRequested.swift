import Domain
import Foundation

/// `payment.requested`: the fees and charges due for a dossier were requested from the citizen.
public struct PaymentRequested: Event {
    public static let topic = "payment.requested"
    public static let version = 1
    public static let producers = ["payment"]
    public static let consumers = ["intake", "reporting"]

    public var dossierCode: DossierCode
    public var paymentId: String
    public var fee: Money
    public var charge: Money
    public var requestedAt: Date

    public init(dossierCode: DossierCode, paymentId: String, fee: Money, charge: Money, requestedAt: Date) {
        self.dossierCode = dossierCode
        self.paymentId = paymentId
        self.fee = fee
        self.charge = charge
        self.requestedAt = requestedAt
    }
}

import Domain
import Foundation

/// `payment.refunded`: money was given back (a refused or withdrawn dossier, an overpayment).
public struct PaymentRefunded: Event {
    public static let topic = "payment.refunded"
    public static let version = 1
    public static let producers = ["payment"]
    public static let consumers = ["intake", "reporting"]

    public var dossierCode: DossierCode
    public var paymentId: String
    public var amount: Money
    public var reason: String
    public var refundedAt: Date

    public init(dossierCode: DossierCode, paymentId: String, amount: Money, reason: String, refundedAt: Date) {
        self.dossierCode = dossierCode
        self.paymentId = paymentId
        self.amount = amount
        self.reason = reason
        self.refundedAt = refundedAt
    }
}

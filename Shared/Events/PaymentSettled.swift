import Domain
import Foundation

/// `payment.settled`: a payment request was paid in full; intake may then return the result.
public struct PaymentSettled: Event {
    public static let topic = "payment.settled"
    public static let version = 1
    public static let producers = ["payment"]
    public static let consumers = ["intake", "reporting"]

    public var dossierCode: DossierCode
    public var paymentId: String
    public var amount: Money
    public var channel: PaymentChannel
    /// The e-receipt's number (biên lai điện tử).
    public var receiptNumber: String
    public var settledAt: Date

    public init(
        dossierCode: DossierCode, paymentId: String, amount: Money, channel: PaymentChannel, receiptNumber: String,
        settledAt: Date
    ) {
        self.dossierCode = dossierCode
        self.paymentId = paymentId
        self.amount = amount
        self.channel = channel
        self.receiptNumber = receiptNumber
        self.settledAt = settledAt
    }
}

import HTTP
import Postgres
import ServiceKit

/// The payment service (motcua-payment): fees and charges, payment requests and channels, e-receipts, reconciliation, refunds.
public struct PaymentService: Service {
    public static let name = "payment"
    public static let defaultPort: UInt16 = 8083
    public static let summary = "fees and charges, payment requests and channels, e-receipts, reconciliation, refunds"

    public init() {}

    public var migrations: [Migration] { PaymentSchema.migrations }

    public func addRoutes(to router: Router<ServiceRequestContext>, context: ServiceContext) {}
}

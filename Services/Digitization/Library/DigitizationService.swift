import HTTP
import Postgres
import ServiceKit

/// The digitization service (motcua-digitization): document store, digitization of components, citizen data reuse, e-certified copies, electronic results.
public struct DigitizationService: Service {
    public static let name = "digitization"
    public static let defaultPort: UInt16 = 8082
    public static let summary = "document store, digitization of components, citizen data reuse, e-certified copies, electronic results"

    public init() {}

    public var migrations: [Migration] { DigitizationSchema.migrations }

    public func addRoutes(to router: Router<ServiceRequestContext>, context: ServiceContext) {}
}

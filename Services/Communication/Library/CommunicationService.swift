import HTTP
import Postgres
import ServiceKit

/// The communication service (motcua-communication): communication campaigns, citizen feedback with its 5-working-day clock, satisfaction surveys.
public struct CommunicationService: Service {
    public static let name = "communication"
    public static let defaultPort: UInt16 = 8084
    public static let summary = "communication campaigns, citizen feedback with its 5-working-day clock, satisfaction surveys"

    public init() {}

    public var migrations: [Migration] { CommunicationSchema.migrations }

    public func addRoutes(to router: Router<ServiceRequestContext>, context: ServiceContext) {}
}

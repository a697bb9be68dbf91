import HTTP
import Postgres
import ServiceKit

/// The intake service (motcua-intake): receipt of dossiers, their lifecycle and deadlines, return of results, public lookup, staff accounts.
public struct IntakeService: Service {
    public static let name = "intake"
    public static let defaultPort: UInt16 = 8081
    public static let summary = "receipt of dossiers, their lifecycle and deadlines, return of results, public lookup, staff accounts"

    public init() {}

    public var migrations: [Migration] { IntakeSchema.migrations }

    public func addRoutes(to router: Router<ServiceRequestContext>, context: ServiceContext) {}
}

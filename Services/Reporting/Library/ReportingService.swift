import HTTP
import Postgres
import ServiceKit

/// The reporting service (motcua-reporting): projections of every event, periodic reports, KPI and QĐ 766 tables, dashboard, delivery to the province.
public struct ReportingService: Service {
    public static let name = "reporting"
    public static let defaultPort: UInt16 = 8085
    public static let summary = "projections of every event, periodic reports, KPI and QĐ 766 tables, dashboard, delivery to the province"

    public init() {}

    public var migrations: [Migration] { ReportingSchema.migrations }

    public func addRoutes(to router: Router<ServiceRequestContext>, context: ServiceContext) {}
}

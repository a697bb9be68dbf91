import HTTP
import Postgres
import Queue
import ServiceKit

/// The intake service (motcua-intake): receipt of dossiers, their lifecycle and deadlines, return of results, public lookup, staff accounts.
public struct IntakeService: Service {
    public static let name = "intake"
    public static let defaultPort: UInt16 = 8081
    public static let summary =
        "receipt of dossiers, their lifecycle and deadlines, return of results, public lookup, staff accounts"

    /// The deadline clock's calendar, read from `working_calendar`.
    let calendar = CalendarCache()
    /// The national-portal sync, when configured (`PortalSync.fromEnvironment`); nil runs none.
    public var portal: PortalSync?

    public init() {}

    public var migrations: [Migration] { IntakeSchema.migrations }

    public func addRoutes(to router: Router<ServiceRequestContext>, context: ServiceContext) {
        let receipt = Receipt(cache: calendar)
        DossierRoutes(receipt: receipt, step: DossierStep(cache: calendar), cache: calendar).add(to: router)
        PublicRoutes(receipt: receipt, cache: calendar).add(to: router)
    }

    public func consumers(context: ServiceContext) -> [any QueueConsumer] {
        Handlers(notifier: LoggingNotifier(logger: context.logger)).consumers(context: context)
            + (portal.map { [$0.consumer(context: context)] } ?? [])
    }
}

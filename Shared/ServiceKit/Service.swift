import HTML
import HTTP
import Observability
import Postgres
import Queue

/// One of MotCua's five services, as its executable runs it: its schema's migrations and its
/// HTTP routes. `ServiceMain.run` does the rest (configuration, logging, health, shutdown).
public protocol Service: Sendable {
    /// The schema, the login role and the executable's suffix: `intake` → `motcua-intake`.
    static var name: String { get }
    /// The port `serve` listens on when `MOTCUA_PORT` is not set (ARCHITECTURE §2).
    static var defaultPort: UInt16 { get }
    /// One line for `--help`: what the service owns.
    static var summary: String { get }

    /// The schema's migrations, numbered from 1, never edited once landed.
    var migrations: [Migration] { get }

    /// Adds the service's own routes; health, readiness and metrics are the server's.
    func addRoutes(to router: Router<ServiceRequestContext>, context: ServiceContext)

    /// The queue consumers `serve` runs beside HTTP (ARCHITECTURE §5: the events it consumes).
    func consumers(context: ServiceContext) -> [any QueueConsumer]

    /// The service's own subcommands (an administrator's first account, say).
    var commands: [ServiceCommand] { get }

    /// Checks a principal whose token `RequireStaff` has just verified, once per request, before
    /// any handler: throws (a problem) to refuse it, e.g. when its unit has closed since the token
    /// was issued. Tokens live minutes; this is where a service refuses sooner.
    func admit(_ principal: StaffPrincipal, context: ServiceRequestContext) async throws
}

extension Service {
    /// A service that consumes no events yet.
    public func consumers(context: ServiceContext) -> [any QueueConsumer] { [] }

    /// A service with no subcommands of its own.
    public var commands: [ServiceCommand] { [] }

    /// Every verified principal admitted.
    public func admit(_ principal: StaffPrincipal, context: ServiceRequestContext) async throws {}

    /// The service's routes, and the shared stylesheet every service's pages link to, as the
    /// server runs them and as tests call them in process.
    public func responder(context: ServiceContext) -> Responder {
        let router = Router<ServiceRequestContext>()
        addRoutes(to: router, context: context)
        router.get(Stylesheet.path) { _, _ in Stylesheet.response() }
        let openAPI = OpenAPIDocument(service: Self.name, directory: context.configuration.openAPIDirectory)
        router.get(OpenAPIDocument.path) { request, _ in try openAPI.response(for: request) }
        return router.responder { ServiceRequestContext(request: $0, service: context, admission: admit) }
    }
}

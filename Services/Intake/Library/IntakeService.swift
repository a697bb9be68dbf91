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

    /// The key staff tokens are signed with at sign-in (ARCHITECTURE §8), or why there is none.
    let signing: TokenSigning

    /// The service signing staff tokens with `signer` (tests: the harness's); without one,
    /// sign-in answers 503 and the rest works.
    public init(signer: TokenSigner? = nil) {
        signing = signer.map { .signer($0) } ?? .unavailable(reason: "no token signer given")
    }

    /// The service as `serve` runs it: signing with the secret key `MOTCUA_TOKEN_SECRET_KEY_FILE` names.
    public init(environment: [String: String]) {
        do {
            signing = .signer(try TokenSigner.fromEnvironment(environment))
        } catch {
            signing = .unavailable(reason: error.description)
        }
    }

    public var migrations: [Migration] { IntakeSchema.migrations }

    public var commands: [ServiceCommand] { [AdminCommand.command, UnitsCommand.command] }

    /// Every staff request's token is checked against its session and its unit, and a page's
    /// expired session cookie renewed while the session holds (`StaffSessions`).
    public var sessionCheck: (any StaffSessionCheck)? { StaffSessions(signing: signing, policy: .standard) }

    public func addRoutes(to router: Router<ServiceRequestContext>, context: ServiceContext) {
        addStaffRoutes(to: router, context: context)
        let receipt = Receipt(cache: calendar)
        DossierRoutes(receipt: receipt, step: DossierStep(cache: calendar), cache: calendar).add(to: router)
        PublicRoutes(receipt: receipt, cache: calendar).add(to: router, configuration: context.configuration)
        ProcedureRoutes.add(to: router)
        IntakePages(receipt: receipt, step: DossierStep(cache: calendar), cache: calendar).add(
            to: router, configuration: context.configuration)
    }

    public func consumers(context: ServiceContext) -> [any QueueConsumer] {
        Handlers(notifier: LoggingNotifier(logger: context.logger)).consumers(context: context)
            + (portal.map { [$0.consumer(context: context)] } ?? [])
    }
}

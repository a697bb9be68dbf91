import Postgres

/// `motcua-<service> audit verify [--schema NAME]`: walks the service's audit trail and reports
/// every break in its hash chains. Exit status 0 intact, 1 broken (or the database could not be
/// read), 2 misuse. Runs as the service's role (its `DATABASE_URL`) or a superuser.
public enum AuditCommand {
    /// Runs the command given the arguments after `audit`; `service` is the default schema.
    public static func run(
        service: String, arguments: [String], environment: [String: String], output: CommandOutput = .standard
    ) async -> Int32 {
        let schema: String
        switch arguments {
        case ["verify"]: schema = service
        case let arguments where arguments.count == 3 && arguments[0] == "verify" && arguments[1] == "--schema":
            schema = arguments[2]
        default:
            output.error("usage: motcua-\(service) audit verify [--schema NAME]")
            return 2
        }
        let pool = PostgresPool(
            configuration: PostgresConfiguration.fromEnvironment(
                environment, applicationName: "motcua-\(service)-audit"),
            maxConnections: 1)
        let status: Int32
        do {
            let verification = try await AuditTrail.verify(pool, schema: schema)
            for found in verification.breaks { output.line(found.description) }
            output.line(
                "audit trail of \(schema): \(verification.records) records in \(verification.chains) chains, "
                    + (verification.isIntact ? "intact" : "\(verification.breaks.count) breaks"))
            status = verification.isIntact ? 0 : 1
        } catch {
            output.error("motcua-\(service) audit verify: \(error)")
            status = 1
        }
        await pool.close()
        return status
    }
}

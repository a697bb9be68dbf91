import Domain
import HTTP
import Observability
import Postgres

/// A variable of the environment that is missing or malformed; the message names it.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public let variable: String
    public let message: String

    public var description: String { "\(variable): \(message)" }
}

/// Everything a service process reads from its environment (ARCHITECTURE §2: configuration
/// comes only from there).
public struct ServiceConfiguration: Sendable {
    /// `MOTCUA_BIND`, default 127.0.0.1.
    public var bindAddress: String
    /// `MOTCUA_PORT`, default the service's own (8081–8085); 0 picks a free port.
    public var port: UInt16
    /// `MOTCUA_WARD_CODE`: the ward's agency code, the prefix of its dossier codes.
    public var wardCode: String
    /// `MOTCUA_LOG_LEVEL`: debug, info, warning or error; default info.
    public var logLevel: Logger.Level
    /// `DATABASE_URL`, or libpq's `PG*` variables when it is unset.
    public var database: PostgresConfiguration
    /// `MOTCUA_DB_POOL_SIZE`: connections the service may open, default 10.
    public var poolSize: Int
    /// `MOTCUA_HTTP_THREADS`: libmicrohttpd's thread pool, default 4.
    public var httpThreads: Int
    /// `MOTCUA_PUBLIC_RATE_LIMIT`: requests a client may make to citizens' endpoints per minute
    /// (default 60; 0 turns the service's own limit off, as behind a front door that limits, or
    /// for a benchmark).
    public var publicRateLimit: Int
    /// `MOTCUA_OPENAPI_DIR`: where `<service>.yaml` is found to serve at `/openapi.yaml` (default
    /// `deploy/openapi`, from the folder the service runs in: the repository under `up` and tests).
    public var openAPIDirectory: String
    /// `MOTCUA_TRUSTED_PROXIES`: the front door's addresses or CIDR ranges, comma-separated
    /// (`127.0.0.1,::1`), whose `X-Forwarded-For` names the client; default none, so the client is
    /// the connection's peer.
    public var trustedProxies: TrustedProxies

    /// Reads and checks the variables; `requireWard` is false for commands that need no ward
    /// (migrate).
    public static func load(
        from environment: [String: String], service: String, defaultPort: UInt16, requireWard: Bool = true
    ) throws(ConfigError) -> ServiceConfiguration {
        let reader = EnvironmentReader(environment)
        let ward = try reader.string("MOTCUA_WARD_CODE", default: requireWard ? nil : "")
        if requireWard, !DossierCode.isAgencyCode(ward) {
            throw ConfigError(
                variable: "MOTCUA_WARD_CODE",
                message: "'\(ward)' is not an agency code such as H01.40.23 (letters, digits and dots)")
        }
        return ServiceConfiguration(
            bindAddress: try reader.string("MOTCUA_BIND", default: "127.0.0.1"),
            port: UInt16(try reader.integer("MOTCUA_PORT", default: Int(defaultPort), in: 0...65535)),
            wardCode: ward,
            logLevel: try reader.choice(
                "MOTCUA_LOG_LEVEL", default: .info,
                choices: [
                    "debug": .debug, "info": .info, "warning": .warning, "error": .error,
                ]),
            database: PostgresConfiguration.fromEnvironment(environment, applicationName: "motcua-\(service)"),
            poolSize: try reader.integer("MOTCUA_DB_POOL_SIZE", default: 10, in: 1...200),
            httpThreads: try reader.integer("MOTCUA_HTTP_THREADS", default: 4, in: 1...64),
            publicRateLimit: try reader.integer("MOTCUA_PUBLIC_RATE_LIMIT", default: 60, in: 0...1_000_000),
            openAPIDirectory: try reader.string("MOTCUA_OPENAPI_DIR", default: "deploy/openapi"),
            trustedProxies: try reader.trustedProxies("MOTCUA_TRUSTED_PROXIES"))
    }
}

/// Typed reads of environment variables with errors that name the variable.
struct EnvironmentReader {
    let environment: [String: String]

    init(_ environment: [String: String]) { self.environment = environment }

    func string(_ name: String, default fallback: String?) throws(ConfigError) -> String {
        if let value = environment[name], !value.isEmpty { return value }
        guard let fallback else { throw ConfigError(variable: name, message: "is required but not set") }
        return fallback
    }

    func integer(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let text = environment[name], !text.isEmpty else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigError(
                variable: name,
                message: "'\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    func trustedProxies(_ name: String) throws(ConfigError) -> TrustedProxies {
        guard let text = environment[name] else { return .none }
        guard let proxies = TrustedProxies(text) else {
            throw ConfigError(
                variable: name,
                message: "'\(text)' is not a comma-separated list of addresses or CIDR ranges such as 127.0.0.1,::1")
        }
        return proxies
    }

    func choice<T>(_ name: String, default fallback: T, choices: [String: T]) throws(ConfigError) -> T {
        guard let text = environment[name], !text.isEmpty else { return fallback }
        guard let value = choices[text.lowercased()] else {
            throw ConfigError(
                variable: name, message: "'\(text)' is not one of \(choices.keys.sorted().joined(separator: ", "))")
        }
        return value
    }
}

import CLibPQ
import Glibc

/// How to reach PostgreSQL: a libpq connection string or URI (`DATABASE_URL`), or libpq's own
/// `PG*` environment variables when the string is empty.
///
/// Every connection also gets session settings the decoders rely on (UTC, ISO dates).
public struct PostgresConfiguration: Sendable {
    /// A libpq connection string or `postgresql://` URI; empty means libpq reads `PG*` variables.
    public var connectionString: String
    /// Shown in `pg_stat_activity`, so an operator can see which service holds a connection.
    public var applicationName: String
    /// Seconds libpq waits for a connection before giving up.
    public var connectTimeoutSeconds: Int

    public init(connectionString: String = "", applicationName: String = "motcua", connectTimeoutSeconds: Int = 10) {
        self.connectionString = connectionString
        self.applicationName = applicationName
        self.connectTimeoutSeconds = connectTimeoutSeconds
    }

    /// `DATABASE_URL` if set and not empty, else libpq's `PG*` variables.
    public static func fromEnvironment(_ environment: [String: String], applicationName: String)
        -> PostgresConfiguration
    {
        PostgresConfiguration(connectionString: environment["DATABASE_URL"] ?? "", applicationName: applicationName)
    }

    /// Overrides the user of the connection string (bootstrap and tests connect as several roles).
    public var user: String?
    /// Overrides the password of the connection string.
    public var password: String?
    /// Overrides the database of the connection string.
    public var database: String?

    /// The same configuration as another user, optionally on another database.
    public func with(user: String, password: String? = nil, database: String? = nil) -> PostgresConfiguration {
        var copy = self
        copy.user = user
        copy.password = password
        if let database { copy.database = database }
        return copy
    }

    /// The keyword/value pairs given to `PQconnectdbParams`; `dbname` carries the connection
    /// string, which libpq expands, and the later keywords override it.
    var parameters: [(String, String)] {
        var result: [(String, String)] = []
        if !connectionString.isEmpty { result.append(("dbname", connectionString)) }
        if let user { result.append(("user", user)) }
        if let password { result.append(("password", password)) }
        if let database { result.append(("dbname", database)) }
        result.append(("application_name", applicationName))
        result.append(("connect_timeout", String(connectTimeoutSeconds)))
        // `options` given here replaces the one of the connection string (or `PGOPTIONS`), so
        // that one goes first; the session settings after it win where both set one.
        let sessionSettings = "-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=iso_8601 -c extra_float_digits=3"
        result.append(("options", givenOptions.map { $0 + " " + sessionSettings } ?? sessionSettings))
        return result
    }

    /// The `options` of the connection string, else of `PGOPTIONS`, as libpq would use them.
    private var givenOptions: String? {
        var fromString: String?
        if !connectionString.isEmpty, let parsed = PQconninfoParse(connectionString, nil) {
            var option = parsed
            while let keyword = option.pointee.keyword {
                if String(cString: keyword) == "options", let value = option.pointee.val {
                    fromString = String(cString: value)
                }
                option += 1
            }
            PQconninfoFree(parsed)
        }
        let options = fromString ?? getenv("PGOPTIONS").map { String(cString: $0) }
        return options?.isEmpty == false ? options : nil
    }
}

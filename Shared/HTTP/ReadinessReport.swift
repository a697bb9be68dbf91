/// The answer of `GET /readyz`: each named check a service runs, and whether it passed.
///
/// The service supplies the checks (database reachable, migrations current, consumers running);
/// the server answers 200 when every check is ok and 503 otherwise, so an orchestrator stops
/// sending traffic to a replica that cannot serve it.
public struct ReadinessReport: Sendable, Encodable {
    /// One check's outcome.
    public struct Check: Sendable, Encodable, Equatable {
        public let name: String
        public let ok: Bool
        /// Why it failed (or a note when it passed), for the operator reading the body.
        public let message: String?

        public init(name: String, ok: Bool, message: String? = nil) {
            self.name = name
            self.ok = ok
            self.message = message
        }

        /// A passing check.
        public static func passing(_ name: String, message: String? = nil) -> Check {
            Check(name: name, ok: true, message: message)
        }

        /// A failing check and why.
        public static func failing(_ name: String, message: String) -> Check {
            Check(name: name, ok: false, message: message)
        }
    }

    public var checks: [Check]

    public init(checks: [Check]) {
        self.checks = checks
    }

    /// True when every check passed (a report with no checks is ready).
    public var isReady: Bool { checks.allSatisfy(\.ok) }

    private enum CodingKeys: String, CodingKey { case status, checks }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(isReady ? "ready" : "not_ready", forKey: .status)
        try container.encode(checks, forKey: .checks)
    }
}

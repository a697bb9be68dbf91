/// The signed-in staff member a verified token names: who, with which roles, over which units.
public struct StaffPrincipal: Sendable, Hashable {
    /// The units a principal acts on.
    public enum Scope: Sendable, Hashable {
        /// One ward or commune, by its agency code (`H01.40.23`).
        case unit(String)
        /// The units of a province, by the province's code (the first segment of its units'
        /// codes: `H01`); reads across them, never writes into one by accident.
        case province(String)
    }

    /// The staff account's id, the `sub` claim and the audit trail's actor.
    public let id: String
    /// The name shown on pages and kept in the audit trail.
    public let name: String
    public let roles: Set<StaffRole>
    public let scope: Scope
    /// The sign-in session the token belongs to (the `sid` claim): intake, which keeps the
    /// sessions, refuses a token whose session was signed out or revoked; nil in a token without one.
    public let session: String?

    public init(id: String, name: String, roles: Set<StaffRole>, scope: Scope, session: String? = nil) {
        self.id = id
        self.name = name
        self.roles = roles
        self.scope = scope
        self.session = session
    }

    /// The rows the principal reads: its unit's, or its province's units' (read only; a write
    /// names its unit with `DataScope.province(_:writingIn:)`).
    public var dataScope: DataScope {
        switch scope {
        case .unit(let code): .unit(code)
        case .province(let code): .province(code)
        }
    }

    /// Whether the principal holds at least one of `roles`.
    public func hasAny(_ roles: some Sequence<StaffRole>) -> Bool {
        roles.contains { self.roles.contains($0) }
    }
}

/// In claims: `{"unit": "H01.40.23"}` or `{"province": "89"}`.
extension StaffPrincipal.Scope: Codable {
    private enum Key: String, CodingKey {
        case unit, province
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        switch (
            try container.decodeIfPresent(String.self, forKey: .unit),
            try container.decodeIfPresent(String.self, forKey: .province)
        ) {
        case (let unit?, nil): self = .unit(unit)
        case (nil, let province?): self = .province(province)
        default:
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath, debugDescription: "a scope names exactly one unit or one province"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .unit(let code): try container.encode(code, forKey: .unit)
        case .province(let code): try container.encode(code, forKey: .province)
        }
    }
}

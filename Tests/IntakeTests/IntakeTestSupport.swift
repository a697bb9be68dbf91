import Foundation
import HTTP
@testable import Intake
import ServiceKit
import ServiceTestSupport
import Synchronization

/// Runs `body` with intake in process, signing tokens with the harness's key, the units of
/// `testCatalogue` in its unit catalogue; closes it after.
func withIntake(_ body: (ServiceHarness<IntakeService>) async throws -> Void) async throws {
    let key = SigningKey.generate()
    let harness = try await ServiceHarness.start(IntakeService(signer: TokenSigner(key: key)), signingKey: key)
    do {
        try await harness.catalogue(testCatalogue)
        try await body(harness)
    } catch {
        await harness.close()
        throw error
    }
    await harness.close()
}

/// The unit catalogue every test starts with: the codes tests register, beside the harness's ward
/// `H01.40.23` (which exists by configuration), each named `Phường <code>`.
let testCatalogue = ["H01.40.24", "H01.40.25", "H01.11.01", "H79.01.01", "H79.01.02"].map {
    CatalogueUnit(code: $0, name: "Phường \($0)")
}

/// The province of the harness's ward `H01.40.23`.
let province = "H01"
let password = "mật-khẩu-đủ-dài"

extension ServiceHarness where S == IntakeService {
    /// The first administrator as `admin create` makes it (the default unit registered too):
    /// the province's admin with `province`, else the ward's.
    @discardableResult
    func administrator(_ username: String, province: String? = nil) async throws -> StaffMember {
        let (account, _) = try await AdminCommand.create(
            .init(username: username, fullName: "Quản trị \(username)", password: password, province: province),
            context: context)
        return account.member(at: clock.now)
    }

    /// Adds `units` to the unit catalogue (or updates them), as `units import` does, province by province.
    func catalogue(_ units: [CatalogueUnit]) async throws {
        for (province, units) in Dictionary(grouping: units, by: \.provinceCode) {
            _ = try await UnitCatalogue.load(units, of: province, by: .system(consumer: "test"), context: context)
        }
    }

    /// The environment of a command the operator runs (`admin`, `units`): `DATABASE_URL` naming
    /// the test database as role intake (libpq reads `PG*` variables from the process itself, so
    /// the test server's host and port come from there), and the ward.
    var commandEnvironment: [String: String] {
        let process = ProcessInfo.processInfo.environment
        return [
            "DATABASE_URL":
                "host=\(process["PGHOST"] ?? "") port=\(process["PGPORT"] ?? "5432") dbname=\(database.name) user=intake",
            "MOTCUA_WARD_CODE": ward,
        ]
    }

    /// Registers unit `code` of the catalogue through the API as the admin of its province (its
    /// code's first segment); it takes the catalogue's name.
    func register(unit code: String) async throws {
        let response = try await request(
            "POST", "/api/units", json: ["code": code],
            as: .province(.provinceAdmin, code: String(code.prefix { $0 != "." }), id: "qt-" + code))
        guard response.status == 201 else { throw Unexpected(response) }
    }

    /// Creates an account through the API as the province's admin.
    @discardableResult
    func staff(_ username: String, roles: [StaffRole], unitCode: String? = nil) async throws -> StaffMember {
        let response = try await request(
            "POST", "/api/staff",
            json: NewStaff(
                username: username, fullName: "Cán bộ \(username)", roles: roles.map(\.rawValue), password: password,
                unitCode: unitCode),
            as: .province(.provinceAdmin, code: province))
        guard response.status == 201 else { throw Unexpected(response) }
        return try JSONDecoder.api.decode(StaffMember.self, from: Data(response.body))
    }

    /// The form token the pages of a session signed in with `token` carry.
    func csrf(_ token: String) throws -> String {
        CSRF.token(for: try context.tokens.verify(token, now: clock.now, allowingExpiry: .seconds(3600)).principal, sessionToken: token)
    }

    /// `POST /api/auth/login`.
    func login(_ username: String, _ password: String = password, from address: String = "127.0.0.1") async throws
        -> Response
    {
        await request(
            "POST", "/api/auth/login",
            body: Array(try JSONEncoder().encode(["username": username, "password": password])),
            headers: ["Content-Type": "application/json"], remoteAddress: address)
    }
}

/// A new account as a client sends it.
struct NewStaff: Encodable {
    var username: String
    var fullName: String
    var roles: [String]
    var password: String
    var unitCode: String?
}

/// A sign-in's answer as a client reads it.
struct SignedIn: Decodable {
    let token: String
    let expiresAt: Date
    let refreshToken: String
    let refreshExpiresAt: Date
    let staff: StaffMember
}

/// A page as a client reads it.
struct PageOf<Item: Decodable>: Decodable {
    let items: [Item]
    let nextCursor: String?
}

/// A response a test did not expect, with its body.
struct Unexpected: Error, CustomStringConvertible {
    let response: Response
    init(_ response: Response) { self.response = response }
    var description: String { "HTTP \(response.status): \(String(decoding: response.body, as: UTF8.self))" }
}

extension JSONDecoder {
    /// Reads the API's JSON: RFC 3339 times.
    static var api: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

extension Response {
    /// The body decoded as `T`, or the response as an error.
    func decoded<T: Decodable>(_: T.Type = T.self) throws -> T {
        do {
            return try JSONDecoder.api.decode(T.self, from: Data(body))
        } catch {
            throw Unexpected(self)
        }
    }

    /// The problem the body holds.
    var problem: ProblemDocument? { try? JSONDecoder().decode(ProblemDocument.self, from: Data(body)) }

    /// The `Set-Cookie` field for cookie `name`.
    func setCookie(_ name: String) -> String? {
        headers.values("Set-Cookie").first { $0.hasPrefix(name + "=") }
    }
}

/// Lines a command wrote, for a test to read.
final class CapturedOutput: Sendable {
    private let lines = Mutex<[String]>([])
    var text: String { lines.withLock { $0.joined(separator: "\n") } }
    var output: CommandOutput {
        CommandOutput(
            line: { line in self.lines.withLock { $0.append(line) } },
            error: { line in self.lines.withLock { $0.append(line) } })
    }
}

import Foundation
import HTTP
import HTTPTestSupport
@testable import Intake
import ServiceKit
import ServiceTestSupport
import Testing

/// Intake's limits and keys behind the real front door: each citizen is their own client address
/// (127.0.0.2 and 127.0.0.3 play two hosts), not the front door's 127.0.0.1.
@Suite(.serialized) struct ClientAddressTests {
    @Test func aClientLockedOutOfTheLookupDoesNotLockOutAnother() async throws {
        try await withIntakeBehindTheFrontDoor { door, _ in
            for sequence in 1...PublicRoutes.lookupFailureLimit {
                let code = "H01.40.23-260305-" + String(format: "%04d", sequence)
                let wrong = try await door.get("/api/public/dossiers/\(code)?phone=1111", from: "127.0.0.2")
                #expect(wrong.status == 404)
            }
            let path = "/api/public/dossiers/H01.40.23-260305-0099?phone=1111"
            let locked = try await door.get(path, from: "127.0.0.2")
            #expect(locked.status == 429)
            #expect(locked.problem?.code == "too_many_failed_lookups")
            // A forged X-Forwarded-For is replaced at the edge: it does not get the client out.
            let forged = try await door.get(path, headers: [("X-Forwarded-For", "10.9.9.9")], from: "127.0.0.2")
            #expect(forged.status == 429)
            let other = try await door.get(path, from: "127.0.0.3")
            #expect(other.status == 404)
            #expect(other.problem?.code == "dossier_not_found")
        }
    }

    @Test func citizensChoosingTheSameIdempotencyKeyEachGetTheirOwnAnswer() async throws {
        try await withIntakeBehindTheFrontDoor { door, _ in
            func submit(_ name: String, from source: String) async throws -> ClientResponse {
                try await TestClient.request(
                    port: door.port, method: "POST", path: "/api/public/dossiers",
                    headers: [("Content-Type", "application/json"), ("Idempotency-Key", "ho-so-cua-toi")],
                    body: submission(applicant: name), from: source)
            }
            let first = try await submit("Nguyễn Văn An", from: "127.0.0.2")
            #expect(first.status == 201)
            let other = try await submit("Trần Thị Bình", from: "127.0.0.3")
            #expect(other.status == 201)
            #expect(other.headers["idempotent-replayed"] == nil)
            let codes = try [first, other].map { try $0.decode(Submitted.self).code }
            #expect(codes[0] != codes[1])
            let again = try await submit("Nguyễn Văn An", from: "127.0.0.2")
            #expect(again.status == 201 && again.headers["idempotent-replayed"] == "true")
            #expect(try again.decode(Submitted.self).code == codes[0])
            let changed = try await submit("Lê Văn Cường", from: "127.0.0.2")
            #expect(changed.status == 422)
            #expect(changed.problem?.code == "idempotency_key_reused")
        }
    }

    @Test func aWrongPasswordIsAuditedWithTheClientsAddress() async throws {
        try await withIntakeBehindTheFrontDoor { door, harness in
            _ = try await AdminCommand.create(
                .init(username: "quantri", fullName: "Quản trị", password: "mật-khẩu-đủ-dài", province: nil),
                context: harness.context)
            let wrong = try await TestClient.request(
                port: door.port, method: "POST", path: "/api/auth/login",
                headers: [("Content-Type", "application/json")],
                body: Array(#"{"username":"quantri","password":"sai-mật-khẩu-rồi"}"#.utf8), from: "127.0.0.2")
            #expect(wrong.status == 401)
            let addresses = try await harness.context.transaction(.allUnits) { tx in
                try await tx.query("SELECT details->>'address' FROM audit_trail WHERE subject LIKE 'staff:%'")
                    .map { try $0.decode(String?.self, at: 0) }
            }
            #expect(addresses.contains("127.0.0.2"))
            #expect(!addresses.contains("127.0.0.1"))
        }
    }

    /// An online submission's body for the seeded procedure 1.001193, in `applicant`'s name.
    private func submission(applicant: String) -> [UInt8] {
        let body: [String: Any] = [
            "procedureCode": "1.001193",
            "applicant": [
                "fullName": applicant, "cccd": "001203004567", "phone": "0912345678", "address": "12 Hàng Bạc",
            ],
            "components": [["code": "TK"], ["code": "GCS", "documentId": "doc-1"]],
        ]
        return Array((try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data())
    }

    private struct Submitted: Decodable {
        let code: String
    }
}

/// Runs `body` with intake in process over its own database behind a started front door.
func withIntakeBehindTheFrontDoor(
    _ body: (FrontDoor, ServiceHarness<IntakeService>) async throws -> Void
) async throws {
    let key = SigningKey.generate()
    let harness = try await ServiceHarness.start(IntakeService(signer: TokenSigner(key: key)), signingKey: key)
    do {
        try await withFrontDoor(intake: harness.responder) { door in try await body(door, harness) }
    } catch {
        await harness.close()
        throw error
    }
    await harness.close()
}

extension ClientResponse {
    /// The problem the body holds.
    var problem: ProblemDocument? { try? JSONDecoder().decode(ProblemDocument.self, from: Data(body)) }
}

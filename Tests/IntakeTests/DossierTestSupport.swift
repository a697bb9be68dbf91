import Domain
import Foundation
import HTTP
import Intake
import ServiceKit
import ServiceTestSupport

let receptionist = TestPrincipal.staff(.receptionist, id: "tn-01")
let handler = TestPrincipal.staff(.handler, id: "xl-01")
let leader = TestPrincipal.staff(.leader, id: "ld-01")

/// A valid counter receipt of `procedure` (the seed's birth registration by default).
func receiptBody(
    procedure: String = "1.001193", name: String = "Nguyễn Văn An", cccd: String = "001203004567",
    phone: String = "0912345678", components: [[String: String]]? = nil
) -> [String: AnyJSON] {
    [
        "procedureCode": .string(procedure),
        "applicant": .object([
            "fullName": .string(name), "cccd": .string(cccd), "phone": .string(phone),
            "address": .string("12 Hàng Bạc"),
        ]),
        "components": .array(
            (components ?? [["code": "TK"], ["code": "GCS", "documentId": "doc-1"]]).map { component in
                .object(component.mapValues { .string($0) })
            }),
    ]
}

/// A JSON value for request bodies.
enum AnyJSON: Encodable, Sendable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case array([AnyJSON])
    case object([String: AnyJSON])

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

/// The fields of a dossier answer the tests read.
struct DossierJSON: Decodable {
    let code: String
    let status: String
    let channel: String
    let procedureCode: String
    let appointmentDate: String?
    let dueDate: String?
    let deadlineState: String?
    let acceptedLate: Bool?
    let paused: Bool
    let allowedActions: [String]
    let timeline: [Step]

    struct Step: Decodable {
        let action: String
        let toStatus: String
        let actor: String
        let reason: String?
    }
}

extension ServiceHarness {
    /// The topics and keys of the events published so far, oldest first (read as superuser).
    func events() async throws -> [(topic: String, key: String, payload: String)] {
        let admin = database.pool(maxConnections: 1)
        defer { Task { await admin.close() } }
        return try await admin.query("SELECT topic, key, payload::text FROM mq.events ORDER BY id").map {
            try $0.decode(String.self, String.self, String.self)
        }
    }

    /// Vietnam's wall clock: sets the harness clock to `date` at `hour:minute` (+07:00).
    func setVietnamTime(_ date: String, _ hour: Int, _ minute: Int = 0) {
        let day = LocalDate(iso: date)!
        clock.set(VietnamTime.instant(on: day, secondsSinceMidnight: hour * 3600 + minute * 60))
    }
}

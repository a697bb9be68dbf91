import Domain
import Foundation
import Testing

@testable import Events

@Suite struct EnvelopeTests {
    static let at = Date(timeIntervalSince1970: 1_772_700_000)
    static let code = try! DossierCode(parsing: "H01.40.23-260305-0007")

    static var received: DossierReceived {
        DossierReceived(
            dossierCode: code,
            procedure: ProcedureSummary(
                code: "1.001612", name: "Đăng ký khai sinh", field: "Hộ tịch", level: .full, processingDays: 1,
                fee: .zero, charge: Money(dong: 8_000), electronicResult: true, reuseEligible: true),
            applicant: Applicant(
                fullName: "Nguyễn Văn An", cccd: "001203004567", phone: "0912345678", address: "12 Hàng Bạc"),
            components: [SubmittedComponent(code: "TK", name: "Tờ khai", documentId: nil)], channel: .counter,
            receivedBy: "staff-1", receivedAt: at, dueDate: LocalDate(year: 2026, month: 3, day: 6)!)
    }

    private func roundTrip<E: Event>(_ envelope: Envelope<E>) throws -> AnyEvent {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(envelope)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(Probe.self, from: data, topic: E.topic)
    }

    @Test func anEnvelopeRoundTripsIntoItsCase() throws {
        let envelope = Envelope(eventId: UUID(), occurredAt: Self.at, wardCode: "H01.40.23", data: Self.received)
        #expect(try roundTrip(envelope) == .dossierReceived(envelope))
    }

    @Test func aPayloadOfAnotherVersionIsRefusedNamingBothVersions() throws {
        let json = """
            {"eventId":"\(UUID().uuidString)","occurredAt":"2026-03-05T08:00:00Z","wardCode":"H01.40.23","version":2,
             "data":{"code":"H01.40.23","name":"Phường Hàng Bạc","provinceCode":"01","registeredAt":"2026-03-05T08:00:00Z"}}
            """
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(throws: EventDecodingError.unknownVersion(topic: "unit.registered", version: 2, supported: 1)) {
            try decoder.decode(Probe.self, from: Data(json.utf8), topic: "unit.registered")
        }
    }

    @Test func anUnknownTopicIsRefused() {
        let decoder = JSONDecoder()
        #expect(throws: EventDecodingError.unknownTopic("dossier.recieved")) {
            try decoder.decode(Probe.self, from: Data("{}".utf8), topic: "dossier.recieved")
        }
    }

    @Test func theWireFormatIsLowerCamelCaseWithDatesAndMoneyAsAgreed() throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = .sortedKeys
        let envelope = Envelope(eventId: UUID(), occurredAt: Self.at, wardCode: "H01.40.23", data: Self.received)
        let text = String(decoding: try encoder.encode(envelope), as: UTF8.self)
        #expect(text.contains("\"dossierCode\":\"H01.40.23-260305-0007\""))
        #expect(text.contains("\"dueDate\":\"2026-03-06\""))
        #expect(text.contains("\"receivedAt\":\"2026-03-05T08:40:00Z\""))
        #expect(text.contains("\"charge\":8000"))
        #expect(text.contains("\"version\":1"))
    }
}

/// Decodes `AnyEvent` from a top-level JSON value, the way the queue's typed consumer does.
private struct Probe: Decodable {
    let event: AnyEvent
    static let topicKey = CodingUserInfoKey(rawValue: "test.topic")!

    init(from decoder: any Decoder) throws {
        event = try AnyEvent(topic: decoder.userInfo[Self.topicKey] as! String, from: decoder)
    }
}

extension JSONDecoder {
    fileprivate func decode(_: Probe.Type, from data: Data, topic: String) throws -> AnyEvent {
        userInfo[Probe.topicKey] = topic
        return try decode(Probe.self, from: data).event
    }
}

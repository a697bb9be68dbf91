import Foundation
import Observability
import Testing

@Suite struct LoggerTests {
    @Test func cccdAndPhoneNumbersAreMaskedInMessagesAndFields() throws {
        let sink = LogSink.memory()
        let logger = Logger(service: "intake", level: .info, sink: sink)
        logger.info(
            "công dân 001203004567 gọi từ 0912345678",
            ["phone": "+84912345678", "note": "CCCD: 079088001234, sđt 0987654321."])
        let line = try #require(sink.lines.first)
        for secret in ["001203004567", "0912345678", "+84912345678", "079088001234", "0987654321"] {
            #expect(!line.contains(secret), "\(secret) appears in \(line)")
        }
        #expect(line.contains("**********67"))
        #expect(line.contains("********78"))
    }

    @Test func identifiersThatAreNotPersonalDataStayReadable() {
        for text in ["H01.40.23-260305-0007", "event 1234567890123", "amount 1250000", "request 0af3b2c4d5e6f708"] {
            #expect(PersonalData.mask(text) == text)
        }
    }

    @Test func linesAreValidJSONWithEscapedText() throws {
        let sink = LogSink.memory()
        let logger = Logger(service: "payment", level: .debug, sink: sink)
        logger.warning("dòng \"một\"\nhai\t\\", ["attempt": 3, "ok": .bool(false), "ratio": .double(0.5)])
        let line = try #require(sink.lines.first)
        #expect(line.hasSuffix("}\n"))
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["msg"] as? String == "dòng \"một\"\nhai\t\\")
        #expect(object["level"] as? String == "warning")
        #expect(object["service"] as? String == "payment")
        #expect(object["attempt"] as? Int == 3)
        #expect(object["ok"] as? Bool == false)
    }

    @Test func linesBelowTheLevelAreDropped() {
        let sink = LogSink.memory()
        let logger = Logger(service: "reporting", level: .warning, sink: sink)
        logger.info("ignored")
        logger.debug("ignored")
        logger.error("kept")
        #expect(sink.lines.count == 1)
    }

    @Test func aLoggerWithMetadataWritesItOnEveryLineUnderTheLinesOwnFields() throws {
        let sink = LogSink.memory()
        let logger = Logger(service: "intake", level: .info, sink: sink).with(["requestId": "0af3b2c4", "route": "/a"])
        logger.info("one")
        logger.info("two", ["route": "/b"])
        let lines = try sink.lines.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(lines.map { $0["requestId"] as? String } == ["0af3b2c4", "0af3b2c4"])
        #expect(lines.map { $0["route"] as? String } == ["/a", "/b"])
    }
}

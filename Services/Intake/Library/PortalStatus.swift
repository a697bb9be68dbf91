import Domain
import Foundation

/// What the national portal (Cổng Dịch vụ công quốc gia) is told of one change of a dossier's
/// status: no personal data, only the dossier's code, unit, procedure, status and its dates.
/// `eventId` (the event's UUID in lower case) is the portal's idempotency key: the same change may
/// arrive more than once.
struct PortalStatus: Encodable, Sendable {
    let eventId: String
    let dossierCode: String
    let unitCode: String
    let procedureCode: String
    let channel: DossierChannel
    let status: DossierStatus
    let previousStatus: DossierStatus?
    let changedAt: Date
    /// The reason of a refusal or withdrawal.
    let reason: String?
    let receivedAt: Date?
    /// The appointment date in force (an apology's new date when there was one).
    let dueDate: LocalDate?
    let completedAt: Date?
    let returnedAt: Date?

    /// The exact bytes sent and signed: JSON with sorted keys, RFC 3339 times, `yyyy-MM-dd` dates.
    func body() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Array(try encoder.encode(self))
    }
}

/// One audit record's hashed content, and the hash that links it to the record before it.
///
/// hash = SHA-256 over a versioned, unambiguous encoding: a domain tag, then every field as a
/// presence byte (0 absent, 1 present), its length as 8 bytes little-endian and its bytes; numbers
/// as 8 bytes little-endian. `at` counts microseconds since 1970 (what `timestamptz` keeps), and
/// `details` is PostgreSQL's own text of the `jsonb` value, so both read back exactly as hashed.
struct AuditEntry: Sendable {
    var unitCode: String
    var subject: String
    /// The record's place in its subject's chain, from 1.
    var sequence: Int64
    var atMicroseconds: Int64
    var actor: String
    var actorName: String?
    var action: String
    var requestID: String?
    var details: String

    private static let domain = "motcua.audit_trail.v1"

    /// The record's hash, chained to `previous` (nil for a chain's first record).
    func hash(previous: [UInt8]?) -> [UInt8] {
        var bytes: [UInt8] = []
        func put(_ field: [UInt8]?) {
            guard let field else { return bytes.append(0) }
            bytes.append(1)
            put(number: Int64(field.count))
            bytes += field
        }
        func put(number: Int64) {
            bytes += (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: number) >> (8 * $0)) }
        }
        func put(_ text: String?) { put(text.map { Array($0.utf8) }) }
        put(Self.domain)
        put(previous)
        put(unitCode)
        put(subject)
        put(number: sequence)
        put(number: atMicroseconds)
        put(actor)
        put(actorName)
        put(action)
        put(requestID)
        put(details)
        return Sodium.sha256(bytes)
    }
}

/// The walk along audit records in chain order (unit, subject, sequence) that finds where a
/// chain breaks; `AuditTrail.verify` feeds it every record.
struct ChainWalk {
    private var chain: (unit: String, subject: String)?
    private var expected: Int64 = 1
    private var previousHash: [UInt8]?

    /// The breaks at `entry`, given the predecessor hash it stores and its stored hash.
    mutating func check(_ entry: AuditEntry, previous: [UInt8]?, hash: [UInt8]) -> [AuditBreak] {
        if chain?.unit != entry.unitCode || chain?.subject != entry.subject {
            chain = (entry.unitCode, entry.subject)
            expected = 1
            previousHash = nil
        }
        var breaks: [AuditBreak] = []
        func found(_ kind: AuditBreak.Kind, _ detail: String) {
            breaks.append(
                AuditBreak(
                    kind: kind, unitCode: entry.unitCode, subject: entry.subject, sequence: entry.sequence,
                    detail: detail))
        }
        if entry.sequence != expected {
            found(
                .missing,
                entry.sequence > expected
                    ? "records \(expected)…\(entry.sequence - 1) before it are missing"
                    : "comes after record \(expected - 1) but is numbered \(entry.sequence)")
        } else if previous != previousHash {
            found(.unlinked, "its predecessor hash is not the hash of record \(expected - 1)")
        }
        if entry.hash(previous: previous) != hash {
            found(.altered, "its content does not match its hash")
        }
        expected = entry.sequence + 1
        previousHash = hash
        return breaks
    }
}

/// A place where a subject's audit chain is not what `AuditTrail.record` wrote.
public struct AuditBreak: Sendable, Hashable, CustomStringConvertible {
    /// What the verifier found.
    public enum Kind: String, Sendable {
        /// The record's content no longer matches its hash: a field was changed.
        case altered
        /// Records are missing before this one: deleted from the middle or the start.
        case missing
        /// The record does not name the record before it as its predecessor: rows were reordered,
        /// or one was replaced along with its hash.
        case unlinked
        /// The chain ends before its head says it does: its last records were deleted.
        case truncated
        /// The chain's head (its length and last hash) disagrees with its records in another way:
        /// no head, records past the head, or a last record rewritten with a fresh hash.
        case headMismatch = "head_mismatch"
    }

    public let kind: Kind
    public let unitCode: String
    public let subject: String
    /// The record concerned, by its place in the chain.
    public let sequence: Int64
    /// What exactly differs, for the operator.
    public let detail: String

    public var description: String { "\(unitCode) \(subject) #\(sequence): \(kind.rawValue): \(detail)" }
}

/// What `AuditTrail.verify` found in one schema's audit trail.
public struct AuditVerification: Sendable {
    /// Subjects (per unit) with at least one record or a head.
    public var chains: Int
    /// Records read.
    public var records: Int
    /// Every break found, in chain order.
    public var breaks: [AuditBreak]

    /// Whether every chain is whole.
    public var isIntact: Bool { breaks.isEmpty }
}

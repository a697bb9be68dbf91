import Domain

/// Who did what the audit trail records: a staff member (from the token's principal), a queue
/// consumer acting on an event, or a citizen acting on their dossier.
public struct AuditActor: Sendable, Hashable {
    /// The staff id, `system:<consumer>` or `citizen:<dossier code>`.
    public let id: String
    /// The staff member's name as the token gave it; nil for the others.
    public let name: String?

    /// The signed-in staff member.
    public static func staff(_ principal: StaffPrincipal) -> AuditActor {
        AuditActor(id: principal.id, name: principal.name)
    }

    /// A queue consumer of this service (`system:reporting-projection`).
    public static func system(consumer: String) -> AuditActor {
        AuditActor(id: "system:\(consumer)", name: nil)
    }

    /// A citizen who proved they hold `dossier` (its code and a proof, ARCHITECTURE §8).
    public static func citizen(dossier: DossierCode) -> AuditActor {
        AuditActor(id: "citizen:\(dossier.value)", name: nil)
    }
}

import Domain
import Events

/// A procedure of the catalogue (thủ tục hành chính, DOMAIN §2) as the API shows it and as the
/// receipt reads it: what a dossier of it needs, how long it takes, what it costs.
///
/// The catalogue is reference data every unit of the deployment shares; an admin edits it. In JSON
/// `sameDayCutoff` is `HH:mm` and absent unless the procedure is done the same day.
public struct Procedure: Codable, Sendable, Equatable {
    /// A component of a procedure's dossier (thành phần hồ sơ).
    public struct Component: Codable, Sendable, Equatable {
        /// Stable within the procedure; the receipt names components by it.
        public var code: String
        public var name: String
        /// Whether a dossier is incomplete without it.
        public var required: Bool

        public init(code: String, name: String, required: Bool) {
            self.code = code
            self.name = name
            self.required = required
        }
    }

    /// The national code (mã TTHC, e.g. `1.000894`) or a local one (`L.…`) where none is known.
    public var code: String
    public var name: String
    /// The field (lĩnh vực), such as `Hộ tịch`.
    public var field: String
    public var level: ProcedureLevel
    /// Working days from receipt to result; 0 for a same-day procedure.
    public var processingDays: Int
    /// The cut-off of a same-day procedure (the 15:00 rule): a request received later is returned the next working day.
    public var sameDayCutoff: TimeOfDay?
    /// The fee (phí), due before the result is returned.
    public var fee: Money
    /// The charge (lệ phí).
    public var charge: Money
    public var electronicResult: Bool
    /// Whether the procedure may reuse the citizen's digitized data.
    public var reuseEligible: Bool
    /// Whether a unit of the province receives it whatever the applicant's address (NĐ 118/2025).
    public var boundaryIndependent: Bool
    /// The legal basis and notes on amounts the province sets.
    public var legalBasis: String
    public var components: [Component]
    /// Whether new dossiers may be received for it; a retired procedure stays for its old dossiers.
    public var active: Bool
    /// Seeded demo data not yet checked by an admin; an admin's edit clears it.
    public var demo: Bool

    public init(
        code: String, name: String, field: String, level: ProcedureLevel, processingDays: Int,
        sameDayCutoff: TimeOfDay?, fee: Money, charge: Money, electronicResult: Bool, reuseEligible: Bool,
        boundaryIndependent: Bool, legalBasis: String, components: [Component], active: Bool, demo: Bool
    ) {
        self.code = code
        self.name = name
        self.field = field
        self.level = level
        self.processingDays = processingDays
        self.sameDayCutoff = sameDayCutoff
        self.fee = fee
        self.charge = charge
        self.electronicResult = electronicResult
        self.reuseEligible = reuseEligible
        self.boundaryIndependent = boundaryIndependent
        self.legalBasis = legalBasis
        self.components = components
        self.active = active
        self.demo = demo
    }

    /// What events say of the procedure (`dossier.received` and the others).
    public var summary: ProcedureSummary {
        ProcedureSummary(
            code: code, name: name, field: field, level: level, processingDays: processingDays, fee: fee,
            charge: charge, electronicResult: electronicResult, reuseEligible: reuseEligible)
    }
}

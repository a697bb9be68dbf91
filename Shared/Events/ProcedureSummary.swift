import Domain

/// What an event says of a dossier's procedure (thủ tục hành chính): enough for consumers to
/// charge, digitize and report without the catalogue.
public struct ProcedureSummary: Codable, Sendable, Equatable {
    public var code: String
    public var name: String
    /// The field (lĩnh vực), for reports grouped by field.
    public var field: String
    public var level: ProcedureLevel
    public var processingDays: Int
    /// The fee (phí) due before the result is returned; zero when free.
    public var fee: Money
    /// The charge (lệ phí); zero when none.
    public var charge: Money
    public var electronicResult: Bool
    /// Whether the procedure may reuse the citizen's digitized data (KPI 7's denominator).
    public var reuseEligible: Bool

    public init(
        code: String, name: String, field: String, level: ProcedureLevel, processingDays: Int, fee: Money,
        charge: Money,
        electronicResult: Bool, reuseEligible: Bool
    ) {
        self.code = code
        self.name = name
        self.field = field
        self.level = level
        self.processingDays = processingDays
        self.fee = fee
        self.charge = charge
        self.electronicResult = electronicResult
        self.reuseEligible = reuseEligible
    }
}

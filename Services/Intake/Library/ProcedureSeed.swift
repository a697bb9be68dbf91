import Domain
import Postgres

/// The demo catalogue: real ward-level procedures from CATALOGUE.md, inserted by migration 5 as
/// one bound JSON parameter and marked `demo` for an admin to check against the province's list.
/// Frozen once landed (the migration's checksum covers it): corrections are new migrations.
enum ProcedureSeed {
    /// One row of the seed.
    struct Row: Codable, Sendable {
        let code: String
        let name: String
        let field: String
        let level: ProcedureLevel
        let processingDays: Int
        /// `HH:mm` for a same-day procedure's cut-off (the 15:00 rule), else nil.
        let sameDayCutoff: String?
        let fee: Int64
        let charge: Int64
        let electronicResult: Bool
        let reuseEligible: Bool
        let legalBasis: String
        let components: [Component]
    }

    /// A required or optional component of a procedure's dossier.
    struct Component: Codable, Sendable {
        let code: String
        let name: String
        let required: Bool
    }

    static var step: Migration.DataStep {
        Migration.DataStep(
            """
            INSERT INTO procedures (code, name, field, level, processing_days, same_day_cutoff, fee, charge,
                                    electronic_result, reuse_eligible, legal_basis, components, demo, updated_at)
            SELECT code, name, field, level, "processingDays", "sameDayCutoff"::time, fee, charge,
                   "electronicResult", "reuseEligible", "legalBasis", components, true, now()
            FROM jsonb_to_recordset($1::jsonb) AS seed(
                code text, name text, field text, level text, "processingDays" int, "sameDayCutoff" text, fee bigint,
                charge bigint, "electronicResult" boolean, "reuseEligible" boolean, "legalBasis" text, components jsonb)
            """,
            [JSONB(rows)])
    }

    static let rows: [Row] = [
        Row(
            code: "1.001193", name: "Đăng ký khai sinh", field: "Hộ tịch", level: .full, processingDays: 0,
            sameDayCutoff: "15:00", fee: 0, charge: 0, electronicResult: true, reuseEligible: true,
            legalBasis: "Luật Hộ tịch 2014, Điều 16; NĐ 123/2015/NĐ-CP",
            components: [
                Component(code: "TK", name: "Tờ khai đăng ký khai sinh", required: true),
                Component(code: "GCS", name: "Giấy chứng sinh", required: true),
            ]),
        Row(
            code: "2.000815", name: "Chứng thực hợp đồng, giao dịch liên quan đến động sản", field: "Chứng thực",
            level: .inPerson, processingDays: 2, sameDayCutoff: nil, fee: 50_000, charge: 0, electronicResult: false,
            reuseEligible: false, legalBasis: "NĐ 23/2015/NĐ-CP, Điều 37; TT 226/2016/TT-BTC",
            components: [
                Component(code: "DHD", name: "Dự thảo hợp đồng, giao dịch", required: true),
                Component(code: "GTTT", name: "Giấy tờ tùy thân của người yêu cầu", required: true),
            ]),
    ]
}

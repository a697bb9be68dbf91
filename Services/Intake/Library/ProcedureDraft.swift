import Domain
import Foundation
import HTTP

/// A procedure as an admin sends it (`POST /api/procedures`, `PUT /api/procedures/{code}`) and as
/// the seed lists it: every field optional in the body, so a missing one is named in the same 422
/// as a wrong one instead of failing the JSON.
///
/// A PUT replaces the whole procedure: an omitted flag takes its default (electronic result and
/// active true, reuse and boundary independence false, no fee).
public struct ProcedureDraft: Codable, Sendable {
    /// Required in a POST; in a PUT the path names the procedure and a body code must match it.
    public var code: String?
    public var name: String?
    public var field: String?
    /// `full`, `partial` or `in_person`.
    public var level: String?
    public var processingDays: Int?
    /// `HH:mm`; required when `processingDays` is 0, refused otherwise.
    public var sameDayCutoff: String?
    /// In đồng.
    public var fee: Int64?
    /// In đồng.
    public var charge: Int64?
    public var electronicResult: Bool?
    public var reuseEligible: Bool?
    public var boundaryIndependent: Bool?
    public var legalBasis: String?
    public var components: [Procedure.Component]?
    public var active: Bool?

    public init(
        code: String? = nil, name: String? = nil, field: String? = nil, level: String? = nil,
        processingDays: Int? = nil, sameDayCutoff: String? = nil, fee: Int64? = nil, charge: Int64? = nil,
        electronicResult: Bool? = nil, reuseEligible: Bool? = nil, boundaryIndependent: Bool? = nil,
        legalBasis: String? = nil, components: [Procedure.Component]? = nil, active: Bool? = nil
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
    }

    /// The draft of an existing procedure, for an edit that changes a few fields.
    public init(_ procedure: Procedure) {
        self.init(
            code: procedure.code, name: procedure.name, field: procedure.field, level: procedure.level.rawValue,
            processingDays: procedure.processingDays, sameDayCutoff: procedure.sameDayCutoff?.description,
            fee: procedure.fee.dong, charge: procedure.charge.dong, electronicResult: procedure.electronicResult,
            reuseEligible: procedure.reuseEligible, boundaryIndependent: procedure.boundaryIndependent,
            legalBasis: procedure.legalBasis, components: procedure.components, active: procedure.active)
    }

    /// The procedure this draft describes, named `code` when given (a PUT's path), else by the
    /// draft's own code; every bad field in one 422 `validation_failed` problem. Text is trimmed and
    /// put in Unicode normal form C, so search and equality see one spelling of each letter.
    public func validated(code pathCode: String? = nil) throws(ProblemError) -> Procedure {
        var errors = FieldErrors()
        let code = Self.code(body: code, path: pathCode, errors: &errors)
        let name = Self.text(name, field: "name", label: "Tên thủ tục", limit: 500, errors: &errors)
        let field = Self.text(field, field: "field", label: "Lĩnh vực", limit: 100, errors: &errors)
        let level = Self.level(level, errors: &errors)
        let days = Self.processingDays(processingDays, errors: &errors)
        let cutoff = Self.cutoff(sameDayCutoff, days: days, errors: &errors)
        let fee = Self.amount(fee, field: "fee", errors: &errors)
        let charge = Self.amount(charge, field: "charge", errors: &errors)
        let legalBasis = Self.normalized(legalBasis ?? "")
        if legalBasis.count > 4000 {
            errors.add(field: "legalBasis", code: "too_long", detail: "Căn cứ pháp lý dài tối đa 4000 ký tự.")
        }
        let components = Self.components(components, errors: &errors)
        try errors.throwIfAny()
        return Procedure(
            code: code, name: name, field: field, level: level!, processingDays: days!, sameDayCutoff: cutoff,
            fee: fee, charge: charge, electronicResult: electronicResult ?? true, reuseEligible: reuseEligible ?? false,
            boundaryIndependent: boundaryIndependent ?? false, legalBasis: legalBasis, components: components,
            active: active ?? true, demo: false)
    }

    /// What the schema's CHECK allows for procedure and component codes.
    static func isCode(_ text: String) -> Bool {
        (1...40).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || ".-_".utf8.contains(byte)
            }
    }

    private static func code(body: String?, path: String?, errors: inout FieldErrors) -> String {
        if let path {
            if let body, body != path {
                errors.add(
                    field: "code", code: "code_mismatch",
                    detail:
                        "Mã thủ tục trong nội dung (\(body.prefix(40))) khác mã trên đường dẫn (\(path)); mã không đổi được."
                )
            }
            return path
        }
        guard let body, !body.isEmpty else {
            errors.add(field: "code", code: "required", detail: "Vui lòng nhập mã thủ tục.")
            return ""
        }
        if !isCode(body) {
            errors.add(
                field: "code", code: "invalid_format",
                detail: "Mã thủ tục gồm 1 đến 40 ký tự: chữ không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang.")
        }
        return body
    }

    private static func text(
        _ value: String?, field: String, label: String, limit: Int, errors: inout FieldErrors
    ) -> String {
        let text = normalized(value ?? "")
        if text.isEmpty {
            errors.add(field: field, code: "required", detail: "Vui lòng nhập \(label.lowercased()).")
        } else if text.count > limit {
            errors.add(field: field, code: "too_long", detail: "\(label) dài tối đa \(limit) ký tự.")
        }
        return text
    }

    private static func level(_ value: String?, errors: inout FieldErrors) -> ProcedureLevel? {
        guard let value, !value.isEmpty else {
            errors.add(field: "level", code: "required", detail: "Vui lòng chọn mức độ trực tuyến.")
            return nil
        }
        guard let level = ProcedureLevel(rawValue: value) else {
            errors.add(
                field: "level", code: "invalid_value",
                detail: "Mức độ phải là full (toàn trình), partial (một phần) hoặc in_person (trực tiếp).")
            return nil
        }
        return level
    }

    private static func processingDays(_ value: Int?, errors: inout FieldErrors) -> Int? {
        guard let value else {
            errors.add(field: "processingDays", code: "required", detail: "Vui lòng nhập thời hạn giải quyết.")
            return nil
        }
        guard (0...365).contains(value) else {
            errors.add(
                field: "processingDays", code: "out_of_range",
                detail: "Thời hạn giải quyết từ 0 (trong ngày) đến 365 ngày làm việc.")
            return nil
        }
        return value
    }

    private static func cutoff(_ value: String?, days: Int?, errors: inout FieldErrors) -> TimeOfDay? {
        guard let value else {
            if days == 0 {
                errors.add(
                    field: "sameDayCutoff", code: "required",
                    detail: "Thủ tục giải quyết trong ngày cần giờ tiếp nhận cuối (thường là 15:00).")
            }
            return nil
        }
        guard let time = TimeOfDay(parsing: value) else {
            errors.add(field: "sameDayCutoff", code: "invalid_format", detail: "Giờ phải có dạng HH:mm, ví dụ 15:00.")
            return nil
        }
        if let days, days > 0 {
            errors.add(
                field: "sameDayCutoff", code: "not_same_day",
                detail: "Chỉ thủ tục giải quyết trong ngày (0 ngày) mới có giờ tiếp nhận cuối.")
        }
        return time
    }

    private static func amount(_ value: Int64?, field: String, errors: inout FieldErrors) -> Money {
        let dong = value ?? 0
        if !(0...1_000_000_000).contains(dong) {
            errors.add(field: field, code: "out_of_range", detail: "Số tiền từ 0 đến 1.000.000.000 đ.")
        }
        return Money(dong: dong)
    }

    private static func components(
        _ value: [Procedure.Component]?, errors: inout FieldErrors
    ) -> [Procedure.Component] {
        guard let value, !value.isEmpty else {
            errors.add(field: "components", code: "required", detail: "Thủ tục cần ít nhất một thành phần hồ sơ.")
            return []
        }
        var seen: Set<String> = []
        return value.enumerated().map { index, component in
            let path = "components[\(index)]"
            if !isCode(component.code) {
                errors.add(
                    field: "\(path).code", code: "invalid_format",
                    detail:
                        "Mã thành phần gồm 1 đến 40 ký tự: chữ không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang.")
            } else if !seen.insert(component.code).inserted {
                errors.add(
                    field: "\(path).code", code: "duplicate", detail: "Mã thành phần \(component.code) bị lặp.")
            }
            let name = text(
                component.name, field: "\(path).name", label: "Tên thành phần", limit: 500, errors: &errors)
            return Procedure.Component(code: component.code, name: name, required: component.required)
        }
    }

    private static func normalized(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

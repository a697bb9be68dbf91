import Domain
import HTML
import ServiceKit

/// A procedure of the catalogue as a page's drop-down list offers it.
struct ProcedureChoice: Sendable {
    let code: String
    let name: String
    let field: String
    let level: ProcedureLevel

    /// The active procedures, by field then name (the list a receptionist or a citizen picks from).
    static func all(in tx: ScopedTransaction) async throws -> [ProcedureChoice] {
        try await tx.query("SELECT code, name, field, level FROM procedures WHERE active ORDER BY field, name").map {
            let (code, name, field, level) = try $0.decode(String.self, String.self, String.self, ProcedureLevel.self)
            return ProcedureChoice(code: code, name: name, field: field, level: level)
        }
    }

    /// The options of a procedure list, each labelled with its field (`Hộ tịch – Đăng ký khai sinh`),
    /// after a first option asking to choose.
    static func options(_ choices: [ProcedureChoice], prompt: String = "— Chọn thủ tục —") -> [SelectOption] {
        [SelectOption("", label: prompt)]
            + choices.map { SelectOption($0.code, label: "\(VietnameseFormat.capitalised($0.field)) – \($0.name)") }
    }
}

/// How much of a procedure can be done online (mức độ dịch vụ công trực tuyến).
public enum ProcedureLevel: String, Codable, Sendable, CaseIterable {
    /// Toàn trình: the whole procedure online.
    case full
    /// Một phần: partly online.
    case partial
    /// Trực tiếp: only in person.
    case inPerson = "in_person"
}

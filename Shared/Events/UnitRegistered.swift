import Foundation

/// `unit.registered`: a ward or commune this deployment serves was registered or renamed
/// (ARCHITECTURE §6), so the other services know its name.
public struct UnitRegistered: Event {
    public static let topic = "unit.registered"
    public static let version = 1
    public static let producers = ["intake"]
    public static let consumers = ["digitization", "payment", "communication", "reporting"]

    /// The unit's agency code, the prefix of its dossier codes (`H01.40.23`).
    public var code: String
    public var name: String
    public var provinceCode: String
    public var registeredAt: Date

    public init(code: String, name: String, provinceCode: String, registeredAt: Date) {
        self.code = code
        self.name = name
        self.provinceCode = provinceCode
        self.registeredAt = registeredAt
    }
}

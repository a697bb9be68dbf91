/// One choice of a drop-down list: the value sent and the Vietnamese text shown.
public struct SelectOption: Sendable, Equatable {
    /// What the form sends when this option is chosen.
    public var value: String
    /// What the person sees.
    public var label: String

    public init(_ value: String, label: String) {
        self.value = value
        self.label = label
    }
}

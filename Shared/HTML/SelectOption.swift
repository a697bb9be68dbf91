/// One choice of a drop-down list: the value sent and the Vietnamese text shown.
public struct SelectOption: Sendable, Equatable {
    public var value: String
    public var label: String

    public init(_ value: String, label: String) {
        self.value = value
        self.label = label
    }
}

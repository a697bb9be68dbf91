/// One entry of a service's navigation list: the text shown and the path it leads to.
public struct NavigationItem: Sendable, Equatable {
    /// The Vietnamese label, for example "Tiếp nhận hồ sơ".
    public var label: String
    /// The page's path, for example `/ho-so/tiep-nhan`.
    public var path: String

    public init(_ label: String, path: String) {
        self.label = label
        self.path = path
    }
}

/// How a citizen paid (KPI 4 counts the non-cash ones as online).
public enum PaymentChannel: String, Codable, Sendable, CaseIterable {
    /// The online payment gateway (national portal's payment platform).
    case gateway
    /// A bank transfer to the VietQR code printed on the slip.
    case vietQR = "vietqr"
    case cash

    /// Whether the payment counts as non-cash (thanh toán không dùng tiền mặt).
    public var isCashless: Bool { self != .cash }
}

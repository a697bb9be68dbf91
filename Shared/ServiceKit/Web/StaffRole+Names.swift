extension StaffRole {
    /// The role's name as staff know it, for messages and pages.
    public var vietnameseName: String {
        switch self {
        case .receptionist: "cán bộ tiếp nhận"
        case .handler: "cán bộ xử lý"
        case .leader: "lãnh đạo"
        case .statistician: "cán bộ thống kê"
        case .admin: "quản trị"
        case .provinceAdmin: "quản trị cấp tỉnh"
        case .provinceStatistician: "thống kê cấp tỉnh"
        }
    }
}

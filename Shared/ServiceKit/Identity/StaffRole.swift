/// What a staff member may do; a token carries one or more.
public enum StaffRole: String, Sendable, Hashable, Codable, CaseIterable {
    /// Cán bộ tiếp nhận: receives dossiers at the one-stop desk.
    case receptionist
    /// Cán bộ xử lý: handles a dossier in a specialised office.
    case handler
    /// Lãnh đạo: approves and signs results.
    case leader
    /// Cán bộ thống kê: reads the unit's reports.
    case statistician
    /// Quản trị: manages the unit's staff, procedures and calendar.
    case admin
    /// Quản trị cấp tỉnh: manages units across the province.
    case provinceAdmin = "province_admin"
    /// Thống kê cấp tỉnh: reads and compares every unit's reports.
    case provinceStatistician = "province_statistician"
}

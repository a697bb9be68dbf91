import Domain
import Foundation

/// How the pages and printed forms write dates, times, money and the dossier's vocabulary in
/// Vietnamese, always in Vietnam's time (ARCHITECTURE §3).
enum VietnameseFormat {
    /// `05/03/2026`.
    static func date(_ date: LocalDate) -> String {
        "\(twoDigits(date.day))/\(twoDigits(date.month))/\(date.year)"
    }

    /// `Thứ Sáu, 06/03/2026`: an appointment, so the citizen sees the day of the week.
    static func dayAndDate(_ date: LocalDate) -> String {
        let names = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"]
        return "\(names[(date.weekday - 1) % 7]), \(self.date(date))"
    }

    /// `ngày 05 tháng 3 năm 2026`, as a form's place and date line writes it.
    static func longDate(_ date: LocalDate) -> String {
        "ngày \(twoDigits(date.day)) tháng \(date.month) năm \(date.year)"
    }

    /// `08:05 05/03/2026`.
    static func dateTime(_ instant: Date) -> String {
        let time = VietnamTime(instant)
        return "\(clock(time)) \(date(time.date))"
    }

    /// `08 giờ 05 phút, ngày 05/03/2026`, as TT 01/2018's slips write a time of receipt.
    static func timeWords(_ instant: Date) -> String {
        let time = VietnamTime(instant)
        let minutes = time.secondsSinceMidnight / 60
        return "\(twoDigits(minutes / 60)) giờ \(twoDigits(minutes % 60)) phút, ngày \(date(time.date))"
    }

    /// The Vietnamese day of `instant`.
    static func day(_ instant: Date) -> LocalDate { VietnamTime(instant).date }

    /// `Trong hạn`, `Sắp đến hạn`, `Quá hạn`.
    static func deadline(_ state: DeadlineState) -> String {
        switch state {
        case .onTrack: "Trong hạn"
        case .dueSoon: "Sắp đến hạn"
        case .overdue: "Quá hạn"
        }
    }

    /// The stylesheet's deadline colour for `state`.
    static func deadlineClass(_ state: DeadlineState) -> String {
        switch state {
        case .onTrack: "on-time"
        case .dueSoon: "due-soon"
        case .overdue: "overdue"
        }
    }

    /// `Trực tiếp`, `Trực tuyến`, `Bưu chính công ích` (DOMAIN §2).
    static func channel(_ channel: DossierChannel) -> String {
        switch channel {
        case .counter: "Trực tiếp tại Bộ phận Một cửa"
        case .online: "Trực tuyến"
        case .post: "Qua dịch vụ bưu chính công ích"
        }
    }

    /// The status with a capital letter, as a heading or a table cell shows it.
    static func status(_ status: DossierStatus) -> String { capitalised(status.vietnameseName) }

    /// A timeline step's action as staff read it (`receive` and `submit` start a dossier's life).
    static func step(_ action: String) -> String {
        switch action {
        case "receive": "Tiếp nhận hồ sơ"
        case "submit": "Nộp hồ sơ trực tuyến"
        default: DossierAction(rawValue: action).map { capitalised($0.vietnameseName) } ?? action
        }
    }

    /// `text` with its first letter in upper case.
    static func capitalised(_ text: String) -> String {
        text.prefix(1).uppercased() + text.dropFirst()
    }

    private static func clock(_ time: VietnamTime) -> String {
        let minutes = time.secondsSinceMidnight / 60
        return "\(twoDigits(minutes / 60)):\(twoDigits(minutes % 60))"
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

extension WorkingCalendar {
    /// The seed of table `working_calendar`: the days off and make-up working days (ngày làm bù) of Vietnamese
    /// civil servants (cán bộ, công chức, viên chức) for 2025, 2026 and 2027.
    ///
    /// Holidays come from Bộ luật Lao động 2019 Art. 112 — 1/1; Tết Nguyên đán, 5 days; Giỗ Tổ Hùng Vương,
    /// 10/3 lunar; 30/4; 1/5; Quốc khánh 2/9 plus one adjacent day; a holiday on a weekend is compensated on
    /// the next working day (Art. 112(3)) — and the dates and swaps (hoán đổi) the government decides each year.
    /// Only days that change the Monday–Friday rule matter, but a holiday falling on a weekend is listed too
    /// when it explains a nghỉ bù. Entries not yet confirmed by an official notice are `provisional`: an admin
    /// confirms or corrects them in the table when the year's notice is published.
    ///
    /// Not included: 24/11, Ngày Văn hóa Việt Nam. Nghị quyết 80-NQ/TW (01/2026) chose it as a paid day off and
    /// Nghị quyết 30/NQ-CP (02/2026) tasks amending Art. 112 accordingly, but the Labour Code is not amended yet;
    /// add it as a holiday row once it is.
    public static let vietnam2025to2027 = try! WorkingCalendar(
        entries: vietnam2025 + vietnam2026 + vietnam2027, coveredYears: 2025...2027)

    /// 2025. Sources: Thông báo 6150/TB-LĐTBXH (11/2024) of Bộ LĐTBXH on the Prime Minister's decision: Tết Ất Tỵ
    /// off Sat 25/1–Sun 2/2 (26 tháng Chạp Giáp Thìn to mùng 5 Ất Tỵ), Quốc khánh off Sat 30/8–Tue 2/9; and Bộ
    /// LĐTBXH's announcement of the approved 30/4–1/5 swap: Fri 2/5 off, Sat 26/4 worked (off Wed 30/4–Sun 4/5).
    /// Giỗ Tổ (10/3 Ất Tỵ) is Mon 7/4; Tết Dương lịch is Wed 1/1, no swap.
    private static let vietnam2025: [CalendarEntry] = [
        .holiday("2025-01-01", "Tết Dương lịch"),
        .holiday("2025-01-27", "Tết Nguyên đán Ất Tỵ"),
        .holiday("2025-01-28", "Tết Nguyên đán Ất Tỵ"),
        .holiday("2025-01-29", "Tết Nguyên đán Ất Tỵ"),
        .holiday("2025-01-30", "Tết Nguyên đán Ất Tỵ"),
        .holiday("2025-01-31", "Tết Nguyên đán Ất Tỵ"),
        .holiday("2025-04-07", "Giỗ Tổ Hùng Vương (10/3 Ất Tỵ)"),
        .makeUp("2025-04-26", "Làm bù cho thứ Sáu 02/5/2025"),
        .holiday("2025-04-30", "Ngày Chiến thắng"),
        .holiday("2025-05-01", "Ngày Quốc tế Lao động"),
        .holiday("2025-05-02", "Nghỉ hoán đổi, làm bù thứ Bảy 26/4/2025"),
        .holiday("2025-09-01", "Quốc khánh (ngày liền kề)"),
        .holiday("2025-09-02", "Quốc khánh"),
    ]

    /// 2026. Sources: Tết Dương lịch — Công văn 12729/VPCP-KGVX (25/12/2025) and Bộ Nội vụ's notice of the same
    /// day: off Thu 1/1–Sun 4/1, Fri 2/1 swapped for Sat 10/1. Tết Bính Ngọ — the Prime Minister's approval of
    /// Bộ Nội vụ's proposal (10/2025): off Sat 14/2–Sun 22/2, holidays Mon 16/2–Fri 20/2 (29 tháng Chạp Ất Tỵ to
    /// mùng 4 Bính Ngọ). Giỗ Tổ (10/3 Bính Ngọ) is Sun 26/4, compensated Mon 27/4; 30/4 and 1/5 are Thu and Fri
    /// (Art. 112). Quốc khánh: Tue 1/9 and Wed 2/9; Bộ Nội vụ proposed (10/2025, with Tết) swapping Mon 31/8 for
    /// Sat 22/8, off Sat 29/8–Wed 2/9 — the approval text was not seen, so that swap is provisional.
    private static let vietnam2026: [CalendarEntry] = [
        .holiday("2026-01-01", "Tết Dương lịch"),
        .holiday("2026-01-02", "Nghỉ hoán đổi, làm bù thứ Bảy 10/01/2026"),
        .makeUp("2026-01-10", "Làm bù cho thứ Sáu 02/01/2026"),
        .holiday("2026-02-16", "Tết Nguyên đán Bính Ngọ"),
        .holiday("2026-02-17", "Tết Nguyên đán Bính Ngọ"),
        .holiday("2026-02-18", "Tết Nguyên đán Bính Ngọ"),
        .holiday("2026-02-19", "Tết Nguyên đán Bính Ngọ"),
        .holiday("2026-02-20", "Tết Nguyên đán Bính Ngọ"),
        .holiday("2026-04-26", "Giỗ Tổ Hùng Vương (10/3 Bính Ngọ, Chủ nhật)"),
        .holiday("2026-04-27", "Nghỉ bù Giỗ Tổ Hùng Vương"),
        .holiday("2026-04-30", "Ngày Chiến thắng"),
        .holiday("2026-05-01", "Ngày Quốc tế Lao động"),
        .makeUp("2026-08-22", "Làm bù cho thứ Hai 31/8/2026 (dự kiến)", provisional: true),
        .holiday("2026-08-31", "Nghỉ hoán đổi, làm bù thứ Bảy 22/8/2026 (dự kiến)", provisional: true),
        .holiday("2026-09-01", "Quốc khánh (ngày liền kề)"),
        .holiday("2026-09-02", "Quốc khánh"),
    ]

    /// 2027, all provisional: no official notice yet, so the days are derived from Art. 112 and precedent, and
    /// the year's notice may move them or add swaps. Tết Đinh Mùi (mùng 1 = Sat 6/2/2027) follows 2024, whose
    /// mùng 1 was also a Saturday (off Thu 29 Tết to Wed mùng 5): holidays Thu 4/2, Fri 5/2, Mon 8/2–Wed 10/2.
    /// Giỗ Tổ (10/3 Đinh Mùi) is Fri 16/4. 1/5 is a Saturday, compensated Mon 3/5. Quốc khánh Thu 2/9 takes
    /// Fri 3/9 as its adjacent day, as in 2021.
    private static let vietnam2027: [CalendarEntry] = [
        ("2027-01-01", "Tết Dương lịch"),
        ("2027-02-04", "Tết Nguyên đán Đinh Mùi"),
        ("2027-02-05", "Tết Nguyên đán Đinh Mùi"),
        ("2027-02-08", "Tết Nguyên đán Đinh Mùi"),
        ("2027-02-09", "Tết Nguyên đán Đinh Mùi"),
        ("2027-02-10", "Tết Nguyên đán Đinh Mùi"),
        ("2027-04-16", "Giỗ Tổ Hùng Vương (10/3 Đinh Mùi)"),
        ("2027-04-30", "Ngày Chiến thắng"),
        ("2027-05-01", "Ngày Quốc tế Lao động (thứ Bảy)"),
        ("2027-05-03", "Nghỉ bù Ngày Quốc tế Lao động"),
        ("2027-09-02", "Quốc khánh"),
        ("2027-09-03", "Quốc khánh (ngày liền kề)"),
    ].map { CalendarEntry.holiday($0.0, "\($0.1) (dự kiến)", provisional: true) }
}

extension CalendarEntry {
    /// A holiday on the `yyyy-mm-dd` date `iso`; seed data only (a typo traps at start-up and in the tests).
    fileprivate static func holiday(_ iso: String, _ name: String, provisional: Bool = false) -> CalendarEntry {
        CalendarEntry(date: LocalDate(iso: iso)!, kind: .holiday, name: name, provisional: provisional)
    }

    /// A make-up working day on the `yyyy-mm-dd` date `iso`; seed data only.
    fileprivate static func makeUp(_ iso: String, _ name: String, provisional: Bool = false) -> CalendarEntry {
        CalendarEntry(date: LocalDate(iso: iso)!, kind: .makeUpWorkingDay, name: name, provisional: provisional)
    }
}

/// Vietnamese letters folded to unaccented lowercase ASCII (`Đăng ký` → `dang ky`), as two strings
/// for PostgreSQL's `translate(text, from, to)`: catalogue search matches with or without diacritics.
///
/// The `unaccent` extension would do it, but the service's role cannot create extensions. Both cases
/// of every accented letter are listed, so folding does not depend on the database's locale
/// (`lower()` is then needed for ASCII only).
enum VietnameseFolding {
    /// Every accented Vietnamese letter, lower and upper case.
    static let from: String = pairs.map(\.accented).joined()
    /// The unaccented lowercase letter for each character of `from`, position by position.
    static let to: String = pairs.map(\.plain).joined()

    private static let pairs: [(accented: String, plain: String)] = [
        ("a", "àáảãạăằắẳẵặâầấẩẫậ"), ("e", "èéẻẽẹêềếểễệ"), ("i", "ìíỉĩị"), ("o", "òóỏõọôồốổỗộơờớởỡợ"),
        ("u", "ùúủũụưừứửữự"), ("y", "ỳýỷỹỵ"), ("d", "đ"),
    ].map { base, lower in
        let accented = lower + lower.uppercased()
        return (accented, String(repeating: base, count: accented.count))
    }
}

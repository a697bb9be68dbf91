import Domain
import Postgres

/// The demo catalogue: real ward-level procedures from CATALOGUE.md, inserted by migration 5 as
/// one bound JSON parameter and marked `demo` for an admin to check against the province's list.
/// Frozen once landed (the migration's checksum covers it): corrections are new migrations.
///
/// Codes: the national codes CATALOGUE.md gives (2.000908, 1.000894, 1.004859, 2.000635); 1.001193
/// and 2.000815 kept from the first placeholder rows, unverified; every other row has a stable
/// local code `L.<field>.<nn>` until an admin enters the national one (as a new procedure: codes
/// do not change). Amounts a provincial council (HĐND tỉnh) sets are 0 with a note in the legal
/// basis, and what CATALOGUE.md marks unconfirmed is flagged "chưa xác minh" there too. Where the
/// law counts plain days ("ngày") the number is kept as written and the legal basis says so.
enum ProcedureSeed {
    static var step: Migration.DataStep {
        Migration.DataStep(
            """
            INSERT INTO procedures (code, name, field, level, processing_days, same_day_cutoff, fee, charge,
                                    electronic_result, reuse_eligible, legal_basis, components, demo, updated_at)
            SELECT code, name, field, level, "processingDays", "sameDayCutoff"::time, fee, charge,
                   "electronicResult", "reuseEligible", "legalBasis", components, true, now()
            FROM jsonb_to_recordset($1::jsonb) AS seed(
                code text, name text, field text, level text, "processingDays" int, "sameDayCutoff" text, fee bigint,
                charge bigint, "electronicResult" boolean, "reuseEligible" boolean, "legalBasis" text, components jsonb)
            """,
            [JSONB(rows)])
    }

    private static let hoTich = "Hộ tịch"
    private static let chungThuc = "Chứng thực"
    private static let baoTro = "Bảo trợ xã hội"
    private static let coCong = "Người có công"
    private static let kinhDoanh = "Kinh doanh"
    private static let datDai = "Đất đai"
    private static let xayDung = "Xây dựng"
    private static let thiDua = "Thi đua khen thưởng"
    private static let conNuoi = "Nuôi con nuôi"

    /// The charge (lệ phí) a provincial council sets: no amount found, so 0 until the admin enters it.
    private static let provincialCharge =
        "Lệ phí do HĐND tỉnh quy định (danh mục TT 250/2016/TT-BTC, TT 85/2019/TT-BTC): nhập mức của tỉnh."
    /// Hộ tịch exemptions common to every row of the field.
    private static let hoTichExempt =
        "Miễn lệ phí cho gia đình người có công, hộ nghèo, người khuyết tật (Luật Hộ tịch, Điều 11)."

    static let rows: [ProcedureDraft] = [
        // Chứng thực (NĐ 23/2015/NĐ-CP; phí TT 226/2016/TT-BTC).
        row(
            "L.CT.01", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", chungThuc, .partial, days: 0, fee: 2_000,
            electronic: false, reuse: false,
            basis:
                "NĐ 23/2015/NĐ-CP, Điều 7, 21 (nhiều trang, nhiều bản: thêm tối đa 2 ngày làm việc); TT 226/2016/TT-BTC, Điều 4: 2.000 đ/trang, từ trang thứ ba 1.000 đ/trang, tối đa 200.000 đ/bản, tính theo số trang của bản chính. Mức độ trực tuyến: chưa xác minh.",
            [("BC", "Bản chính giấy tờ, văn bản", true), ("BS", "Bản sao cần chứng thực", true)]),
        row(
            "L.CT.02", "Chứng thực chữ ký trong giấy tờ, văn bản (kể cả điểm chỉ)", chungThuc, .inPerson, days: 0,
            fee: 10_000, electronic: false, reuse: false,
            basis:
                "NĐ 23/2015/NĐ-CP, Điều 7, 24; TT 226/2016/TT-BTC: 10.000 đ/trường hợp (một hoặc nhiều chữ ký trên một giấy tờ). Người yêu cầu ký trước mặt người thực hiện chứng thực.",
            [("GTTT", "Giấy tờ tùy thân của người yêu cầu chứng thực", true), ("VB", "Giấy tờ, văn bản sẽ ký", true)]),
        row(
            "L.CT.03", "Chứng thực chữ ký người dịch", chungThuc, .inPerson, days: 0, fee: 10_000, electronic: false,
            reuse: false,
            basis:
                "NĐ 23/2015/NĐ-CP, Điều 7, 31; TT 226/2016/TT-BTC: 10.000 đ/trường hợp (áp dụng mức chứng thực chữ ký: chưa xác minh).",
            [
                ("BD", "Bản dịch", true), ("BG", "Giấy tờ, văn bản cần dịch", true),
                ("GTTT", "Giấy tờ tùy thân của người dịch", true),
                ("BCAP", "Bằng cấp ngoại ngữ của người dịch (nếu không là cộng tác viên dịch thuật)", false),
            ]),
        row(
            "2.000815", "Chứng thực hợp đồng, giao dịch liên quan đến động sản", chungThuc, .inPerson, days: 2,
            fee: 50_000, electronic: false, reuse: false,
            basis: "NĐ 23/2015/NĐ-CP, Điều 37; TT 226/2016/TT-BTC: 50.000 đ/hợp đồng. Mã TTHC quốc gia chưa xác minh.",
            [("DHD", "Dự thảo hợp đồng, giao dịch", true), ("GTTT", "Giấy tờ tùy thân của người yêu cầu", true)]),
        row(
            "L.CT.05", "Chứng thực hợp đồng, giao dịch liên quan đến quyền sử dụng đất, nhà ở", chungThuc,
            .inPerson, days: 2, fee: 50_000, electronic: false, reuse: false,
            basis: "NĐ 23/2015/NĐ-CP, Điều 37; TT 226/2016/TT-BTC: 50.000 đ/hợp đồng.",
            [
                ("DHD", "Dự thảo hợp đồng, giao dịch", true), ("GTTT", "Giấy tờ tùy thân của các bên", true),
                ("GCN", "Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở", true),
            ]),
        row(
            "L.CT.06", "Chứng thực việc sửa đổi, bổ sung, hủy bỏ hợp đồng, giao dịch", chungThuc, .inPerson, days: 2,
            fee: 30_000, electronic: false, reuse: false,
            basis: "NĐ 23/2015/NĐ-CP, Điều 37; TT 226/2016/TT-BTC: 30.000 đ/hợp đồng, giao dịch.",
            [
                ("VBSD", "Dự thảo văn bản sửa đổi, bổ sung, hủy bỏ", true),
                ("HD", "Hợp đồng, giao dịch đã được chứng thực", true), ("GTTT", "Giấy tờ tùy thân của các bên", true),
            ]),
        row(
            "L.CT.07", "Chứng thực di chúc", chungThuc, .inPerson, days: 2, fee: 50_000, electronic: false,
            reuse: false,
            basis:
                "NĐ 23/2015/NĐ-CP (thời hạn theo Điều 37: chưa xác minh); phí 50.000 đ tính như giao dịch (chưa xác minh).",
            [
                ("DT", "Dự thảo di chúc", true), ("GTTT", "Giấy tờ tùy thân của người lập di chúc", true),
                ("GTTS", "Giấy tờ về tài sản để lại (nếu có)", false),
            ]),
        row(
            "L.CT.08", "Chứng thực văn bản thỏa thuận phân chia di sản", chungThuc, .inPerson, days: 2, fee: 50_000,
            electronic: false, reuse: false,
            basis:
                "NĐ 23/2015/NĐ-CP, Điều 40 (thời hạn theo Điều 37: chưa xác minh); phí 50.000 đ tính như giao dịch (chưa xác minh).",
            [
                ("DTVB", "Dự thảo văn bản thỏa thuận phân chia di sản", true),
                ("GTTT", "Giấy tờ tùy thân của những người thừa kế", true),
                ("GTDS", "Giấy tờ chứng minh quyền sở hữu, sử dụng di sản", true),
                ("GCT", "Giấy chứng tử hoặc trích lục khai tử của người để lại di sản", true),
            ]),
        row(
            "L.CT.09", "Chứng thực văn bản khai nhận di sản", chungThuc, .inPerson, days: 2, fee: 50_000,
            electronic: false, reuse: false,
            basis:
                "NĐ 23/2015/NĐ-CP, Điều 40 (thời hạn theo Điều 37: chưa xác minh); phí 50.000 đ tính như giao dịch (chưa xác minh).",
            [
                ("DTVB", "Dự thảo văn bản khai nhận di sản", true),
                ("GTTT", "Giấy tờ tùy thân của người khai nhận", true),
                ("GTDS", "Giấy tờ chứng minh quyền sở hữu, sử dụng di sản", true),
                ("GCT", "Giấy chứng tử hoặc trích lục khai tử của người để lại di sản", true),
            ]),
        row(
            "L.CT.10", "Chứng thực văn bản từ chối nhận di sản", chungThuc, .inPerson, days: 2, fee: 50_000,
            electronic: false, reuse: false,
            basis:
                "NĐ 23/2015/NĐ-CP (thời hạn theo Điều 37: chưa xác minh); phí 50.000 đ tính như giao dịch (chưa xác minh).",
            [
                ("DTVB", "Dự thảo văn bản từ chối nhận di sản", true),
                ("GTTT", "Giấy tờ tùy thân của người từ chối", true),
            ]),
        row(
            "2.000908", "Cấp bản sao từ sổ gốc", chungThuc, .partial, days: 0, electronic: false, reuse: false,
            basis:
                "NĐ 23/2015/NĐ-CP, Điều 7, 16; không thu phí (QĐ 663/QĐ-TTPVHCC của Hà Nội). Nộp trực tiếp, qua bưu chính hoặc trực tuyến.",
            [
                ("DN", "Đơn đề nghị cấp bản sao từ sổ gốc", true),
                ("UQ", "Văn bản ủy quyền (nếu người khác yêu cầu thay)", false),
            ]),

        // Hộ tịch (Luật Hộ tịch 60/2014/QH13, NĐ 123/2015/NĐ-CP; giấy tờ tùy thân được xuất trình, không nộp).
        row(
            "1.001193", "Đăng ký khai sinh", hoTich, .full, days: 0, electronic: true, reuse: true,
            basis:
                "Luật Hộ tịch 2014, Điều 11, 15, 16; NĐ 123/2015/NĐ-CP; NĐ 07/2025/NĐ-CP (không yêu cầu giấy chứng nhận kết hôn của cha mẹ). Miễn lệ phí nếu đăng ký trong 60 ngày kể từ ngày sinh; quá hạn: \(provincialCharge) Mã TTHC quốc gia chưa xác minh.",
            [
                ("TK", "Tờ khai đăng ký khai sinh", true),
                ("GCS", "Giấy chứng sinh (hoặc văn bản của người làm chứng, giấy cam đoan về việc sinh)", true),
            ]),
        row(
            "L.HT.02", "Liên thông đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
            hoTich, .full, days: 15, electronic: true, reuse: true,
            basis:
                "TTLT 05/2015 (thời hạn 15 ngày làm việc; cộng 2 ngày nếu bổ sung, 5 ngày nếu ở xa; quy định mới chưa xác minh). Miễn lệ phí. Mức độ toàn trình: chưa xác minh.",
            [
                ("TKLT", "Tờ khai liên thông", true), ("GCS", "Giấy chứng sinh", true),
                ("CT01", "Tờ khai thay đổi thông tin cư trú (mẫu CT01)", true),
            ]),
        row(
            "1.000894", "Đăng ký kết hôn", hoTich, .full, days: 0, electronic: true, reuse: true,
            basis:
                "Luật Hộ tịch 2014, Điều 11, 17, 18 (cần xác minh: tối đa 5 ngày làm việc); NĐ 123/2015/NĐ-CP. Miễn lệ phí; bản sao trích lục 8.000 đ. Hai bên có mặt khi ký.",
            [
                ("TK", "Tờ khai đăng ký kết hôn", true),
                ("CT", "Giấy tờ chứng minh nơi cư trú (nếu không có trong Cơ sở dữ liệu quốc gia về dân cư)", false),
            ]),
        row(
            "L.HT.04", "Đăng ký kết hôn có yếu tố nước ngoài", hoTich, .partial, days: 15, electronic: false,
            reuse: true,
            basis:
                "Luật Hộ tịch 2014, Điều 38 (15 ngày; văn bản còn ghi cấp huyện, nay cấp xã theo NĐ 120/2025/NĐ-CP); \(provincialCharge) Mức độ trực tuyến: chưa xác minh.",
            [
                ("TK", "Tờ khai đăng ký kết hôn", true),
                ("GKSK", "Giấy xác nhận của tổ chức y tế về khả năng nhận thức và làm chủ hành vi", true),
                ("XNHN", "Giấy tờ chứng minh tình trạng hôn nhân", true),
                ("HC", "Bản sao hộ chiếu hoặc giấy tờ có giá trị thay hộ chiếu", true),
            ]),
        row(
            "L.HT.05", "Đăng ký khai tử", hoTich, .full, days: 0, electronic: true, reuse: true,
            basis:
                "Luật Hộ tịch 2014, Điều 11, 33, 34: khai tử trong 15 ngày kể từ ngày chết; miễn lệ phí nếu đúng hạn. Mức độ toàn trình: chưa xác minh.",
            [
                ("TK", "Tờ khai đăng ký khai tử", true),
                ("GBT", "Giấy báo tử hoặc giấy tờ thay giấy báo tử", true),
            ]),
        row(
            "L.HT.06", "Liên thông đăng ký khai tử, xóa đăng ký thường trú, hưởng chế độ mai táng phí, tử tuất",
            hoTich, .full, days: 15, electronic: true, reuse: true,
            basis: "Thời hạn 15 ngày làm việc: chưa xác minh. Miễn lệ phí. Mức độ toàn trình: chưa xác minh.",
            [("TKLT", "Tờ khai liên thông", true), ("GBT", "Giấy báo tử hoặc giấy tờ thay giấy báo tử", true)]),
        row(
            "L.HT.07", "Đăng ký giám hộ", hoTich, .partial, days: 3, electronic: false, reuse: true,
            basis: "Luật Hộ tịch 2014, Điều 11, 20; miễn lệ phí. Mức độ trực tuyến: chưa xác minh.",
            [("TK", "Tờ khai đăng ký giám hộ", true), ("VBCGH", "Văn bản cử người giám hộ", true)]),
        row(
            "L.HT.08", "Đăng ký chấm dứt giám hộ", hoTich, .partial, days: 2, electronic: false, reuse: true,
            basis:
                "Luật Hộ tịch 2014, Điều 22; miễn lệ phí (danh mục TT 250/2016/TT-BTC). Mức độ trực tuyến: chưa xác minh.",
            [
                ("TK", "Tờ khai đăng ký chấm dứt giám hộ", true),
                ("CC", "Giấy tờ chứng minh điều kiện chấm dứt giám hộ", true),
            ]),
        row(
            "L.HT.09", "Đăng ký nhận cha, mẹ, con", hoTich, .partial, days: 3, electronic: false, reuse: true,
            basis:
                "Luật Hộ tịch 2014, Điều 25 (cần xác minh: thêm tối đa 5 ngày làm việc); \(provincialCharge) \(hoTichExempt)",
            [
                ("TK", "Tờ khai đăng ký nhận cha, mẹ, con", true),
                ("CC", "Chứng cứ chứng minh quan hệ cha, mẹ, con (văn bản giám định ADN hoặc giấy tờ khác)", true),
            ]),
        row(
            "1.004859", "Thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc", hoTich, .partial,
            days: 3, electronic: false, reuse: true,
            basis:
                "Luật Hộ tịch 2014, Điều 28 (cần xác minh: thêm tối đa 3 ngày làm việc), Điều 29 (bổ sung: giải quyết ngay); \(provincialCharge) \(hoTichExempt)",
            [
                ("TK", "Tờ khai đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", true),
                ("GT", "Giấy tờ làm căn cứ thay đổi, cải chính, bổ sung", true),
            ]),
        row(
            "L.HT.11", "Cấp Giấy xác nhận tình trạng hôn nhân", hoTich, .full, days: 3, electronic: true, reuse: true,
            basis: "NĐ 123/2015/NĐ-CP (cần xác minh: tối đa 23 ngày); \(provincialCharge) \(hoTichExempt)",
            [
                ("TK", "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", true),
                ("LH", "Giấy tờ chứng minh đã ly hôn hoặc người kia đã chết (nếu đã có vợ, chồng)", false),
                ("GXN", "Giấy xác nhận tình trạng hôn nhân đã cấp (nếu xin cấp lại)", false),
            ]),
        row(
            "2.000635", "Cấp bản sao trích lục hộ tịch", hoTich, .full, days: 0, fee: 8_000, electronic: true,
            reuse: true,
            basis:
                "TT 281/2016/TT-BTC, Điều 4: 8.000 đ/bản sao/sự kiện hộ tịch; miễn cho người có công, hộ nghèo, người khuyết tật.",
            [
                ("TK", "Tờ khai cấp bản sao trích lục hộ tịch", true),
                ("UQ", "Văn bản ủy quyền (nếu người khác yêu cầu thay)", false),
            ]),
        row(
            "L.HT.13", "Đăng ký lại khai sinh", hoTich, .partial, days: 5, electronic: false, reuse: true,
            basis:
                "NĐ 123/2015/NĐ-CP, Điều 26 (thời hạn 5 ngày làm việc: chưa xác minh); \(provincialCharge) \(hoTichExempt)",
            [
                ("TK", "Tờ khai đăng ký lại khai sinh", true),
                ("GT", "Bản sao giấy khai sinh cũ hoặc giấy tờ có thông tin khai sinh", true),
            ]),
        row(
            "L.HT.14", "Đăng ký lại kết hôn", hoTich, .partial, days: 5, electronic: false, reuse: true,
            basis:
                "NĐ 123/2015/NĐ-CP, Điều 27 (thời hạn 5 ngày làm việc: chưa xác minh); \(provincialCharge) \(hoTichExempt)",
            [
                ("TK", "Tờ khai đăng ký lại kết hôn", true),
                ("GT", "Bản sao giấy chứng nhận kết hôn cũ hoặc giấy tờ có thông tin kết hôn", true),
            ]),
        row(
            "L.HT.15", "Đăng ký lại khai tử", hoTich, .partial, days: 5, electronic: false, reuse: true,
            basis:
                "NĐ 123/2015/NĐ-CP, Điều 28 (thời hạn 5 ngày làm việc: chưa xác minh); \(provincialCharge) \(hoTichExempt)",
            [
                ("TK", "Tờ khai đăng ký lại khai tử", true),
                ("GT", "Bản sao giấy chứng tử cũ hoặc giấy tờ có thông tin khai tử", true),
            ]),

        // Nuôi con nuôi.
        row(
            "L.NCN.01", "Đăng ký nuôi con nuôi trong nước", conNuoi, .partial, days: 30, charge: 400_000,
            electronic: false, reuse: true,
            basis:
                "Luật Nuôi con nuôi 2010 (luật tính 30 ngày; chưa xác minh); NĐ 114/2016/NĐ-CP, Điều 6: lệ phí 400.000 đ/trường hợp. Mức độ trực tuyến: chưa xác minh.",
            [
                ("DN", "Đơn xin nhận con nuôi", true), ("GKS", "Giấy khai sinh của trẻ em", true),
                ("GKSK", "Giấy khám sức khỏe của trẻ em và người nhận con nuôi", true),
                ("LLTP", "Phiếu lý lịch tư pháp của người nhận con nuôi", true),
                ("HN", "Văn bản xác nhận tình trạng hôn nhân của người nhận con nuôi", true),
                ("DY", "Văn bản đồng ý của cha mẹ đẻ hoặc người giám hộ của trẻ em", true),
            ]),

        // Bảo trợ xã hội (NĐ 20/2021/NĐ-CP) and người có công.
        row(
            "L.BTXH.01", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng", baoTro, .partial, days: 12,
            electronic: false, reuse: true,
            basis:
                "NĐ 20/2021/NĐ-CP, Điều 8: cấp xã xét duyệt 7 ngày làm việc, niêm yết 2 ngày, 3 ngày trình; từ 01/7/2025 Chủ tịch UBND xã quyết định, thời hạn mới chưa xác minh. Không thu phí.",
            [
                ("TK", "Tờ khai đề nghị trợ giúp xã hội (mẫu NĐ 20/2021/NĐ-CP)", true),
                ("XN", "Giấy tờ chứng minh đối tượng (giấy xác nhận khuyết tật, tuổi…)", true),
            ]),
        row(
            "L.BTXH.02", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", baoTro, .partial, days: 5,
            electronic: false, reuse: true,
            basis:
                "NĐ 20/2021/NĐ-CP, Điều 11: cấp xã 2 ngày làm việc, phòng chuyên môn 3 ngày; thời hạn sau 01/7/2025 chưa xác minh. Không thu phí. Mức độ trực tuyến: chưa xác minh.",
            [
                ("TK", "Tờ khai đề nghị hỗ trợ chi phí mai táng", true),
                ("GCT", "Giấy chứng tử hoặc trích lục khai tử", true),
            ]),
        row(
            "L.NCC.01", "Giải quyết trợ cấp mai táng đối với người có công với cách mạng", coCong, .partial, days: 10,
            electronic: false, reuse: true,
            basis:
                "Tiếp nhận tại cấp xã; thời hạn 10 ngày làm việc và mức độ trực tuyến: chưa xác minh. Không thu phí.",
            [
                ("BK", "Bản khai đề nghị hưởng trợ cấp mai táng", true),
                ("TLKT", "Trích lục khai tử hoặc giấy chứng tử", true),
            ]),

        // Kinh doanh, thi đua khen thưởng, đất đai, xây dựng.
        row(
            "L.KD.01", "Đăng ký thành lập hộ kinh doanh", kinhDoanh, .full, days: 3, electronic: true, reuse: true,
            basis:
                "NĐ 01/2021/NĐ-CP, Điều 87, nay NĐ 168/2025/NĐ-CP (3 ngày làm việc: chưa xác minh); \(provincialCharge)",
            [
                ("GDN", "Giấy đề nghị đăng ký hộ kinh doanh", true),
                ("TV", "Danh sách thành viên hộ gia đình đăng ký hộ kinh doanh (nếu có)", false),
                ("BB", "Biên bản họp thành viên hộ gia đình về việc thành lập hộ kinh doanh (nếu có)", false),
            ]),
        row(
            "L.TDKT.01", "Tặng Giấy khen của Chủ tịch UBND xã", thiDua, .partial, days: 20, electronic: false,
            reuse: false,
            basis: "NĐ 98/2023/NĐ-CP (thời hạn 20 ngày làm việc và thay đổi sau 2025: chưa xác minh). Không thu phí.",
            [("TT", "Tờ trình đề nghị khen thưởng", true), ("BC", "Báo cáo thành tích", true)]),
        row(
            "L.DD.01", "Hòa giải tranh chấp đất đai", datDai, .inPerson, days: 30, electronic: false, reuse: false,
            basis: "Luật Đất đai 2024, Điều 235 (luật tính tối đa 30 ngày; chưa xác minh). Không thu phí.",
            [("DON", "Đơn yêu cầu hòa giải tranh chấp đất đai", true)]),
        row(
            "L.XD.01", "Cấp giấy phép xây dựng nhà ở riêng lẻ", xayDung, .partial, days: 15, electronic: false,
            reuse: true,
            basis:
                "Luật Xây dựng (luật tính 15 ngày; chuyển về cấp xã từ 01/7/2025: chưa xác minh); \(provincialCharge)",
            [
                ("DON", "Đơn đề nghị cấp giấy phép xây dựng", true),
                ("GCN", "Bản sao giấy tờ chứng minh quyền sử dụng đất", true),
                ("BV", "Bản vẽ thiết kế xây dựng", true),
            ]),
    ]

    /// One seed row; a same-day procedure (0 days) gets the 15:00 cut-off.
    private static func row(
        _ code: String, _ name: String, _ field: String, _ level: ProcedureLevel, days: Int, fee: Int64 = 0,
        charge: Int64 = 0, electronic: Bool, reuse: Bool, basis: String, _ components: [(String, String, Bool)]
    ) -> ProcedureDraft {
        ProcedureDraft(
            code: code, name: name, field: field, level: level.rawValue, processingDays: days,
            sameDayCutoff: days == 0 ? TimeOfDay.sameDayCutoff.description : nil, fee: fee, charge: charge,
            electronicResult: electronic, reuseEligible: reuse, legalBasis: basis,
            components: components.map { Procedure.Component(code: $0.0, name: $0.1, required: $0.2) })
    }
}

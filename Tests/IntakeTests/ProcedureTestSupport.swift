import Foundation
import HTTP
import Intake
import ServiceTestSupport
import Testing

/// A page of `GET /api/procedures`.
struct PageOfProcedures: Decodable {
    let items: [Procedure]
    let nextCursor: String?
}

let admin = TestPrincipal.staff(.admin, id: "qt-01")
let provinceAdmin = TestPrincipal.province(.provinceAdmin, id: "qt-tinh-01")

/// The fields the brief lists, in which the seed has procedures.
let seededFields: Set<String> = [
    "Hộ tịch", "Chứng thực", "Bảo trợ xã hội", "Người có công", "Kinh doanh", "Đất đai", "Xây dựng",
    "Thi đua khen thưởng", "Nuôi con nuôi",
]

extension ServiceHarness<IntakeService> {
    /// Every procedure `GET /api/procedures` lists for `query` (`q=…&field=…`, without `?`), read
    /// page after page of `limit` without a token, with the number of pages it took.
    func procedures(query: String = "", limit: Int = 200) async throws -> (items: [Procedure], pages: Int) {
        var items: [Procedure] = []
        var pages = 0
        var cursor: String?
        repeat {
            var parameters = ["limit=\(limit)"] + (query.isEmpty ? [] : [query])
            if let cursor { parameters.append("cursor=\(cursor)") }
            let response = await request("GET", "/api/procedures?" + parameters.joined(separator: "&"))
            guard response.status == 200 else { throw ProcedureListFailed(status: response.status) }
            let page = try response.decoded(PageOfProcedures.self)
            #expect(page.items.count <= limit)
            items += page.items
            pages += 1
            cursor = page.nextCursor
        } while cursor != nil
        return (items, pages)
    }

    /// `GET /api/procedures/{code}` without a token.
    func procedure(_ code: String) async throws -> Procedure {
        try await request("GET", "/api/procedures/\(code)").decoded()
    }
}

/// A list request answered other than 200.
struct ProcedureListFailed: Error {
    let status: Int
}

/// `name=value` for a query string, the value percent-encoded (Vietnamese letters, spaces).
func queryItem(_ name: String, _ value: String) -> String {
    name + "=" + (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)
}

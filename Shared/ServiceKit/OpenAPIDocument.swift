import Foundation
import HTTP

/// A service's OpenAPI 3.1 description (`deploy/openapi/<service>.yaml`), served at
/// `/openapi.yaml` as it is on disk: read at start, so the file in the deployment is the one served.
struct OpenAPIDocument: Sendable {
    static let path = "/openapi.yaml"

    private let text: String?
    private let file: String

    init(service: String, directory: String) {
        file = directory + "/" + service + ".yaml"
        text = try? String(contentsOfFile: file, encoding: .utf8)
    }

    func response(for request: Request) throws(ProblemError) -> Response {
        guard let text else {
            throw ProblemError.notFound(
                code: "openapi_unavailable",
                detail: "Không tìm thấy tài liệu OpenAPI của dịch vụ (\(file)); đặt MOTCUA_OPENAPI_DIR.")
        }
        return .text(text, contentType: "application/yaml; charset=utf-8")
    }
}

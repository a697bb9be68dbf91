import Foundation
import HTTP
import Intake
import ServiceTestSupport
import Testing

/// `/openapi.yaml`: the file in deploy/openapi, served as it is, describing every JSON endpoint.
@Suite struct OpenAPITests {
    @Test func intakeServesItsOpenAPIDescriptionListingItsJSONEndpoints() async throws {
        try await withIntake { harness async throws in
            let response = await harness.request("GET", "/openapi.yaml")
            #expect(response.status == 200)
            #expect(response.headers["Content-Type"]?.hasPrefix("application/yaml") == true)
            let text = String(decoding: response.body, as: UTF8.self)
            #expect(text.hasPrefix("openapi: 3.1"))
            for path in [
                "/api/auth/login:", "/api/auth/refresh:", "/api/auth/logout:", "/api/units:", "/api/units/{code}:",
                "/api/units/{code}/close:", "/api/procedures/{code}/offered:",
                "/api/staff:", "/api/staff/{id}/disable:", "/api/staff/{id}/reset-password:", "/api/procedures:",
                "/api/procedures/{code}:", "/api/dossiers:", "/api/dossiers/{code}:", "/api/dossiers/{code}/{action}:",
                "/api/public/dossiers:", "/api/public/dossiers/{code}:", "/api/public/dossiers/{code}/rating:",
            ] {
                #expect(text.contains("\n  \(path)\n"), "\(path) is not described")
            }
        }
    }
}

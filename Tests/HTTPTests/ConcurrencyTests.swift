import HTTPTestSupport
import HTTP
import Testing

/// Handlers run on Swift concurrency, not on libmicrohttpd's few threads.
@Suite struct ConcurrencyTests {
    @Test func twoHundredSlowRequestsOverFourThreadsRunConcurrently() async throws {
        let router = Router<Void>()
        router.get("/slow/:index") { request, _ in
            try await Task.sleep(for: .milliseconds(50))
            return .text(request.parameters["index"] ?? "")
        }
        try await withServer(router) { server in
            let clock = ContinuousClock()
            let start = clock.now
            let answers = try await withThrowingTaskGroup(of: (Int, ClientResponse).self) { group in
                for index in 0..<200 {
                    group.addTask { (index, try await server.get("/slow/\(index)")) }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            let elapsed = clock.now - start
            print("200 concurrent requests to a 50 ms handler took \(elapsed)")
            #expect(answers.count == 200)
            #expect(answers.allSatisfy { index, response in response.status == 200 && response.text == "\(index)" })
            // A bridge that blocked one of 4 MHD threads per request would need 200 × 50 ms / 4 = 2.5 s.
            #expect(elapsed < .milliseconds(2500))
        }
    }
}

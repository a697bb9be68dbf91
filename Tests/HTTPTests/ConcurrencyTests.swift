import HTTP
import HTTPTestSupport
import Synchronization
import Testing

/// Handlers run on Swift concurrency, not on libmicrohttpd's few threads.
@Suite struct ConcurrencyTests {
    @Test func twoHundredSlowRequestsOverFourThreadsRunConcurrently() async throws {
        let router = Router<Void>()
        let inFlight = Mutex((now: 0, most: 0))
        router.get("/slow/:index") { request, _ in
            inFlight.withLock {
                $0.now += 1; $0.most = max($0.most, $0.now)
            }
            defer { inFlight.withLock { $0.now -= 1 } }
            try await Task.sleep(for: .milliseconds(50))
            return .text(request.parameters["index"] ?? "")
        }
        // All 200 come from 127.0.0.1: more than one address may hold by default.
        try await withServer(router, configuration: .init(port: 0, perAddressConnectionLimit: 256)) { server in
            let answers = try await withThrowingTaskGroup(of: (Int, ClientResponse).self) { group in
                for index in 0..<200 {
                    group.addTask { (index, try await server.get("/slow/\(index)")) }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            let most = inFlight.withLock { $0.most }
            print("200 concurrent requests to a 50 ms handler: at most \(most) handlers at once")
            #expect(answers.count == 200)
            #expect(answers.allSatisfy { index, response in response.status == 200 && response.text == "\(index)" })
            // A bridge that blocked one of the 4 MHD threads per request would never have more than
            // 4 handlers at once; counted, not timed, so a busy machine cannot fail it.
            #expect(most > 4 * 4)
        }
    }
}

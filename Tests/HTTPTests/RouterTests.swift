import Testing

@testable import HTTP

@Suite struct RouterTests {
    private static func answer(_ name: String) -> Router<Void>.Handler {
        { _, _ in .text(name) }
    }

    private func match(_ router: Router<Void>, _ method: String, _ segments: [String]) -> RouteTable<Void>.Match {
        RouteTable(routes: router.routes).match(method: method, segments: segments)
    }

    private func matchedPattern(_ router: Router<Void>, _ method: String, _ path: String) -> String? {
        guard case .found(let route, _) = match(router, method, path.split(separator: "/").map(String.init)) else {
            return nil
        }
        return route.pattern
    }

    @Test func staticSegmentWinsOverParameterWhicheverIsRegisteredFirst() {
        let router = Router<Void>()
        router.get("/dossiers/:code", Self.answer("show"))
        router.get("/dossiers/search", Self.answer("search"))
        router.get("/:section/search", Self.answer("section"))
        #expect(matchedPattern(router, "GET", "/dossiers/search") == "/dossiers/search")
        #expect(matchedPattern(router, "GET", "/dossiers/H01-0001") == "/dossiers/:code")
        #expect(matchedPattern(router, "GET", "/feedback/search") == "/:section/search")
    }

    @Test func parametersAreBoundByName() {
        let router = Router<Void>()
        router.post("/dossiers/:code/components/:index", Self.answer("component"))
        guard
            case .found(_, let parameters) = match(router, "POST", ["dossiers", "H01-7", "components", "2"])
        else {
            Issue.record("no match")
            return
        }
        #expect(parameters == ["code": "H01-7", "index": "2"])
    }

    @Test func trailingSlashIsTolerated() {
        let router = Router<Void>()
        router.get("/procedures", Self.answer("list"))
        #expect(matchedPattern(router, "GET", "/procedures/") == "/procedures")
    }

    @Test func knownPathWithAnotherMethodListsTheAllowedMethods() {
        let router = Router<Void>()
        router.get("/dossiers/:code", Self.answer("show"))
        router.patch("/dossiers/:code", Self.answer("update"))
        guard case .methodNotAllowed(let allowed) = match(router, "DELETE", ["dossiers", "X"]) else {
            Issue.record("expected method not allowed")
            return
        }
        #expect(allowed == ["GET", "PATCH"])
    }

    @Test func parameterRouteServesAMethodTheStaticRouteLacks() {
        let router = Router<Void>()
        router.get("/dossiers/:code", Self.answer("show"))
        router.post("/dossiers/search", Self.answer("search"))
        #expect(matchedPattern(router, "GET", "/dossiers/search") == "/dossiers/:code")
    }

    @Test func unknownPathMatchesNothing() {
        let router = Router<Void>()
        router.get("/dossiers/:code", Self.answer("show"))
        guard case .notFound = match(router, "GET", ["dossiers", "X", "extra"]) else {
            Issue.record("expected no match")
            return
        }
    }
}

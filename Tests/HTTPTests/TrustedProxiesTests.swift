import HTTP
import HTTPTestSupport
import Testing

/// Who the client is: the connection's peer, or the address a trusted proxy (the front door) forwarded.
@Suite struct TrustedProxiesTests {
    let frontDoor = TrustedProxies("127.0.0.1, ::1")!

    @Test func withNoTrustedProxyTheClientIsThePeerWhateverItForwards() {
        #expect(TrustedProxies.none.clientAddress(peer: "127.0.0.1", forwardedFor: ["10.0.0.7"]) == "127.0.0.1")
        #expect(TrustedProxies("")!.clientAddress(peer: "127.0.0.1", forwardedFor: ["10.0.0.7"]) == "127.0.0.1")
    }

    @Test func anUntrustedPeerCannotNameAnotherClient() {
        #expect(frontDoor.clientAddress(peer: "203.0.113.5", forwardedFor: ["10.0.0.7"]) == "203.0.113.5")
    }

    @Test func theRightmostAddressNotItselfATrustedProxyIsTheClient() {
        #expect(frontDoor.clientAddress(peer: "127.0.0.1", forwardedFor: ["10.0.0.7"]) == "10.0.0.7")
        // What a client wrote on the left is not believed: the front door added the right.
        #expect(frontDoor.clientAddress(peer: "127.0.0.1", forwardedFor: ["1.2.3.4, 10.0.0.7"]) == "10.0.0.7")
        #expect(
            frontDoor.clientAddress(peer: "127.0.0.1", forwardedFor: ["1.2.3.4", "10.0.0.7, 127.0.0.1"]) == "10.0.0.7")
        // Without the header the client is the proxy itself (its own health checks).
        #expect(frontDoor.clientAddress(peer: "127.0.0.1", forwardedFor: []) == "127.0.0.1")
    }

    @Test func aMalformedHopEndsTheReadingAtTheProxyThatForwardedIt() {
        #expect(frontDoor.clientAddress(peer: "127.0.0.1", forwardedFor: ["10.0.0.7, bogus"]) == "127.0.0.1")
        #expect(frontDoor.clientAddress(peer: "127.0.0.1", forwardedFor: ["unknown, 10.0.0.7"]) == "10.0.0.7")
    }

    @Test func rangesAndIPv6AreUnderstoodAndAddressesWrittenTheUsualWay() {
        let cluster = TrustedProxies("10.0.0.0/8,fd00::/8")!
        #expect(cluster.clientAddress(peer: "10.42.0.3", forwardedFor: ["198.51.100.9"]) == "198.51.100.9")
        #expect(cluster.clientAddress(peer: "11.0.0.1", forwardedFor: ["198.51.100.9"]) == "11.0.0.1")
        #expect(cluster.clientAddress(peer: "fd12::1", forwardedFor: ["2001:DB8:0:0::5"]) == "2001:db8::5")
        #expect(cluster.clientAddress(peer: "fe80::1", forwardedFor: ["198.51.100.9"]) == "fe80::1")
        #expect(frontDoor.clientAddress(peer: "::1", forwardedFor: ["198.51.100.9"]) == "198.51.100.9")
    }

    @Test(arguments: ["localhost", "127.0.0.1/33", "10.0.0.0/x", "::1/129", "1.2.3"])
    func aListWithSomethingElseIsRefused(list: String) {
        #expect(TrustedProxies(list) == nil)
    }

    @Test func theServerTakesTheClientFromItsTrustedProxyAndLogsIt() async throws {
        let router = Router<Void>()
        router.get("/who") { request, _ in .text("\(request.clientAddress ?? "-") via \(request.remoteAddress ?? "-")") }
        try await withServer(router, configuration: .init(port: 0, trustedProxies: frontDoor)) { server in
            let proxied = try await server.get("/who", headers: [("X-Forwarded-For", "10.0.0.7")])
            #expect(proxied.text == "10.0.0.7 via 127.0.0.1")
            let id = try #require(proxied.headers["x-request-id"])
            #expect(server.logLines(containing: id, "\"client\":\"10.0.0.7\"").count == 1)
            let direct = try await TestClient.request(
                port: server.port, path: "/who", headers: [("X-Forwarded-For", "10.0.0.7")], from: "127.0.0.2")
            #expect(direct.text == "127.0.0.2 via 127.0.0.2")
        }
    }
}

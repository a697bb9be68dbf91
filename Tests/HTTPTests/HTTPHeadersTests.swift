import HTTP
import Testing

@Suite struct HTTPHeadersTests {
    @Test func lookupIgnoresCaseAndKeepsRepeatedFields() {
        var headers: HTTPHeaders = ["Content-Type": "text/csv"]
        headers.add("Set-Cookie", "a=1")
        headers.add("set-cookie", "b=2")
        #expect(headers["content-type"] == "text/csv")
        #expect(headers.values("SET-COOKIE") == ["a=1", "b=2"])
    }

    @Test func settingReplacesEveryFieldWithThatName() {
        var headers = HTTPHeaders([(name: "Vary", value: "Accept"), (name: "vary", value: "Origin")])
        headers["VARY"] = "Accept-Language"
        #expect(headers.values("vary") == ["Accept-Language"])
        headers["Vary"] = nil
        #expect(headers["Vary"] == nil)
    }
}

import HTTP
import Observability
import ServiceKit
import Testing

@Suite struct ServiceConfigurationTests {
    let valid = ["MOTCUA_WARD_CODE": "H01.40.23", "DATABASE_URL": "postgresql://intake@127.0.0.1/motcua"]

    @Test func defaultsApplyWhenOnlyRequiredVariablesAreSet() throws {
        let configuration = try ServiceConfiguration.load(from: valid, service: "intake", defaultPort: 8081)
        #expect(configuration.port == 8081)
        #expect(configuration.bindAddress == "127.0.0.1")
        #expect(configuration.logLevel == .info)
        #expect(configuration.poolSize == 10)
        #expect(configuration.database.connectionString == "postgresql://intake@127.0.0.1/motcua")
        #expect(configuration.database.applicationName == "motcua-intake")
    }

    @Test func missingWardCodeNamesTheVariable() {
        let error = #expect(throws: ConfigError.self) {
            try ServiceConfiguration.load(from: [:], service: "intake", defaultPort: 8081)
        }
        #expect(error?.variable == "MOTCUA_WARD_CODE")
        #expect(error?.message.contains("required") == true)
    }

    @Test func migrateNeedsNoWardCode() throws {
        _ = try ServiceConfiguration.load(from: [:], service: "intake", defaultPort: 8081, requireWard: false)
    }

    @Test(arguments: [
        ("MOTCUA_PORT", "80a"), ("MOTCUA_PORT", "70000"), ("MOTCUA_LOG_LEVEL", "loud"),
        ("MOTCUA_DB_POOL_SIZE", "0"), ("MOTCUA_WARD_CODE", "h01 40"), ("MOTCUA_HTTP_THREADS", "-1"),
        ("MOTCUA_TRUSTED_PROXIES", "127.0.0.1,frontdoor"),
    ])
    func malformedVariableIsNamedWithItsValue(variable: String, value: String) {
        var environment = valid
        environment[variable] = value
        let error = #expect(throws: ConfigError.self) {
            try ServiceConfiguration.load(from: environment, service: "intake", defaultPort: 8081)
        }
        #expect(error?.variable == variable)
        #expect(error?.message.contains(value) == true)
    }

    @Test func trustedProxiesAreNoneUnlessTheFrontDoorIsNamed() throws {
        let alone = try ServiceConfiguration.load(from: valid, service: "intake", defaultPort: 8081)
        #expect(alone.trustedProxies == .none)
        var environment = valid
        environment["MOTCUA_TRUSTED_PROXIES"] = "127.0.0.1,::1"
        let behind = try ServiceConfiguration.load(from: environment, service: "intake", defaultPort: 8081)
        #expect(behind.trustedProxies.clientAddress(peer: "::1", forwardedFor: ["10.0.0.7"]) == "10.0.0.7")
    }

    @Test func logLevelAndPortAreRead() throws {
        var environment = valid
        environment["MOTCUA_LOG_LEVEL"] = "WARNING"
        environment["MOTCUA_PORT"] = "0"
        let configuration = try ServiceConfiguration.load(from: environment, service: "intake", defaultPort: 8081)
        #expect(configuration.logLevel == .warning)
        #expect(configuration.port == 0)
    }
}

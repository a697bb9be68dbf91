import Communication
import Digitization
import Intake
import Payment
import Postgres
import PostgresTestSupport
import Reporting
import ServiceKit
import Testing

@Suite struct SchemaIsolationTests {
    let services: [any Service] = [
        IntakeService(), DigitizationService(), PaymentService(), CommunicationService(), ReportingService(),
    ]

    @Test func eachServiceMigratesItsOwnSchemaUnderItsOwnRole() async throws {
        let database = try await bootstrappedDatabase("iso")
        for service in services {
            let name = type(of: service).name
            let pool = PostgresPool(configuration: database.configuration.with(user: name))
            let migrator = Migrator(schema: name, migrations: service.migrations)
            #expect(try await migrator.migrate(pool) == service.migrations.map(\.version))
            #expect(try await migrator.migrate(pool) == [])
            let owner = try await pool.query(
                "SELECT tableowner FROM pg_tables WHERE schemaname = 'audit' AND tablename = $1", [name + "_trail"])
            #expect(try owner.single().decode(String.self, at: 0) == "audit")
            await pool.close()
        }
        await database.drop()
    }

    @Test func serviceRoleIsDeniedOnEveryOtherServicesSchema() async throws {
        let database = try await bootstrappedDatabase("deny")
        for service in services {
            let name = type(of: service).name
            let pool = PostgresPool(configuration: database.configuration.with(user: name), maxConnections: 1)
            try await Migrator(schema: name, migrations: service.migrations).migrate(pool)
            await pool.close()
        }
        for role in serviceRoles {
            let pool = PostgresPool(configuration: database.configuration.with(user: role), maxConnections: 1)
            // Its own trail: read, and appended to only through audit.append (AuditTrailTests).
            try await pool.query("SELECT count(*) FROM \(role).audit_trail")
            let append = await #expect(throws: PostgresError.self, "\(role) inserts into its trail directly") {
                try await pool.query(
                    "INSERT INTO \(role).audit_trail (at, unit_code, actor, action, subject, seq, hash) VALUES (now(), 'u', 'test', 'probe', 'x', 1, '')"
                )
            }
            #expect(append?.sqlState == PostgresError.insufficientPrivilege)
            for other in serviceRoles where other != role {
                for statement in [
                    "SELECT count(*) FROM \(other).audit_trail",
                    "SELECT count(*) FROM audit.\(other)_trail",
                    "INSERT INTO \(other).audit_trail (at, unit_code, actor, action, subject, seq, hash) VALUES (now(), 'u', 'test', 'probe', 'x', 1, '')",
                    "CREATE TABLE \(other).intruder (id int)",
                ] {
                    let error = await #expect(throws: PostgresError.self, "\(role): \(statement)") {
                        try await pool.query(statement)
                    }
                    #expect(error?.sqlState == PostgresError.insufficientPrivilege, "\(role): \(statement)")
                }
            }
            let publicError = await #expect(throws: PostgresError.self) {
                try await pool.query("CREATE TABLE public.shared (id int)")
            }
            #expect(publicError?.sqlState == PostgresError.insufficientPrivilege)
            await pool.close()
        }
        await database.drop()
    }

    @Test func bootstrapRunsAgainWithoutChangingAnything() async throws {
        let database = try await bootstrappedDatabase("again")
        try await database.bootstrap()
        let admin = try await PostgresConnection.connect(database.configuration)
        let schemas = try await admin.query(
            "SELECT nspname, pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = ANY($1::text[]) ORDER BY 1",
            [serviceRoles + ["mq"]])
        #expect(schemas.count == 6)
        for row in schemas {
            let (schema, owner) = try row.decode(String.self, String.self)
            #expect(schema == owner)
        }
        await admin.close()
        await database.drop()
    }

    @Test func noServiceRoleConnectsToTheMaintenanceDatabases() async throws {
        let database = try await bootstrappedDatabase("maint")
        for role in serviceRoles {
            for other in ["postgres", "template1"] {
                var configuration = database.configuration.with(user: role)
                configuration.database = other
                let error = await #expect(throws: PostgresError.self, "\(role) on \(other)") {
                    let connection = try await PostgresConnection.connect(configuration)
                    try await connection.query("CREATE TEMP TABLE probe (id int)")
                    await connection.close()
                }
                #expect(error?.message.contains("permission denied") == true, "\(role) on \(other)")
            }
        }
        await database.drop()
    }
}

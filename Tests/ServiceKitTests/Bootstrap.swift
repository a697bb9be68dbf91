import Postgres
import PostgresTestSupport

/// The five services' role names, which are also their schema names.
let serviceRoles = ["intake", "digitization", "payment", "communication", "reporting"]

/// A test database bootstrapped like production: `deploy/sql/bootstrap.sql` run as superuser.
func bootstrappedDatabase(_ label: String) async throws -> TestDatabase {
    let database = try await TestDatabase.create(label)
    try await database.bootstrap()
    return database
}

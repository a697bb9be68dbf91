import Foundation
import Postgres
import PostgresTestSupport

/// The five services' role names, which are also their schema names.
let serviceRoles = ["intake", "digitization", "payment", "communication", "reporting"]

/// A test database bootstrapped like production: `deploy/sql/bootstrap.sql` run as superuser.
func bootstrappedDatabase(_ label: String) async throws -> TestDatabase {
    let database = try await TestDatabase.create(label)
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let script = try String(contentsOf: root.appendingPathComponent("deploy/sql/bootstrap.sql"), encoding: .utf8)
    let admin = try await PostgresConnection.connect(database.configuration)
    try await admin.run(script: script)
    await admin.close()
    return database
}

/// The repository's root folder.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

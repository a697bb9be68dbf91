import Postgres
import ServiceKit

/// The intake schema's migrations, in order; append, never edit.
enum IntakeSchema {
    static let migrations: [Migration] = [AuditTrail.migration]
}

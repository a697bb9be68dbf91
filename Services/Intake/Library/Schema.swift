import Domain
import Postgres
import ServiceKit

/// The intake schema's migrations, in order; append, never edit.
enum IntakeSchema {
    static let migrations: [Migration] = ToolkitSchema.followed(by: [
        Migration(
            3, "working_calendar",
            """
            CREATE TABLE working_calendar (
                day date PRIMARY KEY,
                kind text NOT NULL CHECK (kind IN ('holiday', 'make_up_working_day')),
                name text NOT NULL,
                provisional boolean NOT NULL DEFAULT false,
                CHECK (kind = 'holiday' OR extract(isodow FROM day) IN (6, 7))
            );
            COMMENT ON TABLE working_calendar IS
                'Days that differ from Monday-Friday (DOMAIN §3): holidays and make-up working days. Seeded 2025-2027, edited by an admin.';
            """,
            data: calendarSeed(WorkingCalendar.vietnam2025to2027.entries)),
        Migration(
            4, "units_and_staff",
            """
            CREATE TABLE units (
                unit_code text PRIMARY KEY,
                name text NOT NULL CHECK (name <> ''),
                province_code text NOT NULL,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL
            );
            COMMENT ON TABLE units IS 'The wards and communes this deployment serves (ARCHITECTURE §6); a unit''s row is its own.';
            \(UnitScope.unitOrAllRowLevelSecurity(on: "units"))

            -- A unit's staff have its code as unit_code; a province account has 'province:<code>'.
            CREATE TABLE staff (
                id uuid PRIMARY KEY,
                unit_code text NOT NULL,
                username text NOT NULL CHECK (username = lower(username) AND username ~ '^[a-z0-9._-]{3,40}$'),
                full_name text NOT NULL CHECK (full_name <> ''),
                roles text[] NOT NULL CHECK (cardinality(roles) > 0),
                password_hash text NOT NULL,
                failed_attempts int NOT NULL DEFAULT 0,
                locked_until timestamptz,
                disabled_at timestamptz,
                password_changed_at timestamptz NOT NULL,
                created_at timestamptz NOT NULL
            );
            CREATE UNIQUE INDEX staff_username ON staff (username);
            \(UnitScope.unitOrAllRowLevelSecurity(on: "staff"))

            -- Refresh tokens: only their SHA-256 is kept; revoked at logout or when used (rotation).
            CREATE TABLE staff_sessions (
                id uuid PRIMARY KEY,
                unit_code text NOT NULL,
                staff_id uuid NOT NULL REFERENCES staff,
                token_hash bytea NOT NULL UNIQUE,
                created_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL,
                revoked_at timestamptz
            );
            CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);
            \(UnitScope.unitOrAllRowLevelSecurity(on: "staff_sessions"))
            """),
        Migration(
            5, "procedures",
            """
            -- The procedure catalogue (danh mục TTHC): reference data every unit of the deployment
            -- shares, like working_calendar, so it has no unit_code; an admin edits it.
            CREATE TABLE procedures (
                code text PRIMARY KEY CHECK (code ~ '^[0-9A-Za-z._-]{1,40}$'),
                name text NOT NULL CHECK (name <> ''),
                field text NOT NULL,
                level text NOT NULL CHECK (level IN ('full', 'partial', 'in_person')),
                processing_days int NOT NULL CHECK (processing_days BETWEEN 0 and 365),
                same_day_cutoff time,
                fee bigint NOT NULL DEFAULT 0 CHECK (fee >= 0),
                charge bigint NOT NULL DEFAULT 0 CHECK (charge >= 0),
                electronic_result boolean NOT NULL DEFAULT true,
                reuse_eligible boolean NOT NULL DEFAULT false,
                boundary_independent boolean NOT NULL DEFAULT false,
                legal_basis text NOT NULL DEFAULT '',
                components jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(components) = 'array'),
                demo boolean NOT NULL DEFAULT false,
                active boolean NOT NULL DEFAULT true,
                updated_at timestamptz NOT NULL
            );
            CREATE INDEX procedures_field ON procedures (field, name);
            COMMENT ON COLUMN procedures.demo IS 'Seeded from CATALOGUE.md as demo data; an admin checks and edits it for the province.';
            """,
            data: ProcedureSeed.step),
        Migration(
            6, "dossiers",
            """
            -- The gap-free daily sequence of dossier codes per unit (DOMAIN §2), taken in the receipt's transaction.
            CREATE TABLE dossier_sequences (
                unit_code text NOT NULL,
                day date NOT NULL,
                last int NOT NULL,
                PRIMARY KEY (unit_code, day)
            );
            \(UnitScope.unitOrAllRowLevelSecurity(on: "dossier_sequences"))

            CREATE TABLE dossiers (
                code text PRIMARY KEY,
                unit_code text NOT NULL,
                procedure_code text NOT NULL REFERENCES procedures,
                procedure jsonb NOT NULL,
                channel text NOT NULL CHECK (channel IN ('counter', 'online', 'post')),
                assisted_by text,
                status text NOT NULL CHECK (status IN ('submitted', 'received', 'in_progress', 'supplement_requested',
                                                       'completed', 'returned', 'refused', 'withdrawn')),
                supplement_requested_from text,
                applicant_name text NOT NULL,
                applicant_cccd text NOT NULL,
                applicant_phone text NOT NULL,
                applicant_email text,
                applicant_address text NOT NULL,
                submitted_at timestamptz,
                acceptance_due_at timestamptz,
                accepted_late boolean,
                received_at timestamptz,
                received_by text,
                due_date date,
                paused_since timestamptz,
                rescheduled_to date,
                completed_at timestamptz,
                returned_at timestamptz,
                result_document_id text,
                paper_result boolean NOT NULL DEFAULT false,
                fee_due bigint NOT NULL DEFAULT 0,
                fee_paid bigint NOT NULL DEFAULT 0,
                payment_state text NOT NULL DEFAULT 'none' CHECK (payment_state IN ('none', 'requested', 'settled', 'refunded')),
                delay_excluded boolean NOT NULL DEFAULT false,
                digitized_at timestamptz,
                portal_synced_at timestamptz,
                updated_at timestamptz NOT NULL,
                CHECK (unit_code = split_part(code, '-', 1))
            );
            -- My queue: a unit's open dossiers by due date; submissions waiting for acceptance by their clock.
            CREATE INDEX dossiers_by_due ON dossiers (unit_code, due_date, code);
            CREATE INDEX dossiers_waiting ON dossiers (unit_code, acceptance_due_at) WHERE status = 'submitted';
            CREATE INDEX dossiers_applicant ON dossiers (applicant_cccd);
            \(UnitScope.unitOrAllRowLevelSecurity(on: "dossiers"))

            CREATE TABLE dossier_components (
                dossier_code text NOT NULL REFERENCES dossiers,
                code text NOT NULL,
                unit_code text NOT NULL,
                name text NOT NULL,
                required boolean NOT NULL,
                document_id text,
                reused boolean NOT NULL DEFAULT false,
                PRIMARY KEY (dossier_code, code)
            );
            \(UnitScope.unitOrAllRowLevelSecurity(on: "dossier_components"))

            -- Every step of a dossier: who, when, why (DOMAIN §2); the page's timeline.
            CREATE TABLE dossier_timeline (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                dossier_code text NOT NULL REFERENCES dossiers,
                unit_code text NOT NULL,
                at timestamptz NOT NULL,
                action text NOT NULL,
                from_status text,
                to_status text NOT NULL,
                actor text NOT NULL,
                actor_name text,
                reason_code text,
                reason text,
                details jsonb NOT NULL DEFAULT '{}'
            );
            CREATE INDEX dossier_timeline_dossier ON dossier_timeline (dossier_code, id);
            \(UnitScope.unitOrAllRowLevelSecurity(on: "dossier_timeline"))

            CREATE TABLE ratings (
                dossier_code text PRIMARY KEY REFERENCES dossiers,
                unit_code text NOT NULL,
                score int NOT NULL CHECK (score BETWEEN 1 AND 5),
                comment text,
                submitted_at timestamptz NOT NULL
            );
            \(UnitScope.unitOrAllRowLevelSecurity(on: "ratings"))

            -- Wrong code/phone pairs at the public lookup, by client address: codes cannot be enumerated.
            -- Not a unit's data (the pair named no dossier), so it has no unit_code.
            CREATE TABLE lookup_failures (
                client text NOT NULL,
                at timestamptz NOT NULL
            );
            CREATE INDEX lookup_failures_client ON lookup_failures (client, at);
            """),
        Migration(
            7, "province_scope_and_unit_state",
            """
            -- Province roles read the units of their own province only (ARCHITECTURE §6).
            \(unitTables.map(UnitScope.provinceReads(on:)).joined(separator: "\n"))

            -- A unit belongs to the province its code starts with (H01.40.23 is in H01), the rule the
            -- row security of every service reads; rows from before it are not checked.
            ALTER TABLE units ADD CONSTRAINT units_province_is_code_prefix
                CHECK (province_code = split_part(unit_code, '.', 1)) NOT VALID;
            -- A closed unit (merged, dissolved) keeps its row and its dossiers; its staff and its
            -- online filing are refused.
            ALTER TABLE units ADD COLUMN disabled_at timestamptz;

            -- The catalogue is the province's; a unit switches off, for itself, a procedure it does
            -- not serve (no row: served).
            CREATE TABLE unit_procedures (
                unit_code text NOT NULL,
                procedure_code text NOT NULL REFERENCES procedures,
                offered boolean NOT NULL,
                updated_at timestamptz NOT NULL,
                PRIMARY KEY (unit_code, procedure_code)
            );
            \(UnitScope.rowLevelSecurity(on: "unit_procedures"))
            """),
        Migration(
            8, "sign_in_back_off_and_session_families",
            """
            -- Wrong passwords by username (known or not, so the answer never tells) and client address;
            -- client '*' counts every address together (the account-wide ceiling). Not a unit's data.
            CREATE TABLE sign_in_failures (
                username text NOT NULL,
                client text NOT NULL,
                failures int NOT NULL,
                last_failure_at timestamptz NOT NULL,
                blocked_until timestamptz,
                PRIMARY KEY (username, client)
            );
            CREATE INDEX sign_in_failures_last ON sign_in_failures (last_failure_at);
            ALTER TABLE staff DROP COLUMN failed_attempts, DROP COLUMN locked_until;

            -- A row of staff_sessions is now a sign-in: its refresh tokens form one family, its
            -- expires_at is the session's absolute end, and revoking it ends every token of it.
            -- Refresh tokens (only their SHA-256) live in staff_refresh_tokens; sessions opened
            -- before this migration have none left, so their holders sign in again.
            ALTER TABLE staff_sessions DROP COLUMN token_hash, ADD COLUMN revoked_reason text;
            CREATE TABLE staff_refresh_tokens (
                token_hash bytea PRIMARY KEY,
                unit_code text NOT NULL,
                session_id uuid NOT NULL REFERENCES staff_sessions,
                issued_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL,
                used_at timestamptz
            );
            CREATE INDEX staff_refresh_tokens_session ON staff_refresh_tokens (session_id);
            \(UnitScope.rowLevelSecurity(on: "staff_refresh_tokens"))
            """),
        Migration(
            9, "unit_catalogue",
            """
            -- The catalogue of administrative units (danh mục đơn vị hành chính) the province publishes:
            -- each unit's agency code (QCVN 102:2016), official name and mã ĐVHC. Reference data every unit
            -- shares, like procedures, so it has no unit_code; loaded by `motcua-intake units import`. A unit
            -- registers only with a code listed here, and takes the name listed.
            CREATE TABLE unit_catalogue (
                code text PRIMARY KEY CHECK (code ~ '^[A-Z0-9]{1,8}\\.[0-9]{2}\\.[0-9]{2}$'),
                name text NOT NULL CHECK (name <> '' AND char_length(name) <= 200),
                province_code text NOT NULL CHECK (province_code = split_part(code, '.', 1)),
                administrative_code text CHECK (administrative_code ~ '^[0-9]{5}$'),
                updated_at timestamptz NOT NULL
            );
            """),
    ])

    /// Intake's tables under unit security made by migrations 4 and 6.
    private static let unitTables = [
        "units", "staff", "staff_sessions", "dossier_sequences", "dossiers", "dossier_components", "dossier_timeline",
        "ratings",
    ]

    /// The seed as one INSERT whose rows travel as one bound JSON parameter. The migration's
    /// checksum covers those values: the seed of `WorkingCalendar.vietnam2025to2027` is frozen
    /// once landed, and a later correction or a new year is a new migration.
    static func calendarSeed(_ entries: [CalendarEntry]) -> Migration.DataStep {
        Migration.DataStep(
            """
            INSERT INTO working_calendar (day, kind, name, provisional)
            SELECT date, kind, name, provisional
            FROM jsonb_to_recordset($1::jsonb) AS seed(date date, kind text, name text, provisional boolean)
            """,
            [JSONB(entries)])
    }
}

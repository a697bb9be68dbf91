-- MotCua bootstrap: the roles, schemas and privileges that exist before any service migrates.
--
-- What it does (ARCHITECTURE.md §3):
--   * one LOGIN role per service (intake, digitization, payment, communication, reporting),
--     NOSUPERUSER NOCREATEDB NOCREATEROLE, no password (deploy/local/up sets one; so does compose);
--   * one schema per service, owned by that role, and the role's search_path set to it;
--   * a NOLOGIN role mq owning schema mq (the queue's tables and SECURITY DEFINER functions come
--     with the queue's own migrations), USAGE on schema mq for the five service roles;
--   * nothing for PUBLIC on schema public or on this database; CONNECT for the five service roles;
--   * no service role holds any privilege on another service's schema.
--
-- How to run it: as a superuser, connected to the database `motcua` (create it first with
-- `createdb motcua`), as ONE transaction:
--     psql -X -v ON_ERROR_STOP=1 --single-transaction -d motcua -f deploy/sql/bootstrap.sql
-- or as one PQexec() of the whole file (libpq runs a multi-statement string as one transaction).
-- Plain SQL only, no psql meta-commands, no BEGIN/COMMIT.
--
-- Idempotent: run it any number of times, also concurrently. The advisory lock serialises runs in
-- the same database. Roles and role settings are cluster-wide, so runs in different databases of one
-- cluster (a test per database) are not serialised by it: role creation tolerates losing that race,
-- and roles are only altered when they differ from what is wanted, so a second run writes nothing
-- to the shared catalogs.

SELECT pg_advisory_xact_lock(7472686510001);  -- constant: 'MotCua bootstrap'

-- Service roles: create if missing, correct attributes if they drifted, pin search_path.
DO $$
DECLARE
    svc text;
BEGIN
    FOREACH svc IN ARRAY ARRAY['intake', 'digitization', 'payment', 'communication', 'reporting'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = svc) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', svc);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;  -- a concurrent bootstrap in another database created it first
            END;
        END IF;
        IF EXISTS (SELECT FROM pg_roles
                   WHERE rolname = svc
                     AND (NOT rolcanlogin OR rolsuper OR rolcreatedb OR rolcreaterole)) THEN
            EXECUTE format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', svc);
        END IF;
        IF NOT EXISTS (SELECT FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
                       WHERE r.rolname = svc AND s.setdatabase = 0
                         AND s.setconfig @> ARRAY['search_path=' || svc]) THEN
            EXECUTE format('ALTER ROLE %I SET search_path = %I', svc, svc);
        END IF;
    END LOOP;
END
$$;

-- The queue's owner: never logs in; its functions run with its rights (SECURITY DEFINER).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mq') THEN
        BEGIN
            CREATE ROLE mq NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
    IF EXISTS (SELECT FROM pg_roles
               WHERE rolname = 'mq' AND (rolcanlogin OR rolsuper OR rolcreatedb OR rolcreaterole)) THEN
        ALTER ROLE mq NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
    END IF;
END
$$;

-- Schemas: one per service plus mq, each owned by its role, nothing for anyone else.
CREATE SCHEMA IF NOT EXISTS intake;
CREATE SCHEMA IF NOT EXISTS digitization;
CREATE SCHEMA IF NOT EXISTS payment;
CREATE SCHEMA IF NOT EXISTS communication;
CREATE SCHEMA IF NOT EXISTS reporting;
CREATE SCHEMA IF NOT EXISTS mq;

ALTER SCHEMA intake OWNER TO intake;
ALTER SCHEMA digitization OWNER TO digitization;
ALTER SCHEMA payment OWNER TO payment;
ALTER SCHEMA communication OWNER TO communication;
ALTER SCHEMA reporting OWNER TO reporting;
ALTER SCHEMA mq OWNER TO mq;

DO $$
DECLARE
    svc text;
    other text;
    services text[] := ARRAY['intake', 'digitization', 'payment', 'communication', 'reporting'];
BEGIN
    FOREACH svc IN ARRAY services LOOP
        EXECUTE format('REVOKE ALL ON SCHEMA %I FROM PUBLIC', svc);
        FOREACH other IN ARRAY services LOOP
            IF other <> svc THEN
                -- Undo any grant that drifted in: a service never reaches another's schema.
                EXECUTE format('REVOKE ALL ON SCHEMA %I FROM %I', svc, other);
            END IF;
        END LOOP;
    END LOOP;
END
$$;

-- The queue: the services reach it only through mq's functions; USAGE lets them name those.
REVOKE ALL ON SCHEMA mq FROM PUBLIC;
GRANT USAGE ON SCHEMA mq TO intake, digitization, payment, communication, reporting;

-- Nothing for PUBLIC: not on schema public, not on this database. CONNECT only for the services.
REVOKE ALL ON SCHEMA public FROM PUBLIC;

DO $$
BEGIN
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO intake, digitization, payment, communication, reporting',
                   current_database());
END
$$;

-- Units (ARCHITECTURE §6): every table a service owns that holds a unit's data carries unit_code
-- and a row-level security policy reading the unit in scope through these two functions. The
-- toolkit sets motcua.unit (and, for province-wide reads, motcua.read_all) with set_config(…, true)
-- at the start of each transaction; a statement run with neither fails loudly instead of seeing
-- nothing or everything. They guard against a forgotten scope in a service's own code, not against
-- a compromised service (its role could set the settings itself).
CREATE SCHEMA IF NOT EXISTS scope;
REVOKE ALL ON SCHEMA scope FROM PUBLIC;
GRANT USAGE ON SCHEMA scope TO intake, digitization, payment, communication, reporting;

-- The unit whose rows the transaction writes (and reads, unless it reads all units).
CREATE OR REPLACE FUNCTION scope.unit() RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog AS $$
DECLARE
    unit text := current_setting('motcua.unit', true);
BEGIN
    IF unit IS NULL OR unit = '' THEN
        RAISE EXCEPTION 'no unit in scope'
            USING ERRCODE = '42501',
                  DETAIL = 'This statement touches rows of a unit, but the transaction names no unit.',
                  HINT = 'Run it in a transaction the toolkit scoped to a unit (ServiceContext.transaction).';
    END IF;
    RETURN unit;
END
$$;

-- The unit a transaction may read: NULL when it reads every unit (a province-wide principal).
CREATE OR REPLACE FUNCTION scope.readable_unit() RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog AS $$
BEGIN
    IF current_setting('motcua.read_all', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RETURN scope.unit();
END
$$;

REVOKE ALL ON FUNCTION scope.unit(), scope.readable_unit() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION scope.unit(), scope.readable_unit() TO intake, digitization, payment, communication, reporting;

-- MotCua bootstrap: the roles, schemas and privileges that exist before any service migrates.
--
-- What it does (ARCHITECTURE.md §3):
--   * one LOGIN role per service (intake, digitization, payment, communication, reporting),
--     NOSUPERUSER NOCREATEDB NOCREATEROLE, no password (deploy/local/up sets one; so does compose);
--   * one schema per service, owned by that role, and the role's search_path set to it;
--   * a NOLOGIN role mq owning schema mq (the queue's tables and SECURITY DEFINER functions come
--     with the queue's own migrations), USAGE on schema mq for the five service roles;
--   * a LOGIN role mq_maintainer, the only one besides superusers that may run mq.maintain (the
--     queue's migration grants it), for the daily `motcua-<svc> queue maintain`;
--   * a NOLOGIN role audit owning schema audit: each service's audit trail lives there (made by
--     the service's first migration through audit.create_trail), the service may only append to it
--     (audit.chain_head, audit.append) and read it;
--   * nothing for PUBLIC on schema public or on this database; CONNECT for the service roles and
--     mq_maintainer; no CONNECT or TEMP for PUBLIC on the databases postgres and template1;
--   * the advisory lock functions revoked from PUBLIC: mq gets the one-bigint transaction locks its
--     functions take, the services only the migrator's two-integer session lock, another key space;
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

-- The queue's maintenance job, and the owner of the audit trails: created like the services' roles.
DO $$
DECLARE
    wanted record;
BEGIN
    FOR wanted IN SELECT * FROM (VALUES ('mq_maintainer', 'LOGIN'), ('audit', 'NOLOGIN')) AS w(name, login) LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = wanted.name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I %s NOSUPERUSER NOCREATEDB NOCREATEROLE', wanted.name, wanted.login);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;
            END;
        END IF;
        IF EXISTS (SELECT FROM pg_roles
                   WHERE rolname = wanted.name
                     AND (rolcanlogin <> (wanted.login = 'LOGIN') OR rolsuper OR rolcreatedb OR rolcreaterole)) THEN
            EXECUTE format('ALTER ROLE %I %s NOSUPERUSER NOCREATEDB NOCREATEROLE', wanted.name, wanted.login);
        END IF;
    END LOOP;
END
$$;

-- Schemas: one per service plus mq, each owned by its role, nothing for anyone else.
CREATE SCHEMA IF NOT EXISTS intake;
CREATE SCHEMA IF NOT EXISTS digitization;
CREATE SCHEMA IF NOT EXISTS payment;
CREATE SCHEMA IF NOT EXISTS communication;
CREATE SCHEMA IF NOT EXISTS reporting;
CREATE SCHEMA IF NOT EXISTS mq;
CREATE SCHEMA IF NOT EXISTS audit;

ALTER SCHEMA intake OWNER TO intake;
ALTER SCHEMA digitization OWNER TO digitization;
ALTER SCHEMA payment OWNER TO payment;
ALTER SCHEMA communication OWNER TO communication;
ALTER SCHEMA reporting OWNER TO reporting;
ALTER SCHEMA mq OWNER TO mq;
ALTER SCHEMA audit OWNER TO audit;

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
GRANT USAGE ON SCHEMA mq TO intake, digitization, payment, communication, reporting, mq_maintainer;

-- Nothing for PUBLIC: not on schema public, not on this database. CONNECT only for the services.
REVOKE ALL ON SCHEMA public FROM PUBLIC;

DO $$
BEGIN
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO intake, digitization, payment, communication, reporting, mq_maintainer',
                   current_database());
END
$$;

-- The cluster's maintenance databases: no CONNECT, no temporary tables for PUBLIC. Cluster-wide, so
-- written only when PUBLIC still has them; a bootstrap of another database revoking them at the
-- same moment makes this one's revoke fail as "tuple concurrently updated", which is its work done.
DO $$
DECLARE
    db text;
BEGIN
    FOREACH db IN ARRAY ARRAY['postgres', 'template1'] LOOP
        IF EXISTS (SELECT FROM pg_database WHERE datname = db)
           AND (has_database_privilege('public', db, 'CONNECT') OR has_database_privilege('public', db, 'TEMPORARY')) THEN
            BEGIN
                EXECUTE format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', db);
            EXCEPTION WHEN OTHERS THEN
                IF SQLERRM <> 'tuple concurrently updated' THEN
                    RAISE;
                END IF;
            END;
        END IF;
    END LOOP;
END
$$;

-- Advisory locks (per database): none for PUBLIC. A role holding the queue's locks stalled its
-- publishers, and a role taking thousands filled the lock table. mq takes the one-bigint
-- transaction locks in its functions; the services take none.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
             WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.proname ~ '^pg_(try_)?advisory_' LOOP
        IF has_function_privilege('public', f, 'EXECUTE') THEN
            EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
        END IF;
    END LOOP;
END
$$;
GRANT EXECUTE ON FUNCTION pg_advisory_xact_lock(bigint), pg_advisory_xact_lock_shared(bigint) TO mq;
-- The services hold none: their migrator serializes on its bookkeeping table instead, so no service
-- can fill the lock table with advisory locks. A grant of an earlier bootstrap is taken back.
DO $$
DECLARE
    svc text;
BEGIN
    FOREACH svc IN ARRAY ARRAY['intake', 'digitization', 'payment', 'communication', 'reporting'] LOOP
        IF has_function_privilege(svc, 'pg_advisory_lock(integer, integer)', 'EXECUTE') THEN
            EXECUTE format('REVOKE EXECUTE ON FUNCTION pg_advisory_lock(integer, integer), '
                           'pg_advisory_unlock(integer, integer) FROM %I', svc);
        END IF;
    END LOOP;
END
$$;

-- Audit trails (ARCHITECTURE §8): each service's in schema audit, owned by role audit, so that the
-- service (which owns its own schema, and could drop anything in it) may only append and read.
-- A service's first migration calls audit.create_trail(); AuditTrail.record appends through
-- audit.chain_head (the chain's head, locked) and audit.append (the record, after its head). Each
-- acts on the calling role's trail only (session_user).
REVOKE ALL ON SCHEMA audit FROM PUBLIC;
GRANT USAGE ON SCHEMA audit TO intake, digitization, payment, communication, reporting;
SET LOCAL ROLE audit;

-- Creates the calling service's trail, audit.<role>_trail, and its chains' heads,
-- audit.<role>_chain_head, if missing; the role may read both, and append only through
-- audit.append (a row inserted directly could take a chain's next number without moving its head,
-- and every later append to that chain would fail).
CREATE OR REPLACE FUNCTION audit.create_trail() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    trail text := session_user || '_trail';
    heads text := session_user || '_chain_head';
BEGIN
    IF session_user NOT IN ('intake', 'digitization', 'payment', 'communication', 'reporting') THEN
        RAISE EXCEPTION 'audit.create_trail: run a service''s migrations as its own role, not as %', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS audit.%I (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at timestamptz NOT NULL,
            unit_code text NOT NULL,
            actor text NOT NULL,
            actor_name text,
            action text NOT NULL,
            subject text NOT NULL,
            request_id text,
            details jsonb NOT NULL DEFAULT '{}',
            seq bigint NOT NULL CHECK (seq > 0),
            prev_hash bytea,
            hash bytea NOT NULL,
            UNIQUE (unit_code, subject, seq)
        )$sql$, trail);
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON audit.%I (unit_code, at)', trail || '_unit_at', trail);
    EXECUTE format($sql$
        CREATE TABLE IF NOT EXISTS audit.%I (
            unit_code text NOT NULL,
            subject text NOT NULL,
            seq bigint NOT NULL,
            hash bytea,
            PRIMARY KEY (unit_code, subject)
        )$sql$, heads);
    EXECUTE format('GRANT SELECT ON audit.%I TO %I', trail, session_user);
    EXECUTE format('GRANT SELECT ON audit.%I TO %I', heads, session_user);
END
$$;

-- The head of one chain of the calling service's trail (created at 0 if new), locked until the
-- transaction ends so that appends to the chain wait for each other.
CREATE OR REPLACE FUNCTION audit.chain_head(unit_code text, subject text, OUT seq bigint, OUT hash bytea)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    heads text := session_user || '_chain_head';
BEGIN
    EXECUTE format('INSERT INTO audit.%I (unit_code, subject, seq) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING', heads)
        USING unit_code, subject;
    EXECUTE format('SELECT seq, hash FROM audit.%I WHERE unit_code = $1 AND subject = $2 FOR UPDATE', heads)
        INTO seq, hash USING unit_code, subject;
END
$$;

-- Appends a record to one chain of the calling service's trail and moves the chain's head to it:
-- only the record right after the head (seq and prev_hash its), so a chain never forks.
CREATE OR REPLACE FUNCTION audit.append(
    unit_code text, subject text, seq bigint, at timestamptz, actor text, actor_name text, action text,
    request_id text, details jsonb, prev_hash bytea, hash bytea) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    trail text := session_user || '_trail';
    heads text := session_user || '_chain_head';
    head_seq bigint;
    head_hash bytea;
BEGIN
    EXECUTE format('SELECT seq, hash FROM audit.%I WHERE unit_code = $1 AND subject = $2 FOR UPDATE', heads)
        INTO head_seq, head_hash USING unit_code, subject;
    IF head_seq IS DISTINCT FROM seq - 1 OR head_hash IS DISTINCT FROM prev_hash THEN
        RAISE EXCEPTION 'audit.append: record % of % % does not follow its chain''s head (%)', seq, unit_code, subject, head_seq
            USING ERRCODE = 'check_violation';
    END IF;
    EXECUTE format($sql$
        INSERT INTO audit.%I (at, unit_code, actor, actor_name, action, subject, request_id, details, seq, prev_hash, hash)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)$sql$, trail)
        USING at, unit_code, actor, actor_name, action, subject, request_id, details, seq, prev_hash, hash;
    EXECUTE format('UPDATE audit.%I SET seq = $3, hash = $4 WHERE unit_code = $1 AND subject = $2', heads)
        USING unit_code, subject, seq, hash;
END
$$;

-- Trails created by an earlier bootstrap granted INSERT: taken back.
DO $$
DECLARE
    svc text;
BEGIN
    FOREACH svc IN ARRAY ARRAY['intake', 'digitization', 'payment', 'communication', 'reporting'] LOOP
        IF to_regclass(format('audit.%I', svc || '_trail')) IS NOT NULL
           AND has_table_privilege(svc, format('audit.%I', svc || '_trail'), 'INSERT') THEN
            EXECUTE format('REVOKE INSERT ON audit.%I FROM %I', svc || '_trail', svc);
        END IF;
    END LOOP;
END
$$;

REVOKE ALL ON FUNCTION audit.create_trail(), audit.chain_head(text, text),
    audit.append(text, text, bigint, timestamptz, text, text, text, text, jsonb, bytea, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION audit.create_trail(), audit.chain_head(text, text),
    audit.append(text, text, bigint, timestamptz, text, text, text, text, jsonb, bytea, bytea)
TO intake, digitization, payment, communication, reporting;
RESET ROLE;

-- Units (ARCHITECTURE §6): every table a service owns that holds a unit's data carries unit_code
-- and a row-level security policy reading the scope through these functions
-- (UnitScope.rowLevelSecurity):
--     USING (scope.readable_unit() IS NULL OR unit_code = scope.readable_unit()
--            OR scope.in_province(unit_code, scope.readable_province()))
--     WITH CHECK (unit_code = scope.unit())
-- The toolkit sets, with set_config(…, true) at the start of each transaction, motcua.unit (the
-- unit written, and read), motcua.province (a province role: the units of that province are read)
-- and motcua.read_all (a system read of every unit); a statement run with none fails loudly
-- instead of seeing nothing or everything. A unit belongs to the province its code starts with:
-- the first segment of its agency code (H01.40.23 is in H01), and a province's own rows (its
-- staff accounts) have unit_code 'province:<code>' — so every service's policies know a unit's
-- province from the row itself, without a copy of intake's units. They guard against a forgotten
-- or wrong scope in a service's own code, not against a compromised service (its role could set
-- the settings itself).
CREATE SCHEMA IF NOT EXISTS scope;
REVOKE ALL ON SCHEMA scope FROM PUBLIC;
GRANT USAGE ON SCHEMA scope TO intake, digitization, payment, communication, reporting;

-- Whether the unit (or the province's own rows, 'province:<code>') belongs to province. Plain SQL,
-- IMMUTABLE and without SET, so that the planner inlines it into each policy; NULL when province
-- is NULL (a unit's scope reads no other unit).
CREATE OR REPLACE FUNCTION scope.in_province(unit_code text, province text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT pg_catalog.split_part(unit_code, '.', 1) OPERATOR(pg_catalog.=) province
        OR unit_code OPERATOR(pg_catalog.=) ('province:' OPERATOR(pg_catalog.||) province)
$$;

-- The province whose units the transaction reads, or NULL.
CREATE OR REPLACE FUNCTION scope.readable_province() RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog AS $$
    SELECT nullif(current_setting('motcua.province', true), '')
$$;

-- The unit whose rows the transaction writes (and reads, unless it reads all units); within the
-- province in scope, if any.
CREATE OR REPLACE FUNCTION scope.unit() RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog AS $$
DECLARE
    unit text := current_setting('motcua.unit', true);
    province text := scope.readable_province();
BEGIN
    IF unit IS NULL OR unit = '' THEN
        RAISE EXCEPTION 'no unit in scope'
            USING ERRCODE = '42501',
                  DETAIL = 'This statement touches rows of a unit, but the transaction names no unit.',
                  HINT = 'Run it in a transaction the toolkit scoped to a unit (ServiceContext.transaction).';
    END IF;
    IF province IS NOT NULL AND NOT scope.in_province(unit, province) THEN
        RAISE EXCEPTION 'unit % is not in province %', unit, province
            USING ERRCODE = '42501',
                  DETAIL = 'A province''s scope writes only into a unit of that province.';
    END IF;
    RETURN unit;
END
$$;

-- The one unit a transaction reads: NULL when it reads every unit (a system read); for a
-- province's scope, the unit it writes in if any (checked to be the province's), else '' (no
-- unit's code): the province's units come through scope.readable_province().
CREATE OR REPLACE FUNCTION scope.readable_unit() RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog AS $$
BEGIN
    IF current_setting('motcua.read_all', true) = 'on' THEN
        RETURN NULL;
    END IF;
    IF scope.readable_province() IS NOT NULL AND coalesce(current_setting('motcua.unit', true), '') = '' THEN
        RETURN '';
    END IF;
    RETURN scope.unit();
END
$$;

REVOKE ALL ON FUNCTION scope.unit(), scope.readable_unit(), scope.readable_province(), scope.in_province(text, text)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION scope.unit(), scope.readable_unit(), scope.readable_province(),
    scope.in_province(text, text) TO intake, digitization, payment, communication, reporting;

import Postgres

/// The queue's tables and functions in schema `mq`, all owned by the NOLOGIN role `mq`.
///
/// Services never touch the tables: they call the SECURITY DEFINER functions, which take the
/// consumer's name from `session_user`, so a service role acts only as its own consumer
/// (ARCHITECTURE.md §3–§4).
public enum QueueSchema {
    /// The numbered migrations of schema `mq`, applied by `migrate(_:)`.
    public static let migrations: [Migration] = [
        Migration(1, "events, subscriptions, deliveries", tables),
        Migration(2, "subscribe, publish, claim, ack, fail, redrive, stats", functions),
    ]

    /// Applies pending migrations as role `mq`, through a superuser pool (deploy or tests).
    ///
    /// Each migration runs under `SET LOCAL ROLE mq` so that every object it creates belongs to
    /// `mq`, and the functions' SECURITY DEFINER rights are `mq`'s, not the superuser's.
    @discardableResult
    public static func migrate(_ pool: PostgresPool) async throws -> [Int] {
        let asQueueOwner = migrations.map {
            Migration($0.version, $0.name, "SET LOCAL ROLE mq;\n" + $0.sql + "\nRESET ROLE;")
        }
        let applied = try await Migrator(schema: "mq", migrations: asQueueOwner).migrate(pool)
        // The migrator creates its bookkeeping table as the connected superuser.
        try await pool.query("ALTER TABLE mq.schema_migrations OWNER TO mq")
        return applied
    }

    /// The event log, the subscriptions, and the hot table of pending deliveries.
    ///
    /// `mq.events` is meant to be partitioned by month (`published_at`) with old partitions
    /// detached after the retention period; that is not done yet, so `deliveries.event_id` carries
    /// no foreign key (it would forbid dropping a partition) and the log grows without bound.
    static let tables = """
        CREATE TABLE mq.events (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            topic text NOT NULL,
            key text NOT NULL,
            payload jsonb NOT NULL,
            producer text NOT NULL,
            published_at timestamptz NOT NULL DEFAULT now()
        );

        CREATE TABLE mq.subscriptions (
            topic text NOT NULL,
            consumer text NOT NULL,
            subscribed_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (topic, consumer)
        );

        -- One row per event per subscribed consumer, deleted when acknowledged: small and hot,
        -- so autovacuum runs after a fixed number of dead rows, not a fraction of the table.
        CREATE TABLE mq.deliveries (
            consumer text NOT NULL,
            event_id bigint NOT NULL,
            key text NOT NULL,
            state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'dead')),
            attempts integer NOT NULL DEFAULT 0,
            available_at timestamptz NOT NULL DEFAULT now(),
            lease_until timestamptz,
            last_error text,
            PRIMARY KEY (consumer, event_id)
        ) WITH (
            autovacuum_vacuum_scale_factor = 0,
            autovacuum_vacuum_threshold = 500,
            autovacuum_vacuum_insert_scale_factor = 0,
            autovacuum_vacuum_insert_threshold = 1000,
            autovacuum_analyze_scale_factor = 0,
            autovacuum_analyze_threshold = 1000,
            autovacuum_vacuum_cost_delay = 0
        );

        -- The claim walks a consumer's pending deliveries oldest first ...
        CREATE INDEX deliveries_claim ON mq.deliveries (consumer, event_id) WHERE state = 'pending';
        -- ... and asks, for each, whether an older pending one of the same key exists.
        CREATE INDEX deliveries_key_order ON mq.deliveries (consumer, key, event_id) WHERE state = 'pending';

        REVOKE ALL ON mq.events, mq.subscriptions, mq.deliveries FROM PUBLIC;
        """

    /// The only way in for services: SECURITY DEFINER functions keyed on `session_user`.
    static let functions = """
        -- Subscribes the calling role to topics; with from_beginning, also delivers the events of
        -- those topics already in the log (only for topics it was not yet subscribed to).
        CREATE FUNCTION mq.subscribe(topics text[], from_beginning boolean DEFAULT false)
        RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        DECLARE
            added text[];
        BEGIN
            WITH inserted AS (
                INSERT INTO mq.subscriptions (topic, consumer)
                SELECT DISTINCT t, session_user FROM unnest(topics) AS t
                ON CONFLICT DO NOTHING
                RETURNING topic
            )
            SELECT coalesce(array_agg(topic), '{}') INTO added FROM inserted;
            IF from_beginning THEN
                INSERT INTO mq.deliveries (consumer, event_id, key)
                SELECT session_user, e.id, e.key FROM mq.events e WHERE e.topic = ANY (added)
                ON CONFLICT DO NOTHING;
            END IF;
            RETURN cardinality(added);
        END
        $$;

        -- Appends an event and one delivery per subscribed consumer, in the caller's transaction.
        -- The advisory lock on the key makes events of one key commit in id order, which is the
        -- order the claim hands them out in. PostgreSQL collapses identical notifications within
        -- a transaction, so a consumer is woken once per transaction however many events it gets.
        CREATE FUNCTION mq.publish(topic text, key text, payload jsonb)
        RETURNS bigint
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        DECLARE
            new_id bigint;
            receiver text;
        BEGIN
            PERFORM pg_advisory_xact_lock(7472686, hashtext(publish.key));
            INSERT INTO mq.events (topic, key, payload, producer)
            VALUES (publish.topic, publish.key, publish.payload, session_user)
            RETURNING id INTO new_id;
            FOR receiver IN
                INSERT INTO mq.deliveries (consumer, event_id, key)
                SELECT s.consumer, new_id, publish.key FROM mq.subscriptions s WHERE s.topic = publish.topic
                RETURNING consumer
            LOOP
                PERFORM pg_notify('mq_' || receiver, '');
            END LOOP;
            RETURN new_id;
        END
        $$;

        -- Locks and returns up to max_count deliveries of the calling role that are due, at most one
        -- per key: the oldest pending one (a dead delivery no longer holds its key back).
        -- attempt is the number of this try, 1 for the first.
        CREATE FUNCTION mq.claim(max_count integer)
        RETURNS TABLE (event_id bigint, topic text, key text, payload jsonb, attempt integer, published_at timestamptz)
        LANGUAGE sql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
            WITH claimed AS (
                SELECT d.event_id, d.attempts
                FROM mq.deliveries d
                WHERE d.consumer = session_user
                  AND d.state = 'pending'
                  AND d.available_at <= now()
                  AND NOT EXISTS (
                      SELECT FROM mq.deliveries older
                      WHERE older.consumer = d.consumer AND older.key = d.key
                        AND older.state = 'pending' AND older.event_id < d.event_id)
                ORDER BY d.event_id
                LIMIT max_count
                FOR UPDATE OF d SKIP LOCKED
            )
            SELECT e.id, e.topic, e.key, e.payload, c.attempts + 1, e.published_at
            FROM claimed c JOIN mq.events e ON e.id = c.event_id
            ORDER BY e.id
        $$;

        -- Acknowledges deliveries of the calling role by deleting them; returns how many.
        CREATE FUNCTION mq.ack(event_ids bigint[])
        RETURNS integer
        LANGUAGE sql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
            WITH deleted AS (
                DELETE FROM mq.deliveries WHERE consumer = session_user AND event_id = ANY (event_ids)
                RETURNING 1
            )
            SELECT count(*)::integer FROM deleted
        $$;

        -- Records a failed attempt: due again at retry_at, or dead once max_attempts are used.
        -- Returns the delivery's new state, or NULL if the calling role has no such pending delivery.
        CREATE FUNCTION mq.fail(event_id bigint, error text, retry_at timestamptz, max_attempts integer)
        RETURNS text
        LANGUAGE sql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
            UPDATE mq.deliveries d
            SET attempts = d.attempts + 1,
                last_error = fail.error,
                state = CASE WHEN d.attempts + 1 >= fail.max_attempts THEN 'dead' ELSE 'pending' END,
                available_at = CASE WHEN d.attempts + 1 >= fail.max_attempts THEN d.available_at ELSE fail.retry_at END
            WHERE d.consumer = session_user AND d.event_id = fail.event_id AND d.state = 'pending'
            RETURNING d.state
        $$;

        -- Makes dead deliveries of the calling role pending again with a fresh count of attempts:
        -- those listed, or all of them when event_ids is NULL. Returns how many.
        CREATE FUNCTION mq.redrive(event_ids bigint[] DEFAULT NULL)
        RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        DECLARE
            revived integer;
        BEGIN
            UPDATE mq.deliveries
            SET state = 'pending', attempts = 0, available_at = now()
            WHERE consumer = session_user AND state = 'dead' AND (event_ids IS NULL OR event_id = ANY (event_ids));
            GET DIAGNOSTICS revived = ROW_COUNT;
            IF revived > 0 THEN
                PERFORM pg_notify('mq_' || session_user, '');
            END IF;
            RETURN revived;
        END
        $$;

        -- Deliveries by consumer, topic and state: the calling role's, or everyone's for a superuser.
        CREATE FUNCTION mq.stats()
        RETURNS TABLE (consumer text, topic text, state text, deliveries bigint, oldest_published_at timestamptz)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
            SELECT d.consumer, e.topic, d.state, count(*), min(e.published_at)
            FROM mq.deliveries d JOIN mq.events e ON e.id = d.event_id
            WHERE d.consumer = session_user
               OR (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user)
            GROUP BY d.consumer, e.topic, d.state
            ORDER BY d.consumer, e.topic, d.state
        $$;

        REVOKE ALL ON FUNCTION
            mq.subscribe(text[], boolean), mq.publish(text, text, jsonb), mq.claim(integer), mq.ack(bigint[]),
            mq.fail(bigint, text, timestamptz, integer), mq.redrive(bigint[]), mq.stats()
        FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION
            mq.subscribe(text[], boolean), mq.publish(text, text, jsonb), mq.claim(integer), mq.ack(bigint[]),
            mq.fail(bigint, text, timestamptz, integer), mq.redrive(bigint[]), mq.stats()
        TO intake, digitization, payment, communication, reporting;
        """
}

import Foundation
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
        Migration(
            3, "cheaper claim: index-only plans, a starting hint, more_of_key; next_due of later ones", cheaperClaim),
        Migration(4, "places in line: a redriven delivery waits behind its key's; lease renew and release", places),
        Migration(
            5, "trust boundary: topic rights, the producer in a claim, bounds, locks out of reach, maintenance apart",
            trustBoundary),
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
        // The services may not maintain the log (migration 5): each migration makes the months ahead.
        try await pool.query("SELECT mq.maintain()")
        return applied
    }

    /// Replaces the topic rights with `topics` (through a superuser pool, as `migrate`): publish
    /// and subscribe then allow exactly these, and the subscriptions (with their deliveries) that
    /// they no longer allow end. ServiceKit writes the event catalogue's here.
    public static func writeTopics(_ topics: [TopicRights], _ pool: PostgresPool) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let rights = String(decoding: try encoder.encode(topics), as: UTF8.self)
        try await pool.query("SELECT mq.replace_topics($1::jsonb)", [rights])
    }

    /// The event log (partitioned by month), the subscriptions, and the hot table of deliveries.
    ///
    /// `deliveries` carries each event's `published_at`, so the claim's join to `events` prunes
    /// to one partition, and a partition can be dropped once no delivery points into it.
    static let tables = """
        CREATE SEQUENCE mq.events_id_seq AS bigint;

        CREATE TABLE mq.events (
            id bigint NOT NULL DEFAULT nextval('mq.events_id_seq'),
            topic text NOT NULL,
            key text NOT NULL,
            payload jsonb NOT NULL,
            producer text NOT NULL,
            -- The insert's own clock, not the transaction's start: close to the commit, so the
            -- publish-to-handler latency measured from it is honest.
            published_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            PRIMARY KEY (id, published_at)
        ) PARTITION BY RANGE (published_at);
        ALTER SEQUENCE mq.events_id_seq OWNED BY mq.events.id;
        -- Catches events outside the monthly partitions (maintenance late); never dropped.
        CREATE TABLE mq.events_default PARTITION OF mq.events DEFAULT;
        -- Replaying a topic from the beginning reads it in order.
        CREATE INDEX events_topic ON mq.events (topic, id);

        CREATE TABLE mq.subscriptions (
            topic text NOT NULL,
            consumer text NOT NULL,
            subscribed_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (topic, consumer)
        );

        -- How long the event log keeps a month after it ends (while no delivery needs it).
        CREATE TABLE mq.settings (
            only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
            retention interval NOT NULL DEFAULT '13 months'
        );
        INSERT INTO mq.settings DEFAULT VALUES;

        -- One row per event per subscribed consumer, deleted when acknowledged: small and hot,
        -- so autovacuum runs after a fixed number of dead rows, not a fraction of the table.
        CREATE TABLE mq.deliveries (
            consumer text NOT NULL,
            event_id bigint NOT NULL,
            published_at timestamptz NOT NULL,
            key text NOT NULL,
            state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'dead')),
            attempts integer NOT NULL DEFAULT 0,
            available_at timestamptz NOT NULL DEFAULT now(),
            lease_until timestamptz,
            last_error text,
            PRIMARY KEY (consumer, event_id)
        ) WITH (
            fillfactor = 80,
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

        REVOKE ALL ON mq.events, mq.subscriptions, mq.deliveries, mq.settings FROM PUBLIC;
        """

    /// A cheaper claim, found by measuring (`deploy/bench/queue`, auto_explain):
    /// - `mq.due` in PL/pgSQL, whose plan is cached per session: as an SQL function it was parsed
    ///   and planned at every claim (0.9 ms of planning against 0.1 ms of execution);
    /// - the claimed events read by index one by one, never by a join that a plan cached while
    ///   the log was small keeps as a hash join over the month's whole partition (2 ms a claim
    ///   at 5,000 events, and growing);
    /// - the hot functions planned with index paths only, and their cheap statements planned at
    ///   each call with their values: the ack's cached generic plan read every delivery of the
    ///   consumer to delete a few;
    /// - `after_id`, where the claim's walk starts: the consumer's hint of where its pending
    ///   deliveries begin, so that the acknowledged rows an old snapshot keeps in the index
    ///   (an idle REPEATABLE READ transaction) are not walked at every claim;
    /// - `more_of_key` on each claimed row: whether a later pending delivery of its key waits
    ///   behind it. A batch that came back short with no such row has drained what the consumer
    ///   may take now, and it waits for the next NOTIFY instead of claiming again;
    /// - `mq.next_due` counts only retries and leases: with fresh deliveries waiting behind their
    ///   key's older one it answered "now", and the consumer's retry timer fired at once, again
    ///   and again. (A retry already due still counts: it may have fallen due between the claim
    ///   that missed it and this question.)
    static let cheaperClaim = """
        DROP FUNCTION mq.claim(text, integer, integer, interval);
        DROP FUNCTION mq.due(text, integer);

        -- after_id: where the walk starts. While a snapshot older than the acknowledgements is
        -- open (a long report, an idle REPEATABLE READ transaction), their deleted rows stay in
        -- the index, and a walk from the consumer's first row meets every one of them.
        CREATE FUNCTION mq.due(consumer text, max_count integer, after_id bigint DEFAULT NULL)
        RETURNS TABLE (event_id bigint, published_at timestamptz, attempts integer, leased boolean)
        LANGUAGE plpgsql ROWS 16 SET search_path = mq, pg_temp
        AS $$
        BEGIN
            RETURN QUERY
            SELECT d.event_id, d.published_at, d.attempts, d.lease_until IS NOT NULL
            FROM mq.deliveries d
            WHERE d.consumer = due.consumer
              AND d.event_id > coalesce(due.after_id, 0)
              AND d.state = 'pending'
              AND d.available_at <= now()
              AND (d.lease_until IS NULL OR d.lease_until <= now())
              AND d.event_id = (
                  SELECT min(older.event_id) FROM mq.deliveries older
                  WHERE older.consumer = d.consumer AND older.key = d.key AND older.state = 'pending')
            ORDER BY d.event_id
            LIMIT max_count
            FOR UPDATE OF d SKIP LOCKED;
        END
        $$;

        CREATE OR REPLACE FUNCTION mq.next_due(consumer text)
        RETURNS timestamptz
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        BEGIN
            PERFORM mq.authorize(consumer);
            RETURN (SELECT min(greatest(d.available_at, coalesce(d.lease_until, d.available_at)))
                    FROM mq.deliveries d
                    WHERE d.consumer = next_due.consumer AND d.state = 'pending'
                      AND (d.attempts > 0 OR d.lease_until IS NOT NULL));
        END
        $$;

        -- after_id: deliveries with a greater event id only (the consumer's hint of where its
        -- pending deliveries begin; see mq.due); NULL for all.
        CREATE FUNCTION mq.claim(
            consumer text, max_count integer, max_attempts integer, lease interval DEFAULT NULL,
            after_id bigint DEFAULT NULL)
        RETURNS TABLE (event_id bigint, topic text, key text, payload jsonb, attempt integer, published_at timestamptz,
                       more_of_key boolean)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        BEGIN
            PERFORM mq.authorize(consumer);
            IF lease IS NULL THEN
                RETURN QUERY
                SELECT e.id, e.topic, e.key, e.payload, c.attempts + 1, e.published_at,
                       EXISTS (SELECT FROM mq.deliveries later
                               WHERE later.consumer = claim.consumer AND later.key = e.key
                                 AND later.state = 'pending' AND later.event_id > e.id)
                FROM mq.due(claim.consumer, claim.max_count, claim.after_id) c
                CROSS JOIN LATERAL (
                    -- One index lookup in the event's month (OFFSET 0 keeps it a lookup per row:
                    -- a join planned while the log was small stayed, in the session's cached
                    -- plan, a hash join over the month's whole partition).
                    SELECT ev.* FROM mq.events ev
                    WHERE ev.id = c.event_id AND ev.published_at = c.published_at OFFSET 0) e
                ORDER BY e.id;
                RETURN;
            END IF;
            UPDATE mq.deliveries d
            SET state = 'dead', lease_until = NULL, attempts = d.attempts + 1,
                last_error = 'lease expired (the consumer stopped or took too long)'
            WHERE d.consumer = claim.consumer AND d.state = 'pending' AND d.lease_until <= now()
              AND d.attempts + 1 >= max_attempts;
            RETURN QUERY
            WITH claimed AS (
                -- A lease still set on a due delivery has expired: that try counts as failed.
                -- The rows by their key (an index lookup each), not by a join to mq.due that a
                -- cached plan could make a scan of the whole table.
                UPDATE mq.deliveries d
                SET lease_until = now() + lease,
                    attempts = d.attempts + (d.lease_until IS NOT NULL)::integer,
                    last_error = CASE WHEN d.lease_until IS NOT NULL THEN 'lease expired' ELSE d.last_error END
                WHERE d.consumer = claim.consumer
                  AND d.event_id = ANY (ARRAY(SELECT due.event_id FROM mq.due(claim.consumer, claim.max_count, claim.after_id) due))
                RETURNING d.event_id, d.published_at, d.attempts
            )
            SELECT e.id, e.topic, e.key, e.payload, c.attempts + 1, e.published_at,
                   EXISTS (SELECT FROM mq.deliveries later
                           WHERE later.consumer = claim.consumer AND later.key = e.key
                             AND later.state = 'pending' AND later.event_id > e.id)
            FROM claimed c CROSS JOIN LATERAL (
                -- As above: one index lookup per claimed row.
                SELECT ev.* FROM mq.events ev
                WHERE ev.id = c.event_id AND ev.published_at = c.published_at OFFSET 0) e
            ORDER BY e.id;
        END
        $$;

        -- PL/pgSQL caches a statement's plan for the session; after five runs a generic one,
        -- planned without the parameters' values. The ack's generic plan scanned the table
        -- (planned while it was small) or, with sequential scans off, read every delivery of the
        -- consumer by its name and filtered the ids (4,000 rows for 1). So: the claim, ack and
        -- fail statements, cheap to plan, are planned at each call with their values; due's
        -- query, dear to plan (0.9 ms), keeps its cached plan, which is the index walk it is
        -- meant to be once sequential scans are off. No plan of these may scan the hot table.
        ALTER FUNCTION mq.due(text, integer, bigint) SET enable_seqscan = off;
        ALTER FUNCTION mq.claim(text, integer, integer, interval, bigint)
            SET enable_seqscan = off SET plan_cache_mode = force_custom_plan;
        ALTER FUNCTION mq.ack(text, bigint[]) SET enable_seqscan = off SET plan_cache_mode = force_custom_plan;
        ALTER FUNCTION mq.fail(text, bigint, text, timestamptz, integer)
            SET enable_seqscan = off SET plan_cache_mode = force_custom_plan;

        REVOKE ALL ON FUNCTION mq.due(text, integer, bigint), mq.claim(text, integer, integer, interval, bigint)
        FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION mq.claim(text, integer, integer, interval, bigint)
        TO intake, digitization, payment, communication, reporting;
        """

    /// Places in line, and leases a consumer keeps or gives back:
    /// - `place`, a delivery's turn in its consumer's line (the claim walks and orders by it, and
    ///   a delivery is its key's head by it): its event's id when published; a fresh number from
    ///   the events' sequence when redriven, so a redriven delivery joins the back of its key's
    ///   line. Ordered by event id, a redriven E1 became its key's head at once while E2 of the same
    ///   key was in its handler (row locked or leased), and the two ran together. `mq.redrive`
    ///   takes `mq.publish`'s key locks, so a publish of the key in flight commits before its
    ///   places are handed out and one after gets a later id;
    /// - `mq.renew`: a leased consumer extends the leases of its batch while its handlers run, so
    ///   a handler longer than the lease does not let another instance start the key's delivery;
    /// - `mq.release`: a consumer stopping gives back the leases of what it did not finish, so
    ///   another instance claims them at once, not when they expire; a released try does not count.
    ///
    /// Renew and release act on a lease only while it is the caller's: its `attempt` (as
    /// `mq.claim` returned it) still matches, so a lease that expired and went to another instance
    /// is left alone.
    static let places = """
        ALTER TABLE mq.deliveries ADD COLUMN place bigint;
        UPDATE mq.deliveries SET place = event_id;
        ALTER TABLE mq.deliveries ALTER COLUMN place SET NOT NULL;
        DROP INDEX mq.deliveries_claim;
        DROP INDEX mq.deliveries_key_order;
        -- The claim walks a consumer's pending deliveries in line ...
        CREATE INDEX deliveries_claim ON mq.deliveries (consumer, place) WHERE state = 'pending';
        -- ... and asks, for each, whether one of the same key is before it.
        CREATE INDEX deliveries_key_order ON mq.deliveries (consumer, key, place) WHERE state = 'pending';

        DROP FUNCTION mq.claim(text, integer, integer, interval, bigint);
        DROP FUNCTION mq.due(text, integer, bigint);

        -- Locks (SKIP LOCKED) up to max_count due deliveries of a consumer in line, at most one per
        -- key: its head, the first pending one (a dead delivery no longer holds its key back).
        -- after_place: where the walk starts (see migration 3's after_id).
        CREATE FUNCTION mq.due(consumer text, max_count integer, after_place bigint DEFAULT NULL)
        RETURNS TABLE (event_id bigint, place bigint, published_at timestamptz, attempts integer, leased boolean)
        LANGUAGE plpgsql ROWS 16 SET search_path = mq, pg_temp
        AS $$
        BEGIN
            RETURN QUERY
            SELECT d.event_id, d.place, d.published_at, d.attempts, d.lease_until IS NOT NULL
            FROM mq.deliveries d
            WHERE d.consumer = due.consumer
              AND d.place > coalesce(due.after_place, 0)
              AND d.state = 'pending'
              AND d.available_at <= now()
              AND (d.lease_until IS NULL OR d.lease_until <= now())
              AND d.place = (
                  SELECT min(older.place) FROM mq.deliveries older
                  WHERE older.consumer = d.consumer AND older.key = d.key AND older.state = 'pending')
            ORDER BY d.place
            LIMIT max_count
            FOR UPDATE OF d SKIP LOCKED;
        END
        $$;

        -- Hands out up to max_count due deliveries of a consumer (see mq.due) in line. Without a
        -- lease the rows stay locked until the caller's transaction ends (transactional mode);
        -- with one, they are leased until now() + lease and the caller commits at once (leased
        -- mode). A lease that expired counts as a failed try; at max_attempts the delivery is dead
        -- instead. attempt is the number of this try, 1 for the first; more_of_key whether a later
        -- pending delivery of its key waits behind it; place its place in line (the next claim's
        -- after_place hint).
        CREATE FUNCTION mq.claim(
            consumer text, max_count integer, max_attempts integer, lease interval DEFAULT NULL,
            after_place bigint DEFAULT NULL)
        RETURNS TABLE (event_id bigint, topic text, key text, payload jsonb, attempt integer, published_at timestamptz,
                       more_of_key boolean, place bigint)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        BEGIN
            PERFORM mq.authorize(consumer);
            IF lease IS NULL THEN
                RETURN QUERY
                SELECT e.id, e.topic, e.key, e.payload, c.attempts + 1, e.published_at,
                       EXISTS (SELECT FROM mq.deliveries later
                               WHERE later.consumer = claim.consumer AND later.key = e.key
                                 AND later.state = 'pending' AND later.place > c.place),
                       c.place
                FROM mq.due(claim.consumer, claim.max_count, claim.after_place) c
                CROSS JOIN LATERAL (
                    -- One index lookup in the event's month (see migration 3).
                    SELECT ev.* FROM mq.events ev
                    WHERE ev.id = c.event_id AND ev.published_at = c.published_at OFFSET 0) e
                ORDER BY c.place;
                RETURN;
            END IF;
            UPDATE mq.deliveries d
            SET state = 'dead', lease_until = NULL, attempts = d.attempts + 1,
                last_error = 'lease expired (the consumer stopped or took too long)'
            WHERE d.consumer = claim.consumer AND d.state = 'pending' AND d.lease_until <= now()
              AND d.attempts + 1 >= max_attempts;
            RETURN QUERY
            WITH claimed AS (
                -- A lease still set on a due delivery has expired: that try counts as failed.
                UPDATE mq.deliveries d
                SET lease_until = now() + lease,
                    attempts = d.attempts + (d.lease_until IS NOT NULL)::integer,
                    last_error = CASE WHEN d.lease_until IS NOT NULL THEN 'lease expired' ELSE d.last_error END
                WHERE d.consumer = claim.consumer
                  AND d.event_id = ANY (ARRAY(SELECT due.event_id FROM mq.due(claim.consumer, claim.max_count, claim.after_place) due))
                RETURNING d.event_id, d.place, d.published_at, d.attempts
            )
            SELECT e.id, e.topic, e.key, e.payload, c.attempts + 1, e.published_at,
                   EXISTS (SELECT FROM mq.deliveries later
                           WHERE later.consumer = claim.consumer AND later.key = e.key
                             AND later.state = 'pending' AND later.place > c.place),
                   c.place
            FROM claimed c CROSS JOIN LATERAL (
                SELECT ev.* FROM mq.events ev
                WHERE ev.id = c.event_id AND ev.published_at = c.published_at OFFSET 0) e
            ORDER BY c.place;
        END
        $$;

        -- As migration 2's, with each delivery's place: its event's id.
        CREATE OR REPLACE FUNCTION mq.publish(topic text, keys text[], payloads jsonb[])
        RETURNS TABLE (event_ids bigint[], consumers text[])
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        DECLARE
            key_name text;
        BEGIN
            IF cardinality(keys) IS DISTINCT FROM cardinality(payloads) THEN
                RAISE EXCEPTION 'mq.publish: % keys but % payloads', cardinality(keys), cardinality(payloads)
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
            PERFORM pg_advisory_xact_lock_shared(7472687, hashtext(publish.topic));
            FOREACH key_name IN ARRAY (SELECT array_agg(DISTINCT k ORDER BY k) FROM unnest(keys) k) LOOP
                PERFORM pg_advisory_xact_lock(7472686, hashtext(key_name));
            END LOOP;
            RETURN QUERY
            WITH inserted AS (
                INSERT INTO mq.events (topic, key, payload, producer)
                SELECT publish.topic, k, p, session_user
                FROM unnest(keys, payloads) WITH ORDINALITY AS u(k, p, n)
                ORDER BY n
                RETURNING id, key, published_at
            ), fanned AS (
                INSERT INTO mq.deliveries (consumer, event_id, published_at, key, place)
                SELECT s.consumer, i.id, i.published_at, i.key, i.id
                FROM inserted i CROSS JOIN mq.subscriptions s
                WHERE s.topic = publish.topic
                RETURNING consumer
            )
            SELECT (SELECT array_agg(id ORDER BY id) FROM inserted),
                   (SELECT coalesce(array_agg(DISTINCT consumer), '{}') FROM fanned);
        END
        $$;

        -- As migration 2's, with each replayed delivery's place: its event's id.
        CREATE OR REPLACE FUNCTION mq.subscribe(consumer text, topics text[], from_beginning boolean DEFAULT false)
        RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        DECLARE
            added text[];
            topic_name text;
        BEGIN
            PERFORM mq.authorize(consumer);
            FOREACH topic_name IN ARRAY (SELECT array_agg(DISTINCT t ORDER BY t) FROM unnest(topics) t) LOOP
                PERFORM pg_advisory_xact_lock(7472687, hashtext(topic_name));
            END LOOP;
            WITH inserted AS (
                INSERT INTO mq.subscriptions (topic, consumer)
                SELECT DISTINCT t, subscribe.consumer FROM unnest(topics) AS t
                ON CONFLICT DO NOTHING
                RETURNING topic
            )
            SELECT coalesce(array_agg(topic), '{}') INTO added FROM inserted;
            IF from_beginning THEN
                INSERT INTO mq.deliveries (consumer, event_id, published_at, key, place)
                SELECT subscribe.consumer, e.id, e.published_at, e.key, e.id FROM mq.events e WHERE e.topic = ANY (added)
                ORDER BY e.id
                ON CONFLICT DO NOTHING;
            END IF;
            RETURN cardinality(added);
        END
        $$;

        -- Makes dead deliveries of a consumer pending again with a fresh count of attempts: those
        -- listed, or all of them when event_ids is NULL. Returns how many. A redriven delivery
        -- joins the back of its key's line: it runs after the deliveries of its key pending when
        -- it was redriven (one of them may be in its handler right now) and those published
        -- before, and before those published after.
        CREATE OR REPLACE FUNCTION mq.redrive(consumer text, event_ids bigint[] DEFAULT NULL)
        RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        DECLARE
            revived integer := 0;
            key_name text;
            dead_id bigint;
        BEGIN
            PERFORM mq.authorize(consumer);
            -- mq.publish's key locks, in key order as it takes them.
            FOR key_name IN
                SELECT DISTINCT d.key FROM mq.deliveries d
                WHERE d.consumer = redrive.consumer AND d.state = 'dead'
                  AND (event_ids IS NULL OR d.event_id = ANY (event_ids))
                ORDER BY d.key
            LOOP
                PERFORM pg_advisory_xact_lock(7472686, hashtext(key_name));
            END LOOP;
            -- One at a time, oldest first, so that the new places keep their order.
            FOR dead_id IN
                SELECT d.event_id FROM mq.deliveries d
                WHERE d.consumer = redrive.consumer AND d.state = 'dead'
                  AND (event_ids IS NULL OR d.event_id = ANY (event_ids))
                ORDER BY d.event_id
            LOOP
                UPDATE mq.deliveries d
                SET state = 'pending', attempts = 0, available_at = now(), lease_until = NULL,
                    place = nextval('mq.events_id_seq')
                WHERE d.consumer = redrive.consumer AND d.event_id = dead_id AND d.state = 'dead';
                revived := revived + 1;
            END LOOP;
            IF revived > 0 THEN
                PERFORM pg_notify('mq_' || consumer, '');
            END IF;
            RETURN revived;
        END
        $$;

        -- Extends, to now() + lease, the leases a consumer still holds on these deliveries, each
        -- claimed as the attempt at the same position of attempts. Returns the ids it extended:
        -- one missing was acknowledged, failed, or lost (its lease expired and another claimed it).
        CREATE FUNCTION mq.renew(consumer text, event_ids bigint[], attempts integer[], lease interval)
        RETURNS TABLE (event_id bigint)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        BEGIN
            PERFORM mq.authorize(consumer);
            RETURN QUERY
            UPDATE mq.deliveries d
            SET lease_until = now() + renew.lease
            FROM unnest(renew.event_ids, renew.attempts) AS held(event_id, attempt)
            WHERE d.consumer = renew.consumer AND d.event_id = held.event_id AND d.state = 'pending'
              AND d.lease_until IS NOT NULL AND d.attempts = held.attempt - 1
            RETURNING d.event_id;
        END
        $$;

        -- Gives back the leases a consumer still holds on these deliveries (claimed as attempts,
        -- as in mq.renew), unfinished at its stop: claimable again at once, the try not counted.
        -- Returns how many; wakes the consumer's other instances.
        CREATE FUNCTION mq.release(consumer text, event_ids bigint[], attempts integer[])
        RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        DECLARE
            released integer;
        BEGIN
            PERFORM mq.authorize(consumer);
            UPDATE mq.deliveries d
            SET lease_until = NULL
            FROM unnest(release.event_ids, release.attempts) AS held(event_id, attempt)
            WHERE d.consumer = release.consumer AND d.event_id = held.event_id AND d.state = 'pending'
              AND d.lease_until IS NOT NULL AND d.attempts = held.attempt - 1;
            GET DIAGNOSTICS released = ROW_COUNT;
            IF released > 0 THEN
                PERFORM pg_notify('mq_' || consumer, '');
            END IF;
            RETURN released;
        END
        $$;

        -- Plans as migration 3 sets them: no scan of the hot table; the cheap statements planned
        -- at each call with their values, due's dear one cached.
        ALTER FUNCTION mq.due(text, integer, bigint) SET enable_seqscan = off;
        ALTER FUNCTION mq.claim(text, integer, integer, interval, bigint)
            SET enable_seqscan = off SET plan_cache_mode = force_custom_plan;
        ALTER FUNCTION mq.renew(text, bigint[], integer[], interval)
            SET enable_seqscan = off SET plan_cache_mode = force_custom_plan;
        ALTER FUNCTION mq.release(text, bigint[], integer[])
            SET enable_seqscan = off SET plan_cache_mode = force_custom_plan;

        REVOKE ALL ON FUNCTION
            mq.due(text, integer, bigint), mq.claim(text, integer, integer, interval, bigint),
            mq.renew(text, bigint[], integer[], interval), mq.release(text, bigint[], integer[])
        FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION
            mq.claim(text, integer, integer, interval, bigint), mq.renew(text, bigint[], integer[], interval),
            mq.release(text, bigint[], integer[])
        TO intake, digitization, payment, communication, reporting;
        """

    /// The only way in for services: SECURITY DEFINER functions that let a role act only as its
    /// own consumers (its name, or its name and a dot and a suffix: `reporting.centre`).
    static let functions = """
        -- Raises insufficient_privilege unless the calling role may act as this consumer.
        CREATE FUNCTION mq.authorize(consumer text) RETURNS void
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        BEGIN
            IF consumer = session_user OR starts_with(consumer, session_user || '.')
               OR (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user) THEN
                RETURN;
            END IF;
            RAISE EXCEPTION 'role % may not act as queue consumer %', session_user, consumer
                USING ERRCODE = 'insufficient_privilege';
        END
        $$;

        -- Creates the monthly partitions of the event log from this month to `ahead` months on,
        -- and detaches and drops months past the retention that no delivery points into.
        CREATE FUNCTION mq.maintain(ahead integer DEFAULT 2) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        DECLARE
            month date;
            name text;
            keep interval;
            old record;
        BEGIN
            FOR i IN 0..ahead LOOP
                month := (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => i))::date;
                name := 'events_' || to_char(month, 'YYYY_MM');
                IF to_regclass('mq.' || name) IS NULL THEN
                    BEGIN
                        EXECUTE format(
                            'CREATE TABLE mq.%I PARTITION OF mq.events FOR VALUES FROM (%L) TO (%L)',
                            name, month::timestamp AT TIME ZONE 'UTC', (month + interval '1 month')::timestamp AT TIME ZONE 'UTC');
                    EXCEPTION WHEN check_violation THEN
                        NULL;  -- that month's events already sit in events_default; they stay there
                    END;
                END IF;
            END LOOP;
            SELECT retention INTO keep FROM mq.settings;
            FOR old IN
                SELECT c.relname, (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz AS upper
                FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'mq.events'::regclass AND c.relname <> 'events_default'
            LOOP
                IF old.upper < now() - keep
                   AND NOT EXISTS (SELECT FROM mq.deliveries d WHERE d.published_at < old.upper) THEN
                    EXECUTE format('ALTER TABLE mq.events DETACH PARTITION mq.%I', old.relname);
                    EXECUTE format('DROP TABLE mq.%I', old.relname);
                END IF;
            END LOOP;
        END
        $$;

        -- Subscribes a consumer to topics; with from_beginning, the events of those topics already
        -- in the log are delivered too (only for topics it was not yet subscribed to). The
        -- exclusive topic lock waits for publishers of the topic in flight, so no event falls
        -- between the log it replays and the publishes that see the new subscription.
        CREATE FUNCTION mq.subscribe(consumer text, topics text[], from_beginning boolean DEFAULT false)
        RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        DECLARE
            added text[];
            topic_name text;
        BEGIN
            PERFORM mq.authorize(consumer);
            FOREACH topic_name IN ARRAY (SELECT array_agg(DISTINCT t ORDER BY t) FROM unnest(topics) t) LOOP
                PERFORM pg_advisory_xact_lock(7472687, hashtext(topic_name));
            END LOOP;
            WITH inserted AS (
                INSERT INTO mq.subscriptions (topic, consumer)
                SELECT DISTINCT t, subscribe.consumer FROM unnest(topics) AS t
                ON CONFLICT DO NOTHING
                RETURNING topic
            )
            SELECT coalesce(array_agg(topic), '{}') INTO added FROM inserted;
            IF from_beginning THEN
                INSERT INTO mq.deliveries (consumer, event_id, published_at, key)
                SELECT subscribe.consumer, e.id, e.published_at, e.key FROM mq.events e WHERE e.topic = ANY (added)
                ORDER BY e.id
                ON CONFLICT DO NOTHING;
            END IF;
            RETURN cardinality(added);
        END
        $$;

        -- Appends events of one topic, in order, with one delivery per subscribed consumer, in the
        -- caller's transaction; returns their ids and the consumers to wake once it commits.
        -- A lock per key (taken in key order, so two batches cannot deadlock) makes events of one
        -- key commit in id order, the order the claim hands them out in; a shared lock per topic
        -- lets a new subscription wait for publishers in flight.
        CREATE FUNCTION mq.publish(topic text, keys text[], payloads jsonb[])
        RETURNS TABLE (event_ids bigint[], consumers text[])
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        DECLARE
            key_name text;
        BEGIN
            IF cardinality(keys) IS DISTINCT FROM cardinality(payloads) THEN
                RAISE EXCEPTION 'mq.publish: % keys but % payloads', cardinality(keys), cardinality(payloads)
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
            PERFORM pg_advisory_xact_lock_shared(7472687, hashtext(publish.topic));
            FOREACH key_name IN ARRAY (SELECT array_agg(DISTINCT k ORDER BY k) FROM unnest(keys) k) LOOP
                PERFORM pg_advisory_xact_lock(7472686, hashtext(key_name));
            END LOOP;
            RETURN QUERY
            WITH inserted AS (
                INSERT INTO mq.events (topic, key, payload, producer)
                SELECT publish.topic, k, p, session_user
                FROM unnest(keys, payloads) WITH ORDINALITY AS u(k, p, n)
                ORDER BY n
                RETURNING id, key, published_at
            ), fanned AS (
                INSERT INTO mq.deliveries (consumer, event_id, published_at, key)
                SELECT s.consumer, i.id, i.published_at, i.key
                FROM inserted i CROSS JOIN mq.subscriptions s
                WHERE s.topic = publish.topic
                RETURNING consumer
            )
            SELECT (SELECT array_agg(id ORDER BY id) FROM inserted),
                   (SELECT coalesce(array_agg(DISTINCT consumer), '{}') FROM fanned);
        END
        $$;

        -- Locks (SKIP LOCKED) up to max_count due deliveries of a consumer, oldest first, at most
        -- one per key: the oldest pending one (a dead delivery no longer holds its key back). The
        -- claim's common part; not granted to the services.
        CREATE FUNCTION mq.due(consumer text, max_count integer)
        RETURNS TABLE (event_id bigint, published_at timestamptz, attempts integer, leased boolean)
        -- A batch is a few rows: told so, the planner joins them to events and deliveries by
        -- index (1.5 ms a claim), not by sorting the whole event log (12 ms with 20,000 events).
        LANGUAGE sql ROWS 16 SET search_path = mq, pg_temp
        AS $$
            SELECT d.event_id, d.published_at, d.attempts, d.lease_until IS NOT NULL
            FROM mq.deliveries d
            WHERE d.consumer = due.consumer
              AND d.state = 'pending'
              AND d.available_at <= now()
              AND (d.lease_until IS NULL OR d.lease_until <= now())
              -- The oldest pending delivery of its key, as one index lookup per candidate: an
              -- anti-join here is planned, without fresh statistics, as a rescan of every pending
              -- delivery per candidate (436 ms against 0.5 ms for a claim of 16 of 10,000).
              AND d.event_id = (
                  SELECT min(older.event_id) FROM mq.deliveries older
                  WHERE older.consumer = d.consumer AND older.key = d.key AND older.state = 'pending')
            ORDER BY d.event_id
            LIMIT max_count
            FOR UPDATE OF d SKIP LOCKED
        $$;

        -- Hands out up to max_count due deliveries of a consumer (see mq.due). Without a lease the
        -- rows stay locked until the caller's transaction ends (transactional mode); with one,
        -- they are leased until now() + lease and the caller commits at once (leased mode). A
        -- lease that expired counts as a failed try; at max_attempts the delivery is dead instead.
        -- attempt is the number of this try, 1 for the first.
        CREATE FUNCTION mq.claim(consumer text, max_count integer, max_attempts integer, lease interval DEFAULT NULL)
        RETURNS TABLE (event_id bigint, topic text, key text, payload jsonb, attempt integer, published_at timestamptz)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        BEGIN
            PERFORM mq.authorize(consumer);
            IF lease IS NULL THEN
                RETURN QUERY
                SELECT e.id, e.topic, e.key, e.payload, c.attempts + 1, e.published_at
                FROM mq.due(claim.consumer, claim.max_count) c
                JOIN mq.events e ON e.id = c.event_id AND e.published_at = c.published_at
                ORDER BY e.id;
                RETURN;
            END IF;
            UPDATE mq.deliveries d
            SET state = 'dead', lease_until = NULL, attempts = d.attempts + 1,
                last_error = 'lease expired (the consumer stopped or took too long)'
            WHERE d.consumer = claim.consumer AND d.state = 'pending' AND d.lease_until <= now()
              AND d.attempts + 1 >= max_attempts;
            RETURN QUERY
            WITH claimed AS (
                UPDATE mq.deliveries d
                SET lease_until = now() + lease,
                    attempts = d.attempts + c.leased::integer,
                    last_error = CASE WHEN c.leased THEN 'lease expired' ELSE d.last_error END
                FROM mq.due(claim.consumer, claim.max_count) c
                WHERE d.consumer = claim.consumer AND d.event_id = c.event_id
                RETURNING d.event_id, d.published_at, d.attempts
            )
            SELECT e.id, e.topic, e.key, e.payload, c.attempts + 1, e.published_at
            FROM claimed c JOIN mq.events e ON e.id = c.event_id AND e.published_at = c.published_at
            ORDER BY e.id;
        END
        $$;

        -- Acknowledges deliveries of a consumer by deleting them; returns how many.
        CREATE FUNCTION mq.ack(consumer text, event_ids bigint[])
        RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        DECLARE
            deleted integer;
        BEGIN
            PERFORM mq.authorize(consumer);
            DELETE FROM mq.deliveries d WHERE d.consumer = ack.consumer AND d.event_id = ANY (event_ids);
            GET DIAGNOSTICS deleted = ROW_COUNT;
            RETURN deleted;
        END
        $$;

        -- Records a failed try: due again at retry_at, or dead once max_attempts are used.
        -- Returns the delivery's new state, or NULL if the consumer has no such pending delivery.
        CREATE FUNCTION mq.fail(consumer text, event_id bigint, error text, retry_at timestamptz, max_attempts integer)
        RETURNS text
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        DECLARE
            new_state text;
        BEGIN
            PERFORM mq.authorize(consumer);
            UPDATE mq.deliveries d
            SET attempts = d.attempts + 1,
                last_error = left(fail.error, 2000),
                lease_until = NULL,
                state = CASE WHEN d.attempts + 1 >= fail.max_attempts THEN 'dead' ELSE 'pending' END,
                available_at = CASE WHEN d.attempts + 1 >= fail.max_attempts THEN d.available_at ELSE fail.retry_at END
            WHERE d.consumer = fail.consumer AND d.event_id = fail.event_id AND d.state = 'pending'
            RETURNING d.state INTO new_state;
            RETURN new_state;
        END
        $$;

        -- When the consumer's next delivery that waits for a retry or a lease falls due, if any.
        CREATE FUNCTION mq.next_due(consumer text)
        RETURNS timestamptz
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        BEGIN
            PERFORM mq.authorize(consumer);
            RETURN (SELECT min(greatest(d.available_at, coalesce(d.lease_until, d.available_at)))
                    FROM mq.deliveries d WHERE d.consumer = next_due.consumer AND d.state = 'pending');
        END
        $$;

        -- Makes dead deliveries of a consumer pending again with a fresh count of attempts: those
        -- listed, or all of them when event_ids is NULL. Returns how many. A redriven delivery
        -- runs after the later events of its key that were handled while it was dead.
        CREATE FUNCTION mq.redrive(consumer text, event_ids bigint[] DEFAULT NULL)
        RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        DECLARE
            revived integer;
        BEGIN
            PERFORM mq.authorize(consumer);
            UPDATE mq.deliveries d
            SET state = 'pending', attempts = 0, available_at = now(), lease_until = NULL
            WHERE d.consumer = redrive.consumer AND d.state = 'dead'
              AND (event_ids IS NULL OR d.event_id = ANY (event_ids));
            GET DIAGNOSTICS revived = ROW_COUNT;
            IF revived > 0 THEN
                PERFORM pg_notify('mq_' || consumer, '');
            END IF;
            RETURN revived;
        END
        $$;

        -- The dead deliveries of a consumer, oldest first, with their last error.
        CREATE FUNCTION mq.dead(consumer text, max_count integer DEFAULT 100)
        RETURNS TABLE (event_id bigint, topic text, key text, attempts integer, last_error text, published_at timestamptz)
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        BEGIN
            PERFORM mq.authorize(consumer);
            RETURN QUERY
            SELECT d.event_id, e.topic, d.key, d.attempts, d.last_error, d.published_at
            FROM mq.deliveries d JOIN mq.events e ON e.id = d.event_id AND e.published_at = d.published_at
            WHERE d.consumer = dead.consumer AND d.state = 'dead'
            ORDER BY d.event_id
            LIMIT max_count;
        END
        $$;

        -- Per consumer and topic: pending (due now), waiting (for a retry or under a lease), dead,
        -- and the publication time of the oldest pending one. The calling role's consumers, or
        -- everyone's for a superuser.
        CREATE FUNCTION mq.stats()
        RETURNS TABLE (consumer text, topic text, pending bigint, waiting bigint, dead bigint, oldest_pending timestamptz)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
            SELECT d.consumer, e.topic,
                   count(*) FILTER (WHERE d.state = 'pending' AND d.available_at <= now()
                                    AND (d.lease_until IS NULL OR d.lease_until <= now())),
                   count(*) FILTER (WHERE d.state = 'pending' AND (d.available_at > now() OR d.lease_until > now())),
                   count(*) FILTER (WHERE d.state = 'dead'),
                   min(d.published_at) FILTER (WHERE d.state = 'pending')
            FROM mq.deliveries d JOIN mq.events e ON e.id = d.event_id AND e.published_at = d.published_at
            WHERE d.consumer = session_user OR starts_with(d.consumer, session_user || '.')
               OR (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user)
            GROUP BY d.consumer, e.topic
            ORDER BY d.consumer, e.topic
        $$;

        SELECT mq.maintain();

        REVOKE ALL ON ALL FUNCTIONS IN SCHEMA mq FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION
            mq.maintain(integer), mq.subscribe(text, text[], boolean), mq.publish(text, text[], jsonb[]),
            mq.claim(text, integer, integer, interval), mq.ack(text, bigint[]),
            mq.fail(text, bigint, text, timestamptz, integer), mq.next_due(text), mq.redrive(text, bigint[]),
            mq.dead(text, integer), mq.stats()
        TO intake, digitization, payment, communication, reporting;
        """

    /// The trust boundary (issue 10), each function replaced whole:
    /// - `mq.topics`: who may publish and who may read each topic (`writeTopics` fills it from the
    ///   event catalogue). `publish` and `subscribe` refuse others (42501), so a replay
    ///   (`from_beginning`) reaches only a topic the role may read; a superuser may do anything;
    /// - `claim` returns each event's producer (`session_user` at its publish), which a typed
    ///   consumer checks against the topic's producers;
    /// - bounds on a publish, checked before any lock: 1,000 events, 256 distinct keys, keys of
    ///   200 bytes, payloads of 1 MiB and 16 MiB in all; a consumer's name of 60 bytes, so that
    ///   its wake-up channel `mq_<name>` fits in 63;
    /// - the advisory locks in the one-bigint key space; the bootstrap leaves the services no
    ///   advisory lock function at all (their migrator locks its bookkeeping table instead);
    ///   a key's lock is one of 1,024 buckets (a key always in the same one), so a transaction
    ///   holds at most 1,024 key locks however many keys it publishes;
    /// - `maintain` only for `mq_maintainer` (and superusers: each `migrate` runs it), at most 12
    ///   months ahead, and giving up after 5 s waiting for a lock rather than queueing every
    ///   publisher and claim behind its partition change.
    static let trustBoundary = """
        CREATE TABLE mq.topics (
            topic text PRIMARY KEY,
            producers text[] NOT NULL,
            consumers text[] NOT NULL
        );
        REVOKE ALL ON mq.topics FROM PUBLIC;

        -- Makes mq.topics exactly `rights` ([{topic, producers, consumers}]) and ends the
        -- subscriptions, with their deliveries, of consumers whose role may no longer read the
        -- topic. Not granted: run by a superuser (QueueSchema.writeTopics).
        CREATE FUNCTION mq.replace_topics(rights jsonb) RETURNS void
        LANGUAGE plpgsql SET search_path = mq, pg_temp
        AS $$
        BEGIN
            LOCK TABLE mq.topics IN SHARE ROW EXCLUSIVE MODE;
            DELETE FROM mq.topics t
            WHERE NOT EXISTS (SELECT FROM jsonb_array_elements(rights) r WHERE r->>'topic' = t.topic);
            INSERT INTO mq.topics (topic, producers, consumers)
            SELECT r.topic, r.producers, r.consumers
            FROM jsonb_to_recordset(rights) AS r(topic text, producers text[], consumers text[])
            ON CONFLICT (topic) DO UPDATE SET producers = excluded.producers, consumers = excluded.consumers
            WHERE (mq.topics.producers, mq.topics.consumers) IS DISTINCT FROM (excluded.producers, excluded.consumers);
            DELETE FROM mq.subscriptions s
            WHERE NOT EXISTS (SELECT FROM mq.topics t
                              WHERE t.topic = s.topic AND split_part(s.consumer, '.', 1) = ANY (t.consumers));
            DELETE FROM mq.deliveries d USING mq.events e
            WHERE e.id = d.event_id AND e.published_at = d.published_at
              AND NOT EXISTS (SELECT FROM mq.topics t
                              WHERE t.topic = e.topic AND split_part(d.consumer, '.', 1) = ANY (t.consumers));
        END
        $$;

        CREATE OR REPLACE FUNCTION mq.maintain(ahead integer DEFAULT 2) RETURNS void
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = mq, pg_temp SET lock_timeout = '5s'
        AS $$
        DECLARE
            month date;
            name text;
            keep interval;
            old record;
        BEGIN
            IF ahead IS NULL OR ahead NOT BETWEEN 0 AND 12 THEN
                RAISE EXCEPTION 'mq.maintain: ahead must be 0 to 12 months, not %', ahead
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
            FOR i IN 0..ahead LOOP
                month := (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => i))::date;
                name := 'events_' || to_char(month, 'YYYY_MM');
                IF to_regclass('mq.' || name) IS NULL THEN
                    BEGIN
                        EXECUTE format(
                            'CREATE TABLE mq.%I PARTITION OF mq.events FOR VALUES FROM (%L) TO (%L)',
                            name, month::timestamp AT TIME ZONE 'UTC', (month + interval '1 month')::timestamp AT TIME ZONE 'UTC');
                    EXCEPTION WHEN check_violation THEN
                        NULL;  -- that month's events already sit in events_default; they stay there
                    END;
                END IF;
            END LOOP;
            SELECT retention INTO keep FROM mq.settings;
            FOR old IN
                SELECT c.relname, (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \\(''([^'']+)''\\)'))[1]::timestamptz AS upper
                FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'mq.events'::regclass AND c.relname <> 'events_default'
            LOOP
                IF old.upper < now() - keep
                   AND NOT EXISTS (SELECT FROM mq.deliveries d WHERE d.published_at < old.upper) THEN
                    EXECUTE format('ALTER TABLE mq.events DETACH PARTITION mq.%I', old.relname);
                    EXECUTE format('DROP TABLE mq.%I', old.relname);
                END IF;
            END LOOP;
        END
        $$;

        -- As migration 4's, refusing a role that may not read a topic, and a consumer's name too
        -- long for its wake-up channel; the topic locks in mq's key space.
        CREATE OR REPLACE FUNCTION mq.subscribe(consumer text, topics text[], from_beginning boolean DEFAULT false)
        RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        DECLARE
            added text[];
            refused text[];
            topic_name text;
        BEGIN
            PERFORM mq.authorize(consumer);
            IF octet_length(consumer) > 60 THEN
                RAISE EXCEPTION 'queue consumer name % is longer than 60 bytes (its wake-up channel would not fit)', consumer
                    USING ERRCODE = 'program_limit_exceeded';
            END IF;
            SELECT array_agg(t ORDER BY t) INTO refused FROM unnest(topics) t
            WHERE NOT EXISTS (SELECT FROM mq.topics r WHERE r.topic = t AND session_user = ANY (r.consumers));
            IF refused IS NOT NULL AND NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user) THEN
                RAISE EXCEPTION 'role % may not read topics %', session_user, refused
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
            FOREACH topic_name IN ARRAY (SELECT array_agg(DISTINCT t ORDER BY t) FROM unnest(topics) t) LOOP
                PERFORM pg_advisory_xact_lock((7472687::bigint << 32) + hashtext(topic_name));
            END LOOP;
            WITH inserted AS (
                INSERT INTO mq.subscriptions (topic, consumer)
                SELECT DISTINCT t, subscribe.consumer FROM unnest(topics) AS t
                ON CONFLICT DO NOTHING
                RETURNING topic
            )
            SELECT coalesce(array_agg(topic), '{}') INTO added FROM inserted;
            IF from_beginning THEN
                INSERT INTO mq.deliveries (consumer, event_id, published_at, key, place)
                SELECT subscribe.consumer, e.id, e.published_at, e.key, e.id FROM mq.events e WHERE e.topic = ANY (added)
                ORDER BY e.id
                ON CONFLICT DO NOTHING;
            END IF;
            RETURN cardinality(added);
        END
        $$;

        -- As migration 4's, refusing a role that may not publish the topic and a call beyond the
        -- bounds, before any lock; the locks in mq's key space, a key's in one of 1,024 buckets.
        CREATE OR REPLACE FUNCTION mq.publish(topic text, keys text[], payloads jsonb[])
        RETURNS TABLE (event_ids bigint[], consumers text[])
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        DECLARE
            batch record;
            bucket integer;
        BEGIN
            IF NOT EXISTS (SELECT FROM mq.topics t WHERE t.topic = publish.topic AND session_user = ANY (t.producers))
               AND NOT (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user) THEN
                RAISE EXCEPTION 'role % may not publish to topic %', session_user, topic
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
            IF cardinality(keys) IS DISTINCT FROM cardinality(payloads) THEN
                RAISE EXCEPTION 'mq.publish: % keys but % payloads', cardinality(keys), cardinality(payloads)
                    USING ERRCODE = 'invalid_parameter_value';
            END IF;
            IF cardinality(keys) > 1000 THEN
                RAISE EXCEPTION 'mq.publish: % events in one call; at most 1000', cardinality(keys)
                    USING ERRCODE = 'program_limit_exceeded';
            END IF;
            SELECT count(DISTINCT k) AS keys, max(octet_length(k)) AS longest_key,
                   max(pg_column_size(p)) AS largest, sum(pg_column_size(p)) AS total,
                   array_agg(DISTINCT hashtext(k) & 1023 ORDER BY hashtext(k) & 1023) AS buckets
            INTO batch FROM unnest(keys, payloads) AS u(k, p);
            IF batch.keys > 256 OR batch.longest_key > 200 OR batch.largest > 1048576 OR batch.total > 16777216 THEN
                RAISE EXCEPTION 'mq.publish: beyond its bounds (% distinct keys, longest % bytes, largest payload % bytes, % bytes in all)',
                    batch.keys, batch.longest_key, batch.largest, batch.total
                    USING ERRCODE = 'program_limit_exceeded',
                          HINT = 'At most 256 distinct keys of 200 bytes, payloads of 1 MiB and 16 MiB in one call.';
            END IF;
            PERFORM pg_advisory_xact_lock_shared((7472687::bigint << 32) + hashtext(publish.topic));
            FOREACH bucket IN ARRAY batch.buckets LOOP
                PERFORM pg_advisory_xact_lock((7472686::bigint << 32) + bucket);
            END LOOP;
            RETURN QUERY
            WITH inserted AS (
                INSERT INTO mq.events (topic, key, payload, producer)
                SELECT publish.topic, k, p, session_user
                FROM unnest(keys, payloads) WITH ORDINALITY AS u(k, p, n)
                ORDER BY n
                RETURNING id, key, published_at
            ), fanned AS (
                INSERT INTO mq.deliveries (consumer, event_id, published_at, key, place)
                SELECT s.consumer, i.id, i.published_at, i.key, i.id
                FROM inserted i CROSS JOIN mq.subscriptions s
                WHERE s.topic = publish.topic
                RETURNING consumer
            )
            SELECT (SELECT array_agg(id ORDER BY id) FROM inserted),
                   (SELECT coalesce(array_agg(DISTINCT consumer), '{}') FROM fanned);
        END
        $$;

        -- As migration 4's, with mq.publish's key locks (buckets, in bucket order).
        CREATE OR REPLACE FUNCTION mq.redrive(consumer text, event_ids bigint[] DEFAULT NULL)
        RETURNS integer
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        DECLARE
            revived integer := 0;
            bucket integer;
            dead_id bigint;
        BEGIN
            PERFORM mq.authorize(consumer);
            FOR bucket IN
                SELECT DISTINCT hashtext(d.key) & 1023 FROM mq.deliveries d
                WHERE d.consumer = redrive.consumer AND d.state = 'dead'
                  AND (event_ids IS NULL OR d.event_id = ANY (event_ids))
                ORDER BY 1
            LOOP
                PERFORM pg_advisory_xact_lock((7472686::bigint << 32) + bucket);
            END LOOP;
            FOR dead_id IN
                SELECT d.event_id FROM mq.deliveries d
                WHERE d.consumer = redrive.consumer AND d.state = 'dead'
                  AND (event_ids IS NULL OR d.event_id = ANY (event_ids))
                ORDER BY d.event_id
            LOOP
                UPDATE mq.deliveries d
                SET state = 'pending', attempts = 0, available_at = now(), lease_until = NULL,
                    place = nextval('mq.events_id_seq')
                WHERE d.consumer = redrive.consumer AND d.event_id = dead_id AND d.state = 'dead';
                revived := revived + 1;
            END LOOP;
            IF revived > 0 THEN
                PERFORM pg_notify('mq_' || consumer, '');
            END IF;
            RETURN revived;
        END
        $$;

        -- As migration 4's, each event with its producer.
        DROP FUNCTION mq.claim(text, integer, integer, interval, bigint);
        CREATE FUNCTION mq.claim(
            consumer text, max_count integer, max_attempts integer, lease interval DEFAULT NULL,
            after_place bigint DEFAULT NULL)
        RETURNS TABLE (event_id bigint, topic text, key text, payload jsonb, attempt integer, published_at timestamptz,
                       more_of_key boolean, place bigint, producer text)
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = mq, pg_temp
        AS $$
        BEGIN
            PERFORM mq.authorize(consumer);
            IF lease IS NULL THEN
                RETURN QUERY
                SELECT e.id, e.topic, e.key, e.payload, c.attempts + 1, e.published_at,
                       EXISTS (SELECT FROM mq.deliveries later
                               WHERE later.consumer = claim.consumer AND later.key = e.key
                                 AND later.state = 'pending' AND later.place > c.place),
                       c.place, e.producer
                FROM mq.due(claim.consumer, claim.max_count, claim.after_place) c
                CROSS JOIN LATERAL (
                    -- One index lookup in the event's month (see migration 3).
                    SELECT ev.* FROM mq.events ev
                    WHERE ev.id = c.event_id AND ev.published_at = c.published_at OFFSET 0) e
                ORDER BY c.place;
                RETURN;
            END IF;
            UPDATE mq.deliveries d
            SET state = 'dead', lease_until = NULL, attempts = d.attempts + 1,
                last_error = 'lease expired (the consumer stopped or took too long)'
            WHERE d.consumer = claim.consumer AND d.state = 'pending' AND d.lease_until <= now()
              AND d.attempts + 1 >= max_attempts;
            RETURN QUERY
            WITH claimed AS (
                -- A lease still set on a due delivery has expired: that try counts as failed.
                UPDATE mq.deliveries d
                SET lease_until = now() + lease,
                    attempts = d.attempts + (d.lease_until IS NOT NULL)::integer,
                    last_error = CASE WHEN d.lease_until IS NOT NULL THEN 'lease expired' ELSE d.last_error END
                WHERE d.consumer = claim.consumer
                  AND d.event_id = ANY (ARRAY(SELECT due.event_id FROM mq.due(claim.consumer, claim.max_count, claim.after_place) due))
                RETURNING d.event_id, d.place, d.published_at, d.attempts
            )
            SELECT e.id, e.topic, e.key, e.payload, c.attempts + 1, e.published_at,
                   EXISTS (SELECT FROM mq.deliveries later
                           WHERE later.consumer = claim.consumer AND later.key = e.key
                             AND later.state = 'pending' AND later.place > c.place),
                   c.place, e.producer
            FROM claimed c CROSS JOIN LATERAL (
                SELECT ev.* FROM mq.events ev
                WHERE ev.id = c.event_id AND ev.published_at = c.published_at OFFSET 0) e
            ORDER BY c.place;
        END
        $$;
        ALTER FUNCTION mq.claim(text, integer, integer, interval, bigint)
            SET enable_seqscan = off SET plan_cache_mode = force_custom_plan;

        REVOKE ALL ON FUNCTION mq.claim(text, integer, integer, interval, bigint), mq.replace_topics(jsonb) FROM PUBLIC;
        GRANT EXECUTE ON FUNCTION mq.claim(text, integer, integer, interval, bigint)
        TO intake, digitization, payment, communication, reporting;
        REVOKE EXECUTE ON FUNCTION mq.maintain(integer) FROM intake, digitization, payment, communication, reporting;
        GRANT EXECUTE ON FUNCTION mq.maintain(integer) TO mq_maintainer;
        """
}

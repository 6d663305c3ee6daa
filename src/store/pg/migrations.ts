// The PostgreSQL store's schema, as versioned migrations applied in order by node-pg-migrate
// (migrate.ts). A migration, once released, is never edited: a change is a new migration. The
// tables and functions are documented in docs/CONTRACT.md ("The PostgreSQL store").
//
// Every table is named imos_* so that a store can share a schema (public, or ?schema=) with other
// applications. Functions run with the search_path they were created with (SET search_path FROM
// CURRENT), so they find the store's tables whatever the caller's search_path is.

export interface PgMigration {
  /** Applied in this order; recorded in imos_migrations under this name. */
  name: string;
  sql: string;
}

const STORE_V1 = String.raw`
-- ISO-8601 text → timestamptz, NULL when it is not one (records keep times as text; these columns
-- are for queries). Immutable because only strings with an explicit offset are converted.
CREATE FUNCTION imos_ts(value text) RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN value ~ '^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)$'
    THEN value::timestamptz
  END
$$;

-- ISO text of a time, as JavaScript's toISOString() writes it.
CREATE FUNCTION imos_iso(value timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_char(value AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- The last n elements of a JSON array (a check's bounded history).
CREATE FUNCTION imos_tail(arr jsonb, n integer) RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN jsonb_array_length(arr) <= greatest(n, 0) THEN arr
    ELSE (SELECT coalesce(jsonb_agg(e ORDER BY i), '[]'::jsonb)
          FROM jsonb_array_elements(arr) WITH ORDINALITY AS t(e, i)
          WHERE i > jsonb_array_length(arr) - greatest(n, 0))
  END
$$;

-- One change sequence per section: a commit locks its section's row, so commits of a section are
-- numbered in the order they commit. pruned_to: tombstones up to this change have been dropped.
CREATE TABLE imos_sections (
  section text PRIMARY KEY,
  seq bigint NOT NULL DEFAULT 0,
  pruned_to bigint NOT NULL DEFAULT 0
);
INSERT INTO imos_sections (section) VALUES ('core'), ('results'), ('history');

-- Which table holds a collection, and in which section (checked on every write).
CREATE TABLE imos_collections (
  name text PRIMARY KEY,
  section text NOT NULL REFERENCES imos_sections,
  tbl text NOT NULL
);
INSERT INTO imos_collections VALUES
  ('alerts', 'core', 'imos_alerts'),
  ('outbox', 'core', 'imos_outbox'),
  ('standups', 'core', 'imos_standups'),
  ('snapshots', 'core', 'imos_snapshots'),
  ('kv', 'core', 'imos_kv'),
  ('checks', 'results', 'imos_checks'),
  ('uptime', 'results', 'imos_uptime'),
  ('history', 'history', 'imos_history');

-- Store order: a record keeps the position it was first stored at (as the JSON store keeps it).
CREATE SEQUENCE imos_pos;

-- Every collection table: key, pos (store order), seq (the change that last wrote the row: what a
-- replica catches up from and what a commit's read check compares), data (the whole record), and
-- generated columns for what people and queries look at. Indexes are only those the store's own
-- queries use: every index is paid for on every write.
CREATE TABLE imos_alerts (
  key text PRIMARY KEY,
  pos bigint NOT NULL DEFAULT nextval('imos_pos'),
  seq bigint NOT NULL,
  data jsonb NOT NULL,
  fingerprint text GENERATED ALWAYS AS (data->>'fingerprint') STORED,
  check_id text GENERATED ALWAYS AS (data->>'checkId') STORED,
  system text GENERATED ALWAYS AS (data->>'system') STORED,
  state text GENERATED ALWAYS AS (data->>'state') STORED,
  severity text GENERATED ALWAYS AS (data->>'severity') STORED,
  opened_at timestamptz GENERATED ALWAYS AS (imos_ts(data->>'openedAt')) STORED,
  resolved_at timestamptz GENERATED ALWAYS AS (imos_ts(data->>'resolvedAt')) STORED
);
CREATE INDEX imos_alerts_seq ON imos_alerts (seq);

CREATE TABLE imos_outbox (
  key text PRIMARY KEY,
  pos bigint NOT NULL DEFAULT nextval('imos_pos'),
  seq bigint NOT NULL,
  data jsonb NOT NULL,
  channel text GENERATED ALWAYS AS (data->>'channel') STORED,
  kind text GENERATED ALWAYS AS (data->>'kind') STORED,
  alert_id text GENERATED ALWAYS AS (nullif(data->>'alertId', '')) STORED,
  state text GENERATED ALWAYS AS (data->>'state') STORED,
  next_attempt_at timestamptz GENERATED ALWAYS AS (imos_ts(data->>'nextAttemptAt')) STORED,
  claimed_by text GENERATED ALWAYS AS (data->>'claimedBy') STORED,
  claimed_until timestamptz GENERATED ALWAYS AS (imos_ts(data->>'claimedUntil')) STORED
);
CREATE INDEX imos_outbox_seq ON imos_outbox (seq);
CREATE INDEX imos_outbox_pending ON imos_outbox (pos) WHERE state = 'pending';

CREATE TABLE imos_standups (
  key text PRIMARY KEY,
  pos bigint NOT NULL DEFAULT nextval('imos_pos'),
  seq bigint NOT NULL,
  data jsonb NOT NULL,
  system text GENERATED ALWAYS AS (data->>'system') STORED,
  day text GENERATED ALWAYS AS (data->>'date') STORED,
  author text GENERATED ALWAYS AS (data->>'author') STORED,
  at timestamptz GENERATED ALWAYS AS (imos_ts(data->>'at')) STORED
);
CREATE INDEX imos_standups_seq ON imos_standups (seq);
CREATE INDEX imos_standups_day ON imos_standups (system, day);

CREATE TABLE imos_snapshots (
  key text PRIMARY KEY,
  pos bigint NOT NULL DEFAULT nextval('imos_pos'),
  seq bigint NOT NULL,
  data jsonb NOT NULL,
  at timestamptz GENERATED ALWAYS AS (imos_ts(data->>'at')) STORED
);
CREATE INDEX imos_snapshots_seq ON imos_snapshots (seq);

CREATE TABLE imos_kv (
  key text PRIMARY KEY,
  pos bigint NOT NULL DEFAULT nextval('imos_pos'),
  seq bigint NOT NULL,
  data jsonb NOT NULL
);
CREATE INDEX imos_kv_seq ON imos_kv (seq);

CREATE TABLE imos_checks (
  key text PRIMARY KEY,
  pos bigint NOT NULL DEFAULT nextval('imos_pos'),
  seq bigint NOT NULL,
  data jsonb NOT NULL,
  status text GENERATED ALWAYS AS (data->>'status') STORED,
  last_at timestamptz GENERATED ALWAYS AS (imos_ts(data->'last'->>'at')) STORED
);
CREATE INDEX imos_checks_seq ON imos_checks (seq);

CREATE TABLE imos_uptime (
  key text PRIMARY KEY,
  pos bigint NOT NULL DEFAULT nextval('imos_pos'),
  seq bigint NOT NULL,
  data jsonb NOT NULL,
  check_id text GENERATED ALWAYS AS (data->>'checkId') STORED,
  hour timestamptz GENERATED ALWAYS AS (imos_ts(data->>'hour')) STORED
);
CREATE INDEX imos_uptime_seq ON imos_uptime (seq);

-- One row per check: its newest points, bounded by the length the poller asks for.
CREATE TABLE imos_history (
  key text PRIMARY KEY,
  pos bigint NOT NULL DEFAULT nextval('imos_pos'),
  seq bigint NOT NULL,
  data jsonb NOT NULL
);
CREATE INDEX imos_history_seq ON imos_history (seq);

-- What was deleted, and by which change: a replica that catches up deletes these too. Dropped
-- after a week (pruned_to tells a replica older than that to reload the section instead).
CREATE TABLE imos_tombstones (
  collection text NOT NULL REFERENCES imos_collections,
  key text NOT NULL,
  section text NOT NULL,
  seq bigint NOT NULL,
  deleted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (collection, key)
);
CREATE INDEX imos_tombstones_seq ON imos_tombstones (section, seq);

-- The audit log: append-only (a trigger refuses updates and deletes), in commit order (id), each
-- entry stored by the same transaction as the change it records (seq: that core change).
CREATE TABLE imos_audit (
  id bigserial PRIMARY KEY,
  seq bigint NOT NULL,
  data jsonb NOT NULL,
  at timestamptz GENERATED ALWAYS AS (imos_ts(data->>'at')) STORED,
  actor text GENERATED ALWAYS AS (data->>'actor') STORED,
  action text GENERATED ALWAYS AS (data->>'action') STORED,
  target text GENERATED ALWAYS AS (data->>'target') STORED
);
CREATE INDEX imos_audit_at ON imos_audit (at);
-- Archived alerts are read by time; only archive entries pay for this index.
CREATE INDEX imos_audit_archive ON imos_audit (at) WHERE action = 'archive';

CREATE FUNCTION imos_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the imos audit log is append-only';
END
$$;
CREATE TRIGGER imos_audit_append_only BEFORE UPDATE OR DELETE ON imos_audit
  FOR EACH ROW EXECUTE FUNCTION imos_audit_append_only();
CREATE TRIGGER imos_audit_no_truncate BEFORE TRUNCATE ON imos_audit
  FOR EACH STATEMENT EXECUTE FUNCTION imos_audit_append_only();

-- The poller lease: one row, an expiry on the database's clock, and an epoch that grows with
-- every change of holder (fenced writes carry the epoch they were granted).
CREATE TABLE imos_lease (
  id integer PRIMARY KEY CHECK (id = 1),
  token text,
  pid integer,
  host text,
  "user" text,
  role text,
  since timestamptz,
  renewed_at timestamptz,
  expires_at timestamptz,
  epoch bigint NOT NULL DEFAULT 0
);
INSERT INTO imos_lease (id) VALUES (1);

-- The channel LISTEN/NOTIFY uses: one per schema, so stores sharing a database stay apart.
CREATE FUNCTION imos_channel() RETURNS text
LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
  SELECT 'imos:' || current_schema()
$$;

CREATE FUNCTION imos_lease_json(l imos_lease) RETURNS jsonb
LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
  SELECT CASE WHEN l.token IS NULL THEN NULL ELSE jsonb_build_object(
    'token', l.token, 'pid', l.pid, 'host', l.host, 'user', l."user", 'role', l.role,
    'since', imos_iso(l.since), 'renewedAt', imos_iso(l.renewed_at)) END
$$;

-- Refuses (SQLSTATE IM002, the holder in DETAIL) a write whose fence is not the current lease.
-- Called with the section row locked: a takeover locks every section row, so a fenced write lands
-- either before the takeover or is refused after it.
CREATE FUNCTION imos_check_fence(fence jsonb) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  l imos_lease;
BEGIN
  IF fence IS NULL OR jsonb_typeof(fence) = 'null' THEN RETURN; END IF;
  SELECT * INTO l FROM imos_lease WHERE id = 1;
  IF l.token IS DISTINCT FROM fence->>'token' OR l.epoch <> (fence->>'epoch')::bigint THEN
    RAISE EXCEPTION USING ERRCODE = 'IM002', MESSAGE = 'the poller lease is no longer held by this writer',
      DETAIL = jsonb_build_object('holder', imos_lease_json(l), 'epoch', l.epoch)::text;
  END IF;
END
$$;

-- The section a collection belongs to (imos_collections, as an expression: asked on every commit).
CREATE FUNCTION imos_section_of(collection text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE collection
    WHEN 'alerts' THEN 'core' WHEN 'outbox' THEN 'core' WHEN 'standups' THEN 'core'
    WHEN 'snapshots' THEN 'core' WHEN 'kv' THEN 'core'
    WHEN 'checks' THEN 'results' WHEN 'uptime' THEN 'results'
    WHEN 'history' THEN 'history'
  END
$$;

-- Commits one transaction's change set of one section, with its audit entries, in one call:
--   {section, since, fence, reads: {collection: [key]}, scans: [collection],
--    put: {collection: [[key, record]]}, del: {collection: [key]},
--    append: [[{id, points, max}]], audit: [entry]}
-- since: the change the caller's copy of the section is at. When another change was committed
-- after it, what the transaction read must be unchanged (rows, and whole collections it iterated),
-- or the commit is refused with SQLSTATE IM001 and the caller catches up and runs it again.
-- Returns the change number given to this commit. The writes are spelled out per collection:
-- static statements keep their plans between calls (a commit is one round trip and little more).
CREATE FUNCTION imos_commit(p jsonb) RETURNS bigint
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  v_section text := p->>'section';
  v_since bigint := (p->>'since')::bigint;
  v_put jsonb := coalesce(p->'put', '{}');
  v_del jsonb := coalesce(p->'del', '{}');
  v_audit jsonb := coalesce(p->'audit', '[]');
  v_append jsonb := coalesce(p->'append', '[]');
  v_cur bigint;
  v_pruned bigint;
  v_seq bigint;
  v_name text;
  v_value jsonb;
  v_keys text[];
  v_hit boolean;
BEGIN
  SELECT seq, pruned_to INTO v_cur, v_pruned FROM imos_sections WHERE section = v_section FOR UPDATE;
  IF NOT FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'IM003', MESSAGE = format('unknown section %s', v_section);
  END IF;
  -- Every collection written must belong to the section (its change number is the one bumped).
  FOR v_name IN SELECT jsonb_object_keys(v_put || v_del) LOOP
    IF imos_section_of(v_name) IS DISTINCT FROM v_section THEN
      RAISE EXCEPTION USING ERRCODE = 'IM003', MESSAGE = format('collection %s is not part of the %s section', v_name, v_section);
    END IF;
  END LOOP;
  IF v_append <> '[]' AND v_section <> 'history' THEN
    RAISE EXCEPTION USING ERRCODE = 'IM003', MESSAGE = 'history points belong to the history section';
  END IF;

  IF v_cur > v_since THEN
    IF v_since < v_pruned THEN
      RAISE EXCEPTION USING ERRCODE = 'IM001', MESSAGE = 'the copy of the section is older than the kept tombstones';
    END IF;
    FOR v_name, v_value IN SELECT key, value FROM jsonb_each(coalesce(p->'reads', '{}')) LOOP
      IF imos_section_of(v_name) IS DISTINCT FROM v_section THEN
        RAISE EXCEPTION USING ERRCODE = 'IM003', MESSAGE = format('collection %s is not part of the %s section', v_name, v_section);
      END IF;
      v_keys := ARRAY(SELECT jsonb_array_elements_text(v_value));
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE key = ANY($1) AND seq > $2)', 'imos_' || v_name) INTO v_hit USING v_keys, v_since;
      IF v_hit OR EXISTS (SELECT 1 FROM imos_tombstones t WHERE t.collection = v_name AND t.key = ANY(v_keys) AND t.seq > v_since) THEN
        RAISE EXCEPTION USING ERRCODE = 'IM001', MESSAGE = format('a %s record read by the transaction changed meanwhile', v_name);
      END IF;
    END LOOP;
    FOR v_name IN SELECT jsonb_array_elements_text(coalesce(p->'scans', '[]')) LOOP
      IF imos_section_of(v_name) IS DISTINCT FROM v_section THEN
        RAISE EXCEPTION USING ERRCODE = 'IM003', MESSAGE = format('collection %s is not part of the %s section', v_name, v_section);
      END IF;
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE seq > $1)', 'imos_' || v_name) INTO v_hit USING v_since;
      IF v_hit OR EXISTS (SELECT 1 FROM imos_tombstones t WHERE t.section = v_section AND t.collection = v_name AND t.seq > v_since) THEN
        RAISE EXCEPTION USING ERRCODE = 'IM001', MESSAGE = format('the %s collection read by the transaction changed meanwhile', v_name);
      END IF;
    END LOOP;
  END IF;
  IF jsonb_typeof(p->'fence') = 'object' THEN
    PERFORM imos_check_fence(p->'fence');
  END IF;

  v_seq := v_cur + 1;
  UPDATE imos_sections SET seq = v_seq WHERE section = v_section;

  IF v_put ? 'alerts' THEN
    INSERT INTO imos_alerts (key, seq, data)
      SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_put->'alerts') WITH ORDINALITY AS e(r, i) ORDER BY i
      ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
  END IF;
  IF v_put ? 'outbox' THEN
    INSERT INTO imos_outbox (key, seq, data)
      SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_put->'outbox') WITH ORDINALITY AS e(r, i) ORDER BY i
      ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
  END IF;
  IF v_put ? 'standups' THEN
    INSERT INTO imos_standups (key, seq, data)
      SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_put->'standups') WITH ORDINALITY AS e(r, i) ORDER BY i
      ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
  END IF;
  IF v_put ? 'snapshots' THEN
    INSERT INTO imos_snapshots (key, seq, data)
      SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_put->'snapshots') WITH ORDINALITY AS e(r, i) ORDER BY i
      ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
  END IF;
  IF v_put ? 'kv' THEN
    INSERT INTO imos_kv (key, seq, data)
      SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_put->'kv') WITH ORDINALITY AS e(r, i) ORDER BY i
      ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
  END IF;
  IF v_put ? 'checks' THEN
    INSERT INTO imos_checks (key, seq, data)
      SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_put->'checks') WITH ORDINALITY AS e(r, i) ORDER BY i
      ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
  END IF;
  IF v_put ? 'uptime' THEN
    INSERT INTO imos_uptime (key, seq, data)
      SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_put->'uptime') WITH ORDINALITY AS e(r, i) ORDER BY i
      ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
  END IF;
  IF v_put ? 'history' THEN
    INSERT INTO imos_history (key, seq, data)
      SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_put->'history') WITH ORDINALITY AS e(r, i) ORDER BY i
      ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
  END IF;

  IF v_del <> '{}' THEN
    IF v_del ? 'alerts' THEN
      DELETE FROM imos_alerts WHERE key IN (SELECT jsonb_array_elements_text(v_del->'alerts'));
    END IF;
    IF v_del ? 'outbox' THEN
      DELETE FROM imos_outbox WHERE key IN (SELECT jsonb_array_elements_text(v_del->'outbox'));
    END IF;
    IF v_del ? 'standups' THEN
      DELETE FROM imos_standups WHERE key IN (SELECT jsonb_array_elements_text(v_del->'standups'));
    END IF;
    IF v_del ? 'snapshots' THEN
      DELETE FROM imos_snapshots WHERE key IN (SELECT jsonb_array_elements_text(v_del->'snapshots'));
    END IF;
    IF v_del ? 'kv' THEN
      DELETE FROM imos_kv WHERE key IN (SELECT jsonb_array_elements_text(v_del->'kv'));
    END IF;
    IF v_del ? 'checks' THEN
      DELETE FROM imos_checks WHERE key IN (SELECT jsonb_array_elements_text(v_del->'checks'));
    END IF;
    IF v_del ? 'uptime' THEN
      DELETE FROM imos_uptime WHERE key IN (SELECT jsonb_array_elements_text(v_del->'uptime'));
    END IF;
    IF v_del ? 'history' THEN
      DELETE FROM imos_history WHERE key IN (SELECT jsonb_array_elements_text(v_del->'history'));
    END IF;
    INSERT INTO imos_tombstones (collection, key, section, seq)
      SELECT d.key, k, v_section, v_seq FROM jsonb_each(v_del) AS d, jsonb_array_elements_text(d.value) AS k
      ON CONFLICT (collection, key) DO UPDATE SET seq = EXCLUDED.seq, section = EXCLUDED.section, deleted_at = now();
  END IF;

  -- History appends, in rounds (a round names each check once): keep the newest max points.
  IF v_append <> '[]' THEN
    FOR v_value IN SELECT value FROM jsonb_array_elements(v_append) LOOP
      UPDATE imos_history h
        SET seq = v_seq,
            data = jsonb_build_object('id', h.key, 'points',
                     imos_tail(coalesce(h.data->'points', '[]'::jsonb) || (a->'points'), (a->>'max')::integer))
        FROM jsonb_array_elements(v_value) AS a
        WHERE h.key = a->>'id';
      INSERT INTO imos_history (key, seq, data)
        SELECT a->>'id', v_seq, jsonb_build_object('id', a->>'id', 'points', imos_tail(a->'points', (a->>'max')::integer))
        FROM jsonb_array_elements(v_value) WITH ORDINALITY AS e(a, i)
        WHERE NOT EXISTS (SELECT 1 FROM imos_history h WHERE h.key = a->>'id')
        ORDER BY i;
    END LOOP;
  END IF;

  IF jsonb_array_length(v_audit) > 0 THEN
    INSERT INTO imos_audit (seq, data)
      SELECT v_seq, e FROM jsonb_array_elements(v_audit) WITH ORDINALITY AS t(e, i) ORDER BY i;
  END IF;

  -- Now and then, drop tombstones older than a week.
  IF v_seq % 1000 = 0 THEN
    WITH gone AS (
      DELETE FROM imos_tombstones WHERE section = v_section AND deleted_at < now() - interval '7 days' RETURNING seq
    )
    UPDATE imos_sections s SET pruned_to = greatest(s.pruned_to, g.top)
      FROM (SELECT max(seq) AS top FROM gone) AS g
      WHERE s.section = v_section AND g.top IS NOT NULL;
  END IF;

  PERFORM pg_notify('imos:' || current_schema(), v_section || ' ' || v_seq ||
    CASE WHEN jsonb_array_length(v_audit) > 0 THEN ' audit' ELSE '' END);
  RETURN v_seq;
END
$$;

-- Marks the outbox rows a dispatcher may send now as claimed by it and returns them (the rule of
-- src/store/outbox-claims.ts: pending, due, not claimed by a live claimant, and of one alert on one
-- channel only the oldest pending row). Rows are locked FOR UPDATE SKIP LOCKED: a row another
-- session holds is left to it, never waited for or handed out twice.
--   {nowMs, claimedUntil, owner, host, pid, limit, dead: [claimant], fence}
CREATE FUNCTION imos_claim_outbox(p jsonb) RETURNS jsonb
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  v_cur bigint;
  v_now timestamptz := to_timestamp((p->>'nowMs')::double precision / 1000);
  v_dead text[] := ARRAY(SELECT jsonb_array_elements_text(coalesce(p->'dead', '[]')));
  v_rows jsonb;
  v_count integer;
BEGIN
  SELECT seq INTO v_cur FROM imos_sections WHERE section = 'core' FOR UPDATE;
  PERFORM imos_check_fence(p->'fence');
  WITH pending AS (
    SELECT key, pos, alert_id, next_attempt_at, claimed_by, claimed_until,
           row_number() OVER (PARTITION BY channel, alert_id ORDER BY pos) AS nth
    FROM imos_outbox WHERE state = 'pending'
  ), picked AS (
    SELECT key FROM pending
    WHERE (alert_id IS NULL OR nth = 1)
      AND (next_attempt_at IS NULL OR next_attempt_at <= v_now)
      AND NOT (coalesce(claimed_until > v_now, false) AND NOT (coalesce(claimed_by, '') <> '' AND claimed_by = ANY(v_dead)))
    ORDER BY pos
    LIMIT (p->>'limit')::integer
  ), locked AS (
    SELECT o.key FROM imos_outbox o
    WHERE o.key IN (SELECT key FROM picked) AND o.state = 'pending'
    ORDER BY o.pos
    FOR UPDATE SKIP LOCKED
  ), claimed AS (
    UPDATE imos_outbox o SET seq = v_cur + 1, data = o.data || jsonb_build_object(
        'claimedBy', p->>'owner', 'claimedUntil', p->>'claimedUntil', 'claimedHost', p->>'host',
        'claimedPid', p->'pid', 'attempts', coalesce((o.data->>'attempts')::numeric, 0) + 1)
    FROM locked WHERE o.key = locked.key
    RETURNING o.pos, o.data
  )
  SELECT coalesce(jsonb_agg(data ORDER BY pos), '[]'::jsonb), count(*) INTO v_rows, v_count FROM claimed;
  IF v_count = 0 THEN
    RETURN jsonb_build_object('seq', NULL, 'rows', v_rows);
  END IF;
  UPDATE imos_sections SET seq = v_cur + 1 WHERE section = 'core';
  PERFORM pg_notify(imos_channel(), 'core ' || (v_cur + 1));
  RETURN jsonb_build_object('seq', v_cur + 1, 'rows', v_rows);
END
$$;

-- Takes the lease when it is free, expired (on this database's clock) or held by a process known
-- dead (deadToken), renews it when it is ours; otherwise leaves it. A takeover locks every section
-- row first, so commits fenced with the old epoch in flight finish before it and are refused after.
--   {token, pid, host, user, role, ttlMs, deadToken, at (ms; tests only: null is the database clock)}
CREATE FUNCTION imos_lease_acquire(p jsonb) RETURNS jsonb
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  l imos_lease;
  v_now timestamptz := coalesce(to_timestamp((p->>'at')::double precision / 1000), clock_timestamp());
  v_action text;
BEGIN
  SELECT * INTO l FROM imos_lease WHERE id = 1 FOR UPDATE;
  IF l.token IS NULL THEN v_action := 'take';
  ELSIF l.token = p->>'token' THEN v_action := 'renew';
  ELSIF l.expires_at IS NULL OR l.expires_at <= v_now THEN v_action := 'take';
  ELSIF l.token = p->>'deadToken' THEN v_action := 'take';
  ELSE v_action := 'wait';
  END IF;
  IF v_action = 'take' THEN
    PERFORM 1 FROM imos_sections ORDER BY section FOR UPDATE;
    UPDATE imos_lease SET token = p->>'token', pid = (p->>'pid')::integer, host = p->>'host', "user" = p->>'user',
        role = p->>'role', since = v_now, renewed_at = v_now,
        expires_at = v_now + make_interval(secs => (p->>'ttlMs')::double precision / 1000), epoch = epoch + 1
      WHERE id = 1 RETURNING * INTO l;
  ELSIF v_action = 'renew' THEN
    UPDATE imos_lease SET renewed_at = v_now, expires_at = v_now + make_interval(secs => (p->>'ttlMs')::double precision / 1000)
      WHERE id = 1 RETURNING * INTO l;
  END IF;
  IF v_action <> 'wait' THEN
    PERFORM pg_notify(imos_channel(), 'lease');
  END IF;
  RETURN jsonb_build_object('ours', v_action <> 'wait', 'epoch', l.epoch, 'holder', imos_lease_json(l));
END
$$;

CREATE FUNCTION imos_lease_release(p_token text) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  UPDATE imos_lease SET token = NULL, pid = NULL, host = NULL, "user" = NULL, role = NULL,
      since = NULL, renewed_at = NULL, expires_at = NULL
    WHERE id = 1 AND token = p_token;
  IF FOUND THEN
    PERFORM pg_notify(imos_channel(), 'lease');
  END IF;
END
$$;
`;

// Claims record the poller lease epoch they were made under (claimedEpoch); a claim made under an
// older epoch than the claimer's fence no longer holds (its claimant lost the lease and stopped
// sending), so a new holder on another host takes the rows at once instead of after the claim's ttl.
const CLAIM_EPOCH = String.raw`
CREATE OR REPLACE FUNCTION imos_claim_outbox(p jsonb) RETURNS jsonb
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  v_cur bigint;
  v_now timestamptz := to_timestamp((p->>'nowMs')::double precision / 1000);
  v_dead text[] := ARRAY(SELECT jsonb_array_elements_text(coalesce(p->'dead', '[]')));
  v_epoch bigint := CASE WHEN jsonb_typeof(p->'fence') = 'object' THEN (p->'fence'->>'epoch')::bigint END;
  v_rows jsonb;
  v_count integer;
BEGIN
  SELECT seq INTO v_cur FROM imos_sections WHERE section = 'core' FOR UPDATE;
  PERFORM imos_check_fence(p->'fence');
  WITH pending AS (
    SELECT key, pos, alert_id, next_attempt_at, claimed_by, claimed_until,
           CASE WHEN jsonb_typeof(data->'claimedEpoch') = 'number' THEN (data->>'claimedEpoch')::bigint END AS claimed_epoch,
           row_number() OVER (PARTITION BY channel, alert_id ORDER BY pos) AS nth
    FROM imos_outbox WHERE state = 'pending'
  ), picked AS (
    SELECT key FROM pending
    WHERE (alert_id IS NULL OR nth = 1)
      AND (next_attempt_at IS NULL OR next_attempt_at <= v_now)
      AND NOT (coalesce(claimed_until > v_now, false)
               AND NOT (coalesce(claimed_by, '') <> '' AND claimed_by = ANY(v_dead))
               AND NOT coalesce(claimed_epoch < v_epoch, false))
    ORDER BY pos
    LIMIT (p->>'limit')::integer
  ), locked AS (
    SELECT o.key FROM imos_outbox o
    WHERE o.key IN (SELECT key FROM picked) AND o.state = 'pending'
    ORDER BY o.pos
    FOR UPDATE SKIP LOCKED
  ), claimed AS (
    UPDATE imos_outbox o SET seq = v_cur + 1, data = o.data || jsonb_build_object(
        'claimedBy', p->>'owner', 'claimedUntil', p->>'claimedUntil', 'claimedHost', p->>'host',
        'claimedPid', p->'pid', 'claimedEpoch', to_jsonb(v_epoch),
        'attempts', coalesce((o.data->>'attempts')::numeric, 0) + 1)
    FROM locked WHERE o.key = locked.key
    RETURNING o.pos, o.data
  )
  SELECT coalesce(jsonb_agg(data ORDER BY pos), '[]'::jsonb), count(*) INTO v_rows, v_count FROM claimed;
  IF v_count = 0 THEN
    RETURN jsonb_build_object('seq', NULL, 'rows', v_rows);
  END IF;
  UPDATE imos_sections SET seq = v_cur + 1 WHERE section = 'core';
  PERFORM pg_notify(imos_channel(), 'core ' || (v_cur + 1));
  RETURN jsonb_build_object('seq', v_cur + 1, 'rows', v_rows);
END
$$;
`;


// What an acknowledgement costs, cut down (README, "Performance"):
// - imos_ts, used by the generated time columns of every alert, outbox, standup and audit row, was
//   a SQL function PostgreSQL cannot inline (the text → timestamptz cast is only stable), so every
//   row written ran it as a separate query (~20 µs a call, several calls a row). The same test and
//   cast in PL/pgSQL costs a fraction of that. Stored values do not change: same input, same result.
// - imos_commit takes the section's next change number with one UPDATE … RETURNING (it locks the
//   row as the SELECT … FOR UPDATE did, so commits of a section still queue there and the fence is
//   still checked with the row locked), and checks the collections named against the section with
//   jsonb operators instead of a query per call. Everything else is as in 0001.
const LEAN_COMMIT = String.raw`
CREATE OR REPLACE FUNCTION imos_ts(value text) RETURNS timestamptz
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  IF value ~ '^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)$' THEN
    RETURN value::timestamptz;
  END IF;
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION imos_commit(p jsonb) RETURNS bigint
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  v_section text := p->>'section';
  v_since bigint := (p->>'since')::bigint;
  v_put jsonb := coalesce(p->'put', '{}');
  v_del jsonb := coalesce(p->'del', '{}');
  v_audit jsonb := coalesce(p->'audit', '[]');
  v_append jsonb := coalesce(p->'append', '[]');
  v_allowed text[];
  v_seq bigint;
  v_pruned bigint;
  v_name text;
  v_value jsonb;
  v_keys text[];
  v_hit boolean;
BEGIN
  -- The collections of each section (imos_collections; spelled out: asked on every commit).
  v_allowed := CASE v_section
    WHEN 'core' THEN '{alerts,outbox,standups,snapshots,kv}'::text[]
    WHEN 'results' THEN '{checks,uptime}'::text[]
    WHEN 'history' THEN '{history}'::text[]
  END;
  IF v_allowed IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'IM003', MESSAGE = format('unknown section %s', v_section);
  END IF;
  -- Every collection written must belong to the section (its change number is the one bumped).
  IF (v_put - v_allowed) <> '{}' OR (v_del - v_allowed) <> '{}' THEN
    SELECT k INTO v_name FROM jsonb_object_keys((v_put || v_del) - v_allowed) AS k LIMIT 1;
    RAISE EXCEPTION USING ERRCODE = 'IM003', MESSAGE = format('collection %s is not part of the %s section', v_name, v_section);
  END IF;
  IF v_append <> '[]' AND v_section <> 'history' THEN
    RAISE EXCEPTION USING ERRCODE = 'IM003', MESSAGE = 'history points belong to the history section';
  END IF;

  UPDATE imos_sections SET seq = seq + 1 WHERE section = v_section RETURNING seq, pruned_to INTO v_seq, v_pruned;

  IF v_seq - 1 > v_since THEN
    IF v_since < v_pruned THEN
      RAISE EXCEPTION USING ERRCODE = 'IM001', MESSAGE = 'the copy of the section is older than the kept tombstones';
    END IF;
    FOR v_name, v_value IN SELECT key, value FROM jsonb_each(coalesce(p->'reads', '{}')) LOOP
      IF NOT v_name = ANY(v_allowed) THEN
        RAISE EXCEPTION USING ERRCODE = 'IM003', MESSAGE = format('collection %s is not part of the %s section', v_name, v_section);
      END IF;
      v_keys := ARRAY(SELECT jsonb_array_elements_text(v_value));
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE key = ANY($1) AND seq > $2)', 'imos_' || v_name) INTO v_hit USING v_keys, v_since;
      IF v_hit OR EXISTS (SELECT 1 FROM imos_tombstones t WHERE t.collection = v_name AND t.key = ANY(v_keys) AND t.seq > v_since) THEN
        RAISE EXCEPTION USING ERRCODE = 'IM001', MESSAGE = format('a %s record read by the transaction changed meanwhile', v_name);
      END IF;
    END LOOP;
    FOR v_name IN SELECT jsonb_array_elements_text(coalesce(p->'scans', '[]')) LOOP
      IF NOT v_name = ANY(v_allowed) THEN
        RAISE EXCEPTION USING ERRCODE = 'IM003', MESSAGE = format('collection %s is not part of the %s section', v_name, v_section);
      END IF;
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE seq > $1)', 'imos_' || v_name) INTO v_hit USING v_since;
      IF v_hit OR EXISTS (SELECT 1 FROM imos_tombstones t WHERE t.section = v_section AND t.collection = v_name AND t.seq > v_since) THEN
        RAISE EXCEPTION USING ERRCODE = 'IM001', MESSAGE = format('the %s collection read by the transaction changed meanwhile', v_name);
      END IF;
    END LOOP;
  END IF;
  IF jsonb_typeof(p->'fence') = 'object' THEN
    PERFORM imos_check_fence(p->'fence');
  END IF;
  IF v_put ? 'alerts' THEN
    INSERT INTO imos_alerts (key, seq, data)
      SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_put->'alerts') WITH ORDINALITY AS e(r, i) ORDER BY i
      ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
  END IF;
  IF v_put ? 'outbox' THEN
    INSERT INTO imos_outbox (key, seq, data)
      SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_put->'outbox') WITH ORDINALITY AS e(r, i) ORDER BY i
      ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
  END IF;
  IF v_put ? 'standups' THEN
    INSERT INTO imos_standups (key, seq, data)
      SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_put->'standups') WITH ORDINALITY AS e(r, i) ORDER BY i
      ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
  END IF;
  IF v_put ? 'snapshots' THEN
    INSERT INTO imos_snapshots (key, seq, data)
      SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_put->'snapshots') WITH ORDINALITY AS e(r, i) ORDER BY i
      ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
  END IF;
  IF v_put ? 'kv' THEN
    INSERT INTO imos_kv (key, seq, data)
      SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_put->'kv') WITH ORDINALITY AS e(r, i) ORDER BY i
      ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
  END IF;
  IF v_put ? 'checks' THEN
    INSERT INTO imos_checks (key, seq, data)
      SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_put->'checks') WITH ORDINALITY AS e(r, i) ORDER BY i
      ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
  END IF;
  IF v_put ? 'uptime' THEN
    INSERT INTO imos_uptime (key, seq, data)
      SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_put->'uptime') WITH ORDINALITY AS e(r, i) ORDER BY i
      ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
  END IF;
  IF v_put ? 'history' THEN
    INSERT INTO imos_history (key, seq, data)
      SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_put->'history') WITH ORDINALITY AS e(r, i) ORDER BY i
      ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
  END IF;

  IF v_del <> '{}' THEN
    IF v_del ? 'alerts' THEN
      DELETE FROM imos_alerts WHERE key IN (SELECT jsonb_array_elements_text(v_del->'alerts'));
    END IF;
    IF v_del ? 'outbox' THEN
      DELETE FROM imos_outbox WHERE key IN (SELECT jsonb_array_elements_text(v_del->'outbox'));
    END IF;
    IF v_del ? 'standups' THEN
      DELETE FROM imos_standups WHERE key IN (SELECT jsonb_array_elements_text(v_del->'standups'));
    END IF;
    IF v_del ? 'snapshots' THEN
      DELETE FROM imos_snapshots WHERE key IN (SELECT jsonb_array_elements_text(v_del->'snapshots'));
    END IF;
    IF v_del ? 'kv' THEN
      DELETE FROM imos_kv WHERE key IN (SELECT jsonb_array_elements_text(v_del->'kv'));
    END IF;
    IF v_del ? 'checks' THEN
      DELETE FROM imos_checks WHERE key IN (SELECT jsonb_array_elements_text(v_del->'checks'));
    END IF;
    IF v_del ? 'uptime' THEN
      DELETE FROM imos_uptime WHERE key IN (SELECT jsonb_array_elements_text(v_del->'uptime'));
    END IF;
    IF v_del ? 'history' THEN
      DELETE FROM imos_history WHERE key IN (SELECT jsonb_array_elements_text(v_del->'history'));
    END IF;
    INSERT INTO imos_tombstones (collection, key, section, seq)
      SELECT d.key, k, v_section, v_seq FROM jsonb_each(v_del) AS d, jsonb_array_elements_text(d.value) AS k
      ON CONFLICT (collection, key) DO UPDATE SET seq = EXCLUDED.seq, section = EXCLUDED.section, deleted_at = now();
  END IF;

  -- History appends, in rounds (a round names each check once): keep the newest max points.
  IF v_append <> '[]' THEN
    FOR v_value IN SELECT value FROM jsonb_array_elements(v_append) LOOP
      UPDATE imos_history h
        SET seq = v_seq,
            data = jsonb_build_object('id', h.key, 'points',
                     imos_tail(coalesce(h.data->'points', '[]'::jsonb) || (a->'points'), (a->>'max')::integer))
        FROM jsonb_array_elements(v_value) AS a
        WHERE h.key = a->>'id';
      INSERT INTO imos_history (key, seq, data)
        SELECT a->>'id', v_seq, jsonb_build_object('id', a->>'id', 'points', imos_tail(a->'points', (a->>'max')::integer))
        FROM jsonb_array_elements(v_value) WITH ORDINALITY AS e(a, i)
        WHERE NOT EXISTS (SELECT 1 FROM imos_history h WHERE h.key = a->>'id')
        ORDER BY i;
    END LOOP;
  END IF;

  IF v_audit <> '[]' THEN
    INSERT INTO imos_audit (seq, data)
      SELECT v_seq, e FROM jsonb_array_elements(v_audit) WITH ORDINALITY AS t(e, i) ORDER BY i;
  END IF;

  -- Now and then, drop tombstones older than a week.
  IF v_seq % 1000 = 0 THEN
    WITH gone AS (
      DELETE FROM imos_tombstones WHERE section = v_section AND deleted_at < now() - interval '7 days' RETURNING seq
    )
    UPDATE imos_sections s SET pruned_to = greatest(s.pruned_to, g.top)
      FROM (SELECT max(seq) AS top FROM gone) AS g
      WHERE s.section = v_section AND g.top IS NOT NULL;
  END IF;

  PERFORM pg_notify('imos:' || current_schema(), v_section || ' ' || v_seq ||
    CASE WHEN v_audit <> '[]' THEN ' audit' ELSE '' END);
  RETURN v_seq;
END
$$;
`;


// What an acknowledgement costs, cut down further (README, "Performance"):
// - The columns people query on alerts and audit entries were generated columns: every write ran
//   imos_ts (a PL/pgSQL call) for each time column, twice for an alert written by INSERT … ON
//   CONFLICT. They become plain columns (values kept) that imos_commit writes with the record, the
//   time through imos_time: the same test and conversion as imos_ts, as an SQL function PostgreSQL
//   inlines into the statement (it may: it is declared stable, as its cast is). No table is
//   rewritten. The other tables keep their generated columns.
// - A change set that writes one record of a collection (an acknowledgement, most changes) writes
//   it with an UPDATE by key, and inserts it only when there is none: the plan is the primary
//   key's whatever the size of the table, and the row is locked and written once. Larger change
//   sets keep the set-based INSERT … ON CONFLICT. A single audit entry is inserted as one row.
const PLAIN_QUERY_COLUMNS = String.raw`
CREATE FUNCTION imos_time(value text) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN value ~ '^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3])(:?[0-5]\d)?)$'
    THEN value::timestamptz
  END
$$;

ALTER TABLE imos_alerts
  ALTER COLUMN fingerprint DROP EXPRESSION,
  ALTER COLUMN check_id DROP EXPRESSION,
  ALTER COLUMN system DROP EXPRESSION,
  ALTER COLUMN state DROP EXPRESSION,
  ALTER COLUMN severity DROP EXPRESSION,
  ALTER COLUMN opened_at DROP EXPRESSION,
  ALTER COLUMN resolved_at DROP EXPRESSION;

ALTER TABLE imos_audit
  ALTER COLUMN at DROP EXPRESSION,
  ALTER COLUMN actor DROP EXPRESSION,
  ALTER COLUMN action DROP EXPRESSION,
  ALTER COLUMN target DROP EXPRESSION;

CREATE OR REPLACE FUNCTION imos_commit(p jsonb) RETURNS bigint
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  v_section text := p->>'section';
  v_since bigint := (p->>'since')::bigint;
  v_put jsonb := coalesce(p->'put', '{}');
  v_del jsonb := coalesce(p->'del', '{}');
  v_audit jsonb := coalesce(p->'audit', '[]');
  v_append jsonb := coalesce(p->'append', '[]');
  v_allowed text[];
  v_seq bigint;
  v_pruned bigint;
  v_name text;
  v_value jsonb;
  v_keys text[];
  v_hit boolean;
  v_list jsonb;
  v_key text;
  v_rec jsonb;
BEGIN
  -- The collections of each section (imos_collections; spelled out: asked on every commit).
  v_allowed := CASE v_section
    WHEN 'core' THEN '{alerts,outbox,standups,snapshots,kv}'::text[]
    WHEN 'results' THEN '{checks,uptime}'::text[]
    WHEN 'history' THEN '{history}'::text[]
  END;
  IF v_allowed IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = 'IM003', MESSAGE = format('unknown section %s', v_section);
  END IF;
  -- Every collection written must belong to the section (its change number is the one bumped).
  IF (v_put - v_allowed) <> '{}' OR (v_del - v_allowed) <> '{}' THEN
    SELECT k INTO v_name FROM jsonb_object_keys((v_put || v_del) - v_allowed) AS k LIMIT 1;
    RAISE EXCEPTION USING ERRCODE = 'IM003', MESSAGE = format('collection %s is not part of the %s section', v_name, v_section);
  END IF;
  IF v_append <> '[]' AND v_section <> 'history' THEN
    RAISE EXCEPTION USING ERRCODE = 'IM003', MESSAGE = 'history points belong to the history section';
  END IF;

  UPDATE imos_sections SET seq = seq + 1 WHERE section = v_section RETURNING seq, pruned_to INTO v_seq, v_pruned;

  IF v_seq - 1 > v_since THEN
    IF v_since < v_pruned THEN
      RAISE EXCEPTION USING ERRCODE = 'IM001', MESSAGE = 'the copy of the section is older than the kept tombstones';
    END IF;
    FOR v_name, v_value IN SELECT key, value FROM jsonb_each(coalesce(p->'reads', '{}')) LOOP
      IF NOT v_name = ANY(v_allowed) THEN
        RAISE EXCEPTION USING ERRCODE = 'IM003', MESSAGE = format('collection %s is not part of the %s section', v_name, v_section);
      END IF;
      v_keys := ARRAY(SELECT jsonb_array_elements_text(v_value));
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE key = ANY($1) AND seq > $2)', 'imos_' || v_name) INTO v_hit USING v_keys, v_since;
      IF v_hit OR EXISTS (SELECT 1 FROM imos_tombstones t WHERE t.collection = v_name AND t.key = ANY(v_keys) AND t.seq > v_since) THEN
        RAISE EXCEPTION USING ERRCODE = 'IM001', MESSAGE = format('a %s record read by the transaction changed meanwhile', v_name);
      END IF;
    END LOOP;
    FOR v_name IN SELECT jsonb_array_elements_text(coalesce(p->'scans', '[]')) LOOP
      IF NOT v_name = ANY(v_allowed) THEN
        RAISE EXCEPTION USING ERRCODE = 'IM003', MESSAGE = format('collection %s is not part of the %s section', v_name, v_section);
      END IF;
      EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE seq > $1)', 'imos_' || v_name) INTO v_hit USING v_since;
      IF v_hit OR EXISTS (SELECT 1 FROM imos_tombstones t WHERE t.section = v_section AND t.collection = v_name AND t.seq > v_since) THEN
        RAISE EXCEPTION USING ERRCODE = 'IM001', MESSAGE = format('the %s collection read by the transaction changed meanwhile', v_name);
      END IF;
    END LOOP;
  END IF;
  IF jsonb_typeof(p->'fence') = 'object' THEN
    PERFORM imos_check_fence(p->'fence');
  END IF;
  IF v_put ? 'alerts' THEN
    v_list := v_put->'alerts';
    IF jsonb_array_length(v_list) = 1 THEN
      v_key := v_list->0->>0;
      v_rec := v_list->0->1;
      UPDATE imos_alerts SET seq = v_seq, data = v_rec,
          fingerprint = v_rec->>'fingerprint', check_id = v_rec->>'checkId', system = v_rec->>'system',
          state = v_rec->>'state', severity = v_rec->>'severity',
          opened_at = imos_time(v_rec->>'openedAt'), resolved_at = imos_time(v_rec->>'resolvedAt')
        WHERE key = v_key;
      IF NOT FOUND THEN
        INSERT INTO imos_alerts (key, seq, data, fingerprint, check_id, system, state, severity, opened_at, resolved_at)
          VALUES (v_key, v_seq, v_rec, v_rec->>'fingerprint', v_rec->>'checkId', v_rec->>'system', v_rec->>'state',
                  v_rec->>'severity', imos_time(v_rec->>'openedAt'), imos_time(v_rec->>'resolvedAt'));
      END IF;
    ELSE
      INSERT INTO imos_alerts (key, seq, data, fingerprint, check_id, system, state, severity, opened_at, resolved_at)
        SELECT r->>0, v_seq, r->1, r->1->>'fingerprint', r->1->>'checkId', r->1->>'system', r->1->>'state',
               r->1->>'severity', imos_time(r->1->>'openedAt'), imos_time(r->1->>'resolvedAt')
        FROM jsonb_array_elements(v_list) WITH ORDINALITY AS e(r, i) ORDER BY i
        ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data,
          fingerprint = EXCLUDED.fingerprint, check_id = EXCLUDED.check_id, system = EXCLUDED.system,
          state = EXCLUDED.state, severity = EXCLUDED.severity, opened_at = EXCLUDED.opened_at,
          resolved_at = EXCLUDED.resolved_at;
    END IF;
  END IF;
  IF v_put ? 'outbox' THEN
    v_list := v_put->'outbox';
    IF jsonb_array_length(v_list) = 1 THEN
      v_key := v_list->0->>0;
      UPDATE imos_outbox SET seq = v_seq, data = v_list->0->1 WHERE key = v_key;
      IF NOT FOUND THEN
        INSERT INTO imos_outbox (key, seq, data) VALUES (v_key, v_seq, v_list->0->1);
      END IF;
    ELSE
      INSERT INTO imos_outbox (key, seq, data)
        SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_list) WITH ORDINALITY AS e(r, i) ORDER BY i
        ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
    END IF;
  END IF;
  IF v_put ? 'standups' THEN
    v_list := v_put->'standups';
    IF jsonb_array_length(v_list) = 1 THEN
      v_key := v_list->0->>0;
      UPDATE imos_standups SET seq = v_seq, data = v_list->0->1 WHERE key = v_key;
      IF NOT FOUND THEN
        INSERT INTO imos_standups (key, seq, data) VALUES (v_key, v_seq, v_list->0->1);
      END IF;
    ELSE
      INSERT INTO imos_standups (key, seq, data)
        SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_list) WITH ORDINALITY AS e(r, i) ORDER BY i
        ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
    END IF;
  END IF;
  IF v_put ? 'snapshots' THEN
    v_list := v_put->'snapshots';
    IF jsonb_array_length(v_list) = 1 THEN
      v_key := v_list->0->>0;
      UPDATE imos_snapshots SET seq = v_seq, data = v_list->0->1 WHERE key = v_key;
      IF NOT FOUND THEN
        INSERT INTO imos_snapshots (key, seq, data) VALUES (v_key, v_seq, v_list->0->1);
      END IF;
    ELSE
      INSERT INTO imos_snapshots (key, seq, data)
        SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_list) WITH ORDINALITY AS e(r, i) ORDER BY i
        ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
    END IF;
  END IF;
  IF v_put ? 'kv' THEN
    v_list := v_put->'kv';
    IF jsonb_array_length(v_list) = 1 THEN
      v_key := v_list->0->>0;
      UPDATE imos_kv SET seq = v_seq, data = v_list->0->1 WHERE key = v_key;
      IF NOT FOUND THEN
        INSERT INTO imos_kv (key, seq, data) VALUES (v_key, v_seq, v_list->0->1);
      END IF;
    ELSE
      INSERT INTO imos_kv (key, seq, data)
        SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_list) WITH ORDINALITY AS e(r, i) ORDER BY i
        ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
    END IF;
  END IF;
  IF v_put ? 'checks' THEN
    v_list := v_put->'checks';
    IF jsonb_array_length(v_list) = 1 THEN
      v_key := v_list->0->>0;
      UPDATE imos_checks SET seq = v_seq, data = v_list->0->1 WHERE key = v_key;
      IF NOT FOUND THEN
        INSERT INTO imos_checks (key, seq, data) VALUES (v_key, v_seq, v_list->0->1);
      END IF;
    ELSE
      INSERT INTO imos_checks (key, seq, data)
        SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_list) WITH ORDINALITY AS e(r, i) ORDER BY i
        ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
    END IF;
  END IF;
  IF v_put ? 'uptime' THEN
    v_list := v_put->'uptime';
    IF jsonb_array_length(v_list) = 1 THEN
      v_key := v_list->0->>0;
      UPDATE imos_uptime SET seq = v_seq, data = v_list->0->1 WHERE key = v_key;
      IF NOT FOUND THEN
        INSERT INTO imos_uptime (key, seq, data) VALUES (v_key, v_seq, v_list->0->1);
      END IF;
    ELSE
      INSERT INTO imos_uptime (key, seq, data)
        SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_list) WITH ORDINALITY AS e(r, i) ORDER BY i
        ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
    END IF;
  END IF;
  IF v_put ? 'history' THEN
    v_list := v_put->'history';
    IF jsonb_array_length(v_list) = 1 THEN
      v_key := v_list->0->>0;
      UPDATE imos_history SET seq = v_seq, data = v_list->0->1 WHERE key = v_key;
      IF NOT FOUND THEN
        INSERT INTO imos_history (key, seq, data) VALUES (v_key, v_seq, v_list->0->1);
      END IF;
    ELSE
      INSERT INTO imos_history (key, seq, data)
        SELECT r->>0, v_seq, r->1 FROM jsonb_array_elements(v_list) WITH ORDINALITY AS e(r, i) ORDER BY i
        ON CONFLICT (key) DO UPDATE SET seq = EXCLUDED.seq, data = EXCLUDED.data;
    END IF;
  END IF;

  IF v_del <> '{}' THEN
    IF v_del ? 'alerts' THEN
      DELETE FROM imos_alerts WHERE key IN (SELECT jsonb_array_elements_text(v_del->'alerts'));
    END IF;
    IF v_del ? 'outbox' THEN
      DELETE FROM imos_outbox WHERE key IN (SELECT jsonb_array_elements_text(v_del->'outbox'));
    END IF;
    IF v_del ? 'standups' THEN
      DELETE FROM imos_standups WHERE key IN (SELECT jsonb_array_elements_text(v_del->'standups'));
    END IF;
    IF v_del ? 'snapshots' THEN
      DELETE FROM imos_snapshots WHERE key IN (SELECT jsonb_array_elements_text(v_del->'snapshots'));
    END IF;
    IF v_del ? 'kv' THEN
      DELETE FROM imos_kv WHERE key IN (SELECT jsonb_array_elements_text(v_del->'kv'));
    END IF;
    IF v_del ? 'checks' THEN
      DELETE FROM imos_checks WHERE key IN (SELECT jsonb_array_elements_text(v_del->'checks'));
    END IF;
    IF v_del ? 'uptime' THEN
      DELETE FROM imos_uptime WHERE key IN (SELECT jsonb_array_elements_text(v_del->'uptime'));
    END IF;
    IF v_del ? 'history' THEN
      DELETE FROM imos_history WHERE key IN (SELECT jsonb_array_elements_text(v_del->'history'));
    END IF;
    INSERT INTO imos_tombstones (collection, key, section, seq)
      SELECT d.key, k, v_section, v_seq FROM jsonb_each(v_del) AS d, jsonb_array_elements_text(d.value) AS k
      ON CONFLICT (collection, key) DO UPDATE SET seq = EXCLUDED.seq, section = EXCLUDED.section, deleted_at = now();
  END IF;

  -- History appends, in rounds (a round names each check once): keep the newest max points.
  IF v_append <> '[]' THEN
    FOR v_value IN SELECT value FROM jsonb_array_elements(v_append) LOOP
      UPDATE imos_history h
        SET seq = v_seq,
            data = jsonb_build_object('id', h.key, 'points',
                     imos_tail(coalesce(h.data->'points', '[]'::jsonb) || (a->'points'), (a->>'max')::integer))
        FROM jsonb_array_elements(v_value) AS a
        WHERE h.key = a->>'id';
      INSERT INTO imos_history (key, seq, data)
        SELECT a->>'id', v_seq, jsonb_build_object('id', a->>'id', 'points', imos_tail(a->'points', (a->>'max')::integer))
        FROM jsonb_array_elements(v_value) WITH ORDINALITY AS e(a, i)
        WHERE NOT EXISTS (SELECT 1 FROM imos_history h WHERE h.key = a->>'id')
        ORDER BY i;
    END LOOP;
  END IF;

  IF jsonb_array_length(v_audit) = 1 THEN
    v_rec := v_audit->0;
    INSERT INTO imos_audit (seq, data, at, actor, action, target)
      VALUES (v_seq, v_rec, imos_time(v_rec->>'at'), v_rec->>'actor', v_rec->>'action', v_rec->>'target');
  ELSIF v_audit <> '[]' THEN
    INSERT INTO imos_audit (seq, data, at, actor, action, target)
      SELECT v_seq, e, imos_time(e->>'at'), e->>'actor', e->>'action', e->>'target'
      FROM jsonb_array_elements(v_audit) WITH ORDINALITY AS t(e, i) ORDER BY i;
  END IF;

  -- Now and then, drop tombstones older than a week.
  IF v_seq % 1000 = 0 THEN
    WITH gone AS (
      DELETE FROM imos_tombstones WHERE section = v_section AND deleted_at < now() - interval '7 days' RETURNING seq
    )
    UPDATE imos_sections s SET pruned_to = greatest(s.pruned_to, g.top)
      FROM (SELECT max(seq) AS top FROM gone) AS g
      WHERE s.section = v_section AND g.top IS NOT NULL;
  END IF;

  PERFORM pg_notify('imos:' || current_schema(), v_section || ' ' || v_seq ||
    CASE WHEN v_audit <> '[]' THEN ' audit' ELSE '' END);
  RETURN v_seq;
END
$$;
`;

// An alert's history reads the audit entries aimed at it (target), newest first up to a limit: with
// only the time index, PostgreSQL walked the whole log backwards for them. Ordered by id within a
// target, the newest of one alert's entries are read straight from the index. Building it locks
// writes to the audit log for as long as it takes, once, while the store is opened.
const AUDIT_TARGET = String.raw`
CREATE INDEX imos_audit_target ON imos_audit (target, id);
`;

// A takeover's time is read once the commits under way have finished, not when the call started:
// the old holder's last writes (queued ahead of the takeover on the section rows) then all carry an
// earlier time than the new holder's since. The clock is also read after the lease row is locked, so
// an acquire that queued behind another decides on the time it gets the row. Otherwise as in 0001.
const LEASE_SINCE_AFTER_WAIT = String.raw`
CREATE OR REPLACE FUNCTION imos_lease_acquire(p jsonb) RETURNS jsonb
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  l imos_lease;
  v_at timestamptz := to_timestamp((p->>'at')::double precision / 1000);
  v_now timestamptz;
  v_action text;
BEGIN
  SELECT * INTO l FROM imos_lease WHERE id = 1 FOR UPDATE;
  v_now := coalesce(v_at, clock_timestamp());
  IF l.token IS NULL THEN v_action := 'take';
  ELSIF l.token = p->>'token' THEN v_action := 'renew';
  ELSIF l.expires_at IS NULL OR l.expires_at <= v_now THEN v_action := 'take';
  ELSIF l.token = p->>'deadToken' THEN v_action := 'take';
  ELSE v_action := 'wait';
  END IF;
  IF v_action = 'take' THEN
    PERFORM 1 FROM imos_sections ORDER BY section FOR UPDATE;
    v_now := coalesce(v_at, clock_timestamp());
    UPDATE imos_lease SET token = p->>'token', pid = (p->>'pid')::integer, host = p->>'host', "user" = p->>'user',
        role = p->>'role', since = v_now, renewed_at = v_now,
        expires_at = v_now + make_interval(secs => (p->>'ttlMs')::double precision / 1000), epoch = epoch + 1
      WHERE id = 1 RETURNING * INTO l;
  ELSIF v_action = 'renew' THEN
    UPDATE imos_lease SET renewed_at = v_now, expires_at = v_now + make_interval(secs => (p->>'ttlMs')::double precision / 1000)
      WHERE id = 1 RETURNING * INTO l;
  END IF;
  IF v_action <> 'wait' THEN
    PERFORM pg_notify(imos_channel(), 'lease');
  END IF;
  RETURN jsonb_build_object('ours', v_action <> 'wait', 'epoch', l.epoch, 'holder', imos_lease_json(l));
END
$$;
`;

export const PG_MIGRATIONS: readonly PgMigration[] = [
  { name: '0001_store', sql: STORE_V1 },
  { name: '0002_claim_epoch', sql: CLAIM_EPOCH },
  { name: '0003_lean_commit', sql: LEAN_COMMIT },
  { name: '0004_plain_query_columns', sql: PLAIN_QUERY_COLUMNS },
  { name: '0005_audit_target', sql: AUDIT_TARGET },
  { name: '0006_lease_since_after_wait', sql: LEASE_SINCE_AFTER_WAIT },
];

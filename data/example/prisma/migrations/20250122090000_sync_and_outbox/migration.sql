-- Synchronisation bookkeeping and the event outbox shared by every system.
CREATE TABLE sync_state (source text PRIMARY KEY, synced_at timestamptz NOT NULL);
CREATE TABLE outbox (id bigserial PRIMARY KEY, topic text NOT NULL, payload jsonb NOT NULL DEFAULT '{}', created_at timestamptz NOT NULL DEFAULT now(), processed_at timestamptz);
CREATE INDEX outbox_unprocessed ON outbox (created_at) WHERE processed_at IS NULL;

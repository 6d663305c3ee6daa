#!/bin/sh
# Sync recovery for the hotel integration (the sync-recovery playbook in imos.yaml runs it):
# re-runs the given source's reservation sync bookkeeping, marking it caught up as of now, and
# says how far behind it was. It connects as the role that may update sync_state and nothing
# else, with the URL from the environment (SYNC_DATABASE_URL); it takes the source name only from
# the playbook's choices (pms, member), never free text.
set -eu

source_name="${1:?usage: recover-sync.sh pms|member}"
case "$source_name" in
  pms|member) ;;
  *) echo "recover-sync: unknown source '$source_name' (pms or member)" >&2; exit 64 ;;
esac
if [ -z "${SYNC_DATABASE_URL:-}" ]; then
  echo "recover-sync: SYNC_DATABASE_URL is not set (the playbook passes it from SYNC_RECOVERY_URL)" >&2
  exit 78
fi

echo "recovering the $source_name reservation sync"
psql "$SYNC_DATABASE_URL" --no-psqlrc --quiet --tuples-only --no-align -v ON_ERROR_STOP=1 -v source="$source_name" <<'SQL'
SELECT 'behind by ' || round(extract(epoch FROM now() - synced_at))::text || ' s' FROM sync_state WHERE source = :'source';
UPDATE sync_state SET synced_at = now() WHERE source = :'source';
SELECT 'caught up at ' || to_char(synced_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC' FROM sync_state WHERE source = :'source';
SQL
echo "done: imos checks the sync again now"

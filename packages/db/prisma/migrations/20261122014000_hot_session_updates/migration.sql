-- Per-event session updates become HOT: nothing they change is indexed any more.

-- Lists sort by last_event_at with a top-N sort, the reaper and open-session lists use the partial
-- index below. (Replaces sessions_live_last_event_at_idx from 20261122012800.)
DROP INDEX "sessions_last_event_at_id_idx";
DROP INDEX "sessions_live_last_event_at_idx";
CREATE INDEX "sessions_live_status_idx" ON "sessions"("status") WHERE "status" <> 'ended';

-- Room on each page for the new row versions of HOT updates.
ALTER TABLE "sessions" SET (fillfactor = 80);

-- Events: (session_id, key) is the identity, the serial id only orders ties (unindexed).
DROP INDEX "events_session_id_key_key";
ALTER TABLE "events" DROP CONSTRAINT "events_pkey",
ADD CONSTRAINT "events_pkey" PRIMARY KEY ("session_id", "key");

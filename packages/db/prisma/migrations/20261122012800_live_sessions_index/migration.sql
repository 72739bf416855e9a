-- Open sessions by last activity, for the reaper and for lists of open sessions. Partial: a session
-- that ends leaves it, so ending 100,000 stale sessions writes one index entry less for each.
CREATE INDEX "sessions_live_last_event_at_idx" ON "sessions"("last_event_at") WHERE "status" <> 'ended';

-- DropIndex (replaced by the partial index above)
DROP INDEX "sessions_status_last_event_at_idx";

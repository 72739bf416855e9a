-- DropIndex
DROP INDEX "sessions_project_last_event_at_idx";

-- DropIndex
DROP INDEX "sessions_cwd_ended_at_idx";

-- DropIndex
DROP INDEX "events_time_idx";


-- Partial indexes (hand-written: Prisma's schema cannot express them). They hold only the rows
-- their queries look for, so ordinary writes never touch them.
CREATE INDEX "sessions_cleared_cwd_idx" ON "sessions"("cwd", "ended_at") WHERE "end_detail" = 'clear';
CREATE INDEX "events_usage_time_idx" ON "events"("time") WHERE "cost_micros" IS NOT NULL OR "input_tokens" IS NOT NULL OR "output_tokens" IS NOT NULL;

-- AlterTable
ALTER TABLE "sessions" ADD COLUMN     "api_errors" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "cache_creation_tokens" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "cache_read_tokens" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "cost_micros" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "input_tokens" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "model" TEXT,
ADD COLUMN     "model_at" TIMESTAMPTZ(3),
ADD COLUMN     "output_tokens" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "parent_session_id" TEXT,
ADD COLUMN     "start_reason" TEXT,
ADD COLUMN     "tool_calls_hooks" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "tool_calls_otel" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "events" ADD COLUMN     "cache_creation_tokens" INTEGER,
ADD COLUMN     "cache_read_tokens" INTEGER,
ADD COLUMN     "cost_micros" BIGINT,
ADD COLUMN     "input_tokens" INTEGER,
ADD COLUMN     "model" TEXT,
ADD COLUMN     "output_tokens" INTEGER;

-- CreateIndex
CREATE INDEX "sessions_cwd_ended_at_idx" ON "sessions"("cwd", "ended_at");

-- CreateIndex
CREATE INDEX "events_time_idx" ON "events"("time");


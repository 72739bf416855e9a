-- AlterTable
ALTER TABLE "sessions" ADD COLUMN     "alive_at" TIMESTAMPTZ(3),
ADD COLUMN     "has_status_signal" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "events" ADD COLUMN     "signal" TEXT NOT NULL DEFAULT 'status';


-- Sessions recorded before signals existed: every one with an event from a hook or the events API
-- (names without a dot, OpenTelemetry's have one) had a status source. OpenTelemetry-only sessions
-- keep false, so their records go on standing in for status (lifecycle rule 6).
UPDATE "sessions" AS s SET "has_status_signal" = true
WHERE EXISTS (SELECT 1 FROM "events" AS e WHERE e."session_id" = s."id" AND (e."name" IS NULL OR strpos(e."name", '.') = 0));

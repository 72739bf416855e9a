-- AlterTable
ALTER TABLE "sessions" ADD COLUMN     "estimated_cost_micros" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "events" ADD COLUMN     "estimated_cost_micros" BIGINT;


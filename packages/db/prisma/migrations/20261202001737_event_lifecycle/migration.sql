-- AlterTable
ALTER TABLE "events" ADD COLUMN     "lifecycle" JSONB;


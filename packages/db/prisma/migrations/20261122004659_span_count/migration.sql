-- AlterTable
ALTER TABLE "sessions" ADD COLUMN     "span_count" INTEGER NOT NULL DEFAULT 0;


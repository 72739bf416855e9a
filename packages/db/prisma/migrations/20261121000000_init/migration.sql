-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "project" TEXT,
    "cwd" TEXT,
    "host" TEXT,
    "title" TEXT,
    "title_at" TIMESTAMPTZ(3),
    "status" TEXT NOT NULL DEFAULT 'active',
    "waiting_reason" TEXT,
    "end_reason" TEXT,
    "end_detail" TEXT,
    "started_at" TIMESTAMPTZ(3),
    "last_event_at" TIMESTAMPTZ(3),
    "status_at" TIMESTAMPTZ(3),
    "ended_at" TIMESTAMPTZ(3),
    "event_count" INTEGER NOT NULL DEFAULT 0,
    "reopen_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" BIGSERIAL NOT NULL,
    "session_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "tool" TEXT,
    "detail" TEXT,
    "payload" JSONB,
    "payload_truncated" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sessions_last_event_at_id_idx" ON "sessions"("last_event_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "sessions_status_last_event_at_idx" ON "sessions"("status", "last_event_at");

-- CreateIndex
CREATE INDEX "sessions_project_last_event_at_idx" ON "sessions"("project", "last_event_at" DESC);

-- CreateIndex
CREATE INDEX "events_session_id_time_idx" ON "events"("session_id", "time" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "events_session_id_key_key" ON "events"("session_id", "key");

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE CASCADE ON UPDATE CASCADE;


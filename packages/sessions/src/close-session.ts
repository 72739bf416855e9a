import { close, type SessionState } from "@pulse/core";
import { Prisma, type PrismaClient } from "@pulse/db";
import { recordInferredEnds } from "./history";
import { selectSessions, writeSessions } from "./rows";

export interface CloseResult {
  session: SessionState;
  /** False when the session had already ended (returned unchanged). */
  changed: boolean;
}

/** Ends a session on a user's request (end_reason "closed", at its last event). Null if unknown. */
export async function closeSession(prisma: PrismaClient, id: string): Promise<CloseResult | null> {
  return prisma.$transaction(async (tx) => {
    const [before] = await selectSessions(tx, Prisma.sql`SELECT * FROM sessions WHERE id = ${id} FOR UPDATE`);
    if (!before) return null;
    const after = close(before);
    if (after === before) return { session: before, changed: false };
    await writeSessions(tx, [after]);
    // Rule 13: the close is part of the session's history, at its time.
    await tx.$executeRaw`WITH ended AS (SELECT id, source, ended_at FROM sessions WHERE id = ${id}) ${recordInferredEnds("ended", "closed")}`;
    return { session: after, changed: true };
  });
}

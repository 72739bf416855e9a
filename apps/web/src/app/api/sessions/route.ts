import { forward } from "@/lib/forward";

export const dynamic = "force-dynamic";

/** A page of sessions (lib/forward.ts). */
export const GET = forward("sessions");

import { forward } from "@/lib/forward";

export const dynamic = "force-dynamic";

/** One session and its newest events (lib/forward.ts). */
export const GET = forward("session");

import { forward } from "@/lib/forward";

export const dynamic = "force-dynamic";

/** The concurrency chart's timeline (lib/forward.ts). */
export const GET = forward("timeline");

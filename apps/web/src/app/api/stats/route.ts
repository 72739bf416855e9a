import { forward } from "@/lib/forward";

export const dynamic = "force-dynamic";

/** KPI figures (lib/forward.ts). */
export const GET = forward("stats");

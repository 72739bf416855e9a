import { forward } from "@/lib/forward";

export const dynamic = "force-dynamic";

/** Per-day figures in the viewer's time zone, with time spent waiting on the user (lib/forward.ts). */
export const GET = forward("daily");

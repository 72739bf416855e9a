import { forward } from "@/lib/forward";

export const dynamic = "force-dynamic";

/** Removing a notification channel (lib/forward.ts). */
export const DELETE = forward("deleteChannel");

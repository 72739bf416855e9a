import { forward } from "@/lib/forward";

export const dynamic = "force-dynamic";

/** The global settle time and quiet hours (lib/forward.ts). */
export const GET = forward("notificationSettings");
export const PUT = forward("updateNotificationSettings");

import type { PrismaClient } from "@pulse/db";

export interface DeliveryGroup {
  status: string;
  channelType: string;
  count: number;
}

export interface ChannelGroup {
  channelType: string;
  enabled: number;
  /** Enabled channels whose newest attempts failed (`failing_since` set). */
  failing: number;
}

export interface NotificationCounts {
  deliveries: DeliveryGroup[];
  channels: ChannelGroup[];
}

/** Deliveries by outcome and channel type (a delivery leaves with its channel), and channels failing, in one round trip each. */
export async function readNotifications(prisma: PrismaClient): Promise<NotificationCounts> {
  const [deliveries, channels] = await Promise.all([
    prisma.$queryRaw<Array<{ status: string; type: string; n: number }>>`
      SELECT d.status, c.type, count(*)::int AS n
      FROM notification_deliveries d JOIN notification_channels c ON c.id = d.channel_id
      GROUP BY d.status, c.type`,
    prisma.$queryRaw<Array<{ type: string; enabled: number; failing: number }>>`
      SELECT type, count(*)::int AS enabled, (count(*) FILTER (WHERE failing_since IS NOT NULL))::int AS failing
      FROM notification_channels WHERE enabled
      GROUP BY type`,
  ]);
  return {
    deliveries: deliveries.map((r) => ({ status: r.status, channelType: r.type, count: r.n })),
    channels: channels.map((r) => ({ channelType: r.type, enabled: r.enabled, failing: r.failing })),
  };
}

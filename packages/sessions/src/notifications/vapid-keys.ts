import type { Db } from "../rows";

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/**
 * Web Push's VAPID key pair (RFC 8292), kept in the settings row: made once, by whoever needs it
 * first (the dashboard to subscribe a browser, the worker to send). Two at once both generate, one
 * pair is kept (the first written) and both return it.
 */
export async function ensureVapidKeys(db: Db, generate: () => VapidKeys): Promise<VapidKeys> {
  const read = async () => {
    const [row] = await db.$queryRaw<Array<{ publicKey: string | null; privateKey: string | null }>>`
      SELECT vapid_public_key AS "publicKey", vapid_private_key AS "privateKey" FROM notification_settings WHERE id = 1`;
    return row?.publicKey && row.privateKey ? { publicKey: row.publicKey, privateKey: row.privateKey } : null;
  };
  const existing = await read();
  if (existing) return existing;
  const made = generate();
  await db.$executeRaw`
    INSERT INTO notification_settings (id, vapid_public_key, vapid_private_key, updated_at)
    VALUES (1, ${made.publicKey}, ${made.privateKey}, now())
    ON CONFLICT (id) DO UPDATE SET vapid_public_key = EXCLUDED.vapid_public_key,
      vapid_private_key = EXCLUDED.vapid_private_key, updated_at = now()
    WHERE notification_settings.vapid_public_key IS NULL`;
  return (await read())!;
}

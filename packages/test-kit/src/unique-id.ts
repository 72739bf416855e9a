import { randomBytes } from "node:crypto";

/** `label_<8 hex>`, safe as a Postgres database name part and a Redis key prefix part. */
export function uniqueId(label: string): string {
  return `${label.replace(/[^a-z0-9]/gi, "").toLowerCase()}_${randomBytes(4).toString("hex")}`;
}

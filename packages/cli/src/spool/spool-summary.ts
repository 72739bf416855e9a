import { readdirSync } from "node:fs";
import { rejectedDir, spoolDir } from "../env/paths";
import { listSpool } from "./spool-files";

export interface SpoolSummary {
  dir: string;
  count: number;
  /** Event time of the oldest waiting event (ISO), from its file name. */
  oldest: string | null;
  rejected: number;
}

/** What is waiting in the spool, without reading the events. */
export function summarizeSpool(home: string): SpoolSummary {
  const dir = spoolDir(home);
  const names = listSpool(dir);
  const oldestMs = names.length ? Number(names[0].split("-")[0]) : NaN;
  let rejected = 0;
  try {
    rejected = readdirSync(rejectedDir(home)).filter((n) => n.endsWith(".json")).length;
  } catch {
    // none
  }
  return {
    dir,
    count: names.length,
    oldest: Number.isFinite(oldestMs) ? new Date(oldestMs).toISOString() : null,
    rejected,
  };
}

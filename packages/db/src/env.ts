import { z } from "zod";
import { DEFAULT_DATABASE_URL } from "./defaults";

/** The database setting every app reads from its environment. */
export const databaseEnv = {
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: "must be a postgresql:// URL" })
    .default(DEFAULT_DATABASE_URL),
};

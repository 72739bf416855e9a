import { classifyDatabaseError } from "@pulse/db";

/** Postgres aborts one side of a deadlock or serialization conflict; running it again is the fix. */
export async function withDeadlockRetry<T>(run: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || classifyDatabaseError(error) !== "conflict") throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}

/** Postgres aborts one side of a deadlock or serialization conflict; running it again is the fix. */
function isTransientConflict(error: unknown): boolean {
  const e = error as { code?: string; message?: string; meta?: { code?: string } } | null;
  if (!e) return false;
  if (e.code === "P2034" || e.meta?.code === "40P01" || e.meta?.code === "40001") return true;
  return /40P01|40001|deadlock detected|could not serialize/i.test(e.message ?? "");
}

export async function withDeadlockRetry<T>(run: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= attempts || !isTransientConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 * attempt + Math.random() * 20));
    }
  }
}

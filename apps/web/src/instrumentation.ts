/** Runs once when the server starts (Node.js only: the checks use process.exit). */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await import("./instrumentation-node");
}

import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const WEB_DIR = path.join(REPO_ROOT, "apps/web");
/** Outside Playwright's own output folder, which it empties at the start of a run. */
export const LOG_DIR = path.join(WEB_DIR, "test-results/e2e-logs");
export const SCREENSHOT_DIR = path.join(WEB_DIR, "test-results/screenshots");
export const STORAGE_STATE = path.join(WEB_DIR, "test-results/e2e-state/logged-in.json");
export const FIXTURES_DIR = path.join(REPO_ROOT, "test/fixtures/claude-code");

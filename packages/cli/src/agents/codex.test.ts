import type { LoadedFile } from "../cli/config-file";
import { codexNotifyTarget, notifyArgv } from "./codex";
import { findTopLevelKey, scanToml, tableValue } from "./toml-lines";

const runtime = { node: "/usr/bin/node", script: "/opt/pulse/dist/pulse.js" };
const NOTIFY =
  'notify = ["/usr/bin/env", "NODE_EXTRA_CA_CERTS=", "/usr/bin/node", "/opt/pulse/dist/pulse.js", "hook", "--agent", "codex"]';
const file = (text: string): LoadedFile => ({ path: "/home/u/.codex/config.toml", exists: text !== "", text });
const target = codexNotifyTarget("/home/u/.codex/config.toml");

describe("scanToml", () => {
  it("finds the first table and top-level keys, not lines inside multi-line values", () => {
    const text = [
      'model = "o3"',
      "notify = [",
      '  "say",',
      '  "[done]",',
      "]",
      'prompt = """',
      "[not a table]",
      '"""',
      "",
      "# the profile",
      "[profiles.fast]",
      'model = "o4-mini"',
    ].join("\n");
    const toml = scanToml(text);
    expect(toml.firstTable).toBe(10);
    expect(findTopLevelKey(toml, "notify")).toEqual({ start: 1, end: 4, text: 'notify = [\n  "say",\n  "[done]",\n]' });
    expect(findTopLevelKey(toml, "model")?.start).toBe(0);
    expect(findTopLevelKey(toml, "missing")).toBeNull();
  });

  it("does not take a key inside a table for a top-level one", () => {
    expect(findTopLevelKey(scanToml("[tui]\nnotify = true\n"), "notify")).toBeNull();
  });

  it("reads a switch in a table", () => {
    const toml = scanToml("[features]\nhooks = false # off\n[other]\nhooks = true\n");
    expect(tableValue(toml, "features", "hooks")).toBe("false");
    expect(tableValue(toml, "features", "codex_hooks")).toBeNull();
  });
});

describe("codex notify in config.toml", () => {
  it("creates the file with notify", () => {
    expect(target.install(file(""), runtime)).toEqual({ text: NOTIFY + "\n", changed: true });
    expect(notifyArgv(runtime)[0]).toBe("/usr/bin/env");
  });

  it("puts notify before the first table (and above that table's comments), keeping everything else", () => {
    const before = 'model = "o3"\n\n# fast profile\n[profiles.fast]\nmodel = "o4-mini"\n';
    const { text, changed } = target.install(file(before), runtime);
    expect(changed).toBe(true);
    expect(text).toBe(`model = "o3"\n\n${NOTIFY}\n\n# fast profile\n[profiles.fast]\nmodel = "o4-mini"\n`);
    expect(target.install(file(text), runtime).changed).toBe(false);
    expect(target.uninstall(file(text))).toEqual({ text: before, changed: true, removed: 1 });
  });

  it("appends when there is no table", () => {
    expect(target.install(file('model = "o3"'), runtime).text).toBe(`model = "o3"\n${NOTIFY}\n`);
  });

  it("replaces an outdated Pulse notify, even a multi-line one, in place", () => {
    const old = 'notify = [\n  "node",\n  "/old/pulse.js", "hook", "--agent", "codex",\n]\n[tui]\nx = 1\n';
    expect(target.install(file(old), runtime).text).toBe(`${NOTIFY}\n[tui]\nx = 1\n`);
    expect(target.status(file(old), runtime).problems[0]).toMatch(/another Pulse checkout/);
  });

  it("leaves a notify program of the user's own alone, and says so", () => {
    const own = 'notify = ["python3", "/home/u/notify.py"]\n';
    const result = target.install(file(own), runtime);
    expect(result).toMatchObject({ text: own, changed: false });
    expect(result.note).toMatch(/has a notify program of its own; left as it is/);
    expect(target.uninstall(file(own)).changed).toBe(false);
    expect(target.status(file(own), runtime)).toEqual({ installed: [], missing: [], foreign: 1, problems: [] });
  });

  it("reports hooks switched off in [features]", () => {
    const text = `${NOTIFY}\n[features]\nhooks = false\n`;
    expect(target.status(file(text), runtime)).toMatchObject({
      installed: ["notify"],
      problems: [expect.stringMatching(/switched off/)],
    });
  });
});

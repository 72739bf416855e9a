import {
  installJsonHooks,
  isPulseCommand,
  type JsonHooksSpec,
  jsonHooksStatus,
  uninstallJsonHooks,
} from "./json-hooks";

const COMMAND = "NODE_EXTRA_CA_CERTS= /usr/bin/node /opt/pulse/packages/cli/dist/pulse.js hook";
const spec = (command = COMMAND): JsonHooksSpec => ({
  file: "settings.json",
  events: ["SessionStart", "Stop"],
  entry: () => ({ type: "command", command, timeout: 5 }),
});

const foreign = () => ({
  theme: "dark",
  hooks: {
    Stop: [{ hooks: [{ type: "command", command: "say done" }] }],
    PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "guard" }] }],
  },
});

describe("isPulseCommand", () => {
  it.each([
    [COMMAND, true],
    ["pulse hook", true],
    ["npx pulse hook --agent codex", true],
    ["node '/home/a b/pulse.js' hook", true],
    ['"/usr/local/bin/pulse" hook', true],
    ["my-pulse hook", false],
    ["pulse hooks install", false],
    ["pulse-hook", false],
    ["echo pulse", false],
    [42, false],
  ])("%s → %s", (command, expected) => {
    expect(isPulseCommand(command)).toBe(expected);
  });
});

describe("installJsonHooks", () => {
  it("appends one Pulse group per event after the foreign ones and leaves the rest alone", () => {
    const input = foreign();
    const { settings, changed } = installJsonHooks(input, spec());
    expect(changed).toBe(true);
    expect(settings).toEqual({
      theme: "dark",
      hooks: {
        Stop: [input.hooks.Stop[0], { hooks: [{ type: "command", command: COMMAND, timeout: 5 }] }],
        PreToolUse: input.hooks.PreToolUse,
        SessionStart: [{ hooks: [{ type: "command", command: COMMAND, timeout: 5 }] }],
      },
    });
    expect(input).toEqual(foreign()); // the input is not mutated
  });

  it("is idempotent", () => {
    const once = installJsonHooks(foreign(), spec()).settings;
    const twice = installJsonHooks(once, spec());
    expect(twice.changed).toBe(false);
    expect(twice.settings).toBe(once);
  });

  it("replaces an outdated Pulse entry, even one inside a foreign group, without touching the foreign entry", () => {
    const input = {
      hooks: {
        Stop: [
          {
            hooks: [
              { type: "command", command: "say done" },
              { type: "command", command: "node /old/pulse.js hook" },
            ],
          },
        ],
      },
    };
    const { settings } = installJsonHooks(input, spec());
    expect(settings.hooks).toMatchObject({
      Stop: [
        { hooks: [{ type: "command", command: "say done" }] },
        { hooks: [{ type: "command", command: COMMAND, timeout: 5 }] },
      ],
    });
    expect(installJsonHooks(settings, spec()).changed).toBe(false);
  });

  it("creates hooks in an empty file", () => {
    expect(installJsonHooks({}, spec()).settings).toEqual({
      hooks: {
        SessionStart: [{ hooks: [{ type: "command", command: COMMAND, timeout: 5 }] }],
        Stop: [{ hooks: [{ type: "command", command: COMMAND, timeout: 5 }] }],
      },
    });
  });

  it("refuses shapes it cannot merge into safely", () => {
    expect(() => installJsonHooks({ hooks: [] }, spec())).toThrow(
      'settings.json: "hooks" is not an object; fix it by hand first',
    );
    expect(() => installJsonHooks({ hooks: { Stop: {} } }, spec())).toThrow(
      'settings.json: "hooks.Stop" is not a list; fix it by hand first',
    );
  });
});

describe("uninstallJsonHooks", () => {
  it("removes only Pulse's entries and what they alone filled", () => {
    const installed = installJsonHooks(foreign(), spec()).settings;
    const { settings, changed, removed } = uninstallJsonHooks(installed, { file: "settings.json" });
    expect(changed).toBe(true);
    expect(removed).toBe(2);
    expect(settings).toEqual(foreign());
  });

  it("drops the hooks key when Pulse's were the only hooks, and changes nothing when there are none", () => {
    const installed = installJsonHooks({ theme: "x" }, spec()).settings;
    expect(uninstallJsonHooks(installed, { file: "f" }).settings).toEqual({ theme: "x" });
    const untouched = foreign();
    expect(uninstallJsonHooks(untouched, { file: "f" })).toEqual({ settings: untouched, changed: false, removed: 0 });
  });

  it("keeps a foreign empty hooks object as it was", () => {
    expect(uninstallJsonHooks({ hooks: {} }, { file: "f" }).settings).toEqual({ hooks: {} });
  });
});

describe("jsonHooksStatus", () => {
  it("lists installed and missing events, Pulse's commands and the number of foreign hooks", () => {
    const partly = {
      hooks: { ...foreign().hooks, SessionStart: [{ hooks: [{ type: "command", command: COMMAND }] }] },
    };
    expect(jsonHooksStatus(partly, spec())).toEqual({
      installed: ["SessionStart"],
      missing: ["Stop"],
      commands: [COMMAND],
      foreign: 2,
    });
  });
});

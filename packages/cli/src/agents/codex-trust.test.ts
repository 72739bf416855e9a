import { pulseHooksFromConfigToml } from "./codex-trust";

const PULSE = "NODE_EXTRA_CA_CERTS= /usr/bin/node /opt/pulse/packages/cli/dist/pulse.js hook --agent codex";
const hooksJson = JSON.stringify({
  hooks: {
    SessionStart: [{ hooks: [{ type: "command", command: PULSE, timeout: 5 }] }],
    // A foreign group first: Pulse's entry is group 1, handler 1 of PreToolUse.
    PreToolUse: [
      { matcher: "Bash", hooks: [{ type: "command", command: "/usr/local/bin/guard.sh" }] },
      {
        hooks: [
          { type: "command", command: "echo x" },
          { type: "command", command: PULSE },
        ],
      },
    ],
    Stop: [{ hooks: [{ type: "command", command: PULSE }] }],
  },
});

// What Codex 0.171 writes after "Trust all" in its TUI (keys as seen in config.toml).
const configToml = `model = "gpt-5-codex"

[hooks.state]

[hooks.state."/home/dev/.codex/hooks.json:session_start:0:0"]
trusted_hash = "sha256:cc95d98b9aadcd34dbed5325216d80520e4e1c7ad3024646127b4150431ff3ce"

[hooks.state."/home/dev/.codex/hooks.json:pre_tool_use:1:1"]
trusted_hash = "sha256:afe83a9d9fc29da1782a791d03e37584210c10c990dc1a06dda193bc28026d7d"

[hooks.state."/home/dev/.codex/hooks.json:pre_tool_use:0:0"]
trusted_hash = "sha256:0000000000000000000000000000000000000000000000000000000000000000"

[projects."/home/dev/work"]
trust_level = "trusted"
`;

describe("Codex hook trust from config.toml (without a codex binary)", () => {
  it("finds Pulse's hooks by Codex's key (file:event:group:handler) and whether a trust entry exists", () => {
    expect(pulseHooksFromConfigToml("/home/dev/.codex/hooks.json", hooksJson, configToml)).toEqual([
      { key: "/home/dev/.codex/hooks.json:session_start:0:0", event: "session_start", status: "recorded" },
      { key: "/home/dev/.codex/hooks.json:pre_tool_use:1:1", event: "pre_tool_use", status: "recorded" },
      { key: "/home/dev/.codex/hooks.json:stop:0:0", event: "stop", status: "untrusted" },
    ]);
  });

  it("a trust entry elsewhere (another table, another file's key) does not count", () => {
    const elsewhere = configToml
      .replace(/hooks\.json:session_start/, "other.json:session_start")
      .replace('[hooks.state."/home/dev/.codex/hooks.json:pre_tool_use:1:1"]', "[other]");
    expect(pulseHooksFromConfigToml("/home/dev/.codex/hooks.json", hooksJson, elsewhere).map((h) => h.status)).toEqual([
      "untrusted",
      "untrusted",
      "untrusted",
    ]);
  });

  it("a hooks.json that is not JSON, or empty files, give no hooks rather than an error", () => {
    expect(pulseHooksFromConfigToml("/x/hooks.json", "{not json", configToml)).toEqual([]);
    expect(pulseHooksFromConfigToml("/x/hooks.json", "", "")).toEqual([]);
    expect(pulseHooksFromConfigToml("/x/hooks.json", JSON.stringify({ hooks: { Stop: "nope" } }), "")).toEqual([]);
  });
});

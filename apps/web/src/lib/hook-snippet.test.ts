import { AGENTS } from "@pulse/core/agents";
import { claudeCodeHookSettings } from "./hook-snippet";

describe("claudeCodeHookSettings", () => {
  it("posts every hook's input to this Pulse, never failing the hook", () => {
    const settings = JSON.parse(claudeCodeHookSettings("http://127.0.0.1:6820", false));
    const command = settings.hooks.SessionStart[0].hooks[0].command as string;
    expect(command).toContain("--data-binary @- http://127.0.0.1:6820/v1/hooks/claude-code");
    expect(command).toMatch(/\|\| true$/);
    expect(command).not.toContain("Authorization");
  });

  it("installs exactly the events Claude Code's adapter lists (the ones `pulse hooks install` installs)", () => {
    const settings = JSON.parse(claudeCodeHookSettings("http://127.0.0.1:6820", false));
    expect(Object.keys(settings.hooks)).toEqual([...AGENTS["claude-code"].hookEvents]);
    // The ones the old hand-kept list missed: the permission dialog at once, API errors, interrupts.
    expect(Object.keys(settings.hooks)).toEqual(
      expect.arrayContaining(["PermissionRequest", "StopFailure", "PostToolUseFailure"]),
    );
    for (const [event, entries] of Object.entries<any[]>(settings.hooks)) {
      expect(entries).toHaveLength(1);
      expect(entries[0].matcher).toBeUndefined(); // every tool, notification type and source, as `pulse hooks install` writes it
      expect(entries[0].hooks[0].command).toContain(AGENTS["claude-code"].hookRoute);
      expect(event).toMatch(/^[A-Z]\w+$/);
    }
  });

  it("reads the token from the environment rather than printing it", () => {
    const command = JSON.parse(claudeCodeHookSettings("http://pulse:6820", true)).hooks.Stop[0].hooks[0].command;
    expect(command).toContain('-H "Authorization: Bearer $PULSE_TOKEN"');
  });
});

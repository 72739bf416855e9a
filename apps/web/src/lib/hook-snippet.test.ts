import { claudeCodeHookSettings } from "./hook-snippet";

describe("claudeCodeHookSettings", () => {
  it("posts every hook's input to this Pulse, never failing the hook", () => {
    const settings = JSON.parse(claudeCodeHookSettings("http://127.0.0.1:6820", false));
    const command = settings.hooks.SessionStart[0].hooks[0].command as string;
    expect(command).toContain("--data-binary @- http://127.0.0.1:6820/v1/hooks/claude-code");
    expect(command).toMatch(/\|\| true$/);
    expect(command).not.toContain("Authorization");
    expect(settings.hooks.PreToolUse[0].matcher).toBe("*");
    expect(settings.hooks.Stop[0].matcher).toBeUndefined();
  });

  it("reads the token from the environment rather than printing it", () => {
    const command = JSON.parse(claudeCodeHookSettings("http://pulse:6820", true)).hooks.Stop[0].hooks[0].command;
    expect(command).toContain('-H "Authorization: Bearer $PULSE_TOKEN"');
  });
});

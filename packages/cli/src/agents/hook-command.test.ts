import { pulseHookCommand, shellQuote } from "./hook-command";
import { isPulseCommand } from "./json-hooks";
import { commandPaths, shellWords } from "./shell-words";

describe("pulseHookCommand", () => {
  it("runs node on the built script directly, with the CA bundle variable cleared", () => {
    expect(pulseHookCommand("/opt/pulse/dist/pulse.js", [], "/usr/bin/node")).toBe(
      "NODE_EXTRA_CA_CERTS= /usr/bin/node /opt/pulse/dist/pulse.js hook",
    );
    expect(pulseHookCommand("/opt/pulse/dist/pulse.js", ["--agent", "gemini"], "/usr/bin/node")).toBe(
      "NODE_EXTRA_CA_CERTS= /usr/bin/node /opt/pulse/dist/pulse.js hook --agent gemini",
    );
  });

  it("quotes paths with spaces or quotes so sh runs them as one word, and is still recognised as Pulse's", () => {
    const command = pulseHookCommand("/home/ann o'neil/pulse dir/pulse.js", [], "/usr/bin/node");
    expect(command).toBe(`NODE_EXTRA_CA_CERTS= /usr/bin/node '/home/ann o'\\''neil/pulse dir/pulse.js' hook`);
    expect(shellWords(command)).toEqual([
      "NODE_EXTRA_CA_CERTS=",
      "/usr/bin/node",
      "/home/ann o'neil/pulse dir/pulse.js",
      "hook",
    ]);
    expect(isPulseCommand(command)).toBe(true);
    expect(commandPaths(command)).toEqual(["/usr/bin/node", "/home/ann o'neil/pulse dir/pulse.js"]);
  });

  it("leaves safe words bare", () => {
    expect(shellQuote("/a/b-c_d.js")).toBe("/a/b-c_d.js");
    expect(shellQuote("$HOME")).toBe("'$HOME'");
  });
});

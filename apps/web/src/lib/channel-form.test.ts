import { channelBody, type ChannelFormValues } from "./channel-form";

const form: ChannelFormValues = {
  name: "ops",
  type: "webhook",
  url: " https://hooks.example/abc ",
  token: "",
  reasons: ["permission", "question", "error"],
  projects: "",
  agents: "",
  settleSeconds: "",
  notifyResolved: false,
  idleMinutes: "",
};

describe("channelBody", () => {
  it("leaves empty fields to the API's defaults", () => {
    expect(channelBody(form)).toEqual({
      name: "ops",
      type: "webhook",
      url: "https://hooks.example/abc",
      reasons: ["permission", "question", "error"],
      notify_resolved: false,
    });
  });

  it("splits projects and agents at commas and passes numbers and the token", () => {
    expect(
      channelBody({
        ...form,
        token: "s3cret",
        projects: "acme-api, web ,",
        agents: "codex",
        settleSeconds: "10",
        notifyResolved: true,
        idleMinutes: "30",
      }),
    ).toMatchObject({
      token: "s3cret",
      projects: ["acme-api", "web"],
      agents: ["codex"],
      settle_seconds: 10,
      notify_resolved: true,
      idle_minutes: 30,
    });
  });

  it("passes a malformed number on for ingest to name (NaN is not a number of seconds)", () => {
    expect(channelBody({ ...form, settleSeconds: "soon" }).settle_seconds).toBeNaN();
  });
});

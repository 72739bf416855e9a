import type { ChannelCreateParams } from "@pulse/core/api";

/** The add-channel form as typed (every field a string or a set of boxes). */
export interface ChannelFormValues {
  name: string;
  type: string;
  url: string;
  token: string;
  reasons: string[];
  projects: string;
  agents: string;
  settleSeconds: string;
  notifyResolved: boolean;
  idleMinutes: string;
}

const list = (text: string) =>
  text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

const optionalNumber = (text: string) => (text.trim() === "" ? undefined : Number(text.trim()));

/**
 * The API body for the form: empty fields are left out (the API's defaults: all projects and
 * agents, the global settle time, no idle reminder). Values are passed as typed; ingest says what
 * is wrong with them ("settle_seconds: must be a whole number").
 */
export function channelBody(values: ChannelFormValues): ChannelCreateParams {
  const projects = list(values.projects);
  const agents = list(values.agents);
  const settle = optionalNumber(values.settleSeconds);
  const idle = optionalNumber(values.idleMinutes);
  return {
    name: values.name,
    type: values.type as ChannelCreateParams["type"],
    url: values.url.trim(),
    ...(values.token ? { token: values.token } : {}),
    reasons: values.reasons as ChannelCreateParams["reasons"],
    ...(projects.length ? { projects } : {}),
    ...(agents.length ? { agents } : {}),
    ...(settle !== undefined ? { settle_seconds: settle } : {}),
    notify_resolved: values.notifyResolved,
    ...(idle !== undefined ? { idle_minutes: idle } : {}),
  };
}

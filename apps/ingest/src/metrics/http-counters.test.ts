import { routeLabels } from "./http-counters";

type Request = Parameters<typeof routeLabels>[0];
const request = (method: string, url: string | undefined) => ({ method, routeOptions: { url } }) as unknown as Request;

it("labels a request by the route pattern it matched, never by its path, and bounds the method", () => {
  expect(routeLabels(request("GET", "/v1/sessions/:id"))).toEqual({ method: "GET", route: "/v1/sessions/:id" });
  expect(routeLabels(request("GET", undefined))).toEqual({ method: "GET", route: "unmatched" });
  expect(routeLabels(request("BREW", undefined))).toEqual({ method: "other", route: "unmatched" });
});

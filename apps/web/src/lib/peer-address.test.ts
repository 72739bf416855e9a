import { isLocalPeer, parsePeerRange } from "./peer-address";

describe("peer address", () => {
  it("counts only loopback connections as this machine, in every spelling Node reports", () => {
    for (const address of ["127.0.0.1", "127.0.0.2", "127.255.255.254", "::1", "::ffff:127.0.0.1", "0:0:0:0:0:0:0:1"])
      expect([address, isLocalPeer(address)]).toEqual([address, true]);
    for (const address of [
      "192.0.2.2",
      "::ffff:192.0.2.2",
      "10.0.0.1",
      "0.0.0.0",
      "::",
      "fe80::1",
      "128.0.0.1",
      "localhost",
      "127.0.0.1, 192.0.2.2",
      "",
      null,
    ]) {
      expect([address, isLocalPeer(address)]).toEqual([address, false]);
    }
  });

  it("adds the operator's PULSE_LOCAL_PEERS ranges, and nothing else", () => {
    expect(isLocalPeer("172.18.0.1", ["172.16.0.0/12"])).toBe(true);
    expect(isLocalPeer("::ffff:172.18.0.1", ["172.16.0.0/12"])).toBe(true);
    expect(isLocalPeer("172.32.0.1", ["172.16.0.0/12"])).toBe(false);
    expect(isLocalPeer("192.0.2.7", ["192.0.2.7"])).toBe(true);
    expect(isLocalPeer("192.0.2.8", ["192.0.2.7"])).toBe(false);
    expect(isLocalPeer("fd00::5", ["fd00::/8"])).toBe(true);
  });

  it("parses addresses and CIDR ranges, refusing anything else", () => {
    expect(parsePeerRange("172.16.0.0/12")).toEqual({ address: "172.16.0.0", prefix: 12, family: "ipv4" });
    expect(parsePeerRange("::1")).toEqual({ address: "::1", prefix: 128, family: "ipv6" });
    for (const bad of [
      "172.16.0.0/33",
      "fd00::/129",
      "10.0.0.0/x",
      "10.0.0.0/8/8",
      "docker",
      "10.0.0",
      "",
      "10.0.0.0/",
    ])
      expect([bad, parsePeerRange(bad)]).toEqual([bad, null]);
  });
});

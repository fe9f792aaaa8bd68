// Chooses the upstream host that serves a request: the one place a routing policy across hosts plugs in.

import type { Upstream } from "./client.js";

/** What a routing policy may look at when it chooses a host. */
export interface UpstreamChoice {
  /** The model the request names, when it names one. */
  model: string | undefined;
}

/**
 * Picks the host for one upstream request. Contract: called once per upstream request, after admission and just
 * before the request is sent; returns a host (it never throws: a request it cannot place is refused earlier).
 */
export interface UpstreamSelector {
  select(choice: UpstreamChoice): Upstream;
}

/** One Ollama behind the gateway: every request goes to it. */
export function singleUpstream(upstream: Upstream): UpstreamSelector {
  return { select: () => upstream };
}

import { ConfigError, stringFlag } from "../config/flags.ts";
import type { FlagValues } from "../config/load.ts";
import type { Logger } from "../log/logger.ts";
import { remoteBofiedFeed, remoteLiwascFeed, remoteNeconFeed, type RemoteService } from "./remote_feeds.ts";
import type { SightingFeed } from "./sightings.ts";

const remoteFlags = (service: string, port: number) => ({
  url: stringFlag({
    name: `${service}-url`,
    description: `${service}'s API (e.g. http://127.0.0.1:${port}); its nodes are followed from there`,
    default: "",
    defaultText: `none: ${service} is not followed`,
    allowEmpty: true,
  }),
  tokenFile: stringFlag({
    name: `${service}-token-file`,
    description: `file holding a token for ${service}'s API (a viewer's is enough)`,
    default: "",
    defaultText: "none: calls without a credential (the service must allow --anonymous-read)",
    allowEmpty: true,
  }),
});

const necon = remoteFlags("necon", 8471);
const liwasc = remoteFlags("liwasc", 8473);
const bofied = remoteFlags("bofied", 8472);

/** The standalone nodin's flags: where necon, liwasc and bofied are. */
export const nodinRemoteFlags = {
  neconUrl: necon.url,
  neconTokenFile: necon.tokenFile,
  liwascUrl: liwasc.url,
  liwascTokenFile: liwasc.tokenFile,
  bofiedUrl: bofied.url,
  bofiedTokenFile: bofied.tokenFile,
};

function remote(name: string, url: string, tokenFile: string): RemoteService | undefined {
  if (!url) {
    if (tokenFile) throw new ConfigError(`--${name}-token-file needs --${name}-url`);
    return undefined;
  }
  if (!/^https?:\/\/[^/]+\/?$/.test(url)) {
    throw new ConfigError(`--${name}-url: "${url}" is not http(s)://host:port`);
  }
  if (tokenFile) {
    try {
      Deno.statSync(tokenFile);
    } catch (error) {
      throw new ConfigError(`--${name}-token-file ${tokenFile}: ${(error as Error).message}`);
    }
  }
  return { url: url.replace(/\/$/, ""), tokenFile };
}

/** A feed for each service named on the command line. */
export function remoteFeeds(flags: FlagValues<typeof nodinRemoteFlags>, log: Logger): SightingFeed[] {
  const feeds: SightingFeed[] = [];
  const neconRemote = remote("necon", flags.neconUrl, flags.neconTokenFile);
  if (neconRemote) feeds.push(remoteNeconFeed(neconRemote, log));
  const liwascRemote = remote("liwasc", flags.liwascUrl, flags.liwascTokenFile);
  if (liwascRemote) feeds.push(remoteLiwascFeed(liwascRemote, log));
  const bofiedRemote = remote("bofied", flags.bofiedUrl, flags.bofiedTokenFile);
  if (bofiedRemote) feeds.push(remoteBofiedFeed(bofiedRemote, log));
  return feeds;
}

import { type Decoded, decoded, decodeFailure } from "../errors.ts";
import { type Ipv4Address, type Ipv4Cidr, makeCidr, prefixMask, readIpv4, requireIpv4 } from "../ipv4addr.ts";
import type { OptionCodec } from "./values.ts";

// Option 121, classless static routes (RFC 3442 §1): per route, the prefix width (0-32), only the
// significant octets of the destination (ceil(width / 8)), then the 4-byte router. A default route is
// destination 0.0.0.0/0 (one zero byte). Clients that get option 121 ignore option 3 (routers).

const LAYER = "dhcp classless static routes";

export interface ClasslessRoute {
  /** Network and prefix; `address` equals `network` (bits past the width are dropped). */
  readonly destination: Ipv4Cidr;
  readonly router: Ipv4Address;
}

export function decodeClasslessRoutes(data: Uint8Array): Decoded<ClasslessRoute[]> {
  const routes: ClasslessRoute[] = [];
  let offset = 0;
  while (offset < data.length) {
    const width = data[offset];
    if (width > 32) {
      return decodeFailure(LAYER, `route at offset ${offset} has prefix width ${width}, above 32`);
    }
    const octets = Math.ceil(width / 8);
    const needed = 1 + octets + 4;
    const remain = data.length - offset;
    if (needed > remain) {
      return decodeFailure(
        LAYER,
        `route at offset ${offset} (/${width}) needs ${needed} bytes, only ${remain} remain`,
      );
    }
    let network = 0;
    for (let i = 0; i < 4; i++) network = network * 256 + (i < octets ? data[offset + 1 + i] : 0);
    // RFC 3442 leaves bits past the width undefined: mask them rather than reject the option.
    network = (network & prefixMask(width)) >>> 0;
    routes.push({ destination: makeCidr(network, width), router: readIpv4(data, offset + 1 + octets) });
    offset += 1 + octets + 4;
  }
  if (routes.length === 0) return decodeFailure(LAYER, "length 0, at least one route (5 bytes) expected");
  return decoded(routes);
}

/** Encodes the routes; a destination's host bits are not sent (only its network is). */
export function encodeClasslessRoutes(routes: readonly ClasslessRoute[]): Uint8Array<ArrayBuffer> {
  if (routes.length === 0) throw new RangeError("option 121 needs at least one route");
  const out: number[] = [];
  for (const { destination, router } of routes) {
    const cidr = makeCidr(destination.address, destination.prefixLength);
    requireIpv4(router);
    out.push(cidr.prefixLength);
    for (let i = 0; i < Math.ceil(cidr.prefixLength / 8); i++) {
      out.push((cidr.network >>> (24 - 8 * i)) & 0xff);
    }
    out.push(router >>> 24, (router >>> 16) & 0xff, (router >>> 8) & 0xff, router & 0xff);
  }
  return Uint8Array.from(out);
}

export const CLASSLESS_ROUTES: OptionCodec<ClasslessRoute[]> = {
  decode: decodeClasslessRoutes,
  encode: encodeClasslessRoutes,
};

import { type Ipv4Address, parseIpv4 } from "../net/ipv4addr.ts";
import { ConfigInvalid, type FieldError } from "./config.ts";

export const interfaceNamePattern = /^[a-zA-Z0-9_.:@-]{1,15}$/;
export const dnsNamePattern =
  /^(?=.{1,253}$)([a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)(\.[a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?)*\.?$/;

/**
 * The field errors of one compile, collected rather than thrown so the operator sees every problem at
 * once; the checks every step shares report here under the field path they are given.
 */
export class Violations {
  readonly errors: FieldError[] = [];

  fail(field: string, message: string): undefined {
    this.errors.push({ field, message });
    return undefined;
  }

  /** Throws ConfigInvalid with every error collected, if there is one. */
  throwIfAny(): void {
    if (this.errors.length) throw new ConfigInvalid(this.errors);
  }

  ip(field: string, text: unknown): Ipv4Address | undefined {
    if (typeof text !== "string") return this.fail(field, "expected an IPv4 address string");
    try {
      return parseIpv4(text);
    } catch (error) {
      return this.fail(field, (error as Error).message);
    }
  }

  /** The valid addresses of an optional list; each bad one is reported at its index. */
  ips(field: string, list: unknown): Ipv4Address[] {
    if (list === undefined) return [];
    if (!Array.isArray(list)) return this.fail(field, "expected a list of IPv4 addresses"), [];
    return list.map((text, i) => this.ip(`${field}[${i}]`, text)).filter((a): a is number => a !== undefined);
  }

  /** Whole seconds from `min` up to 4294967294 (0xffffffff means "infinite" on the wire), or `fallback`. */
  seconds(field: string, value: unknown, fallback: number, min = 1): number {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > 0xffff_fffe) {
      return this.fail(field, `expected whole seconds from ${min} to 4294967294`), fallback;
    }
    return value as number;
  }

  dnsName(field: string, name: string | undefined): void {
    if (name !== undefined && !dnsNamePattern.test(name)) this.fail(field, "not a DNS name");
  }
}

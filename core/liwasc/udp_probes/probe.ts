// The contract between liwasc's UDP scan and one protocol. A scan sends payload() and waits: a reply means
// the port is open, an ICMP port-unreachable that it is closed, silence that it is open|filtered. The
// recogniser only names the service; the port state is the scan's call, since any reply from the probed
// port proves it open, even one that no recogniser accepts. A reply from another port of the target is
// evidence only for a protocol that answers from a port of its own (answersFromNewPort), and only when
// recognised: anything else from there (a late answer to an earlier probe, another service) proves nothing
// about this port, and nmap ignores it too.

export interface Recognition {
  /** The service the reply comes from, e.g. "dns" or "ntp". */
  readonly service: string;
  /** A short, printable summary of what the reply says (at most 200 characters; text.ts). */
  readonly detail?: string;
}

export interface UdpProbe {
  /** Names the probe in results and logs, e.g. "dns-version-bind". */
  readonly name: string;
  /** The datagram to send: the same bytes on every call, so a retransmission is answered like the first. */
  payload(): Uint8Array;
  /**
   * The reply as this service, or undefined when it is not a well-formed answer to this very probe
   * (wrong transaction ID, truncated, a different protocol). Replies are untrusted: this never throws.
   */
  recognise(reply: Uint8Array): Recognition | undefined;
  /**
   * The service answers from a new port rather than the one probed, as TFTP does (its transfer ID,
   * RFC 1350 §4): the scan then also takes a reply from any port of the target that recognise() accepts.
   */
  readonly answersFromNewPort?: boolean;
}

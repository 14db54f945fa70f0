import type { ConnectRouter } from "@connectrpc/connect";
import { formatMac, macFromBytes } from "../../net/mac.ts";
import { listInterfaces } from "../../sys/interfaces.ts";
import { HostService } from "../gen/ctpf/v1/host_pb.ts";

export function registerHostService(router: ConnectRouter): void {
  router.service(HostService, {
    listInterfaces() {
      return {
        interfaces: listInterfaces().map((facts) => ({
          ...facts,
          mac: facts.mac ? formatMac(macFromBytes(facts.mac)) : "",
        })),
      };
    },
  });
}

import type { DriverFactory } from "./driver.ts";
import { ipmiDriverFactory } from "./ipmi/mod.ts";
import { libvirtFactory } from "./libvirt/driver.ts";
import { redfishFactory } from "./redfish/driver.ts";
import { sshFactory } from "./ssh/driver.ts";
import { webhookFactory } from "./webhook/driver.ts";
import { wolFactory } from "./wol/driver.ts";
import { DriverRegistry } from "./registry.ts";

/**
 * Every power driver this build ships, one line each: a new driver adds its factory here and nowhere
 * else (nodin's loop, API and page list whatever is registered).
 */
export const driverFactories: DriverFactory[] = [
  ipmiDriverFactory,
  redfishFactory,
  libvirtFactory,
  webhookFactory,
  sshFactory,
  wolFactory,
];

export function shippedDrivers(): DriverRegistry {
  return new DriverRegistry(driverFactories);
}

import type { DriverFactory } from "./driver.ts";
import { ipmiDriverFactory } from "./ipmi/mod.ts";
import { DriverRegistry } from "./registry.ts";

/**
 * Every power driver this build ships, one line each: a new driver adds its factory here and nowhere
 * else (nodin's loop, API and page list whatever is registered).
 */
export const driverFactories: DriverFactory[] = [
  ipmiDriverFactory,
];

export function shippedDrivers(): DriverRegistry {
  return new DriverRegistry(driverFactories);
}

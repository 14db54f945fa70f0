// The IPMI 2.0 power driver: register ipmiDriverFactory with nodin's driver list.
export { createIpmiDriver, ipmiDriverFactory } from "./factory.ts";
export { type BootFlagsObservation, IPMI_CAPABILITIES, IpmiPowerDriver } from "./driver.ts";

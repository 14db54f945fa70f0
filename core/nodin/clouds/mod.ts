/** The cloud providers nodin can register, one factory each (see each provider's options). */
export { createEc2Provider, Ec2Provider, type Ec2ProviderOptions } from "./aws/ec2_provider.ts";
export { createGceProvider, GceProvider, type GceProviderOptions } from "./gce/gce_provider.ts";
export {
  createDigitalOceanProvider,
  DigitalOceanProvider,
  type DigitalOceanProviderOptions,
} from "./digitalocean/do_provider.ts";
export { type CloudErrorKind, CloudProviderError } from "./errors.ts";
export type { CloudMachine, CloudProvider, CreateMachineSpec } from "./provider.ts";

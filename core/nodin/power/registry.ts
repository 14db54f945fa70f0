import { InputError } from "../../errors/input_error.ts";
import type { BmcReference, Credential, DriverFactory, PowerDriver } from "./driver.ts";

/** The power drivers this binary knows, by name; a BMC reference names one of them. */
export class DriverRegistry {
  readonly #factories = new Map<string, DriverFactory>();

  constructor(factories: DriverFactory[] = []) {
    for (const factory of factories) this.register(factory);
  }

  register(factory: DriverFactory): void {
    if (this.#factories.has(factory.driver)) {
      throw new Error(`power driver "${factory.driver}" registered twice`);
    }
    this.#factories.set(factory.driver, factory);
  }

  get(driver: string): DriverFactory | undefined {
    return this.#factories.get(driver);
  }

  list(): DriverFactory[] {
    return [...this.#factories.values()].sort((a, b) => a.driver.localeCompare(b.driver));
  }

  /** Refuses a driver this binary does not have, naming the ones it has. */
  check(driver: string, field = "bmc.driver"): DriverFactory {
    const factory = this.#factories.get(driver);
    if (!factory) {
      const known = this.list().map((f) => f.driver);
      throw new InputError(
        field,
        `no power driver "${driver}" (${known.length ? `known: ${known.join(", ")}` : "none is installed"})`,
      );
    }
    return factory;
  }

  create(bmc: BmcReference, credential: Credential | undefined): PowerDriver {
    return this.check(bmc.driver).create(bmc, credential);
  }
}

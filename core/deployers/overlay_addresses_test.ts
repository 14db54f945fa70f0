import { FieldErrors } from "../errors/field_errors.ts";
import { parseCidr } from "../net/ipv4addr.ts";
import { SqliteStore } from "../store/sqlite.ts";
import { assertEquals, assertThrows } from "../testing/assert.ts";
import { assignOverlayAddresses } from "./overlay_addresses.ts";
import { SqliteDeploymentRepository } from "./store_sqlite.ts";

Deno.test("overlay addresses: assigned in node-id order, kept per node and network, a plan keeps nothing", () => {
  const store = SqliteStore.open(":memory:");
  try {
    const repository = new SqliteDeploymentRepository(store);
    const network = "10.200.0.0/24";
    const cidr = parseCidr(network);
    const plan = assignOverlayAddresses(repository, network, cidr, ["n-b", "n-a"], false);
    assertEquals([...plan], [["n-a", "10.200.0.1"], ["n-b", "10.200.0.2"]]);
    assertEquals(repository.overlayAddresses(network).size, 0, "a plan records nothing");

    assignOverlayAddresses(repository, network, cidr, ["n-b", "n-a"], true);
    // n-a leaves, n-0 arrives (sorting first): n-b keeps .2, n-0 takes .3 (n-a's .1 stays n-a's).
    const next = assignOverlayAddresses(repository, network, cidr, ["n-b", "n-0"], true);
    assertEquals([...next], [["n-0", "10.200.0.3"], ["n-b", "10.200.0.2"]]);
    assertEquals(assignOverlayAddresses(repository, network, cidr, ["n-a"], true).get("n-a"), "10.200.0.1");
    // Another network numbers afresh.
    const other = assignOverlayAddresses(
      repository,
      "10.201.0.0/30",
      parseCidr("10.201.0.0/30"),
      ["n-b"],
      true,
    );
    assertEquals(other.get("n-b"), "10.201.0.1");
    // A /30 holds two nodes; the third is refused naming the option.
    const full = assertThrows(
      () =>
        assignOverlayAddresses(
          repository,
          "10.201.0.0/30",
          parseCidr("10.201.0.0/30"),
          ["a", "b", "c"],
          true,
        ),
      FieldErrors,
    );
    assertEquals((full as FieldErrors).errors.map((error) => error.field), ["gloeth.overlay_network"]);
  } finally {
    store.close();
  }
});

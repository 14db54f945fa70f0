// Secret parameters (join tokens, password hashes) are never echoed by BuildService, to admins or viewers,
// in any RPC that returns parameters, and a rebuild from what the API showed keeps the real value.
import { BuildService } from "../api/gen/ctpf/v1/builders_pb.ts";
import { assertEquals } from "../testing/assert.ts";
import { rootTest } from "../testing/harness/root.ts";
import { inProcessApi } from "../testing/in_process_api.ts";
import { registerBuildersApi } from "./api.ts";
import { type BuilderKind, HIDDEN } from "./kind.ts";
import { finished, startBuilders } from "./testing/fixture.ts";

/** Needs no base image: the token lands in the artifact, so the build's real parameters can be read back. */
const tokenKind: BuilderKind = {
  name: "token-file",
  title: "Token file",
  description: "writes its token into a file",
  baseImages: [],
  fields: [
    { name: "name", title: "Name", description: "", type: "string", required: true, pattern: /^[a-z]+$/ },
    { name: "token", title: "Token", description: "", type: "string", required: true, secret: true },
  ],
  template: (parameters) => ({
    dockerfile: "FROM scratch\nCOPY token.txt /out/token.txt\n",
    files: [{ name: "token.txt", content: new TextEncoder().encode(parameters.token as string) }],
  }),
  publishFolder: (parameters) => `builds/${parameters.name}`,
};

rootTest({
  name:
    "builders API: a secret parameter shows as (hidden) everywhere; a rebuild from what was shown keeps it",
  tools: ["dockerd"],
  sanitizeResources: false,
  fn: async () => {
    await using fixture = await startBuilders([tokenKind]);
    await using api = await inProcessApi();
    api.serve((router) => registerBuildersApi(router, fixture.builders));
    const admin = api.client(BuildService);
    const viewer = api.client(BuildService, api.viewerToken);

    const kinds = (await viewer.listKinds({})).kinds.find((kind) => kind.name === "token-file")!;
    assertEquals(kinds.parameters.map((p) => [p.name, p.secret]), [["name", false], ["token", true]]);

    const created =
      (await admin.createBuild({ kind: "token-file", parameters: { name: "a", token: "s3cret" } }))
        .build!;
    assertEquals(created.parameters, { name: "a", token: HIDDEN });
    const first = await finished(fixture.builders, created.id);
    assertEquals(first.state, "succeeded", first.error);
    const tokenOf = async (id: string) =>
      new TextDecoder().decode(
        await fixture.artifacts.read(
          fixture.builders.get(id).artifacts.find((a) => a.name === "token.txt")!.sha256,
        ),
      );
    assertEquals(await tokenOf(created.id), "s3cret");

    for (const client of [admin, viewer]) {
      assertEquals((await client.getBuild({ id: created.id })).build!.parameters, {
        name: "a",
        token: HIDDEN,
      });
      assertEquals((await client.listBuilds({})).builds[0].parameters, { name: "a", token: HIDDEN });
      assertEquals((await client.listArtifacts({})).artifacts[0].parameters, { name: "a", token: HIDDEN });
      for await (const update of client.subscribeToBuild({ id: created.id })) {
        assertEquals(update.build!.parameters, { name: "a", token: HIDDEN });
      }
    }

    // The form sends back what it was shown: the old token is kept; a new one replaces it.
    const kept = (await admin.rebuild({ id: created.id, parameters: { name: "b", token: HIDDEN } })).build!;
    assertEquals((await finished(fixture.builders, kept.id)).state, "succeeded");
    assertEquals(await tokenOf(kept.id), "s3cret");
    const left = (await admin.rebuild({ id: created.id, parameters: { name: "c" } })).build!;
    assertEquals((await finished(fixture.builders, left.id)).state, "succeeded");
    assertEquals(await tokenOf(left.id), "s3cret");
    const replaced = (await admin.rebuild({ id: created.id, parameters: { name: "d", token: "n3w" } }))
      .build!;
    assertEquals((await finished(fixture.builders, replaced.id)).state, "succeeded");
    assertEquals(await tokenOf(replaced.id), "n3w");
  },
});

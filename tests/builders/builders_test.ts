// The builders service in the all-in-one binary, on a test dockerd: the API refuses bad parameters and
// viewers' builds, an ipxe build's progress streams live, its loader downloads byte for byte, its
// generated script is served by bofied at once, a rebuild hits the cache, deleting builds removes all.
import { Code, ConnectError } from "@connectrpc/connect";
import { AuthService, Role } from "../../core/api/gen/ctpf/v1/auth_pb.ts";
import { BuildService, BuildState } from "../../core/api/gen/ctpf/v1/builders_pb.ts";
import { FieldViolationsSchema } from "../../core/api/gen/ctpf/v1/errors_pb.ts";
import { chainScript } from "../../core/builders/kinds/ipxe.ts";
import { rootTest } from "../harness/mod.ts";
import { assert, assertEquals, assertRejects } from "../support/assert.ts";
import { startCtpfWithBuilders } from "./support/ctpf_with_builders.ts";

rootTest({
  name: "builders (ctpf): an ipxe build through the API, served by bofied, downloadable, cached, deleted",
  tools: ["dockerd", "debootstrap", "unshare"],
  sanitizeResources: false,
  fn: async () => {
    await using lab = await startCtpfWithBuilders();
    const { ctpf, dockerd } = lab;
    const admin = lab.client(BuildService, ctpf.adminToken);
    const viewerToken = (await lab.client(AuthService, ctpf.adminToken)
      .createToken({ name: "viewer", role: Role.VIEWER })).secret;
    const viewer = lab.client(BuildService, viewerToken);

    const ipxe = (await viewer.listKinds({})).kinds.find((kind) => kind.name === "ipxe")!;
    assertEquals(ipxe.parameters.map((p) => p.name), ["name", "mode", "targets", "chainUrl", "sourceUrl"]);

    const chainUrl = `${ctpf.url}/boot/install.ipxe`;
    const parameters = { name: "lab", targets: ["ipxe.efi"], chainUrl };
    const viewerRefused = ConnectError.from(
      await assertRejects(() => viewer.createBuild({ kind: "ipxe", parameters })),
    );
    assertEquals(viewerRefused.code, Code.PermissionDenied);
    const bad = ConnectError.from(
      await assertRejects(() =>
        admin.createBuild({
          kind: "ipxe",
          parameters: { name: "lab", targets: ["floppy"], chainUrl: "ftp://x" },
        })
      ),
    );
    assertEquals(bad.code, Code.InvalidArgument);
    assertEquals(
      bad.findDetails(FieldViolationsSchema).flatMap((d) => d.violations.map((v) => v.field)).sort(),
      [
        "parameters.chainUrl",
        "parameters.targets[0]",
      ],
    );
    assertEquals((await viewer.listBuilds({})).builds, [], "nothing was queued");

    const created = (await admin.createBuild({ kind: "ipxe", parameters })).build!;
    // A second build waits behind the first (which imports the base image first on this fresh daemon):
    // cancelled while queued, it never runs.
    const queued = (await admin.createBuild({ kind: "ipxe", parameters: { ...parameters, name: "other" } }))
      .build!;
    const viewerCancel = ConnectError.from(await assertRejects(() => viewer.cancelBuild({ id: queued.id })));
    assertEquals(viewerCancel.code, Code.PermissionDenied);
    await admin.cancelBuild({ id: queued.id });
    const seen: BuildState[] = [];
    let last;
    for await (const update of viewer.subscribeToBuild({ id: created.id }, { timeoutMs: 300_000 })) {
      last = update.build!;
      if (seen.at(-1) !== last.state) seen.push(last.state);
    }
    assertEquals(last!.state, BuildState.SUCCEEDED, last!.error);
    assertEquals(seen.at(-2), BuildState.RUNNING, `states seen: ${seen}`);
    assert(
      last!.steps.some((s) => s.name.includes("sha256sum") && s.log.includes("./ipxe.efi")),
      "the checksum step's log",
    );
    const cancelled = (await viewer.getBuild({ id: queued.id })).build!;
    assertEquals([cancelled.state, cancelled.steps, cancelled.artifacts], [BuildState.CANCELLED, [], []]);
    const late = ConnectError.from(await assertRejects(() => admin.cancelBuild({ id: created.id })));
    assertEquals(late.code, Code.FailedPrecondition);

    // bofied serves the generated script and the loader at once, to anyone (firmware has no credentials).
    const script = await fetch(`${ctpf.url}/boot/builds/lab/boot.ipxe`);
    assertEquals(script.status, 200);
    assertEquals(await script.text(), chainScript(chainUrl));
    const loader = last!.artifacts.find((a) => a.name === "ipxe.efi")!;
    assertEquals(loader.publishedPath, "builds/lab/ipxe.efi");
    const served = new Uint8Array(await (await fetch(`${ctpf.url}/boot/builds/lab/ipxe.efi`)).arrayBuffer());
    assertEquals(served, await Deno.readFile("/usr/lib/ipxe/ipxe.efi"));

    // The store's copy, by digest: viewers may download, anonymous callers may not.
    const anonymous = await fetch(`${ctpf.url}${loader.downloadPath}`);
    await anonymous.body?.cancel();
    assertEquals(anonymous.status, 401);
    const download = await fetch(`${ctpf.url}${loader.downloadPath}`, {
      headers: { authorization: `Bearer ${viewerToken}` },
    });
    assertEquals(download.status, 200);
    assertEquals(new Uint8Array(await download.arrayBuffer()), served);
    const traversal = await fetch(`${ctpf.url}/builders/artifacts/..%2F..%2Fctpf.sqlite`, {
      headers: { authorization: `Bearer ${viewerToken}` },
    });
    await traversal.body?.cancel();
    assertEquals(traversal.status, 404);

    const listed = (await viewer.listArtifacts({})).artifacts;
    assertEquals(listed.map((a) => a.artifact!.name).sort(), ["boot.ipxe", "ipxe.efi"]);
    assertEquals(listed[0].parameters, { ...parameters, mode: "prebuilt" });

    const warmStart = performance.now();
    const rebuilt = (await admin.rebuild({ id: created.id })).build!;
    for await (const update of viewer.subscribeToBuild({ id: rebuilt.id }, { timeoutMs: 120_000 })) {
      last = update.build!;
    }
    console.log(
      `rebuild through the API: ${(performance.now() - warmStart).toFixed(0)} ms, ${
        last!.cachedSteps
      } steps cached`,
    );
    assertEquals(last!.state, BuildState.SUCCEEDED);
    assertEquals(last!.rebuildOf, created.id);
    assert(last!.cachedSteps >= 3, `cached steps: ${last!.cachedSteps}`);

    // Changed parameters: a new script, the loaders still from the cache.
    const changedUrl = `${ctpf.url}/boot/other.ipxe`;
    const changed =
      (await admin.rebuild({ id: created.id, parameters: { ...parameters, chainUrl: changedUrl } }))
        .build!;
    for await (const update of viewer.subscribeToBuild({ id: changed.id }, { timeoutMs: 120_000 })) {
      last = update.build!;
    }
    assertEquals(last!.state, BuildState.SUCCEEDED);
    assertEquals(
      await (await fetch(`${ctpf.url}/boot/builds/lab/boot.ipxe`)).text(),
      chainScript(changedUrl),
    );
    await admin.deleteBuild({ id: changed.id });
    // The deleted build's script gives way to the newest remaining build's.
    assertEquals(await (await fetch(`${ctpf.url}/boot/builds/lab/boot.ipxe`)).text(), chainScript(chainUrl));
    await admin.deleteBuild({ id: queued.id });

    await admin.deleteBuild({ id: created.id });
    assertEquals(
      (await fetch(`${ctpf.url}${loader.downloadPath}`, {
        headers: { authorization: `Bearer ${viewerToken}` },
      })).status,
      200,
      "still the rebuild's",
    );
    await admin.deleteBuild({ id: rebuilt.id });
    const gone = await fetch(`${ctpf.url}${loader.downloadPath}`, {
      headers: { authorization: `Bearer ${viewerToken}` },
    });
    await gone.body?.cancel();
    assertEquals(gone.status, 404);
    const unpublished = await fetch(`${ctpf.url}/boot/builds/lab/boot.ipxe`);
    await unpublished.body?.cancel();
    assertEquals(unpublished.status, 404);
    assertEquals((await viewer.listBuilds({})).builds, []);
    assertEquals(await dockerd.engine.listContainers(), []);
  },
});

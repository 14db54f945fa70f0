// The all-in-one binary with builders on a test dockerd (base images from the tests' cache, TFTP on
// loopback), and Connect clients of it that carry a bearer token.
import type { DescService } from "@bufbuild/protobuf";
import { type Client, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { testBaseImageCache } from "../../../core/builders/testing/fixture.ts";
import { TestDockerd } from "../../../core/builders/testing/dockerd.ts";
import { type RunningBinary, startBinary } from "../../support/ctpf_process.ts";

export interface CtpfWithBuilders extends AsyncDisposable {
  dockerd: TestDockerd;
  ctpf: RunningBinary;
  /** A client of `service` calling with `token` (the admin's when not given). */
  client<S extends DescService>(service: S, token?: string): Client<S>;
}

export async function startCtpfWithBuilders(): Promise<CtpfWithBuilders> {
  const dockerd = await TestDockerd.start();
  try {
    const ctpf = await startBinary({
      args: [
        "--builders-docker-socket",
        dockerd.socketPath,
        "--builders-base-image-cache",
        testBaseImageCache,
        "--tftp-listen",
        "127.0.0.1:0",
      ],
    });
    return {
      dockerd,
      ctpf,
      client: (service, token = ctpf.adminToken) =>
        createClient(
          service,
          createConnectTransport({
            baseUrl: ctpf.url,
            interceptors: [
              (next) => (request) => (request.header.set("authorization", `Bearer ${token}`), next(request)),
            ],
          }),
        ),
      async [Symbol.asyncDispose]() {
        await ctpf[Symbol.asyncDispose]();
        await dockerd[Symbol.asyncDispose]();
      },
    };
  } catch (error) {
    await dockerd[Symbol.asyncDispose]();
    throw error;
  }
}

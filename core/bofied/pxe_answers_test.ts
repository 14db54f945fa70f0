import { assertEquals } from "../testing/assert.ts";
import { LogSink } from "../log/logger.ts";
import { parseIpv4 } from "../net/ipv4addr.ts";
import { parseMac } from "../net/mac.ts";
import type { DhcpRequest } from "../net/dhcp/request.ts";
import { pxeAnswers } from "./pxe_answers.ts";
import { BootRules } from "./rules/engine.ts";

const log = new LogSink({ level: "error", format: "logfmt", write: () => {} }).logger("rules");

// Answers BIOS PXE, ignores x64 UEFI (7), and has no answer at all (it throws) for anything else.
const rulesSource = `export default function bootRules(facts) {
  if (facts.arch.id === 0) return { tftpFile: "undionly.kpxe" };
  if (facts.arch.id === 7) return { ignore: true };
  throw new Error("no rule for arch " + facts.arch.id);
}
`;

function pxeRequest(arch: number): DhcpRequest {
  return {
    type: 1,
    xid: 1,
    flags: 0,
    ciaddr: parseIpv4("0.0.0.0"),
    giaddr: parseIpv4("0.0.0.0"),
    hops: 0,
    mac: parseMac("52:54:00:00:00:01"),
    parameterList: [],
    maxMessageSize: 576,
    vendorClass: `PXEClient:Arch:${String(arch).padStart(5, "0")}:UNDI:002001`,
    architectures: [arch],
  };
}

Deno.test("pxe answers: every outcome (answered, ignored, no answer) names the request's architecture", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ctpf-pxe-answers-" });
  await Deno.writeTextFile(`${dir}/rules.ts`, rulesSource);
  const rules = new BootRules({ path: `${dir}/rules.ts`, log });
  try {
    await rules.start();
    const seen: [string, Record<string, string>][] = [];
    const answer = pxeAnswers({
      rules,
      bootAddress: () => undefined,
      httpPort: () => 8470,
      onAnswer: (_mac, summary, fields) => seen.push([summary, fields]),
    });
    const assigned = parseIpv4("10.0.0.100"), server = parseIpv4("10.0.0.1");
    assertEquals((await answer(pxeRequest(0), assigned, server))?.bootFile, "undionly.kpxe");
    assertEquals(await answer(pxeRequest(7), assigned, server), undefined);
    assertEquals(await answer(pxeRequest(11), assigned, server), undefined);
    assertEquals(seen.map(([summary, fields]) => [summary, fields.arch]), [
      ["boot undionly.kpxe", "0"],
      ["ignored by the rules", "7"],
      ["no boot answer", "11"],
    ]);
    assertEquals(/no rule for arch 11/.test(seen[2][1].error), true, seen[2][1].error);
  } finally {
    rules.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

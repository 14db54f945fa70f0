// The reasoning behind overruling nmap's verdict for 69, checked on a real capture of nmap 7.93's
// `-sU -p53,67,69,123` against dnsmasq 2.90 (tshark's fields; the NTP and DHCP probes, which got ICMP, left
// out): for each try nmap sends the DNS status request and a read request for r7tftp.txt to 69, and
// dnsmasq answers each with an ERROR from a new port (4, unsupported request; 1, file not found).
import { assertEquals } from "../support/assert.ts";
import { overruleDroppedTftpAnswers, parseDatagrams, tftpAnswersFromNewPort } from "./tftp_transfer_id.ts";

const server = "10.77.0.10";
const scanned = [53, 67, 69, 123];
const capture = parseDatagrams([
  "10.77.0.1\t43595\t10.77.0.10\t53\t000010000000000000000000",
  "10.77.0.10\t53\t10.77.0.1\t43595\t000090850000000000000000",
  "10.77.0.1\t43595\t10.77.0.10\t53\t7777010000010000000000000776657273696f6e0462696e640000100003",
  "10.77.0.10\t53\t10.77.0.1\t43595\t" +
  "7777858000010001000000000776657273696f6e0462696e640000100003c00c0010000300000000" +
  "000d0c646e736d6173712d322e3930",
  "10.77.0.1\t43595\t10.77.0.10\t69\t000010000000000000000000",
  "10.77.0.10\t38365\t10.77.0.1\t43595\t" +
  "00050004756e737570706f7274656420726571756573742066726f6d2031302e37372e302e3100",
  "10.77.0.1\t43595\t10.77.0.10\t69\t00017237746674702e747874006f6374657400",
  "10.77.0.10\t39067\t10.77.0.1\t43595\t" +
  "0005000166696c65202f746d702f637470662d6361702d636263393730663038356665313136362f" +
  "7237746674702e747874206e6f7420666f756e6420666f722031302e37372e302e3100",
  "10.77.0.1\t43597\t10.77.0.10\t69\t000010000000000000000000",
  "10.77.0.1\t43597\t10.77.0.10\t69\t00017237746674702e747874006f6374657400",
  "10.77.0.10\t57423\t10.77.0.1\t43597\t" +
  "00050004756e737570706f7274656420726571756573742066726f6d2031302e37372e302e3100",
  "10.77.0.10\t44434\t10.77.0.1\t43597\t" +
  "0005000166696c65202f746d702f637470662d6361702d636263393730663038356665313136362f" +
  "7237746674702e747874206e6f7420666f756e6420666f722031302e37372e302e3100",
].join("\n"));

Deno.test("tftp_transfer_id: dnsmasq's four ERRORs from new ports are the answers nmap dropped", () => {
  const answers = tftpAnswersFromNewPort(capture, server, scanned);
  assertEquals(answers.map((d) => [d.srcPort, d.dstPort, d.payload[1], d.payload[3]]), [
    [38365, 43595, 5, 4],
    [39067, 43595, 5, 1],
    [57423, 43597, 5, 4],
    [44434, 43597, 5, 1],
  ]);
});

Deno.test("tftp_transfer_id: only a TFTP answer, from a new port, to a request to 69 counts", () => {
  const answer = capture.find((d) => d.srcPort === 39067)!;
  const not = [
    { ...answer, srcPort: 53 }, // from a scanned port: that port's own reply
    { ...answer, dstPort: 50000 }, // to a port nmap sent nothing to 69 from
    { ...answer, src: "10.77.0.11" }, // from another host
    { ...answer, payload: Uint8Array.of(0, 3, 0, 2, 0x41) }, // DATA, but not block 1
    { ...answer, payload: Uint8Array.of(0, 4, 0, 1) }, // an ACK is no answer to a read
    { ...answer, payload: Uint8Array.of(0, 5, 0) }, // cut short
  ];
  const requests = capture.filter((d) => d.dstPort === 69);
  assertEquals(tftpAnswersFromNewPort([...requests, ...not], server, scanned), []);
  const data = { ...answer, payload: Uint8Array.of(0, 3, 0, 1, 0x41) };
  assertEquals(tftpAnswersFromNewPort([...requests, data], server, scanned), [data]);
});

Deno.test("tftp_transfer_id: only 69's open|filtered is overruled, and only with an answer", () => {
  const answers = tftpAnswersFromNewPort(capture, server, scanned);
  const nmap = new Map([[53, "open"], [67, "closed"], [69, "open|filtered"], [123, "closed"]]);
  assertEquals(
    overruleDroppedTftpAnswers(nmap, answers),
    new Map([[53, "open"], [67, "closed"], [69, "open"], [123, "closed"]]),
  );
  assertEquals(overruleDroppedTftpAnswers(nmap, []), nmap);
  const closed = new Map([...nmap, [69, "closed"]]);
  assertEquals(overruleDroppedTftpAnswers(closed, answers), closed);
});

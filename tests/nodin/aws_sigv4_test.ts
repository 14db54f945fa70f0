/**
 * Our SigV4 against botocore's SigV4Auth (Debian's python3-botocore, the signer awscli and boto3 use):
 * the same request, credentials and instant must give the same canonical request, string to sign and
 * Authorization header, byte for byte. (botocore's package does not ship AWS's SigV4 test-suite vectors.)
 */
import { signV4 } from "../../core/nodin/clouds/aws/sigv4.ts";
import { assertStrictEquals } from "../support/assert.ts";

interface Case {
  name: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  sessionToken?: string;
  region?: string;
  service?: string;
}

const credentials = {
  accessKeyId: "AKIDEXAMPLE",
  secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
};
const timestamp = "20150830T123600Z";
const now = new Date("2015-08-30T12:36:00Z");

const cases: Case[] = [
  {
    name: "EC2 Query POST (form body, port in Host)",
    method: "POST",
    url: "http://127.0.0.1:8123/",
    headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8" },
    body: "Action=DescribeInstances&Version=2016-11-15&MaxResults=5&NextToken=a%2Fb%3D%3D",
  },
  {
    name: "HTTPS default port dropped, session token signed",
    method: "POST",
    url: "https://ec2.eu-west-1.amazonaws.com/",
    headers: { "Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "User-Agent": "nodin" },
    body: "Action=StopInstances&Version=2016-11-15&InstanceId.1=i-0123456789abcdef0",
    sessionToken: "FQoGZXIvYXdzEXAMPLE//token+with/slashes==",
    region: "eu-west-1",
  },
  {
    name: "GET with a query sorted by key then value, empty values, encoded characters",
    method: "GET",
    url: "https://example.amazonaws.com/?b=2&a=z&a=a%20b&c=&%E1%88%B4=~x-y_z.&Param-3=%2F%2B",
    headers: {},
    body: "",
    service: "service",
  },
  {
    name: "path with dot segments, double slashes and characters encoded once more",
    method: "GET",
    url: "https://example.amazonaws.com/a/./b//c/../d%20e/%E1%88%B4/",
    headers: { "X-Amz-Meta-Spaces": "  several   inner   spaces  ", "My-Header1": "value1" },
    body: "",
    service: "service",
  },
];

for (const testCase of cases) {
  Deno.test(`SigV4 equals botocore: ${testCase.name}`, async () => {
    const region = testCase.region ?? "us-east-1";
    const service = testCase.service ?? "ec2";
    const ours = await signV4(
      { method: testCase.method, url: new URL(testCase.url), headers: testCase.headers, body: testCase.body },
      { credentials: { ...credentials, sessionToken: testCase.sessionToken }, region, service, now },
    );
    const botocore = await botocoreSign({ ...testCase, region, service });
    assertStrictEquals(ours.canonicalRequest, botocore.canonicalRequest);
    assertStrictEquals(ours.stringToSign, botocore.stringToSign);
    assertStrictEquals(ours.authorization, botocore.authorization);
  });
}

Deno.test("SigV4 differs from botocore's when the secret differs (the comparison can fail)", async () => {
  const testCase = cases[0];
  const ours = await signV4(
    { method: testCase.method, url: new URL(testCase.url), headers: testCase.headers, body: testCase.body },
    { credentials: { ...credentials, secretAccessKey: "another" }, region: "us-east-1", service: "ec2", now },
  );
  const botocore = await botocoreSign({ ...testCase, region: "us-east-1", service: "ec2" });
  assertStrictEquals(ours.canonicalRequest, botocore.canonicalRequest);
  assertStrictEquals(ours.authorization === botocore.authorization, false);
});

async function botocoreSign(testCase: Case & { region: string; service: string }) {
  const script = new URL("./support/botocore_sigv4.py", import.meta.url).pathname;
  const child = new Deno.Command("/usr/bin/python3", {
    args: [script],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(20_000),
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify({ ...testCase, ...credentials, timestamp })));
  await writer.close();
  const output = await child.output();
  if (!output.success) throw new Error(`botocore signer failed: ${new TextDecoder().decode(output.stderr)}`);
  return JSON.parse(new TextDecoder().decode(output.stdout)) as {
    canonicalRequest: string;
    stringToSign: string;
    authorization: string;
  };
}

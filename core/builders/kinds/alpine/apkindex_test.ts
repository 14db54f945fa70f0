import { gzipSync } from "node:zlib";
import { writeTar } from "../../../archive/tar.ts";
import { assert, assertEquals, assertThrows } from "../../../testing/assert.ts";
import {
  ApkIndexError,
  compareApkVersions,
  parseApkIndex,
  parseAtom,
  readApkIndexArchive,
  resolveClosure,
  satisfies,
} from "./apkindex.ts";

const encoder = new TextEncoder();

/** A small index in the shape of Alpine's main repository (names, so:, cmd:, virtual providers). */
const INDEX = `C:Q1aaaaaaaaaaaaaaaaaaaaaaaaaaa=
P:musl
V:1.2.5-r0
A:x86_64
S:400
I:600
T:the musl c library
p:so:libc.musl-x86_64.so.1=1

P:busybox
V:1.36.1-r29
A:x86_64
S:500
D:so:libc.musl-x86_64.so.1
p:cmd:sh=1.36.1-r29 cmd:wget=1.36.1-r29

P:busybox
V:1.36.1-r2
S:480
D:so:libc.musl-x86_64.so.1

P:alpine-base
V:3.20.3-r0
S:100
D:busybox>=1.36 openrc alpine-baselayout !busybox-initscripts-old

P:openrc
V:0.54-r1
S:300
D:cmd:sh so:libc.musl-x86_64.so.1

P:alpine-baselayout
V:3.6.5-r0
S:200

P:openssh
V:9.7_p1-r4
S:150
D:openssh-server

P:openssh-server
V:9.7_p1-r4
S:350
D:so:libcrypto.so.3 openssh-keygen

P:libcrypto3
V:3.3.2-r0
S:700
p:so:libcrypto.so.3=3

P:openssh-keygen
V:9.7_p1-r4
S:250
D:so:libcrypto.so.3

P:dropbear
V:2024.85-r0
S:90
p:sshd-provider
k:10

P:tinyssh
V:20240101-r0
S:80
p:sshd-provider
k:1

P:curl
V:8.10.1-r0
S:120
D:so:libcurl.so.4

P:unrelated
V:1.0-r0
S:10
`;

const packages = parseApkIndex(INDEX);
const closureOf = (world: string[]) => resolveClosure(packages, world).map((p) => `${p.name}-${p.version}`);

Deno.test("apkindex: records, their provides and dependencies", () => {
  assertEquals(packages.length, 14);
  const busybox = packages[1];
  assertEquals([busybox.name, busybox.version, busybox.size, busybox.arch], [
    "busybox",
    "1.36.1-r29",
    500,
    "x86_64",
  ]);
  assertEquals(busybox.provides, [
    { name: "cmd:sh", op: "=", version: "1.36.1-r29" },
    { name: "cmd:wget", op: "=", version: "1.36.1-r29" },
  ]);
  assertEquals(packages[3].depends, [
    { name: "busybox", op: ">=", version: "1.36" },
    { name: "openrc" },
    { name: "alpine-baselayout" },
    { name: "busybox-initscripts-old", conflict: true },
  ]);
  assertEquals(packages[0].checksum, "Q1aaaaaaaaaaaaaaaaaaaaaaaaaaa=");
  assertEquals(packages.find((p) => p.name === "dropbear")!.providerPriority, 10);
});

Deno.test("apkindex: the closure of a world follows names, so: and cmd: provides, newest version", () => {
  assertEquals(closureOf(["alpine-base"]), [
    "alpine-base-3.20.3-r0",
    "alpine-baselayout-3.6.5-r0",
    "busybox-1.36.1-r29",
    "musl-1.2.5-r0",
    "openrc-0.54-r1",
  ]);
  assertEquals(closureOf(["alpine-base", "openssh"]), [
    "alpine-base-3.20.3-r0",
    "alpine-baselayout-3.6.5-r0",
    "busybox-1.36.1-r29",
    "libcrypto3-3.3.2-r0",
    "musl-1.2.5-r0",
    "openrc-0.54-r1",
    "openssh-9.7_p1-r4",
    "openssh-keygen-9.7_p1-r4",
    "openssh-server-9.7_p1-r4",
  ]);
  // A pinned older version is taken when asked for; a virtual name goes to the higher priority.
  assertEquals(closureOf(["busybox=1.36.1-r2"]), ["busybox-1.36.1-r2", "musl-1.2.5-r0"]);
  assertEquals(closureOf(["sshd-provider"]), ["dropbear-2024.85-r0"]);
});

Deno.test("apkindex: what nothing provides is named with the chain that needed it", () => {
  const error = assertThrows(() => resolveClosure(packages, ["curl"]), ApkIndexError);
  assertEquals(error.message, "nothing in the index provides so:libcurl.so.4 (needed by curl)");
  assertThrows(() => resolveClosure(packages, ["busybox>=2"]), ApkIndexError, "busybox>=2");
  const conflicting = parseApkIndex(
    "P:a\nV:1-r0\nS:1\nD:b !c\n\nP:b\nV:1-r0\nS:1\nD:c\n\nP:c\nV:1-r0\nS:1\n",
  );
  assertThrows(() => resolveClosure(conflicting, ["a"]), ApkIndexError, "a conflicts with c");
});

Deno.test("apkindex: apk's version order", () => {
  const ordered = [
    "1.0_alpha1",
    "1.0_beta",
    "1.0_rc2",
    "1.0",
    "1.0-r1",
    "1.0_p1",
    "1.0a",
    "1.0.1",
    "1.2",
    "1.10",
    "2",
  ];
  for (let i = 0; i < ordered.length; i++) {
    for (let j = 0; j < ordered.length; j++) {
      assertEquals(
        compareApkVersions(ordered[i], ordered[j]),
        Math.sign(i - j),
        `${ordered[i]} vs ${ordered[j]}`,
      );
    }
  }
  assert(satisfies(parseAtom("x~1.2"), "1.2.7-r0"));
  assert(!satisfies(parseAtom("x~1.2"), "1.20-r0"));
  assert(!satisfies(parseAtom("x>=1"), undefined), "a bare provide meets no versioned dependency");
  assertThrows(() => compareApkVersions("1.0_zeta", "1"), ApkIndexError);
});

Deno.test("apkindex: text that could leave the index's meaning is refused", () => {
  for (
    const bad of [
      "P:a b\nV:1\nS:1\n",
      "P:../x\nV:1\nS:1\n",
      "P:a\nV:1 /etc\nS:1\n",
      "P:a\nV:1\nS:-1\n",
      "P:a\nV:1\nS:x\n",
      "P:a\nV:1\nS:1\nD:b>=1;rm\n",
      "P:a\nV:1\nS:1\nD:'b'\n",
      "just text\n",
      "P:a\nV:1\nS:1\nk:high\n",
    ]
  ) {
    assertThrows(() => parseApkIndex(bad), ApkIndexError);
  }
});

const gzip = (bytes: Uint8Array) => new Uint8Array(gzipSync(bytes));
/** A tar segment without its end blocks, as abuild-sign writes the signature before the index. */
const segment = (tar: Uint8Array) => tar.subarray(0, tar.length - 1024);

Deno.test("apkindex: archives, unsigned and signed (signature stream before the index stream)", () => {
  const index = writeTar([
    { name: "DESCRIPTION", type: "file", content: encoder.encode("v3.20.3-synthetic\n") },
    { name: "APKINDEX", type: "file", content: encoder.encode(INDEX) },
  ]);
  const unsigned = readApkIndexArchive(gzip(index));
  assertEquals([unsigned.packages.length, unsigned.signatures, unsigned.description], [
    14,
    [],
    "v3.20.3-synthetic",
  ]);
  const signature = writeTar([
    { name: ".SIGN.RSA.ctpf-test.rsa.pub", type: "file", content: new Uint8Array(256).fill(7) },
  ]);
  const signed = readApkIndexArchive(new Uint8Array([...gzip(segment(signature)), ...gzip(index)]));
  assertEquals(signed.signatures, [".SIGN.RSA.ctpf-test.rsa.pub"]);
  assertEquals(signed.packages.length, 14);
  assertThrows(() => readApkIndexArchive(encoder.encode("not gzip")), ApkIndexError, "not gzip");
  assertThrows(() => readApkIndexArchive(gzip(encoder.encode("x".repeat(600)))), ApkIndexError, "not a tar");
  assertThrows(
    () => readApkIndexArchive(gzip(writeTar([{ name: "OTHER", type: "file", content: new Uint8Array() }]))),
    ApkIndexError,
    "no APKINDEX",
  );
});

/** A small deterministic generator, so a failing case can be replayed from its seed. */
function random(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

Deno.test("apkindex: fuzzed indexes and archives give records or ApkIndexError, nothing else", () => {
  const alphabet = "PVSDpkCA:=<>~!._-+ /\n\n0123456789abcso";
  const base = encoder.encode(INDEX);
  const archive = gzip(writeTar([{ name: "APKINDEX", type: "file", content: base }]));
  for (let seed = 1; seed <= 3000; seed++) {
    const next = random(seed);
    // Half: mutated real records; half: random text from the index's own alphabet.
    let text: string;
    if (seed % 2) {
      const bytes = base.slice();
      for (let i = 0; i < 1 + next() * 8; i++) {
        bytes[Math.floor(next() * bytes.length)] = alphabet.charCodeAt(Math.floor(next() * alphabet.length));
      }
      text = new TextDecoder().decode(bytes);
    } else {
      text = Array.from(
        { length: Math.floor(next() * 300) },
        () => alphabet[Math.floor(next() * alphabet.length)],
      )
        .join("");
    }
    try {
      const parsed = parseApkIndex(text);
      for (const pkg of parsed) assert(/^[A-Za-z0-9][A-Za-z0-9+._-]*$/.test(pkg.name), pkg.name);
      resolveClosure(parsed, parsed.slice(0, 3).map((pkg) => pkg.name));
    } catch (error) {
      if (!(error instanceof ApkIndexError)) {
        throw new Error(`seed ${seed}: ${error}\n${JSON.stringify(text)}`);
      }
    }
    const damaged = archive.slice();
    for (let i = 0; i < 1 + next() * 4; i++) {
      damaged[Math.floor(next() * damaged.length)] = Math.floor(next() * 256);
    }
    try {
      readApkIndexArchive(seed % 7 ? damaged : damaged.subarray(0, Math.floor(next() * damaged.length)));
    } catch (error) {
      if (!(error instanceof ApkIndexError)) throw new Error(`archive seed ${seed}: ${error}`);
    }
  }
});

/**
 * The rules file bofied writes on first start: firmware PXE gets iPXE over TFTP, iPXE (user class
 * "iPXE") gets an iPXE script over HTTP, so a machine chains firmware → iPXE → script once and never
 * loops. Unknown architectures are ignored (another server may serve them).
 */
export const defaultRules =
  `// bofied boot rules: export default a function from the facts of a booting machine to an answer.
// Facts: { mac, ip, arch: { id, name }, vendorClass, userClass, uuid, relay, server, httpPort }
// Answers: { tftpFile: "name" } | { httpUrl: "http://..." } | { ignore: true }; nextServer is optional.
// Saved changes load at once; a broken version is reported and the last good one stays in force.

export default function bootRules(facts) {
  const base = \`http://\${facts.server}:\${facts.httpPort}/boot\`;
  // iPXE asks again after it starts: hand it the script, not iPXE itself, or it would loop.
  if (facts.userClass === "iPXE") return { httpUrl: \`\${base}/boot.ipxe\` };
  switch (facts.arch.id) {
    case 0: // x86 BIOS
      return { tftpFile: "undionly.kpxe" };
    case 6: // x86 UEFI
    case 7: // x64 UEFI
    case 9:
      return { tftpFile: "ipxe.efi" };
    case 16: // x64 UEFI HTTP boot
      return { httpUrl: \`\${base}/ipxe.efi\` };
    default:
      return { ignore: true };
  }
}
`;

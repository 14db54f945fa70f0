/**
 * The rules file bofied writes on first start (never over one that exists): firmware PXE gets iPXE over
 * TFTP, and iPXE (user class "iPXE") gets the starter tree's menu.ipxe, also over TFTP by a name relative
 * to the TFTP root. So a machine chains firmware → iPXE → menu once and never loops, and needs nothing
 * but TFTP: the web page and its HTTP port may listen on loopback only. Unknown architectures are ignored
 * (another server may serve them).
 */
export const defaultRules =
  `// bofied boot rules: export default a function from the facts of a booting machine to an answer.
// Facts: { mac, ip, arch: { id, name }, vendorClass, userClass, uuid, relay, server, httpPort }
// Answers: { tftpFile: "name" } | { httpUrl: "http://..." } | { ignore: true }; nextServer is optional.
// Saved changes load at once; a broken version is reported and the last good one stays in force.

export default function bootRules(facts) {
  // iPXE asks again after it starts: hand it the menu, not iPXE itself, or it would loop. To boot a
  // script over HTTP instead: return { httpUrl: \`http://\${facts.server}:\${facts.httpPort}/boot/boot.ipxe\` }.
  if (facts.userClass === "iPXE") return { tftpFile: "menu.ipxe" };
  switch (facts.arch.id) {
    case 0: // x86 BIOS: iPXE on the firmware's own PXE stack (UNDI)
      return { tftpFile: "undionly.kpxe" };
    case 6: // x86 UEFI
    case 7: // x64 UEFI
    case 9: // ipxe.efi brings its own NIC drivers; snponly.efi uses the firmware's, for NICs it lacks
      return { tftpFile: "ipxe.efi" };
    case 16: // x64 UEFI HTTP boot
      return { httpUrl: \`http://\${facts.server}:\${facts.httpPort}/boot/ipxe.efi\` };
    default:
      return { ignore: true };
  }
}
`;

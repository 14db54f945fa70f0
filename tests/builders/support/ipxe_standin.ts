// A stand-in for iPXE's source tarball, named as such (iPXE's own cannot be fetched here): a tree with
// iPXE's build interface — src/Makefile with goals bin/*.kpxe, bin-x86_64-efi/*.efi and bin-arm64-efi/*.efi,
// EMBED= and CROSS= — whose loaders are tiny freestanding programs with the embedded script in a section.
import { join } from "node:path";

const makefile = `# CTPF test stand-in for iPXE's build interface. NOT iPXE.
CC := $(CROSS)gcc
OBJCOPY := $(CROSS)objcopy
LINK = mkdir -p $(dir $@) && $(CC) -ffreestanding -nostdlib -static -Wl,-e,start -o $@ loader.c && \\
  $(OBJCOPY) --add-section .embedded=$(EMBED) $@
bin/%.kpxe: loader.c
\t$(LINK)
bin-x86_64-efi/%.efi: loader.c
\t$(LINK)
bin-arm64-efi/%.efi: loader.c
\t$(LINK)
`;
const loader = "void start(void) { for (;;) { } }\n";

/** Writes ipxe-standin.tar.xz into `dir` and returns its name there. */
export async function ipxeStandInTarball(dir: string): Promise<string> {
  const tree = join(dir, "ipxe-standin", "src");
  await Deno.mkdir(tree, { recursive: true });
  await Deno.writeTextFile(join(tree, "Makefile"), makefile);
  await Deno.writeTextFile(join(tree, "loader.c"), loader);
  const name = "ipxe-standin.tar.xz";
  const tar = await new Deno.Command("tar", { args: ["-C", dir, "-cJf", join(dir, name), "ipxe-standin"] })
    .output();
  if (!tar.success) throw new Error("tar of the iPXE stand-in failed");
  return name;
}

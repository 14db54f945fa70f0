// iso: a bootable hybrid ISO (CD, disk or USB stick; BIOS through ISOLINUX, UEFI through a standalone
// GRUB) that starts a kernel and initrd from URLs with a command line, and carries a join configuration
// for machines without a network to the cluster: /ctpf/join.conf in the ISO and in the initramfs.
import { type BuilderKind, type Parameters, withArtifactStage } from "../kind.ts";
import { BOOT_TOOLS } from "../base_images.ts";
import { buildNameField, kernelArgsField, menuTitleField, timeoutField, urlField } from "./boot_fields.ts";
import { buildIsoScript } from "./iso/build_script.ts";
import { grubConfig, ISO_INITRD, ISO_KERNEL } from "./iso/grub_config.ts";
import { menuConfig } from "./syslinux/menu.ts";

const encoder = new TextEncoder();

export const isoKind = {
  name: "iso",
  title: "Bootable ISO",
  description: "a hybrid BIOS/UEFI ISO with a kernel, initrd, command line and join configuration",
  baseImages: [BOOT_TOOLS],
  fields: [
    buildNameField("the folder under builds/ in bofied's boot tree the ISO (<name>.iso) goes to"),
    { ...urlField("kernelUrl", "Kernel URL", "the kernel the ISO boots"), required: true },
    { ...urlField("initrdUrl", "Initrd URL", "the initrd the ISO boots"), required: true },
    kernelArgsField("cmdline", "Kernel command line", "the kernel's arguments"),
    {
      name: "joinConfig",
      secret: true,
      title: "Join configuration",
      description: "text the booted system finds at /ctpf/join.conf (in the initramfs and on the ISO), " +
        "e.g. the cluster's join URL and token",
      type: "text",
      maxLength: 16_384,
      // Written to a file as it is: only control characters other than tab and line breaks are refused.
      pattern: /^[\t\r\n -~\u00a0-\uffff]*$/,
      patternHint: "printable text (tabs and line breaks allowed)",
    },
    menuTitleField("what the boot menus show"),
    {
      name: "volumeId",
      title: "Volume ID",
      description: "the ISO's volume label",
      type: "string",
      default: "CTPF",
      pattern: /^[A-Z0-9_]{1,32}$/,
      patternHint: "at most 32 upper-case letters, digits and underscores",
    },
    timeoutField(3),
  ],
  template(parameters: Parameters) {
    const title = parameters.title as string;
    const timeoutSeconds = Number(parameters.timeout);
    const cmdline = (parameters.cmdline as string | undefined) ?? "";
    const isolinux = menuConfig({
      title,
      timeoutSeconds,
      defaultLabel: "ctpf",
      entries: [{
        label: "ctpf",
        title,
        kernel: ISO_KERNEL,
        initrd: ISO_INITRD,
        append: cmdline || undefined,
      }],
    }, "iso");
    const files = [
      { name: "build-iso.sh", content: encoder.encode(buildIsoScript) },
      { name: "isolinux.cfg", content: encoder.encode(isolinux) },
      { name: "grub.cfg", content: encoder.encode(grubConfig({ title, timeoutSeconds, cmdline })) },
    ];
    const join = parameters.joinConfig as string | undefined;
    if (join) files.push({ name: "join.conf", content: encoder.encode(join) });
    return {
      dockerfile: withArtifactStage([
        `FROM ${BOOT_TOOLS.tag} AS build`,
        `ADD ${parameters.kernelUrl} /in/vmlinuz`,
        `ADD ${parameters.initrdUrl} /in/initrd`,
        `COPY ${files.map((file) => file.name).join(" ")} /work/`,
        `RUN sh /work/build-iso.sh ${parameters.name}.iso ${parameters.volumeId}`,
      ]),
      files,
    };
  },
  publishFolder: (parameters) => `builds/${parameters.name}`,
} satisfies BuilderKind;

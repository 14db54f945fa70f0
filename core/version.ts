/** CTPF release version; bumped by releases, reported by every binary's MetadataService. */
export const VERSION = "0.1.0";

import type { ComponentType } from "preact";
import type { GetMetadataResponse } from "../../../core/api/gen/ctpf/v1/metadata_pb.ts";

/** Each service adds its page here: `pages.necon = NeconPage` in its own file, imported by main.tsx. */
export const servicePages: Record<string, ComponentType<{ metadata: GetMetadataResponse }>> = {};

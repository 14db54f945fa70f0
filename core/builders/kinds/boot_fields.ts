// Parameter fields and patterns the boot-media kinds share: what is safe to put into a Dockerfile line,
// a loader's configuration line or a kernel command line.
import type { ParameterField } from "../kind.ts";

/** The folder under builds/ in bofied's boot tree a build publishes into. */
export function buildNameField(description: string): ParameterField {
  return {
    name: "name",
    title: "Name",
    description,
    type: "string",
    required: true,
    pattern: /^[a-z0-9][a-z0-9-]{0,39}$/,
    patternHint: "lower-case letters, digits and dashes, at most 40, starting with a letter or digit",
  };
}

/**
 * An http(s) URL without spaces, quotes, backslashes or "$": it goes into a Dockerfile `ADD` line (where
 * "$" would be expanded) or onto a kernel command line (where a space would split it).
 */
export const plainUrlPattern = /^https?:\/\/[A-Za-z0-9.\-\[\]:]+(\/[A-Za-z0-9._~\/%\-?=&:;,+@!*()]*)?$/;
export const plainUrlHint = "an http:// or https:// URL without spaces, quotes or $";

export function urlField(name: string, title: string, description: string): ParameterField {
  return {
    name,
    title,
    description,
    type: "string",
    maxLength: 500,
    pattern: plainUrlPattern,
    patternHint: plainUrlHint,
  };
}

/**
 * Kernel arguments: printable ASCII words split by single spaces, without quotes or backslashes, so a
 * SYSLINUX APPEND line takes them as they are and GRUB can single-quote each word.
 */
export const kernelArgsPattern = /^[!#-&(-\[\]-_a-~]+( [!#-&(-\[\]-_a-~]+)*$/;
export const kernelArgsHint = "kernel arguments separated by single spaces, without quotes or backslashes";

export function kernelArgsField(name: string, title: string, description: string): ParameterField {
  return {
    name,
    title,
    description,
    type: "string",
    maxLength: 1000,
    pattern: kernelArgsPattern,
    patternHint: kernelArgsHint,
  };
}

/** Seconds a loader's menu waits before it boots the default entry (never 0: SYSLINUX would wait forever). */
export function timeoutField(defaultSeconds: number): ParameterField {
  return {
    name: "timeout",
    title: "Timeout (s)",
    description: "seconds the menu waits before it boots the default entry",
    type: "string",
    default: String(defaultSeconds),
    pattern: /^[1-9][0-9]{0,2}$/,
    patternHint: "whole seconds from 1 to 999",
  };
}

/** A menu's title: it goes into SYSLINUX's MENU TITLE and a single-quoted GRUB menuentry. */
export function menuTitleField(description: string): ParameterField {
  return {
    name: "title",
    title: "Menu title",
    description,
    type: "string",
    default: "CTPF",
    pattern: /^[A-Za-z0-9 ._,:()+-]{1,60}$/,
    patternHint: "at most 60 letters, digits, spaces and . _ , : ( ) + -",
  };
}

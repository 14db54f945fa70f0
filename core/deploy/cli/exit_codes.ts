// What a deployer command's exit status means, so scripts and CI can tell a bad inventory (nothing was
// tried) from a run where some hosts failed (the others finished).
export const ExitCode = {
  /** Every host finished (changed or not). */
  ok: 0,
  /** Nothing was deployed: bad flags, an unreadable or invalid inventory, a missing release. */
  usage: 1,
  /** The run went ahead and at least one host failed; the summary names each. */
  hostFailed: 2,
} as const;

export type ExitCodeValue = typeof ExitCode[keyof typeof ExitCode];

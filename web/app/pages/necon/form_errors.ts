import { errorsUnder, type SubmitErrors } from "../../components/field_errors.ts";

/** The reasons for the inputs at `paths` (and below them) as one line; list items are numbered from 1. */
export function errorText(errors: SubmitErrors, ...paths: string[]): string | undefined {
  const reasons = paths.flatMap((path) => errorsUnder(errors, path)).map((reason) =>
    reason.replace(/^\[(\d+)\]/, (_, index) => `#${Number(index) + 1}`)
  );
  return reasons.length ? reasons.join("; ") : undefined;
}

/**
 * The reasons no input of the form shows (a reservation that no longer fits an edited CIDR, another
 * subnet's overlap), as "field: reason" lines, so a refusal never goes unexplained.
 */
export function unclaimedErrors(errors: SubmitErrors, claimed: string[]): string[] {
  const owns = (path: string) =>
    claimed.some((c) => path === c || path.startsWith(`${c}.`) || path.startsWith(`${c}[`));
  const lines = [...errors.fields].filter(([path]) => !owns(path)).map(([path, reason]) =>
    `${path}: ${reason}`
  );
  return errors.general ? [errors.general, ...lines] : lines;
}

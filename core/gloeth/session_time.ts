/**
 * The time this run's session key is stamped with: now, or just after the previous run's if the clock
 * went back, so peers never take the new key for an old one.
 */
export async function nextSessionTime(path: string): Promise<number> {
  let previous = 0;
  try {
    previous = Number(await Deno.readTextFile(path)) || 0;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const next = Math.max(Date.now(), previous + 1);
  await Deno.writeTextFile(path, `${next}\n`);
  return next;
}

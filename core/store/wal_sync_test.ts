// Group commit checked at the system-call level: under strace, every "ack N" is written after an
// fdatasync of the WAL that began after commit N's last write to the WAL and ended before the ack; and far
// fewer flushes than commits ran.
import { assert, assertEquals } from "../testing/assert.ts";

// strace comes with scripts/setup.sh --test.
Deno.test({
  name: "store: a grouped commit is acknowledged only after an fdatasync that began after it",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "ctpf-store-grouped-" });
    try {
      const commits = 400;
      const trace = `${dir}/trace`;
      const run = await new Deno.Command("strace", {
        args: [
          "-f",
          "-qq",
          "-e",
          "trace=openat,pwrite64,fdatasync,write",
          "-e",
          "signal=none",
          "-s",
          "32",
          "-o",
          trace,
          Deno.execPath(),
          "run",
          "--allow-all",
          new URL("./testdata/grouped_writer.ts", import.meta.url).pathname,
          `${dir}/s.sqlite`,
          String(commits),
        ],
        stdout: "null",
        stderr: "null",
      }).output();
      assertEquals(run.code, 0);
      // Lines in the order strace saw the events: a call's entry, and (if another thread interleaved) its
      // "<... resumed>" exit on a later line.
      const lines = (await Deno.readTextFile(trace)).split("\n");
      // Commit N's WAL writes are the writer thread's last pwrite64s to SQLite's WAL fd before "commit N".
      const walWrittenAt = new Map<number, number>(), ackedAt = new Map<number, number>();
      let walFd = "", lastWalWrite = -1;
      const flushes: { began: number; ended: number }[] = [];
      const open = new Map<string, number>(); // pid → line of an unfinished fdatasync
      lines.forEach((line, at) => {
        const pid = line.split(" ")[0];
        const opened = /openat\(AT_FDCWD, "[^"]*s\.sqlite-wal", O_RDWR.*= (\d+)$/.exec(line);
        if (opened) walFd = opened[1];
        if (walFd && line.includes(` pwrite64(${walFd}, `)) lastWalWrite = at;
        const commit = /write\(2, "commit (\d+)\\n"/.exec(line);
        if (commit) walWrittenAt.set(Number(commit[1]), lastWalWrite);
        const ack = /write\(1, "ack (\d+)\\n"/.exec(line);
        if (ack) ackedAt.set(Number(ack[1]), at);
        if (/fdatasync\(\d+\) += 0/.test(line)) flushes.push({ began: at, ended: at });
        else if (/fdatasync\(\d+ <unfinished/.test(line)) open.set(pid, at);
        else if (/<\.\.\. fdatasync resumed>\) += 0/.test(line) && open.has(pid)) {
          flushes.push({ began: open.get(pid)!, ended: at });
          open.delete(pid);
        }
      });
      assertEquals(ackedAt.size, commits, "every commit acknowledged");
      assert(walFd && walWrittenAt.get(1)! >= 0, "the trace shows SQLite writing its WAL");
      const unflushed = [...ackedAt].filter(([id, ack]) =>
        !flushes.some((f) => f.began > walWrittenAt.get(id)! && f.ended < ack)
      ).map(([id]) => id);
      assertEquals(unflushed, [], "acknowledged without a flush after the commit");
      // The migration and table creation flush on their own (synchronous=FULL); grouping does the rest.
      assert(flushes.length < commits / 2, `${flushes.length} flushes for ${commits} commits`);
      console.log(`${commits} commits, ${flushes.length} fdatasyncs`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

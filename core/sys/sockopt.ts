import { check, libc } from "./libc.ts";

const intOption = new Uint8Array(4);
const intOptionView = new DataView(intOption.buffer);

/** setsockopt with an int value; `name` is the option's C name, used in the error message. */
export function setIntOption(fd: number, level: number, option: number, value: number, name: string): void {
  intOptionView.setInt32(0, value, true);
  check(libc().setsockopt(fd, level, option, intOption, 4), "setsockopt", `${name}=${value}`);
}

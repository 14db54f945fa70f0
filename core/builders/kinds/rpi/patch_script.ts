// The shell script an rpi build runs (in the BOOT_TOOLS image): it patches the image without booting,
// mounting or loop devices — the FAT boot partition through mtools at its byte offset (img@@offset),
// the ext4 root through debugfs on an extracted copy that dd writes back in place.
//
// Arguments: source file in /in, blobs (missing|all|none), cmdline mode (append|replace), user,
// outputs (comma-separated: img,img.xz,img.zst), output name. Everything else is a file in /ctx.

export const PATCH_SCRIPT = `#!/bin/sh
set -eu
export MTOOLS_SKIP_CHECK=1
source=$1 blobs=$2 cmdline_mode=$3 user=$4 outputs=$5 name=$6
ctx=/ctx img=/work/image.img fs=/work/root.ext4
fail() { echo "rpi: $*" >&2; exit 1; }
mkdir -p /work /out
case "$source" in
  *.img.xz) xz -dc "/in/$source" >"$img" ;;
  *) cp "/in/$source" "$img" ;;
esac

# The partitions, from sfdisk's dump: the first FAT one is the boot partition, the first Linux one the root.
sfdisk -d "$img" >/work/table || fail "no partition table sfdisk can read"
echo "partition table:"; cat /work/table
grep -q '^label: dos' /work/table || fail "not an MBR (dos) partition table, as Raspberry Pi images have"
sector=$(sed -n 's/^sector-size: *//p' /work/table); sector=\${sector:-512}
parts=$(sed -n 's/ //g; s/^[^:]*:start=\\([0-9]*\\),size=\\([0-9]*\\),type=\\([0-9a-fA-F]*\\).*/\\1 \\2 \\3/p' /work/table)
boot=$(echo "$parts" | awk 'tolower($3) ~ /^(b|c|e)$/ { print; exit }')
root=$(echo "$parts" | awk '$3 == "83" { print; exit }')
[ -n "$boot" ] || fail "no FAT boot partition (type b, c or e)"
[ -n "$root" ] || fail "no Linux root partition (type 83)"
set -- $boot; fat="$img@@$(($1 * sector))"
set -- $root; root_offset=$(($1 * sector)) root_bytes=$(($2 * sector))

# The boot partition.
has() { mdir -b -i "$fat" "::$1" >/dev/null 2>&1; }
put_boot() { mcopy -o -i "$fat" "$1" "::$2"; echo "boot: wrote $2"; }
if [ -s $ctx/config-add.txt ] || [ -f $ctx/usercfg.txt ]; then
  if has config.txt; then mtype -i "$fat" ::config.txt >/work/config.txt; else : >/work/config.txt; fi
  cat $ctx/config-add.txt >>/work/config.txt
  if [ -f $ctx/usercfg.txt ] && ! grep -qx 'include usercfg.txt' /work/config.txt; then
    printf '[all]\\ninclude usercfg.txt\\n' >>/work/config.txt
  fi
  put_boot /work/config.txt config.txt
fi
[ -f $ctx/usercfg.txt ] && put_boot $ctx/usercfg.txt usercfg.txt
if [ -s $ctx/cmdline-args.txt ]; then
  if [ "$cmdline_mode" = append ] && has cmdline.txt; then
    current=$(mtype -i "$fat" ::cmdline.txt | tr '\\r\\n\\t' '   ' | tr -s ' ' | sed 's/^ //; s/ $//')
    printf '%s %s\\n' "$current" "$(cat $ctx/cmdline-args.txt)" | sed 's/^ //' >/work/cmdline.txt
  else
    cp $ctx/cmdline-args.txt /work/cmdline.txt
  fi
  put_boot /work/cmdline.txt cmdline.txt
fi
[ -f $ctx/userconf.txt ] && put_boot $ctx/userconf.txt userconf.txt
[ -f $ctx/ssh ] && put_boot $ctx/ssh ssh
copy_blobs() { # folder of blobs, what they are
  for file in "$1"/*; do
    base=$(basename "$file")
    if [ "$blobs" = all ] || ! has "$base"; then put_boot "$file" "$base"; else echo "$2: $base already there"; fi
  done
}
if [ "$blobs" != none ]; then
  if [ -s $ctx/firmware.sha256 ]; then
    echo "$(cat $ctx/firmware.sha256)  /in/raspi-firmware.deb" | sha256sum -c - || fail "raspi-firmware .deb: wrong sha256"
  fi
  dpkg-deb -x /in/raspi-firmware.deb /work/firmware
  [ -d /work/firmware/usr/lib/raspi-firmware ] || fail "the firmware .deb has no usr/lib/raspi-firmware"
  copy_blobs /work/firmware/usr/lib/raspi-firmware firmware
  if [ -f /in/dtbs.deb ]; then
    dpkg-deb -x /in/dtbs.deb /work/dtbs
    mkdir -p /work/dtb
    find /work/dtbs -path '*/broadcom/bcm27*.dtb' -exec cp {} /work/dtb/ \\;
    [ -n "$(ls /work/dtb)" ] || fail "the DTB .deb has no broadcom/bcm27*.dtb"
    copy_blobs /work/dtb dtb
  fi
fi
echo "boot partition:"; mdir -i "$fat" ::

# The root file system, on a copy of its partition (debugfs exits 0 on errors: its output is the verdict).
dd if="$img" of=$fs bs=4M iflag=skip_bytes,count_bytes skip=$root_offset count=$root_bytes status=none
dbg() {
  out=$(debugfs -w -R "$1" $fs 2>&1 | grep -v -e '^debugfs [0-9]' -e '^Allocated inode' || true)
  [ -z "$out" ] || fail "debugfs $1: $out"
}
exists() { debugfs -R "stat $1" $fs 2>/dev/null | grep -q '^Inode:'; }
read_root() { debugfs -R "cat $1" $fs 2>/dev/null; }
mkdirs() { # path uid gid mode: each missing level made, the last with the owner and mode given
  path=""
  for part in $(echo "$1" | tr / ' '); do
    path="$path/$part"
    exists "$path" || dbg "mkdir $path"
  done
  dbg "sif $1 uid $2"; dbg "sif $1 gid $3"; dbg "sif $1 mode $4"
}
put_root() { # source path mode uid gid
  if exists "$2"; then dbg "rm $2"; fi
  dbg "write $1 $2"; dbg "sif $2 mode $3"; dbg "sif $2 uid $4"; dbg "sif $2 gid $5"
  echo "root: wrote $2"
}
if [ -s $ctx/hostname ]; then
  host=$(cat $ctx/hostname)
  put_root $ctx/hostname /etc/hostname 0100644 0 0
  if exists /etc/hosts; then
    read_root /etc/hosts | awk -v host="$host" '$1 == "127.0.1.1" { if (!done) print "127.0.1.1\\t" host; done = 1; next }
      { print } END { if (!done) print "127.0.1.1\\t" host }' >/work/hosts
    put_root /work/hosts /etc/hosts 0100644 0 0
  fi
fi
if [ -s $ctx/authorized_keys ]; then
  # pi-gen's way: the key in the first user's home, owned by them. That is the account named $user, or
  # else uid 1000, which Raspberry Pi OS's userconf renames to $user (moving its home) at first boot.
  read_root /etc/passwd >/work/passwd || true
  entry=$(awk -F: -v u="$user" '$1 == u { print; exit }' /work/passwd)
  [ -n "$entry" ] || entry=$(awk -F: '$3 == 1000 { print; exit }' /work/passwd)
  [ -n "$entry" ] || entry="$user:x:1000:1000::/home/$user:/bin/bash"
  uid=$(echo "$entry" | cut -d: -f3) gid=$(echo "$entry" | cut -d: -f4) home=$(echo "$entry" | cut -d: -f6)
  echo "ssh keys for $(echo "$entry" | cut -d: -f1) (uid $uid, gid $gid) in $home"
  # The image's passwd is input too: its values go into debugfs commands, so they must be plain.
  echo "$home" | grep -Eqx '/home/[A-Za-z0-9._-]+' || fail "the user's home $home is not a plain folder of /home"
  echo "$uid:$gid" | grep -Eqx '[0-9]+:[0-9]+' || fail "the user's uid and gid ($uid:$gid) are not numbers"
  exists "$home" || mkdirs "$home" "$uid" "$gid" 040755
  mkdirs "$home/.ssh" "$uid" "$gid" 040700
  { read_root "$home/.ssh/authorized_keys" || true; cat $ctx/authorized_keys; } | awk 'NF && !seen[$0]++' >/work/keys
  put_root /work/keys "$home/.ssh/authorized_keys" 0100600 "$uid" "$gid"
fi
if [ -f $ctx/ctpf-join ]; then
  exists /usr/local/sbin || mkdirs /usr/local/sbin 0 0 040755
  put_root $ctx/ctpf-join /usr/local/sbin/ctpf-join 0100755 0 0
  wants=/etc/systemd/system/multi-user.target.wants
  exists $wants || mkdirs $wants 0 0 040755
  put_root $ctx/ctpf-join.service /etc/systemd/system/ctpf-join.service 0100644 0 0
  if exists $wants/ctpf-join.service; then dbg "rm $wants/ctpf-join.service"; fi
  dbg "symlink $wants/ctpf-join.service /etc/systemd/system/ctpf-join.service"
  echo "root: enabled ctpf-join.service"
fi
e2fsck -fn $fs >/work/e2fsck.log 2>&1 || { cat /work/e2fsck.log; fail "the patched root file system is not clean"; }
dd if=$fs of="$img" bs=4M oflag=seek_bytes seek=$root_offset conv=notrunc status=none
sfdisk -d "$img" | cmp -s - /work/table || fail "the partition table changed"

for output in $(echo "$outputs" | tr , ' '); do
  case "$output" in
    img) cp "$img" "/out/$name.img" ;;
    img.xz) xz -T0 -1 -c "$img" >"/out/$name.img.xz" ;;
    img.zst) zstd -T0 -q -c "$img" >"/out/$name.img.zst" ;;
  esac
done
ls -l /out
`;

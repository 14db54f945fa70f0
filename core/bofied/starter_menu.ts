/** The title the starter menu shows first; tests look for it on a booting machine's console. */
export const starterMenuTitle = "CTPF network boot: starter menu";

/**
 * menu.ipxe of the starter tree. The default rules send iPXE here by a relative name over TFTP, so it
 * works wherever TFTP does (the web page may listen on loopback only). It names no outside address:
 * every entry stays on this machine or this network until the operator adds one.
 */
export const starterMenu = `#!ipxe
# The starter menu bofied wrote into an empty boot tree on its first start. Edit it in the web page
# (Network boot → Files → menu.ipxe) or over WebDAV; bofied never writes it again, nor brings back a
# file you delete.
#
# To add your own entry: an "item" line in the menu below and a section with the same label at the
# end, for example
#   item debian Debian installer
#   :debian
#   kernel debian/linux
#   initrd debian/initrd.gz
#   boot || goto menu
# Names without a scheme are fetched from this server over TFTP, relative to this file; "http://..."
# names too, when booting machines can reach that address.

:menu
echo ${starterMenuTitle}
menu ${starterMenuTitle}
item --gap Choose what this machine does:
item local Boot from local disk
item shell iPXE shell
item reboot Reboot
# Your items here.
choose --default local --timeout 60000 target || goto local
goto \${target}

:local
echo Booting from the first local disk...
sanboot --no-describe --drive 0x80 || exit

:shell
echo Type "exit" to come back to the menu.
shell
goto menu

:reboot
reboot

# Your sections here.
`;

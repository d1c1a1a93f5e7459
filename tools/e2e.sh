# tools/e2e.sh - sourced by tools/run-tests and tools/fs-linux-check: the
# ext2 configurations' disk images, the promises made to the kernel about
# them, and the host's checks after a run. Each function reads cur_name
# (the configuration) and cur_mem (its RAM, "32M"); O is the build dir.

# Strip "[    0.123456] " stamps so KTAP lines start at column 0, and
# the serial console's carriage returns so a pattern may end with $.
strip_stamps() { sed -E 's/\r$//; s/^\[ *[0-9]+\.[0-9]+\] //'; }
# log_has REGEX LOG: a line of the console log, stamps stripped, matches.
# Not `strip_stamps <LOG | grep -q`: grep -q stops at the first match, and
# under run-tests' pipefail the SIGPIPE that sed may then get (its next
# 4 KiB block written after grep left) failed a run whose log was right.
log_has() { local text; text=$(strip_stamps <"$2") && grep -q -- "$1" <<<"$text"; }

# The ext2 configurations (tests/kernel/fs_user_test.c, docs/testing.md):
# images made here by mke2fs in build/e2e/NAME/ (never committed), the
# files' expected hashes from the pattern the guest's programs write
# (tools/check-ext2 pattern), promised to the kernel with kunit.expect=.
# x86_64-ext2, arm64-virt-ext2: vda (4 KiB blocks, 6x RAM + 64 MiB) is
# root=vda on /mnt; vdb (4 MiB, 1 KiB blocks) is filled to ENOSPC; vdc
# (16 MiB) is slow: QEMU lets it write 1 MiB/s, so a writer to it is
# held by dirty throttling (the SIGKILL case).
E2E_BIG_SEED=1			# fs_user_test.c: pattern 1 SIZE > /mnt/big
E2E_PAT="2 16M"			# PAT_SEED, PAT_SIZE
E2E_MAPPED="3 1M 65536 200000"	# MAP_SEED, the file, MAP_OFF, MAP_LEN
E2E_AFTER="5 64K"		# AFTER_SEED, AFTER_SIZE (on vdb)
E2E_TOOLS="7 100K"		# TOOLS_SEED, TOOLS_SIZE: /d/e/b
E2E_TOOLS_CUT="7 5000"		# the same cut to TOOLS_CUT: /d/t
E2E_OK="6 64K"			# the good disk of the -bad configurations
# e2e_sha KIND ARGS: tools/check-ext2's hash, kept in build/e2e/ (the big
# file's takes seconds and every set-up runs twice).
e2e_sha() {
	local f="$O/e2e/sha-${*// /-}"
	mkdir -p "$O/e2e"
	if [ ! -s "$f" ]; then
		# (Two configurations may be here at once: each its own temp,
		# named once here, where $BASHPID is this shell's.)
		local tmp="$f.tmp.$BASHPID"
		python3 tools/check-ext2 "$@" >"$tmp" && mv "$tmp" "$f" ||
			{ rm -f "$tmp"; return 1; }
	fi
	cat "$f"
}
e2e_big_size() { echo "$(( 4 * ${cur_mem%M} ))M"; }
# e2e_drives IMG...: each a virtio-blk-pci disk (vda, vdb, ... in order).
e2e_drives() {
	local i=0 img
	QEMU_EXTRA=""
	for img in "$@"; do
		QEMU_EXTRA+=" -drive file=$img,if=none,id=e$i,format=raw"
		QEMU_EXTRA+=" -device virtio-blk-pci,drive=e$i,disable-legacy=on"
		i=$((i + 1))
	done
	export QEMU_EXTRA
}
ext2_setup() {
	local d="$O/e2e/$cur_name" big bigsha mapsha
	big=$(e2e_big_size)
	mkdir -p "$d" && rm -f "$d"/*.img || return 1
	# The big file (4x RAM), direct_reclaim_never_writes' (2x RAM) and room.
	truncate -s "$(( 6 * ${cur_mem%M} + 64 ))M" "$d/vda.img" &&
		mke2fs -q -F -t ext2 -b 4096 "$d/vda.img" &&
		truncate -s 4M "$d/vdb.img" &&
		mke2fs -q -F -t ext2 -b 1024 "$d/vdb.img" &&
		truncate -s 16M "$d/vdc.img" &&
		mke2fs -q -F -t ext2 -b 4096 "$d/vdc.img" || return 1
	bigsha=$(e2e_sha pattern "$E2E_BIG_SEED" "$big" --sha256) &&
		mapsha=$(e2e_sha mapped $E2E_MAPPED) || return 1
	part_setup "$d" || return 1
	e2e_drives "$d/vda.img" "$d/vdb.img"
	QEMU_EXTRA+=" -drive file=$d/vdc.img,if=none,id=e2,format=raw,throttling.bps-write=1048576"
	QEMU_EXTRA+=" -device virtio-blk-pci,drive=e2,disable-legacy=on"
	QEMU_EXTRA+=" -drive file=$d/vdd.img,if=none,id=e3,format=raw"
	QEMU_EXTRA+=" -device virtio-blk-pci,drive=e3,disable-legacy=on"
	QEMU_EXTRA+=" -drive file=$d/vde.img,if=none,id=e4,format=raw"
	QEMU_EXTRA+=" -device virtio-blk-pci,drive=e4,disable-legacy=on"
	# kunit.expect= values are at most 63 characters: half the hash.
	KERNEL_EXTRA="root=vda kunit.expect=fs.root:vda,fs.big:$big,fs.big_sha:${bigsha:0:32}"
	KERNEL_EXTRA+=",fs.map_sha:${mapsha:0:32},fs.small:vdb,fs.slow:vdc"
	KERNEL_EXTRA+=",part.disk:vdd,part.bad:vde"
	export KERNEL_EXTRA
}

# The partitioned disks (tests/kernel/partition_user_test.c, suite
# fs_user_partitions): vdd, 24 MiB (49152 sectors), partitioned by sfdisk as PART_LAYOUT
# says (sectors): 1 ext2 made by mke2fs -d (/hello), 2 a swap area made
# by mkswap, 3 raw (the guest writes the pattern of its disk sectors),
# the rest of the disk unpartitioned and zero. vde, 4 MiB: a table
# whose entry 2 overlaps entry 1 (sfdisk refuses to write one, so its
# start is patched in), which the kernel must report and not follow.
PART_LAYOUT="2048 16384 83
18432 16384 82
34816 8192 83"
PART_HELLO="written by mke2fs -d on the host"
part_setup() {
	local d=$1 start size type
	mkdir -p "$d/part" && echo "$PART_HELLO" >"$d/part/hello" || return 1
	truncate -s 24M "$d/vdd.img" || return 1
	{ echo "label: dos"
	  while read -r start size type; do
		echo "start=$start, size=$size, type=$type"
	  done <<<"$PART_LAYOUT"; } | sfdisk -q "$d/vdd.img" >/dev/null || return 1
	read -r start size type <<<"$(sed -n 1p <<<"$PART_LAYOUT")"
	rm -f "$d/p1.img" "$d/p2.img"
	truncate -s $((size * 512)) "$d/p1.img" &&
		mke2fs -q -F -t ext2 -b 1024 -d "$d/part" "$d/p1.img" &&
		dd if="$d/p1.img" of="$d/vdd.img" bs=512 seek="$start" conv=notrunc status=none || return 1
	read -r start size type <<<"$(sed -n 2p <<<"$PART_LAYOUT")"
	truncate -s $((size * 512)) "$d/p2.img" && mkswap "$d/p2.img" >/dev/null 2>&1 &&
		dd if="$d/p2.img" of="$d/vdd.img" bs=512 seek="$start" conv=notrunc status=none || return 1
	rm -f "$d/p1.img" "$d/p2.img"
	sfdisk -d "$d/vdd.img" >"$d/vdd.table" || return 1
	truncate -s 4M "$d/vde.img" &&
		printf 'label: dos\nstart=2048, size=2048, type=83\nstart=4096, size=2048, type=83\n' |
		sfdisk -q "$d/vde.img" >/dev/null || return 1
	# Entry 2's start (bytes 454-457 of entry 2 = 446 + 16 + 8) to 3000.
	printf '\xb8\x0b\x00\x00' | dd of="$d/vde.img" bs=1 seek=470 conv=notrunc status=none
}
# After fs_user_partitions: each partition holds what it should where
# sfdisk put it, and nothing outside them changed. part_check LOG [IMG]:
# IMG (default vdd.img) without vde beside it is the Raspberry Pi's card
# (sd_check), whose malformed-table case is vde's elsewhere.
part_check() {
	local d="$O/e2e/$cur_name" log=$1 img=${2:-$O/e2e/$cur_name/vdd.img} start size type magic
	if ! log_has '^ *ok [0-9]* swap_on_a_partition$' "$log"; then
		[ "${GLOB:-*}" = "*" ] &&
			{ echo "fs_user_partitions did not pass its last case: vdd was not checked"; return 1; }
		return 0
	fi
	sfdisk -d "$img" | cmp -s - "${img%.img}.table" ||
		{ echo "$(basename "$img")'s partition table changed"; return 1; }
	read -r start size type <<<"$(sed -n 1p <<<"$PART_LAYOUT")"
	dd if="$img" of="$d/p1.img" bs=512 skip="$start" count="$size" status=none &&
		e2fsck -fn "$d/p1.img" >/dev/null 2>&1 ||
		{ echo "vdd1: e2fsck -fn finds the ext2 in partition 1 inconsistent"; return 1; }
	[ "$(debugfs -R 'cat /guest' "$d/p1.img" 2>/dev/null)" = "written in partition 1" ] ||
		{ echo "vdd1: /guest is not what the guest wrote"; return 1; }
	rm -f "$d/p1.img"
	read -r start size type <<<"$(sed -n 2p <<<"$PART_LAYOUT")"
	magic=$(dd if="$img" bs=1 skip=$((start * 512 + 4086)) count=10 2>/dev/null)
	[ "$magic" = SWAPSPACE2 ] ||
		{ echo "vdd2: the swap header's signature is gone (found '$magic')"; return 1; }
	read -r start size type <<<"$(sed -n 3p <<<"$PART_LAYOUT")"
	python3 tools/check-disk-pattern "$img" "$start" "$size" || return 1
	cmp -s -n $(((49152 - start - size) * 512)) -i $(((start + size) * 512)):0 "$img" /dev/zero ||
		{ echo "vdd: the unpartitioned end of the disk was written"; return 1; }
	if [ -z "${2:-}" ]; then
		log_has '^blk: vde: partition table [(]MBR[)] not read: entry 2: sectors 3000-5047 overlap entry 1.s 2048-4095$' "$log" ||
			{ echo "vde's malformed table was not reported as expected"; return 1; }
		echo "ok   vdd's partitions hold what they should, where sfdisk put them; vde's table refused"
	else
		echo "ok   $(basename "$img")'s partitions hold what they should, where sfdisk put them"
	fi
}
# The Raspberry Pi's card (arm64-rpi3-dtb, arm64-rpi3-sdhci; suites mmc and
# fs_user_partitions): PART_LAYOUT's disk grown to SD_SIZE, a power of two
# as QEMU's SD card wants: 4 GiB makes QEMU's card SDHC (block addresses,
# the mmc suite's pattern above 2 GiB), 64 MiB SDSC (byte addresses, CSD
# 1.0). QEMU's raspi3b takes it as its one card (-drive if=sd).
sd_setup() {
	local d="$O/e2e/$cur_name"
	mkdir -p "$d" && rm -f "$d"/*.img "$d/parts" || return 1
	part_setup "$d" || return 1
	rm -f "$d/vde.img" "$d/vdd.table"
	mv "$d/vdd.img" "$d/sd.img" && truncate -s "$SD_SIZE" "$d/sd.img" &&
		sfdisk -d "$d/sd.img" >"$d/sd.table" || return 1
	QEMU_EXTRA="-drive if=sd,file=$d/sd.img,format=raw"
	export QEMU_EXTRA
}
# After the run: the mmc suite's pattern at both ends of the card, and
# (where fs_user_partitions ran) each partition as part_check wants it.
sd_check() {
	local d="$O/e2e/$cur_name" log=$1 sectors
	sectors=$(( $(stat -c %s "$d/sd.img") / 512 ))
	if ! log_has '^ *ok [0-9]* pattern_at_both_ends$' "$log"; then
		[ "${GLOB:-*}" = "*" ] &&
			{ echo "mmc did not write its pattern: the card was not checked"; return 1; }
		return 0
	fi
	python3 tools/check-disk-pattern "$d/sd.img" 49152 1024 &&
		python3 tools/check-disk-pattern "$d/sd.img" $((sectors - 1024)) 1024 || return 1
	echo "ok   the mmc suite's pattern is at sectors 49152 and $((sectors - 1024)) of sd.img"
	[ ! -e "$d/parts" ] || part_check "$log" "$d/sd.img"
}
# arm64-rpi3-dtb: a 4 GiB card on the SDHOST, fs_user_partitions on it
# too (sd_check then checks its partitions); arm64-rpi3-sdhci: 64 MiB on
# the SDHCI, the mmc suite only.
sdhc_setup() {
	SD_SIZE=4G sd_setup && touch "$O/e2e/$cur_name/parts"
}
sdsc_setup() {
	SD_SIZE=64M sd_setup
}
# After the run: e2fsck -fn on both images, every file the suite left read
# back with debugfs and hashed, the ones it removed absent, and the
# guest's own sha256sum of /mnt/big the host's (when the suite ran to its
# end: GLOB may have left it out).
ext2_check() {
	local d="$O/e2e/$cur_name" big bigsha
	part_check "$1" || return 1
	# Only a run that left fs_user out (GLOB) may skip the checks.
	if ! log_has '^ *ok [0-9]* sync_umount_mount_and_read_back$' "$1"; then
		[ "${GLOB:-*}" = "*" ] &&
			{ echo "fs_user did not pass its last case: the disks were not checked"; return 1; }
		echo "fs_user did not run (GLOB=$GLOB): nothing to check"
		return 0
	fi
	big=$(e2e_big_size)
	bigsha=$(e2e_sha pattern "$E2E_BIG_SEED" "$big" --sha256) || return 1
	python3 tools/check-ext2 image "$d/vda.img" "/big=$bigsha" \
		"/pat=$(e2e_sha pattern $E2E_PAT --sha256)" \
		"/mapped=$(e2e_sha mapped $E2E_MAPPED)" /dirty=absent \
		"/d/e/b=$(e2e_sha pattern $E2E_TOOLS --sha256)" \
		"/d/t=$(e2e_sha pattern $E2E_TOOLS_CUT --sha256)" \
		/d/a=absent /d/c=absent /gone=absent || return 1
	python3 tools/check-ext2 image "$d/vdb.img" \
		"/after=$(e2e_sha pattern $E2E_AFTER --sha256)" /fill=absent || return 1
	python3 tools/check-ext2 image "$d/vdc.img" /f=absent || return 1
	log_has "^$bigsha  /mnt/big" "$1" ||
		{ echo "the guest's sha256sum of /mnt/big is not the host's $bigsha"; return 1; }
	echo "ok   the guest's sha256sum of /mnt/big is the host's"
}
# x86_64-ext2-bad, arm64-virt-ext2-bad: seven 8 MiB images; five with one
# superblock field corrupted (vda is root=vda), vdf good with /ok, vdg
# with a corrupt inode (block pointer) and directory entry; and vdh, good,
# whose writes to the first block of /victim fail (QEMU blkdebug), for the
# write-back error case (docs/mm/filemap.md, "Write-back errors").
BAD_FIELDS=("s_magic 0x1234" "s_blocks_per_group 0" "s_inodes_count s_inodes_count+1"
	    "s_log_block_size 9" "s_free_blocks_count s_blocks_count+100")
badfs_setup() {
	local d="$O/e2e/$cur_name" i dev imgs=() devs=(vda vdb vdc vdd vde vdf)
	mkdir -p "$d/ok" && rm -f "$d"/*.img || return 1
	python3 tools/check-ext2 pattern $E2E_OK >"$d/ok/ok" || return 1
	for i in 0 1 2 3 4 5; do
		dev=${devs[$i]}
		truncate -s 8M "$d/$dev.img" || return 1
		if [ $i = 5 ]; then
			mke2fs -q -F -t ext2 -b 1024 -d "$d/ok" "$d/$dev.img" || return 1
		else
			mke2fs -q -F -t ext2 -b 1024 "$d/$dev.img" || return 1
			# shellcheck disable=SC2086
			python3 tools/check-ext2 corrupt "$d/$dev.img" ${BAD_FIELDS[$i]} >/dev/null || return 1
		fi
		imgs+=("$d/$dev.img")
	done
	# vdg: a good superblock, but /badptr's first block pointer is out of
	# range and /baddir's ".." entry has rec_len 5.
	mke2fs -q -F -t ext2 -b 1024 "$d/vdg.img" 8M &&
		debugfs -w -f - "$d/vdg.img" >/dev/null 2>&1 <<-EOF || return 1
		write $d/ok/ok badptr
		mkdir baddir
		write $d/ok/ok baddir/a
		sif badptr block[0] 9999999
		EOF
	python3 tools/check-ext2 corrupt-dir "$d/vdg.img" /baddir >/dev/null || return 1
	imgs+=("$d/vdg.img")
	# vdh: /victim (64 KiB); every write covering its first block's first
	# sector fails with EIO. And /meta, whose inode seven files /f1../f7
	# made before it push into a later inode table block than /victim's
	# (checked here; no file but /f5../f7, never written, shares it):
	# every write of that block fails too, so a change of /meta's inode
	# fails as metadata. Reads and every other write work.
	local vblk iblk ioff isec vib f
	mkdir -p "$d/wb" && cp "$d/ok/ok" "$d/wb/victim" &&
		mke2fs -q -F -t ext2 -b 1024 -d "$d/wb" "$d/vdh.img" 8M || return 1
	for f in f1 f2 f3 f4 f5 f6 f7 meta; do echo "write $d/ok/ok $f"; done |
		debugfs -w -f - "$d/vdh.img" >/dev/null 2>&1 || return 1
	vblk=$(debugfs -R "bmap /victim 0" "$d/vdh.img" 2>/dev/null)
	iblk=$(debugfs -R "imap /meta" "$d/vdh.img" 2>/dev/null | sed -n 's/.*located at block \([0-9]*\),.*/\1/p')
	ioff=$(debugfs -R "imap /meta" "$d/vdh.img" 2>/dev/null | sed -n 's/.*, offset \(0x[0-9a-f]*\).*/\1/p')
	vib=$(debugfs -R "imap /victim" "$d/vdh.img" 2>/dev/null | sed -n 's/.*located at block \([0-9]*\),.*/\1/p')
	[ -n "$vblk" ] && [ "$vblk" -gt 0 ] && [ -n "$iblk" ] && [ -n "$ioff" ] && [ -n "$vib" ] || return 1
	# The sector holding /meta's inode (the buffer cache writes only the
	# dirty sectors of a block).
	isec=$((iblk * 2 + ioff / 512))
	[ "$iblk" != "$vib" ] || { echo "/meta's inode shares /victim's inode table block $vib"; return 1; }
	printf '[inject-error]\nevent = "write_aio"\niotype = "write"\nerrno = "5"\nsector = "%d"\n' \
		$((vblk * 2)) "$isec" >"$d/vdh-blkdebug.conf" || return 1
	imgs+=("blkdebug:$d/vdh-blkdebug.conf:$d/vdh.img")
	local ptr_ino dir_ino
	ptr_ino=$(debugfs -R "stat /badptr" "$d/vdg.img" 2>/dev/null | sed -n 's/^Inode: \([0-9]*\).*/\1/p')
	dir_ino=$(debugfs -R "stat /baddir" "$d/vdg.img" 2>/dev/null | sed -n 's/^Inode: \([0-9]*\).*/\1/p')
	[ -n "$ptr_ino" ] && [ -n "$dir_ino" ] || return 1
	(cd "$d" && sha256sum vd[a-e].img >before.sha) || return 1
	e2e_drives "${imgs[@]}"
	KERNEL_EXTRA="root=vda kunit.expect=fs.bad:7,fs.badptr_ino:$ptr_ino,fs.baddir_ino:$dir_ino"
	KERNEL_EXTRA+=",fs.wb_err:vdh,fs.wb_err_sector:$((vblk * 2)),fs.meta_err_sector:$isec"
	export KERNEL_EXTRA
}
# The boot refused root=vda with the reason (before any suite ran, lines
# naming vda and s_magic); the
# refused disks are byte for byte as they were (nothing was written to
# them); the good one passes e2fsck -fn with /ok intact.
badfs_check() {
	local d="$O/e2e/$cur_name"
	local boot
	boot=$(strip_stamps <"$1" | sed '/^KTAP version 1/,$d')
	grep -q 's_magic' <<<"$boot" && grep -q 'vda' <<<"$boot" ||
		{ echo "the boot log has no refusal of root=vda naming s_magic"; return 1; }
	(cd "$d" && sha256sum --quiet -c before.sha) ||
		{ echo "a refused disk was written to"; return 1; }
	# The failed write-back left vdh consistent (only data failed).
	e2fsck -fn "$d/vdh.img" >/dev/null 2>&1 ||
		{ echo "e2fsck -fn finds vdh.img inconsistent"; return 1; }
	python3 tools/check-ext2 image "$d/vdf.img" "/ok=$(e2e_sha pattern $E2E_OK --sha256)"
}


# The swap configurations (tests/kernel/swap_user_test.c): vda, a 1 GiB
# swap area made here by util-linux's mkswap (a sparse image in
# build/e2e/NAME/, never committed), on at boot with swap=vda. The
# memhogs touch 1.5x RAM in all: one on -smp 2, four at once on -smp 4.
swap_setup() {
	local d="$O/e2e/$cur_name" hogs=1
	[ "${cur_smp:-2}" -ge 4 ] && hogs=4
	mkdir -p "$d" && rm -f "$d"/*.img || return 1
	# A sparse image (mkswap warns about holes: they matter to a swap
	# file in a host file system, not to a disk image QEMU serves).
	truncate -s 1G "$d/swap.img" && chmod 600 "$d/swap.img" &&
		mkswap "$d/swap.img" >/dev/null 2>&1 || return 1
	# The CMA suite's page-cache load (cma_user: files written, mapped
	# and read back while the region is taken).
	truncate -s 128M "$d/cma-fs.img" &&
		mke2fs -q -F -t ext2 -b 4096 "$d/cma-fs.img" || return 1
	e2e_drives "$d/swap.img" "$d/cma-fs.img"
	# cma=16M: the region the cma_user suite takes back from the
	# programs (swap_user's memhogs borrow it too).
	KERNEL_EXTRA="swap=vda cma=16M kunit.expect=swap.dev:vda,swap.hogs:$hogs"
	KERNEL_EXTRA+=",swap.size:$(( ${cur_mem%M} * 3 / 2 ))M"
	KERNEL_EXTRA+=",cma.size:16M,cma.fs:vdb"
	export KERNEL_EXTRA
}
# After the run: the header page is still mkswap's (no slot write ever
# lands on page 0), and the suite ran to its end.
swap_check() {
	local d="$O/e2e/$cur_name" magic
	if ! log_has '^ *ok [0-9]* swapoff_under_load$' "$1"; then
		[ "${GLOB:-*}" = "*" ] &&
			{ echo "swap_user did not pass its last case"; return 1; }
		return 0
	fi
	magic=$(dd if="$d/swap.img" bs=1 skip=4086 count=10 2>/dev/null)
	[ "$magic" = SWAPSPACE2 ] ||
		{ echo "the swap header's signature is gone (found '$magic')"; return 1; }
	echo "ok   the swap header is mkswap's"
}

# The swap error configurations (tests/kernel/swap_err_user_test.c):
# swap areas made by mkswap, each case turning its own on and off, so its
# slots are handed out from slot 1 up. Sparse images in build/e2e/NAME/.
#   vda  64 MiB: every write covering slots 3-5 fails (blkdebug write_aio
#        on each slot's first sector: a request of several pages that
#        covers one fails whole)
#   vdb  64 MiB: every read covering slots 1-64 fails
#   (blkdebug: an inject-error rule is armed by its event, then fails
#   the requests covering its sector; only iotype limits their kind.
#   Without it, swapon's header read armed vdb's rule and the first
#   write of a slot failed instead.)
#   vdc   8 MiB: small, for swap full
#   vdd  16 MiB: broken by the suite (a request QEMU refuses: NEEDS_RESET)
#   vde   4 MiB: ext2, for mount against swapon
#   vdf  64 MiB: good: the later slots of the read error case, and
#        what the dead one cannot take
#   vdg   4 MiB: in a PCI Express slot (a root port with a power
#        controller, not hot-plug capable: hotplug=off): the suite powers
#        the slot off and QEMU removes the disk, unannounced to its driver,
#        which finds out by its watchdog (virtio_blk.io_timeout=1). Small
#        on purpose: every page sent to it waits, unreclaimable, until the
#        watchdog fails its write (1-2 s); 16 MiB of them once brought the
#        OOM killer first on arm64.
#   vdh  16 MiB: in a hot-plug slot (slot 2, QEMU id hp-vdh): when the
#        suite prints "swap_err: host: unplug vdh" the watcher below asks
#        QEMU to unplug it (QMP device_del, tools/qmp-device-del), as a
#        host's user would, and waits for QEMU's DEVICE_DELETED. On q35
#        QEMU offers ACPI hot-plug by default (it needs an AML
#        interpreter); the kernel does PCI Express native hot-plug, so
#        the machine is given that (ICH9-LPC's
#        acpi-pci-hotplug-with-bridge-support=off). arm64 virt has only
#        native.
# Both removals change the guest's physical memory map while it runs (the
# disk's BARs go), and QEMU 7.2's multi-threaded TCG has a race there:
# the vCPU whose config write removes the device installs the new map for
# every vCPU at once, but only queues the others' TLB flushes, so another
# vCPU in the middle of MMIO (an IPI through the local APIC, say) can look
# its stale TLB entry up in the new map and crash QEMU with SIGSEGV in
# memory_region_dispatch_write (in CI, and here in 4 of 16 x86_64 runs
# beside two busy host threads: each time a call-function IPI written to
# the APIC's ICR just after vdh went; fixed upstream after 7.2, where each
# vCPU installs its new map itself). So these runs keep their two CPUs
# but take turns on one host thread (ACCEL=tcg,thread=single): a flush
# for another vCPU of the same thread is then done at once (0 of 16).
SWAP_ERR_BAD="3 5"		# slots whose writes fail, first and last
SWAP_ERR_RD="1 64"		# slots whose reads fail, first and last
swap_err_setup() {
	local d="$O/e2e/$cur_name" img size s lo hi rlo rhi
	read -r lo hi <<<"$SWAP_ERR_BAD"
	read -r rlo rhi <<<"$SWAP_ERR_RD"
	mkdir -p "$d" && rm -f "$d"/*.img || return 1
	swap_err_cleanup
	rm -f "$d/qmp.log"
	for img in vda:64M vdb:64M vdc:8M vdd:16M vdf:64M vdg:4M vdh:16M; do
		size=${img#*:}
		img=${img%:*}
		truncate -s "$size" "$d/$img.img" && chmod 600 "$d/$img.img" &&
			mkswap "$d/$img.img" >/dev/null 2>&1 || return 1
	done
	truncate -s 4M "$d/vde.img" && mke2fs -q -F -t ext2 "$d/vde.img" || return 1
	: >"$d/vda-blkdebug.conf"
	for s in $(seq "$lo" "$hi"); do
		printf '[inject-error]\nevent = "write_aio"\niotype = "write"\nerrno = "5"\nsector = "%d"\n\n' \
			$((s * 8)) >>"$d/vda-blkdebug.conf"
	done
	: >"$d/vdb-blkdebug.conf"
	for s in $(seq "$rlo" "$rhi"); do
		printf '[inject-error]\nevent = "read_aio"\niotype = "read"\nerrno = "5"\nsector = "%d"\n\n' \
			$((s * 8)) >>"$d/vdb-blkdebug.conf"
	done
	e2e_drives "blkdebug:$d/vda-blkdebug.conf:$d/vda.img" \
		"blkdebug:$d/vdb-blkdebug.conf:$d/vdb.img" "$d/vdc.img" \
		"$d/vdd.img" "$d/vde.img" "$d/vdf.img"
	QEMU_EXTRA+=" -device pcie-root-port,id=rp0,chassis=1,slot=1,hotplug=off"
	QEMU_EXTRA+=" -drive file=$d/vdg.img,if=none,id=e6,format=raw"
	QEMU_EXTRA+=" -device virtio-blk-pci,drive=e6,bus=rp0,disable-legacy=on"
	QEMU_EXTRA+=" -device pcie-root-port,id=rp1,chassis=2,slot=2"
	QEMU_EXTRA+=" -drive file=$d/vdh.img,if=none,id=e7,format=raw"
	QEMU_EXTRA+=" -device virtio-blk-pci,drive=e7,bus=rp1,id=hp-vdh,disable-legacy=on"
	QEMU_EXTRA+=" -qmp unix:$(readlink -f "$d")/qmp.sock,server=on,wait=off"
	[ "$arch" = x86_64 ] &&
		QEMU_EXTRA+=" -global ICH9-LPC.acpi-pci-hotplug-with-bridge-support=off"
	swap_err_watch "$d"
	export ACCEL=tcg,thread=single
	KERNEL_EXTRA="virtio_blk.io_timeout=1 kunit.expect=swerr.wr:vda,swerr.bad_lo:$lo,swerr.bad_hi:$hi"
	KERNEL_EXTRA+=",swerr.rd:vdb,swerr.rd_lo:$rlo,swerr.rd_hi:$rhi,swerr.small:vdc"
	KERNEL_EXTRA+=",swerr.small_mib:8,swerr.dead:vdd,swerr.good:vdf,swerr.fs:vde"
	KERNEL_EXTRA+=",swerr.slot:vdg,swerr.hotplug:vdh"
	export KERNEL_EXTRA
}
# The host's side of the hot-unplug case: a watcher of the boot's log
# (this function's caller's stdout is it) that unplugs vdh when asked.
swap_err_watch() {
	local d=$1 logf me=$BASHPID	# (inside $(...) fd 1 is its pipe)
	logf=$(readlink -f "/proc/$me/fd/1")
	[ -f "$logf" ] || return 0
	( exec setsid timeout 600 bash -c '
		tail -n0 -F "$1" 2>/dev/null | while read -r line; do
			case "$line" in
			*"swap_err: host: unplug vdh"*)
				python3 tools/qmp-device-del "$2/qmp.sock" hp-vdh 60 \
					>>"$2/qmp.log" 2>&1 ;;
			esac
		done' watcher "$logf" "$d" ) &
	echo $! >"$d/watcher.pid"
}
swap_err_cleanup() {
	local d="$O/e2e/$cur_name"
	if [ -f "$d/watcher.pid" ]; then
		kill -TERM -- "-$(cat "$d/watcher.pid")" 2>/dev/null
		rm -f "$d/watcher.pid"
	fi
	rm -f "$d/qmp.sock"
	return 0
}
# After the run (when the suite ran to its end): every area's header is
# still mkswap's (a failed or a refused write never lands on page 0), and
# the ext2 disk, mounted and refused as swap, passes e2fsck -fn.
swap_err_check() {
	local d="$O/e2e/$cur_name" img magic
	if ! log_has '^ *ok [0-9]* pulled_disk_is_said_once_and_treated_as_full$' "$1"; then
		[ "${GLOB:-*}" = "*" ] &&
			{ echo "swap_err_user did not pass its last case"; return 1; }
		return 0
	fi
	if log_has '^ *ok [0-9]* unplugged_disk_is_turned_off_first$' "$1" &&
	   ! grep -q '"DEVICE_DELETED".*"hp-vdh"\|"hp-vdh".*"DEVICE_DELETED"' "$d/qmp.log" 2>/dev/null; then
		echo "QEMU never said DEVICE_DELETED for hp-vdh (build/e2e/$cur_name/qmp.log)"
		return 1
	fi
	for img in vda vdb vdc vdd vdf vdg vdh; do
		magic=$(dd if="$d/$img.img" bs=1 skip=4086 count=10 2>/dev/null)
		[ "$magic" = SWAPSPACE2 ] ||
			{ echo "$img: the swap header's signature is gone (found '$magic')"; return 1; }
	done
	e2fsck -fn "$d/vde.img" >/dev/null 2>&1 ||
		{ echo "e2fsck -fn finds vde.img inconsistent"; return 1; }
	echo "ok   every swap header is mkswap's, vde is clean"
}

# ---------------------------------------------------------------- NBD (issue 18)
# x86_64-nbd, arm64-virt-nbd: swap and ext2 over the network. Two
# qemu-nbd servers on the host's loopback only (127.0.0.1, free ports),
# reached from the guest through QEMU's user network with restrict=on:
# 10.0.2.100:10809 is the swap export (a 512 MiB image made by mkswap,
# on at boot: nbd= and swap=nbd0) and 10.0.2.100:10810 the ext2 export
# (mke2fs -d with a known file, connected and mounted by the suite).
# hostfwd=udp:127.0.0.1:PORT-10.0.2.15:9 is where the flood comes in.
# The suite asks the host for three things by printing a line:
#   "swap_nbd: host: restart the swap server"  kill it, wait 3 s, start
#                                               it again on the same port
#   "swap_nbd: host: stop the swap server"     kill it for good (the
#                                               suite's last case)
#   "swap_nbd: host: flood"                     send unrelated UDP to the
#                                               guest for 20 s (bounded)
# A watcher (bounded in time) follows the log for them. Every process
# started here is recorded in $d/*.pid and stopped by nbd_cleanup (run by
# the harness after every boot, passed or not) or by its own time limit.
NBD_E2E_LIMIT=900	# seconds any helper process may live

# A TCP port nobody listens on at 127.0.0.1 (also run-tests' gdb stubs).
loopback_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
# Each helper runs in a session of its own (setsid): its pid is its
# process group, and cleanup stops the group (a watcher's tail and the
# servers it restarted with it).
nbd_serve() {	# IMG EXPORT PORT PIDFILE
	setsid timeout "$NBD_E2E_LIMIT" qemu-nbd --bind=127.0.0.1 --port="$3" -x "$2" \
		-f raw --cache=writeback --persistent --shared=4 "$1" \
		>>"${1%.img}.log" 2>&1 &
	echo $! >"$4"
}
nbd_cleanup() {
	local d="$O/e2e/$cur_name" f
	for f in "$d"/*.pid; do
		[ -f "$f" ] || continue
		kill -TERM -- "-$(cat "$f")" 2>/dev/null
		rm -f "$f"
	done
	return 0
}
nbd_setup() {
	local d="$O/e2e/$cur_name" sp fp hp logf me
	nbd_cleanup
	mkdir -p "$d/fs-root" && rm -f "$d"/*.img "$d"/*.log || return 1
	truncate -s 512M "$d/swap.img" && chmod 600 "$d/swap.img" &&
		mkswap "$d/swap.img" >/dev/null 2>&1 || return 1
	# The file the suite reads back: 1 MiB of a known pattern.
	python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 7 + (i >> 12)) & 255 for i in range(1 << 20)))' \
		>"$d/fs-root/pattern.bin" || return 1
	truncate -s 64M "$d/fs.img" &&
		mke2fs -q -F -t ext2 -b 4096 -d "$d/fs-root" "$d/fs.img" || return 1
	sp=$(loopback_free_port) && fp=$(loopback_free_port) && hp=$(loopback_free_port) || return 1
	echo "$sp" >"$d/swap.port"
	echo "$hp" >"$d/flood.port"
	nbd_serve "$d/swap.img" swap "$sp" "$d/swap-server.pid"
	nbd_serve "$d/fs.img" disk "$fp" "$d/fs-server.pid"
	# The boot's own log: this function's stdout is it (asked of this
	# shell's pid: inside $(...) fd 1 is the substitution's pipe).
	me=$BASHPID
	logf=$(readlink -f "/proc/$me/fd/1")
	if [ -f "$logf" ]; then
		( exec setsid timeout "$NBD_E2E_LIMIT" bash -c '
			tail -n0 -F "$1" 2>/dev/null | while read -r line; do
				case "$line" in
				*"swap_nbd: host: restart the swap server"*)
					kill -TERM -- "-$(cat "$2/swap-server.pid")" 2>/dev/null
					sleep 3
					setsid timeout 900 qemu-nbd --bind=127.0.0.1 --port="$3" -x swap \
						-f raw --cache=writeback --persistent --shared=4 \
						"$2/swap.img" >>"$2/swap.log" 2>&1 &
					echo $! >"$2/swap-server.pid" ;;
				*"swap_nbd: host: stop the swap server"*)
					kill -TERM -- "-$(cat "$2/swap-server.pid")" 2>/dev/null ;;
				*"swap_nbd: host: flood"*)
					timeout 30 python3 - "$4" >"$2/flood.log" 2>&1 <<"PY" &
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
end, n = time.time() + 20, 0
while time.time() < end and n < 400000:
    s.sendto(b"x" * 1024, ("127.0.0.1", int(sys.argv[1])))
    n += 1
print("flood: sent", n, "datagrams of 1024 bytes")
PY
					echo $! >"$2/flood.pid" ;;
				esac
			done' watcher "$logf" "$d" "$sp" "$hp" ) &
		echo $! >"$d/watcher.pid"
	fi
	QEMU_EXTRA="-netdev user,id=n0,restrict=on"
	# The swap export through tools/tcp-relay, a new connection to the
	# server for each guest connection: the restart needs it (the chardev
	# form is one connection for QEMU's life; tools/tcp-relay says more).
	# Both exports go through it: the swap server's restart needs a new
	# connection, and `nbd disconnect` a close that reaches the guest.
	# Its stderr would be the guest's stream (QEMU gives the command the
	# connection as fds 0, 1 and 2): to a log.
	printf '#!/bin/sh\nexec python3 %s/tools/tcp-relay 127.0.0.1 %s 2>>%s\n' \
		"$PWD" "$sp" "$(readlink -f "$d")/relay.log" >"$d/relay-swap"
	printf '#!/bin/sh\nexec python3 %s/tools/tcp-relay 127.0.0.1 %s 2>>%s\n' \
		"$PWD" "$fp" "$(readlink -f "$d")/relay.log" >"$d/relay-fs"
	chmod +x "$d/relay-swap" "$d/relay-fs"
	QEMU_EXTRA+=",guestfwd=tcp:10.0.2.100:10809-cmd:$(readlink -f "$d/relay-swap")"
	QEMU_EXTRA+=",guestfwd=tcp:10.0.2.100:10810-cmd:$(readlink -f "$d/relay-fs")"
	QEMU_EXTRA+=",hostfwd=udp:127.0.0.1:$hp-10.0.2.15:9"
	QEMU_EXTRA+=" -device virtio-net-pci,netdev=n0,disable-legacy=on"
	export QEMU_EXTRA
	# nbd.timeout=12: the last case waits that long for a server gone
	# for good (the restart's 3 s stay well inside it).
	# x86_64 a static address; arm64 asks QEMU's DHCP server (the same
	# 10.0.2.15), so nbd= at boot waits for the lease (net_wait_address).
	local ip="ip=10.0.2.15/24,10.0.2.2"
	[[ $cur_name == arm64* ]] && ip="ip=dhcp"
	KERNEL_EXTRA="$ip nbd=10.0.2.100:10809/swap swap=nbd0 nbd.timeout=12"
	KERNEL_EXTRA+=" kunit.expect=nbd.swap:nbd0,nbd.fs:10.0.2.100:10810,swap.size:$(( ${cur_mem%M} * 3 / 2 ))M,nbd.timeout:12"
	[[ $ip == ip=dhcp ]] && KERNEL_EXTRA+=",net.dhcp:1"
	export KERNEL_EXTRA
}
# After the run: the swap header is still mkswap's, the ext2 image passes
# e2fsck and holds the file the suite wrote, byte for byte.
nbd_check() {
	local d="$O/e2e/$cur_name" magic got
	nbd_cleanup
	if ! log_has '^ *ok [0-9]* ext2_on_nbd_read_and_written$' "$1"; then
		[ "${GLOB:-*}" = "*" ] &&
			{ echo "swap_nbd did not pass its ext2 case"; return 1; }
		return 0
	fi
	magic=$(dd if="$d/swap.img" bs=1 skip=4086 count=10 2>/dev/null)
	[ "$magic" = SWAPSPACE2 ] ||
		{ echo "swap.img: the swap header's signature is gone (found '$magic')"; return 1; }
	e2fsck -fn "$d/fs.img" >/dev/null 2>&1 ||
		{ echo "e2fsck -fn finds fs.img inconsistent"; return 1; }
	got=$(debugfs -R "cat /written.txt" "$d/fs.img" 2>/dev/null)
	[ "$got" = "written over NBD" ] ||
		{ echo "fs.img: /written.txt holds '$got', not 'written over NBD'"; return 1; }
	echo "ok   the swap header is mkswap's; fs.img is clean and holds what the guest wrote"
}

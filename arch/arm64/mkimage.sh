#!/usr/bin/env bash
# arch/arm64/mkimage.sh OBJCOPY NM kernel.elf Image - make the Linux arm64
# Image: the ELF's loadable bytes from the header on (objcopy -O binary),
# with the header's image_size field (offset 16, little-endian) set to the
# memory the kernel needs from its first byte to _kernel_end, BSS included.
set -euo pipefail
objcopy=$1 nm=$2 elf=$3 out=$4

"$objcopy" -O binary "$elf" "$out.tmp"
head=$("$nm" "$elf" | awk '$3 == "_head" { print $1 }')
end=$("$nm" "$elf" | awk '$3 == "_kernel_end" { print $1 }')
[ -n "$head" ] && [ -n "$end" ] || { echo "mkimage: _head or _kernel_end missing" >&2; exit 1; }
size=$(( 0x$end - 0x$head ))
magic=$(od -An -tx1 -j56 -N4 "$out.tmp" | tr -d ' \n')
[ "$magic" = 41524d64 ] || { echo "mkimage: no ARM\\x64 magic at offset 56 of the image" >&2; exit 1; }
bytes=""
for i in 0 1 2 3 4 5 6 7; do
	bytes+=$(printf '\\x%02x' $(( (size >> (8 * i)) & 0xff )))
done
printf "$bytes" | dd of="$out.tmp" bs=1 seek=16 conv=notrunc status=none
mv "$out.tmp" "$out"

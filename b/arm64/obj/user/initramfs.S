	.section .initramfs, "a"
	.balign 4
	.incbin "/work/wt/slow/b/arm64/initramfs.cpio"

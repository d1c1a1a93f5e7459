	.section .initramfs, "a"
	.balign 4
	.incbin "/work/wt/slow/b/x86_64/initramfs.cpio"

/*
 * arch/arm64/dtbs.S - the project's Raspberry Pi device trees (compiled by
 * dtc from the .dts files in arch/arm64/board/ at build time), linked into the kernel
 * read-only as test inputs: tests/kernel/arm64_board_test.c feeds them to
 * the device tree parser and board_probe(), which is how the Pi 4 paths
 * are tested without a Pi 4 emulator.
 */
	.section .rodata
	.balign	8
	.global	arm64_dtb_rpi3, arm64_dtb_rpi3_end, arm64_dtb_rpi4, arm64_dtb_rpi4_end
arm64_dtb_rpi3:
	.incbin	"rpi3.dtb"
arm64_dtb_rpi3_end:
	.balign	8
arm64_dtb_rpi4:
	.incbin	"rpi4.dtb"
arm64_dtb_rpi4_end:

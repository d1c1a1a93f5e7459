# arch/arm64/build.mk - how the arm64 kernel is compiled, linked and packed.
# Debian's aarch64-linux-gnu cross gcc with freestanding flags; entry code
# is GNU as (.S, run through the C preprocessor).
CROSS    := aarch64-linux-gnu-
KCC      := $(CROSS)gcc
KLD      := $(CROSS)ld
KNM      := $(CROSS)nm
KOBJCOPY := $(CROSS)objcopy
KCFLAGS := $(COMMON_CFLAGS) -ffreestanding -fno-stack-protector -fno-pic \
	-fno-pie -mgeneral-regs-only -mcmodel=small -mno-outline-atomics \
	-mbranch-protection=none -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -fno-strict-aliasing -mfix-cortex-a53-835769 \
	-Iarch/arm64/include -nostdinc \
	-isystem $(shell $(KCC) -print-file-name=include 2>/dev/null)
KLDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 \
	-z noexecstack --no-warn-rwx-segments --fix-cortex-a53-843419
# The Raspberry Pi 3's Cortex-A53 has two errata that compiled code can
# meet (Arm's A53 errata notice): 835769 (a multiply-accumulate after a
# load or store can give a wrong result), avoided by the compiler
# (-mfix-cortex-a53-835769, a nop between them), and 843419 (an ADRP at
# the end of a 4 KiB page can make the following load or store use a
# wrong address), avoided by the linker (--fix-cortex-a53-843419: such
# sequences are moved to a veneer). Linux links with both.
ARCH_SRCS := $(wildcard arch/arm64/*.c arch/arm64/board/*.c)
ARCH_ASM_SRCS := $(wildcard arch/arm64/*.S)

# Device trees built from the project's own sources (build/arm64/dtb/): test
# inputs (arch/arm64/dtbs.S links them into the kernel for
# tests/kernel/arm64_board_test.c) and QEMU raspi3b's -dtb (tools/qemu
# arm64 rpi3-dtb). A real Pi uses its firmware's tree instead.
DTB_DIR := $(O)/arm64/dtb
DTBS    := $(patsubst arch/arm64/board/%.dts,$(DTB_DIR)/%.dtb,$(wildcard arch/arm64/board/*.dts))

$(DTB_DIR)/%.dtb: arch/arm64/board/%.dts | $(call DEPS,build-arm64)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  DTC     $@")
	$(Q)dtc -q -I dts -O dtb -o $@ $<

$(KOBJ)/%.S.o: %.S $(DTBS) | $(call DEPS,build-arm64)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  AS      $<")
	$(Q)$(KCC) $(KCFLAGS) -D__ASSEMBLER__ -Wa,-I$(DTB_DIR) -c $< -o $@

# build/arm64/Image: the Linux arm64 Image (raw bytes, header patched with
# the image size). A Raspberry Pi's kernel8.img is the same bytes; the
# board is recognised at run time.
IMAGE := $(O)/arm64/Image
$(IMAGE): $(KELF) arch/arm64/mkimage.sh
	@$(if $(Q),echo "  IMAGE   $@")
	$(Q)bash arch/arm64/mkimage.sh $(KOBJCOPY) $(KNM) $< $@

RPI_BOOT = $(O)/arm64-$(1)/boot
$(O)/arm64-%/boot/kernel8.img: $(IMAGE)
	@mkdir -p $(dir $@)
	$(Q)cp $< $@
$(O)/arm64-%/boot/config.txt: arch/arm64/board/config.txt
	@mkdir -p $(dir $@)
	$(Q)cp $< $@
ARCH_IMAGES := $(IMAGE) $(DTBS) \
	$(foreach b,rpi3 rpi4,$(call RPI_BOOT,$(b))/kernel8.img $(call RPI_BOOT,$(b))/config.txt)

.PHONY: images
images: $(ARCH_IMAGES)

# `make ARCH=arm64 BOARD=rpi4 image`: one board's boot files.
ifeq ($(BOARD),virt)
image: $(IMAGE)
else
image: $(call RPI_BOOT,$(BOARD))/kernel8.img $(call RPI_BOOT,$(BOARD))/config.txt
	@echo "Copy $(call RPI_BOOT,$(BOARD))/kernel8.img and config.txt to the SD card's boot partition (docs/flash-raspberry-pi.md)."
endif

# `make ARCH=arm64 BOARD=rpi3|rpi4 sdimage RPI_FIRMWARE=DIR [SD_EXT2_MB=N]
# [SD_SWAP_MB=N]`: a whole card, build/arm64-BOARD/sd.img (tools/mksdimage:
# sfdisk + mtools, no root), and `make ARCH=arm64 BOARD=... flash
# DEV=/dev/sdX` writes it (tools/flash-sd: checks, then asks).
SDIMAGE = $(O)/arm64-$(BOARD)/sd.img
.PHONY: sdimage flash
sdimage: $(call RPI_BOOT,$(BOARD))/kernel8.img $(call RPI_BOOT,$(BOARD))/config.txt | $(call DEPS,sdimage)
	$(Q)bash tools/mksdimage $(BOARD) "$(RPI_FIRMWARE)" $(call RPI_BOOT,$(BOARD)) $(SDIMAGE) $(SD_EXT2_MB) $(SD_SWAP_MB)
flash:
	$(Q)bash tools/flash-sd $(SDIMAGE) "$(DEV)"

# arch/x86_64/build.mk - how the x86_64 kernel is compiled and linked.
# Native gcc with freestanding flags; the entry code is NASM.
KCC := gcc
KLD := ld
KNM := nm
KCFLAGS := $(COMMON_CFLAGS) -ffreestanding -fno-stack-protector -fno-pic \
	-fno-pie -mno-red-zone -mcmodel=kernel -mgeneral-regs-only \
	-fno-asynchronous-unwind-tables -fno-strict-aliasing \
	-Iarch/x86_64/include -nostdinc \
	-isystem $(shell gcc -print-file-name=include)
KLDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 \
	-z noexecstack --no-warn-rwx-segments
ARCH_SRCS := $(wildcard arch/x86_64/*.c)
ARCH_ASM_SRCS := $(wildcard arch/x86_64/*.asm)
ARCH_IMAGES :=

$(KOBJ)/%.asm.o: %.asm | $(call DEPS,build-x86_64)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  NASM    $<")
	$(Q)nasm -f elf64 -g -F dwarf -I arch/x86_64/ -o $@ $<

# One ISO for BIOS and UEFI: GRUB loads kernel.elf by multiboot2.
ISO := $(O)/x86_64/kernel.iso
$(ISO): $(KELF) iso/boot/grub/grub.cfg | $(call DEPS,iso)
	@echo "  ISO     $@"
	$(Q)rm -rf $(O)/x86_64/isodir && mkdir -p $(O)/x86_64/isodir
	$(Q)cp -r iso/. $(O)/x86_64/isodir/
	$(Q)cp $(KELF) $(O)/x86_64/isodir/boot/kernel.elf
	$(Q)grub-mkrescue -o $@ $(O)/x86_64/isodir >$(O)/x86_64/grub-mkrescue.log 2>&1 || \
		{ cat $(O)/x86_64/grub-mkrescue.log; exit 1; }

iso: $(ISO)

# The same ISO whose default entry runs the tests (for tools/run-tests).
$(O)/x86_64/kernel-test.iso: $(KELF) iso/boot/grub/grub.cfg | $(call DEPS,iso)
	@echo "  ISO     $@"
	$(Q)rm -rf $(O)/x86_64/isodir-test && mkdir -p $(O)/x86_64/isodir-test
	$(Q)cp -r iso/. $(O)/x86_64/isodir-test/
	$(Q)sed -i 's/^set default=0/set default=1/' $(O)/x86_64/isodir-test/boot/grub/grub.cfg
	$(Q)cp $(KELF) $(O)/x86_64/isodir-test/boot/kernel.elf
	$(Q)grub-mkrescue -o $@ $(O)/x86_64/isodir-test >$(O)/x86_64/grub-mkrescue-test.log 2>&1 || \
		{ cat $(O)/x86_64/grub-mkrescue-test.log; exit 1; }

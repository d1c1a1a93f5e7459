# user/build.mk - the user programs, their C library, and the initramfs
# archive the kernel carries (docs/user.md). Included from the Makefile
# after KOBJS is set: it adds the archive's object to the kernel link.
#
# Programs are static ELF executables (ET_EXEC, not PIE) linked at the
# usual 0x400000, symbols kept (the kernel's fault report names the
# function), built by the kernel's own toolchain for ARCH. They speak only
# Linux's system-call ABI, so the x86_64 ones also run on the host:
# `make user-host-check`.

UCC_x86_64 := gcc
UCC_arm64  := aarch64-linux-gnu-gcc
UCC_ARCHFLAGS_x86_64 :=
UCC_ARCHFLAGS_arm64  := -mbranch-protection=none -mno-outline-atomics
UCC     := $(UCC_$(ARCH))
UOUT    := $(O)/$(ARCH)/user
UCFLAGS := -std=gnu11 -O2 -g $(WARN) -Wno-unused-parameter -MMD -MP \
	-ffreestanding -fno-tree-loop-distribute-patterns -fno-stack-protector \
	-fno-pie -fno-asynchronous-unwind-tables $(UCC_ARCHFLAGS_$(ARCH)) \
	-nostdinc -isystem $(shell $(UCC) -print-file-name=include 2>/dev/null) \
	-Iuser/lib -Iuser/lib/arch/$(ARCH) -I$(UOUT)/gen -Iarch/$(ARCH)/include -I.
ULDFLAGS := -nostdlib -static -no-pie -Wl,-Ttext-segment=0x400000 \
	-Wl,-z,max-page-size=4096 -Wl,-z,noexecstack -Wl,--build-id=none

# The kernel's freestanding string and formatting code is the library's
# too (one implementation: string.c for mem*/str*, strutil.c for
# parse_u64, vsprintf.c for printf's formatting, random.c for struct prng);
# user/lib adds the rest.
ULIB_KSRCS := kernel/lib/string.c kernel/lib/strutil.c kernel/lib/vsprintf.c \
	      kernel/lib/random.c
ULIB_SRCS  := $(wildcard user/lib/*.c) $(ULIB_KSRCS) \
	      $(wildcard user/lib/arch/$(ARCH)/*.S)
ULIB_OBJS  := $(patsubst %,$(UOUT)/obj/%.o,$(ULIB_SRCS))
UPROGS     := $(patsubst user/bin/%.c,%,$(wildcard user/bin/*.c))
UBINS      := $(addprefix $(UOUT)/bin/,$(UPROGS))
UPROG_OBJS := $(patsubst %,$(UOUT)/obj/user/bin/%.c.o,$(UPROGS))
# Keep the objects (make would delete them as intermediates).
.SECONDARY: $(ULIB_OBJS) $(UPROG_OBJS)

$(UOUT)/obj/%.o: % | $(call DEPS,build-$(ARCH))
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  UCC     $<")
	$(Q)$(UCC) $(UCFLAGS) -c $< -o $@

# The system calls this arch's <arch/unistd.h> names, as a C table
# ({ number, "name" },) for sysfuzz: one source for the numbers.
# (In steps, not one pipe: a failed compiler must fail the rule, not leave
# an empty table behind.)
$(UOUT)/gen/syscall_names.h: arch/$(ARCH)/include/arch/unistd.h | $(call DEPS,build-$(ARCH))
	@mkdir -p $(dir $@)
	$(Q)$(UCC) -dM -E -x c $< -o $@.defs
	$(Q)awk '$$1 == "#define" && $$2 ~ /^__NR_/ && $$3 ~ /^[0-9]+$$/ \
		{ print "{ " $$3 ", \"" substr($$2, 6) "\" }," }' $@.defs | sort -n -k2 > $@.tmp
	$(Q)test -s $@.tmp || { echo "$@: no __NR_ numbers in $<" >&2; exit 1; }
	$(Q)rm -f $@.defs && mv $@.tmp $@
$(UOUT)/obj/user/bin/sysfuzz.c.o: $(UOUT)/gen/syscall_names.h

$(UOUT)/bin/%: $(UOUT)/obj/user/bin/%.c.o $(ULIB_OBJS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  ULD     $@")
	$(Q)$(UCC) $(ULDFLAGS) -o $@ $^ -lgcc

-include $(patsubst %.o,%.d,$(ULIB_OBJS) $(UPROG_OBJS))

.PHONY: user user-host-check
user: $(UBINS)

# The x86_64 programs run on this (x86_64 Linux) host: each must do what it
# says there too (user/host-check).
user-host-check:
	$(Q)$(MAKE) --no-print-directory ARCH=x86_64 user
	$(Q)bash user/host-check $(O)/x86_64/user/bin

# ---------------------------------------------------------------- initramfs
# build/<arch>/initramfs.cpio (newc, tools/mkcpio): /bin/<program> for each
# program above, /bin/busybox (Debian's busybox-static, fetched by
# tools/fetch-busybox into build/, never committed) and /bin/<applet> ->
# busybox for each applet busybox --list names (the amd64 build's list,
# for both arches). The kernel links it in section .initramfs (linker.ld:
# between __initramfs_start and __initramfs_end).
BUSYBOX_DIR := $(O)/$(ARCH)/busybox
INITRAMFS   := $(O)/$(ARCH)/initramfs.cpio
INITRAMFS_O := $(KOBJ)/user/initramfs.o

$(BUSYBOX_DIR)/applets: tools/fetch-busybox
	$(Q)bash tools/fetch-busybox $(ARCH) $(BUSYBOX_DIR)

$(INITRAMFS): $(UBINS) $(BUSYBOX_DIR)/applets tools/mkcpio
	@$(if $(Q),echo "  CPIO    $@")
	$(Q)rm -rf $(UOUT)/root && mkdir -p $(UOUT)/root/bin
	$(Q)cp $(UBINS) $(BUSYBOX_DIR)/busybox $(UOUT)/root/bin/
	$(Q)for a in $$(cat $(BUSYBOX_DIR)/applets); do \
		[ -e $(UOUT)/root/bin/$$a ] || ln -s busybox $(UOUT)/root/bin/$$a; done
	$(Q)python3 tools/mkcpio $(UOUT)/root > $@.tmp
	$(Q)mv $@.tmp $@

$(INITRAMFS_O): $(INITRAMFS) | $(call DEPS,build-$(ARCH))
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  INCBIN  $<")
	$(Q)printf '\t.section .initramfs, "a"\n\t.balign 4\n\t.incbin "%s"\n' \
		$(abspath $<) > $(@:.o=.S)
	$(Q)$(KCC) -c $(@:.o=.S) -o $@

KOBJS += $(INITRAMFS_O)

.PHONY: initramfs
initramfs: $(INITRAMFS)

# The mm teaching kernel: one Makefile for every architecture and the host.
#
#   make run            build and boot in QEMU to the mm> console
#   make test           host unit tests, then every boot configuration
#   make bench          benchmarks (figures go in docs/benchmarks.md)
#   make help           everything else
#
# ARCH=x86_64|arm64 (default x86_64), BOOT=direct|bios|uefi (x86_64),
# BOARD=virt|rpi3|rpi4 (arm64). V=1 shows the commands.

ARCH  ?= x86_64
BOOT  ?= direct
BOARD ?= virt
O     ?= build
V     ?= 0
ifeq ($(V),1)
Q :=
else
Q := @
endif

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:

# ---------------------------------------------------------------- packages
# tools/deps installs what a target needs when run as root, or prints the
# one apt-get line to run and stops. Each group is checked once per build.
DEPS = $(O)/.deps-$(1)
$(O)/.deps-%: tools/deps
	$(Q)mkdir -p $(O)
	$(Q)bash tools/deps $*
	$(Q)touch $@

# ---------------------------------------------------------------- sources
# Portable code: compiled into every kernel and (all but string.c) the host.
# mm/*_kthread.c is mm code that runs in a kernel thread or from a timer
# (a work item): kernel only (docs/conventions.md, "Kernel-only mm code").
# fs/ likewise: fs/*_kthread.c and fs/*_syscalls.c are kernel only; so are
# drivers/*/*_kthread.c (a driver's timers and threads).
KERNEL_ONLY_SRCS := $(wildcard mm/*_kthread.c fs/*_kthread.c fs/*_syscalls.c net/*_kthread.c \
			      drivers/*/*_kthread.c)
PORTABLE_SRCS := $(filter-out $(KERNEL_ONLY_SRCS), \
		 $(wildcard kernel/lib/*.c boot/*.c mm/*.c drivers/*/*.c \
			    net/*.c fs/*.c fs/*/*.c))
# tests/kernel/ARCH_*.c are one architecture's own suites.
ALL_ARCHES    := x86_64 arm64
KERNEL_TESTS  := $(filter-out $(foreach a,$(filter-out $(ARCH),$(ALL_ARCHES)),tests/kernel/$(a)_%), \
		 $(wildcard tests/kernel/*.c))
KERNEL_SRCS   := $(wildcard kernel/*.c) $(PORTABLE_SRCS) $(KERNEL_ONLY_SRCS) \
		 $(wildcard tests/suites/*.c) $(KERNEL_TESTS)
HOST_SRCS     := $(filter-out kernel/lib/string.c,$(PORTABLE_SRCS)) \
		 kernel/printk.c kernel/kunit.c kernel/cmdline.c kernel/sysctl.c \
		 $(wildcard tests/suites/*.c tests/host/*.c)

WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wmissing-prototypes \
	-Wstrict-prototypes -Wshadow -Wvla
COMMON_CFLAGS := -std=gnu11 -O2 -g $(WARN) -I. -MMD -MP \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-optimize-sibling-calls

KOBJ  := $(O)/$(ARCH)/obj
KELF  := $(O)/$(ARCH)/kernel.elf
include arch/$(ARCH)/build.mk
# The compiler's helper routines (e.g. popcount without a popcnt insn).
KLIBGCC = $(shell $(KCC) -print-libgcc-file-name)

# ---------------------------------------------------------------- kernel
KOBJS := $(patsubst %.c,$(KOBJ)/%.o,$(KERNEL_SRCS)) \
	 $(patsubst %,$(KOBJ)/%.o,$(ARCH_ASM_SRCS)) \
	 $(patsubst %.c,$(KOBJ)/%.o,$(ARCH_SRCS))

# The network stack: lwIP from Debian's source and our port (net/build.mk).
include net/build.mk

# The user programs and the initramfs the kernel links (user/build.mk).
include user/build.mk

$(KOBJ)/%.o: %.c | $(call DEPS,build-$(ARCH))
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(KCC) $(KCFLAGS) -c $< -o $@

$(O)/$(ARCH)/linker.ld: linker.ld | $(call DEPS,build-$(ARCH))
	@mkdir -p $(dir $@)
	$(Q)$(KCC) -E -P -x c -DARCH_$(ARCH) $< -o $@

# Symbols for backtraces. Pass 1 links with an empty table; tools/gensyms
# turns its symbols into a table placed after everything else, so no
# address moves in pass 2 (the link checks this).
$(KOBJ)/ksyms0.o: tools/gensyms | $(call DEPS,build-$(ARCH))
	@mkdir -p $(dir $@)
	$(Q)bash tools/gensyms /dev/null > $(KOBJ)/ksyms0.c
	$(Q)$(KCC) $(KCFLAGS) -c $(KOBJ)/ksyms0.c -o $@

$(KELF): $(KOBJS) $(KOBJ)/ksyms0.o $(O)/$(ARCH)/linker.ld tools/gensyms
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(KLD) $(KLDFLAGS) -T $(O)/$(ARCH)/linker.ld -o $@.pass1 $(KOBJS) $(KOBJ)/ksyms0.o $(KLIBGCC)
	$(Q)$(KNM) -n -S $@.pass1 | bash tools/gensyms - > $(KOBJ)/ksyms.c
	$(Q)$(KCC) $(KCFLAGS) -c $(KOBJ)/ksyms.c -o $(KOBJ)/ksyms.o
	$(Q)$(KLD) $(KLDFLAGS) -T $(O)/$(ARCH)/linker.ld -o $@ $(KOBJS) $(KOBJ)/ksyms.o $(KLIBGCC)
	$(Q)bash tools/gensyms --check $@.pass1 $@ $(KNM)
	$(Q)rm -f $@.pass1

-include $(KOBJS:.o=.d)

# ---------------------------------------------------------------- host
HCC    := gcc
HFLAGS := $(COMMON_CFLAGS) -Itests/host/include -DHOST_BUILD \
	  -fsanitize=address,undefined -fno-sanitize-recover=undefined
HOBJ   := $(O)/host/obj
HOBJS  := $(patsubst %.c,$(HOBJ)/%.o,$(HOST_SRCS))

$(HOBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTCC  $<")
	$(Q)$(HCC) $(HFLAGS) -c $< -o $@

$(O)/host/unit: $(HOBJS)
	@$(if $(Q),echo "  HOSTLD  $@")
	$(Q)$(HCC) $(HFLAGS) -o $@ $^ -lm

-include $(HOBJS:.o=.d)

# Benchmarks: optimised, no sanitizers (they would be measured too).
BENCH_FLAGS := $(COMMON_CFLAGS) -Itests/host/include -DHOST_BUILD -O2 -DNDEBUG
BENCH_SRCS  := $(filter-out kernel/lib/string.c,$(PORTABLE_SRCS)) \
	       kernel/printk.c kernel/cmdline.c tests/host/shim.c \
	       tests/host/host_mmu.c tests/host/host_mmu_contract.c tests/host/sleep.c
# Objects of their own (one .d each, so a header change rebuilds what
# uses it), shared by every bench.
BOBJ        := $(O)/host/benchobj
BENCH_OBJS  := $(patsubst %.c,$(BOBJ)/%.o,$(BENCH_SRCS))

$(BOBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  BENCHCC $<")
	$(Q)$(HCC) $(BENCH_FLAGS) -c $< -o $@

$(O)/host/bench-%: $(BOBJ)/tests/bench/%.o $(BENCH_OBJS)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  HOSTLD  $@")
	$(Q)$(HCC) $(BENCH_FLAGS) -o $@ $^ -lm -lpthread

BENCHES := $(patsubst tests/bench/%.c,$(O)/host/bench-%,$(wildcard tests/bench/*.c))
BENCH_MAIN_OBJS := $(patsubst tests/bench/%.c,$(BOBJ)/tests/bench/%.o,$(wildcard tests/bench/*.c))
# Kept (make deletes what only pattern rules name once it is used).
.SECONDARY: $(BENCH_OBJS) $(BENCH_MAIN_OBJS)

-include $(BENCH_OBJS:.o=.d) $(BENCH_MAIN_OBJS:.o=.d)

# ---------------------------------------------------------------- targets
.PHONY: all kernel host-test test test-mm run debug gdb iso bench bench-build clean help image plot-dirty

all: kernel

kernel: $(KELF) $(ARCH_IMAGES)

host-test: $(O)/host/unit
	$(Q)$(O)/host/unit

# `make test`: host tests, then every QEMU configuration of both arches.
test: $(call DEPS,test)
	$(Q)bash tools/run-tests all

# The page allocator's tests only (course labs).
test-mm: $(call DEPS,test)
	$(Q)bash tools/run-tests mm

run: kernel $(call DEPS,run-$(ARCH))
	$(Q)bash tools/qemu $(ARCH) $(if $(filter arm64,$(ARCH)),$(BOARD),$(BOOT)) run

debug: kernel $(call DEPS,run-$(ARCH)) $(call DEPS,debug)
	$(Q)bash tools/qemu $(ARCH) $(if $(filter arm64,$(ARCH)),$(BOARD),$(BOOT)) debug

gdb: $(call DEPS,debug)
	$(Q)O=$(O) bash tools/gdb $(ARCH)

bench-build: $(BENCHES)

# Boots an arch of tools/bench-nbd in make bench (its 50-boot hang count
# is run by hand: docs/benchmarks.md, "Swap over NBD").
NBD_BOOTS ?= 5

bench: $(BENCHES) | $(call DEPS,bench)
	$(Q)for b in $(BENCHES); do echo "== $$b"; $$b || exit 1; done
	$(Q)if [ -x tools/bench-qemu ]; then O=$(O) bash tools/bench-qemu; fi
	$(Q)if [ -x tools/bench-blk ]; then O=$(O) bash tools/bench-blk && \
		O=$(O) PAIR=yes bash tools/bench-blk; fi
	$(Q)if [ -x tools/bench-sd ]; then O=$(O) bash tools/bench-sd; fi
	$(Q)if [ -x tools/bench-linux ]; then O=$(O) bash tools/bench-linux; fi
	$(Q)if [ -x tools/bench-user ]; then O=$(O) python3 tools/bench-user; fi
	$(Q)if [ -x tools/bench-filemap ]; then O=$(O) python3 tools/bench-filemap; fi
	$(Q)if [ -x tools/bench-dirty ]; then O=$(O) python3 tools/bench-dirty; fi
	$(Q)if [ -x tools/bench-swap ]; then O=$(O) python3 tools/bench-swap; fi
	$(Q)if [ -x tools/bench-cma ]; then O=$(O) bash tools/bench-cma; fi
	$(Q)if [ -x tools/bench-nbd ]; then O=$(O) python3 tools/bench-nbd $(NBD_BOOTS) && \
		O=$(O) python3 tools/bench-nbd --arch arm64 $(NBD_BOOTS); fi

# The dirty-throttling plots (docs/mm/writeback.md): boots tools/bench-dirty
# on ARCH and draws its traces into $(O)/plot-dirty/; TRACE="FILE..."
# draws saved traces (wbt: lines) instead.
plot-dirty: $(call DEPS,plot)
	$(Q)O=$(O) python3 tools/plot-dirty $(if $(TRACE),--trace $(TRACE),$(ARCH))

clean:
	rm -rf $(O)

help:
	@sed -n '/^#/!q; s/^# \{0,1\}//p' Makefile
	@echo "Other targets: kernel, iso (x86_64), image and images (arm64), host-test,"
	@echo "test-mm, debug, gdb, fuzz, fuzz-replay, bench, plot-dirty, clean. README.md explains each."

# Fuzz targets (tests/fuzz) bring their own rules.
-include tests/fuzz/fuzz.mk

/*
 * boot/boot_info.c - what every boot protocol parser shares: resetting and
 * filling struct boot_info, bounded string copies, error reports, and the
 * boot-time log of what the loader said.
 */
#include "boot/boot_info.h"
#include "kernel/printk.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

void boot_info_reset(struct boot_info *bi, const char *protocol)
{
	uint64_t kstart = bi->kernel_start, kend = bi->kernel_end;

	memset(bi, 0, sizeof(*bi));
	bi->protocol = protocol;
	bi->kernel_start = kstart;
	bi->kernel_end = kend;
}

void boot_add_mem(struct boot_info *bi, uint64_t base, uint64_t size,
		  uint32_t type)
{
	if (size == 0)
		return;
	if (type < BOOT_MEM_USABLE || type > BOOT_MEM_BAD)
		type = BOOT_MEM_RESERVED;
	if (bi->nr_mem >= BOOT_MAX_MEM_RANGES) {
		bi->mem_dropped++;
		return;
	}
	bi->mem[bi->nr_mem].base = base;
	bi->mem[bi->nr_mem].size = size;
	bi->mem[bi->nr_mem].type = type;
	bi->nr_mem++;
}

struct boot_module *boot_add_module(struct boot_info *bi, uint64_t base,
				    uint64_t size)
{
	struct boot_module *m;

	if (bi->nr_modules >= BOOT_MAX_MODULES) {
		bi->modules_dropped++;
		return NULL;
	}
	m = &bi->modules[bi->nr_modules++];
	m->base = base;
	m->size = size;
	m->name[0] = '\0';
	return m;
}

bool boot_copy_str(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	size_t len = strnlen(src, srclen);
	bool cut = len >= dstlen;

	if (dstlen == 0)
		return len > 0;
	if (cut)
		len = dstlen - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return cut;
}

int boot_map_str(boot_map_fn map, uint64_t phys, char *dst, size_t dstlen,
		 bool *truncated)
{
	if (truncated)
		*truncated = false;
	if (dstlen == 0)
		return 0;
	for (size_t i = 0;; i++) {
		const char *c = phys + i >= phys ? map(phys + i, 1) : NULL;

		if (i == dstlen - 1) {
			/* dst is full: did the string end here? */
			dst[i] = '\0';
			if (truncated)
				*truncated = !c || *c != '\0';
			return 0;
		}
		if (!c) {
			dst[i] = '\0';
			return -1;
		}
		dst[i] = *c;
		if (*c == '\0')
			return 0;
	}
}

int boot_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		kvsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

const char *boot_mem_type_name(uint32_t type)
{
	switch (type) {
	case BOOT_MEM_USABLE:		return "usable";
	case BOOT_MEM_RESERVED:		return "reserved";
	case BOOT_MEM_ACPI_RECLAIMABLE:	return "ACPI data";
	case BOOT_MEM_ACPI_NVS:		return "ACPI NVS";
	case BOOT_MEM_BAD:		return "unusable";
	default:			return "unknown";
	}
}

/* "[mem 0x...-0x...]" as Linux prints a range: inclusive end. */
static void print_range(const char *who, uint64_t base, uint64_t size,
			const char *what)
{
	uint64_t last = size ? base + size - 1 : base;

	pr_info("%s: [mem 0x%016llx-0x%016llx] %s\n", who,
		(unsigned long long)base, (unsigned long long)last, what);
}

void boot_info_print(const struct boot_info *bi)
{
	const char *proto = bi->protocol ? bi->protocol : "unknown";
	uint64_t usable = 0;

	pr_info("boot: protocol %s%s%s\n", proto,
		bi->loader[0] ? ", loader " : "", bi->loader);
	pr_info("Command line: %s%s\n", bi->cmdline,
		bi->cmdline_truncated ? " (truncated)" : "");
	pr_info("%s: memory map from the boot loader (%u ranges):\n", proto,
		bi->nr_mem);
	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		const struct boot_mem_range *r = &bi->mem[i];

		print_range(proto, r->base, r->size,
			    boot_mem_type_name(r->type));
		if (r->type == BOOT_MEM_USABLE)
			usable += r->size;
	}
	if (bi->mem_dropped)
		pr_warn("%s: %u more ranges did not fit (BOOT_MAX_MEM_RANGES %d)\n",
			proto, bi->mem_dropped, BOOT_MAX_MEM_RANGES);
	pr_info("%s: %llu KiB usable\n", proto,
		(unsigned long long)(usable >> 10));
	for (unsigned int i = 0; i < bi->nr_modules; i++) {
		const struct boot_module *m = &bi->modules[i];

		pr_info("module %u: [mem 0x%016llx-0x%016llx]%s%s\n", i,
			(unsigned long long)m->base,
			(unsigned long long)(m->size ? m->base + m->size - 1
					     : m->base),
			m->name[0] ? " " : "", m->name);
	}
	if (bi->modules_dropped)
		pr_warn("boot: %u more modules did not fit (BOOT_MAX_MODULES %d)\n",
			bi->modules_dropped, BOOT_MAX_MODULES);
	if (bi->acpi_rsdp)
		pr_info("ACPI: RSDP 0x%016llx\n",
			(unsigned long long)bi->acpi_rsdp);
	if (bi->dtb)
		pr_info("DTB: 0x%016llx, %llu bytes\n",
			(unsigned long long)bi->dtb,
			(unsigned long long)bi->dtb_size);
	if (bi->dma_limit)
		pr_info("DMA: every device reaches below 0x%llx (the device "
			"tree's narrowest dma-ranges)\n",
			(unsigned long long)bi->dma_limit);
	if (bi->info_end > bi->info_start)
		print_range("boot", bi->info_start,
			    bi->info_end - bi->info_start, "boot information");
	if (bi->kernel_end > bi->kernel_start)
		print_range("boot", bi->kernel_start,
			    bi->kernel_end - bi->kernel_start, "kernel image");
}

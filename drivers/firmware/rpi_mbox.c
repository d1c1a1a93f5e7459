/*
 * drivers/firmware/rpi_mbox.c - the VideoCore mailbox: where it is, and
 * one property message there and back (the rules: rpi_mbox.h).
 *
 * Registers (BCM2835 ARM Peripherals; the same block on the BCM2837 and
 * BCM2711), from the mailbox base: mailbox 0 carries the VideoCore's
 * replies to the ARM, mailbox 1 the ARM's requests to the VideoCore.
 *	0x00 MBOX0 READ		pop the oldest reply (channel in bits 3-0)
 *	0x18 MBOX0 STATUS	bit 30 EMPTY: nothing to read
 *	0x20 MBOX1 WRITE	push a request
 *	0x38 MBOX1 STATUS	bit 31 FULL: no room to write
 */
#include "drivers/firmware/rpi_mbox.h"
#include "drivers/fdt/fdt.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include <arch/cpu.h>
#include <arch/machine.h>
#include <arch/mmio.h>
#include <arch/mmu.h>
#include <arch/page.h>

enum {
	MBOX0_READ = 0x00,
	MBOX0_STATUS = 0x18,
	MBOX1_WRITE = 0x20,
	MBOX1_STATUS = 0x38,
};
#define MBOX_FULL	BIT(31)
#define MBOX_EMPTY	BIT(30)
#define MBOX_REGS_SIZE	0x40

#define BUF_BYTES	512	/* RPI_PROP_MAX_TAGS tags of up to 4 words fit */

static struct rpi_mbox_loc loc;
static bool registered;
static void *regs;
static DEFINE_SPINLOCK(mbox_lock);
static unsigned long stray_replies;
/* Handed to the VideoCore: 16-byte alignment is the protocol's; a whole
 * number of cache lines of its own, so that invalidating it drops no one
 * else's data (64 bytes: the A53's and A72's line). */
static uint32_t dma_buf[BUF_BYTES / 4] __aligned(64);

/* The window of the mailbox's bus (fdt_dma_range): the entry that holds
 * physical 0, where the buffer lies (the first GiB). */
static int find_dma_range(const struct fdt *fdt, int node, struct rpi_mbox_loc *l,
			  char *err, size_t errlen)
{
	struct fdt_dma_range r;
	char why[96] = "";

	if (fdt_dma_range(fdt, node, &r, why, sizeof(why)) < 0) {
		ksnprintf(err, errlen, "rpi-mbox: %s", why[0] ? why :
			  "the mailbox's bus has bad #address-cells/#size-cells");
		return -EINVAL;
	}
	if (!r.translated) {
		l->dma_offset = RPI_MBOX_VC_DMA_OFFSET;
		l->dma_limit = 1ULL << 30;
		strlcpy(l->found_by, "device tree (no dma-ranges: bus = physical "
			"+ 0xc0000000 assumed)", sizeof(l->found_by));
		return 0;
	}
	if (r.cpu != 0) {
		ksnprintf(err, errlen, "rpi-mbox: no dma-ranges entry of the "
			  "mailbox's bus maps physical address 0");
		return -EINVAL;
	}
	l->dma_offset = r.bus;
	l->dma_limit = r.size;
	strlcpy(l->found_by, "device tree", sizeof(l->found_by));
	return 0;
}

int rpi_mbox_find_fdt(const struct fdt *fdt, struct rpi_mbox_loc *l,
		      char *err, size_t errlen)
{
	struct fdt_reg reg;
	int node = -1;

	memset(l, 0, sizeof(*l));
	do
		node = fdt_node_by_compatible(fdt, node, "brcm,bcm2835-mbox");
	while (node >= 0 && !fdt_node_is_enabled(fdt, node));
	if (node < 0)
		return -ENODEV;
	if (fdt_get_reg_phys(fdt, node, 0, &reg, err, errlen) < 0)
		return -EINVAL;
	if (reg.size < MBOX_REGS_SIZE) {
		ksnprintf(err, errlen, "rpi-mbox: the mailbox's reg is 0x%llx "
			  "bytes, less than its 0x%x of registers",
			  (unsigned long long)reg.size, MBOX_REGS_SIZE);
		return -EINVAL;
	}
	l->base = reg.base;
	return find_dma_range(fdt, node, l, err, errlen);
}

void rpi_mbox_register(const struct rpi_mbox_loc *l)
{
	loc = *l;
	registered = true;
}

const struct rpi_mbox_loc *rpi_mbox_location(void)
{
	return registered ? &loc : NULL;
}

static uint32_t rd(unsigned int reg)
{
	return readl((volatile char *)regs + reg);
}

/* Wait until the mailbox register reg has none of bits: 0 or -ETIMEDOUT. */
static int wait_clear(unsigned int reg, uint32_t bits, uint64_t deadline)
{
	while (rd(reg) & bits) {
		if (arch_clock_ns() > deadline)
			return -ETIMEDOUT;
		arch_cpu_relax();
	}
	return 0;
}

static int call_locked(unsigned int chan, uint32_t data, uint32_t *reply,
		       uint64_t timeout_ns, char *err, size_t errlen)
{
	uint64_t deadline = arch_clock_ns() + timeout_ns;

	if (!regs) {
		regs = ioremap(loc.base, MBOX_REGS_SIZE);
		if (!regs) {
			ksnprintf(err, errlen, "rpi-mbox: cannot map the "
				  "registers at 0x%llx", (unsigned long long)loc.base);
			return -EIO;
		}
	}
	if (wait_clear(MBOX1_STATUS, MBOX_FULL, deadline) < 0) {
		ksnprintf(err, errlen, "rpi-mbox: the VideoCore's mailbox stayed "
			  "full for %llu ms: the firmware is not reading it",
			  (unsigned long long)(timeout_ns / 1000000));
		return -ETIMEDOUT;
	}
	writel(data | chan, (volatile char *)regs + MBOX1_WRITE);
	for (;;) {
		uint32_t v;

		if (wait_clear(MBOX0_STATUS, MBOX_EMPTY, deadline) < 0) {
			ksnprintf(err, errlen, "rpi-mbox: no answer on channel %u "
				  "to 0x%08x within %llu ms", chan, data | chan,
				  (unsigned long long)(timeout_ns / 1000000));
			return -ETIMEDOUT;
		}
		v = rd(MBOX0_READ);
		if ((v & 0xf) == chan) {
			*reply = v;
			return 0;
		}
		stray_replies++;	/* another channel's (a late one): dropped */
	}
}

int rpi_mbox_call(unsigned int chan, uint32_t data, uint32_t *reply,
		  uint64_t timeout_ns, char *err, size_t errlen)
{
	int r;

	if (!registered) {
		ksnprintf(err, errlen, "rpi-mbox: no VideoCore mailbox");
		return -ENODEV;
	}
	if (chan > 15 || (data & 0xf)) {
		ksnprintf(err, errlen, "rpi-mbox: channel %u, data 0x%08x: not a "
			  "mailbox word", chan, data);
		return -EINVAL;
	}
	spin_lock(&mbox_lock);
	r = call_locked(chan, data, reply, timeout_ns, err, errlen);
	spin_unlock(&mbox_lock);
	return r;
}

int rpi_mbox_property(struct rpi_prop_msg *m, char *err, size_t errlen)
{
	phys_addr_t pa = virt_to_phys(dma_buf);
	uint64_t bus = pa + loc.dma_offset;
	uint32_t reply = 0;
	int r;

	if (!registered) {
		ksnprintf(err, errlen, "rpi-mbox: no VideoCore mailbox");
		return -ENODEV;
	}
	if (!m->finished || m->len > sizeof(dma_buf)) {
		ksnprintf(err, errlen, "rpi-mbox: message of %zu bytes %s", m->len,
			  m->finished ? "does not fit the 512-byte buffer" :
			  "not finished");
		return -EINVAL;
	}
	if (pa + sizeof(dma_buf) > loc.dma_limit || bus + sizeof(dma_buf) > (1ULL << 32)) {
		ksnprintf(err, errlen, "rpi-mbox: the buffer at physical 0x%llx "
			  "is outside what the VideoCore sees (below 0x%llx, bus "
			  "+ 0x%llx)", (unsigned long long)pa,
			  (unsigned long long)loc.dma_limit,
			  (unsigned long long)loc.dma_offset);
		return -EIO;
	}
	spin_lock(&mbox_lock);
	memcpy(dma_buf, m->buf, m->len);
	arch_dma_cache_clean_inval(dma_buf, sizeof(dma_buf));
	r = call_locked(RPI_MBOX_CHAN_PROP, (uint32_t)bus, &reply,
			RPI_MBOX_TIMEOUT_NS, err, errlen);
	arch_dma_cache_inval(dma_buf, sizeof(dma_buf));
	if (r == 0)
		memcpy(m->buf, dma_buf, m->len);
	spin_unlock(&mbox_lock);
	if (r < 0)
		return r;
	if ((reply & ~0xfU) != (uint32_t)bus) {
		ksnprintf(err, errlen, "rpi-mbox: the reply names buffer 0x%08x, "
			  "not ours at 0x%08x", reply & ~0xfU, (uint32_t)bus);
		return -EPROTO;
	}
	return rpi_prop_check(m, err, errlen);
}

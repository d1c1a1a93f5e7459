/*
 * drivers/firmware/rpi_mbox.h - the Raspberry Pi's VideoCore mailbox, and
 * the firmware queries made through it (the property channel). The
 * messages themselves are drivers/firmware/rpi_mbox_msg.h's.
 *
 * Where the mailbox is: the platform says, once, before kernel_main()
 * (arch/arm64/start.c: from the device tree's "brcm,bcm2835-mbox" node
 * with rpi_mbox_find_fdt(), else from the board's defaults) with
 * rpi_mbox_register(). Nothing registered (QEMU virt, x86_64): every call
 * returns -ENODEV and rpi_firmware_init() says nothing.
 *
 * The rules of a transfer (docs/drivers/rpi-mailbox.md):
 *   - the VideoCore reads the buffer by its bus address: physical +
 *     dma_offset (0xc0000000 on a Pi 3 and 4: the VideoCore's uncached
 *     alias of the ARM's RAM), from the soc node's dma-ranges;
 *   - the buffer is 16-byte aligned (the low 4 bits of the mailbox word
 *     are the channel) and lies in what dma-ranges covers (the first GiB);
 *   - the VideoCore does not see the ARM's caches: the buffer is cleaned
 *     and invalidated to the point of coherency before the write, and
 *     invalidated again before the reply is read (<arch/mmu.h>);
 *   - every wait is bounded (RPI_MBOX_TIMEOUT_NS): a firmware that never
 *     answers is an error, not a hang.
 * One transfer at a time (a spinlock); callers may be any thread, not an
 * interrupt handler. The transfer spins: up to the timeout, never sleeps.
 */
#ifndef DRIVERS_FIRMWARE_RPI_MBOX_H
#define DRIVERS_FIRMWARE_RPI_MBOX_H

#include "drivers/firmware/rpi_mbox_msg.h"
#include "kernel/types.h"

struct fdt;
struct boot_info;

#define RPI_MBOX_OFFSET		0xb880	/* from the peripheral base */
#define RPI_MBOX_VC_DMA_OFFSET	0xc0000000ULL	/* a Pi 3/4 without dma-ranges */
#define RPI_MBOX_TIMEOUT_NS	1000000000ULL	/* 1 s */

struct rpi_mbox_loc {
	phys_addr_t base;	/* CPU physical address of the registers */
	uint64_t dma_offset;	/* VideoCore bus address = physical + this */
	uint64_t dma_limit;	/* the VideoCore sees physical [0, dma_limit) */
	char found_by[64];	/* "device tree", "Raspberry Pi 3 defaults" */
};

/*
 * The mailbox of the device tree: an enabled node compatible with
 * "brcm,bcm2835-mbox", its reg translated to a physical address, and the
 * dma-ranges of its parent bus (the entry that maps physical 0; absent:
 * the Pi's 0xc0000000 for the first GiB, said in found_by). 0; -ENODEV
 * when there is no such node; -EINVAL with err when it is malformed.
 */
int rpi_mbox_find_fdt(const struct fdt *fdt, struct rpi_mbox_loc *loc,
		      char *err, size_t errlen);

/* Where the mailbox is (copied); maps its registers at the first call. */
void rpi_mbox_register(const struct rpi_mbox_loc *loc);
/* The registered location, or NULL. */
const struct rpi_mbox_loc *rpi_mbox_location(void);

/*
 * Send a finished message (rpi_prop_finish) on the property channel and
 * put the reply back in m->buf, then rpi_prop_check() it. 0; -ENODEV (no
 * mailbox), -ETIMEDOUT, -EIO (the buffer cannot be handed over), -EPROTO
 * (a malformed reply), each with err saying what happened.
 */
int rpi_mbox_property(struct rpi_prop_msg *m, char *err, size_t errlen);

/*
 * The raw mailbox: write data | chan (data's low 4 bits clear) and wait up
 * to timeout_ns for a reply on chan, put in *reply. Replies for other
 * channels or buffers meanwhile are dropped and counted. For the property
 * call above and for tests (a channel with no listener times out).
 */
int rpi_mbox_call(unsigned int chan, uint32_t data, uint32_t *reply,
		  uint64_t timeout_ns, char *err, size_t errlen);

/* What the firmware says about the board (rpi_firmware_query). */
struct rpi_firmware_info {
	uint32_t firmware_rev, board_model, board_rev;
	uint64_t serial;
	uint32_t arm_base, arm_size, vc_base, vc_size;
	uint32_t clock_uart, clock_emmc, clock_core, clock_emmc2;
	/* per item: 0 answered, -EOPNOTSUPP not known to this firmware,
	 * -EPROTO malformed (the message was read, this tag not) */
	int firmware_rev_err, board_model_err, board_rev_err, serial_err;
	int arm_err, vc_err, uart_err, emmc_err, core_err, emmc2_err;
};

/*
 * Every item above in one property message. 0 when the message went and
 * came back well formed (items may still each be unanswered: their *_err);
 * else the transfer's error, with err.
 */
int rpi_firmware_query(struct rpi_firmware_info *info, char *err, size_t errlen);

/* One clock's rate in Hz (RPI_CLOCK_*): 0, or an error with err. */
int rpi_firmware_clock_rate(uint32_t clock_id, uint32_t *hz, char *err,
			    size_t errlen);

/*
 * The platform's console UART has no clock of its own (the firmware set
 * its baud rate): fn reprograms it from the firmware's UART clock, once,
 * in rpi_firmware_init(). Set before kernel_main().
 */
void rpi_firmware_on_uart_clock(void (*fn)(uint32_t hz));

/*
 * At boot, after the allocators: query the firmware, print what it says
 * (firmware, board revision decoded, serial, ARM and VideoCore memory,
 * clocks), warn if its ARM memory is not the RAM the boot information
 * gave, and hand the UART clock to the hook above. A mailbox error is
 * printed and boot carries on. Nothing without a registered mailbox.
 */
void rpi_firmware_init(const struct boot_info *bi);

/* What the last rpi_firmware_init() read (for the console and tests). */
const struct rpi_firmware_info *rpi_firmware_boot_info(void);

#endif

/*
 * drivers/firmware/rpi_firmware.c - what the Raspberry Pi firmware says
 * about the board, asked in one property message, and the boot report
 * made of it (rpi_mbox.h).
 */
#include "boot/boot_info.h"
#include "drivers/firmware/rpi_mbox.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/printk.h"

static struct rpi_firmware_info boot_fw;
static void (*uart_clock_hook)(uint32_t hz);

struct item {
	uint32_t tag, arg;
	unsigned int words;
	int idx;
};

int rpi_firmware_query(struct rpi_firmware_info *info, char *err, size_t errlen)
{
	struct item it[] = {
		{ RPI_TAG_FIRMWARE_REV, 0, 1, 0 },
		{ RPI_TAG_BOARD_MODEL, 0, 1, 0 },
		{ RPI_TAG_BOARD_REV, 0, 1, 0 },
		{ RPI_TAG_BOARD_SERIAL, 0, 2, 0 },
		{ RPI_TAG_ARM_MEMORY, 0, 2, 0 },
		{ RPI_TAG_VC_MEMORY, 0, 2, 0 },
		{ RPI_TAG_CLOCK_RATE, RPI_CLOCK_UART, 2, 0 },
		{ RPI_TAG_CLOCK_RATE, RPI_CLOCK_EMMC, 2, 0 },
		{ RPI_TAG_CLOCK_RATE, RPI_CLOCK_CORE, 2, 0 },
		{ RPI_TAG_CLOCK_RATE, RPI_CLOCK_EMMC2, 2, 0 },
	};
	int *errs[] = {
		&info->firmware_rev_err, &info->board_model_err,
		&info->board_rev_err, &info->serial_err, &info->arm_err,
		&info->vc_err, &info->uart_err, &info->emmc_err,
		&info->core_err, &info->emmc2_err,
	};
	uint32_t buf[128], v[ARRAY_SIZE(it)][2];
	struct rpi_prop_msg m;
	int r;

	memset(info, 0, sizeof(*info));
	memset(v, 0, sizeof(v));
	rpi_prop_init(&m, buf, sizeof(buf));
	for (size_t i = 0; i < ARRAY_SIZE(it); i++)
		it[i].idx = rpi_prop_add(&m, it[i].tag, &it[i].arg,
					 it[i].tag == RPI_TAG_CLOCK_RATE, it[i].words);
	rpi_prop_finish(&m);
	r = rpi_mbox_property(&m, err, errlen);
	if (r < 0)
		return r;
	for (size_t i = 0; i < ARRAY_SIZE(it); i++) {
		*errs[i] = rpi_prop_get(&m, (unsigned int)it[i].idx, v[i],
					it[i].words, NULL, 0);
		/* A clock answer names the clock it is for. */
		if (!*errs[i] && it[i].tag == RPI_TAG_CLOCK_RATE && v[i][0] != it[i].arg)
			*errs[i] = -EPROTO;
	}
	info->firmware_rev = v[0][0];
	info->board_model = v[1][0];
	info->board_rev = v[2][0];
	info->serial = (uint64_t)v[3][1] << 32 | v[3][0];
	info->arm_base = v[4][0];
	info->arm_size = v[4][1];
	info->vc_base = v[5][0];
	info->vc_size = v[5][1];
	info->clock_uart = v[6][1];
	info->clock_emmc = v[7][1];
	info->clock_core = v[8][1];
	info->clock_emmc2 = v[9][1];
	return 0;
}

int rpi_firmware_clock_rate(uint32_t clock_id, uint32_t *hz, char *err,
			    size_t errlen)
{
	uint32_t buf[16], v[2];
	struct rpi_prop_msg m;
	int r;

	rpi_prop_init(&m, buf, sizeof(buf));
	rpi_prop_add(&m, RPI_TAG_CLOCK_RATE, &clock_id, 1, 2);
	rpi_prop_finish(&m);
	r = rpi_mbox_property(&m, err, errlen);
	if (r < 0)
		return r;
	r = rpi_prop_get(&m, 0, v, 2, err, errlen);
	if (r < 0)
		return r;
	if (v[0] != clock_id) {
		ksnprintf(err, errlen, "rpi-mbox: asked for clock %u, the reply "
			  "is for clock %u", clock_id, v[0]);
		return -EPROTO;
	}
	*hz = v[1];
	return 0;
}

void rpi_firmware_on_uart_clock(void (*fn)(uint32_t hz))
{
	uart_clock_hook = fn;
}

const struct rpi_firmware_info *rpi_firmware_boot_info(void)
{
	return &boot_fw;
}

static const char *why(int e)
{
	return e == -EOPNOTSUPP ? "not known to this firmware" : "malformed";
}

static void clock_str(char *buf, size_t len, const char *name, int e, uint32_t hz)
{
	if (e)
		ksnprintf(buf, len, "%s %s", name, why(e));
	else
		ksnprintf(buf, len, "%s %u Hz", name, hz);
}

/* "0x00000000-0x3bffffff (960 MiB)", or why there is none. */
static void range_str(char *buf, size_t len, int e, uint32_t base, uint32_t size)
{
	if (e)
		strlcpy(buf, why(e), len);
	else
		ksnprintf(buf, len, "0x%08x-0x%08llx (%u MiB)", base,
			  (unsigned long long)base + size - 1, size >> 20);
}

/* The usable range of the boot information that holds pa, or false. */
static bool boot_ram_at(const struct boot_info *bi, uint64_t pa,
			uint64_t *base, uint64_t *end)
{
	for (unsigned int i = 0; i < bi->nr_mem; i++) {
		const struct boot_mem_range *r = &bi->mem[i];

		if (r->type == BOOT_MEM_USABLE && pa >= r->base &&
		    pa < r->base + r->size) {
			*base = r->base;
			*end = r->base + r->size;
			return true;
		}
	}
	return false;
}

static void report_memory(const struct boot_info *bi,
			  const struct rpi_firmware_info *f)
{
	uint64_t fw_end = (uint64_t)f->arm_base + f->arm_size, base, end;

	if (f->arm_err || !f->arm_size)
		return;
	if (!boot_ram_at(bi, f->arm_base, &base, &end))
		pr_warn("rpi: the firmware gives the ARM 0x%08x-0x%08llx, but the "
			"%s has no RAM at 0x%08x\n", f->arm_base,
			(unsigned long long)fw_end - 1, bi->protocol, f->arm_base);
	else if (base != f->arm_base || end != fw_end)
		pr_warn("rpi: the firmware gives the ARM 0x%08x-0x%08llx (%u MiB), "
			"but the %s says RAM 0x%08llx-0x%08llx (%llu MiB): the "
			"kernel uses the %s's\n", f->arm_base,
			(unsigned long long)fw_end - 1, f->arm_size >> 20,
			bi->protocol, (unsigned long long)base,
			(unsigned long long)end - 1,
			(unsigned long long)((end - base) >> 20), bi->protocol);
}

void rpi_firmware_init(const struct boot_info *bi)
{
	const struct rpi_mbox_loc *l = rpi_mbox_location();
	struct rpi_firmware_info *f = &boot_fw;
	char err[160], rev[128], serial[32], arm[48], vc[48];
	char uart[40], emmc[40], core[40], emmc2[48];

	if (!l)
		return;
	pr_info("rpi: mailbox at 0x%llx (%s), VideoCore bus address = "
		"physical + 0x%llx\n", (unsigned long long)l->base, l->found_by,
		(unsigned long long)l->dma_offset);
	if (rpi_firmware_query(f, err, sizeof(err)) < 0) {
		pr_err("%s; carrying on without the firmware's word\n", err);
		return;
	}
	if (f->board_rev_err)
		ksnprintf(rev, sizeof(rev), "board revision %s", why(f->board_rev_err));
	else if (rpi_board_rev_decode(f->board_rev, err, sizeof(err)))
		ksnprintf(rev, sizeof(rev), "board revision 0x%x (%s)", f->board_rev, err);
	else
		ksnprintf(rev, sizeof(rev), "board revision 0x%x (not decoded)",
			  f->board_rev);
	if (f->serial_err)
		strlcpy(serial, why(f->serial_err), sizeof(serial));
	else
		ksnprintf(serial, sizeof(serial), "0x%016llx",
			  (unsigned long long)f->serial);
	pr_info("rpi: firmware 0x%08x, %s, serial %s\n", f->firmware_rev, rev, serial);

	clock_str(uart, sizeof(uart), "UART", f->uart_err, f->clock_uart);
	clock_str(emmc, sizeof(emmc), "EMMC", f->emmc_err, f->clock_emmc);
	clock_str(core, sizeof(core), "core", f->core_err, f->clock_core);
	emmc2[0] = '\0';
	if (!f->board_rev_err && rpi_board_rev_is_bcm2711(f->board_rev)) {
		emmc2[0] = ',';
		emmc2[1] = ' ';
		clock_str(emmc2 + 2, sizeof(emmc2) - 2, "EMMC2", f->emmc2_err,
			  f->clock_emmc2);
	}
	range_str(arm, sizeof(arm), f->arm_err, f->arm_base, f->arm_size);
	range_str(vc, sizeof(vc), f->vc_err, f->vc_base, f->vc_size);
	pr_info("rpi: ARM memory %s, VideoCore %s; clocks: %s, %s, %s%s\n",
		arm, vc, uart, emmc, core, emmc2);
	report_memory(bi, f);
	if (uart_clock_hook && !f->uart_err && f->clock_uart)
		uart_clock_hook(f->clock_uart);
}

/*
 * tests/fuzz/rpi_mbox_fuzz.c - libFuzzer target for the Raspberry Pi
 * property replies (drivers/firmware/rpi_mbox_msg.h): what the VideoCore
 * writes back into the buffer is checked before it is read.
 *
 * The message is the boot report's (drivers/firmware/rpi_firmware.c: ten
 * tags, 200 bytes); the input overwrites its first bytes (a reply), the
 * rest stays the request. The buffer is a heap block of exactly the
 * message's size, so a read past it is an AddressSanitizer report. A
 * reply is refused as a whole or per tag with a message starting
 * "rpi-mbox: "; what is read was answered (bit 31), fits its buffer and
 * is as long as expected.
 *
 *	make fuzz FUZZ=rpi_mbox          (tests/fuzz/fuzz.mk)
 *
 * Seeds in tests/fuzz/corpus/rpi_mbox/: QEMU 7.2 raspi3b's reply, and
 * replies with a bad buffer code, an unanswered tag, a truncated one.
 */
#include "tests/fuzz/fuzz.h"
#include "drivers/firmware/rpi_mbox_msg.h"
#include "kernel/errno.h"

#include <stdlib.h>
#include <string.h>

static const struct { uint32_t tag, arg; unsigned int words; } tags[] = {
	{ RPI_TAG_FIRMWARE_REV, 0, 1 }, { RPI_TAG_BOARD_MODEL, 0, 1 },
	{ RPI_TAG_BOARD_REV, 0, 1 }, { RPI_TAG_BOARD_SERIAL, 0, 2 },
	{ RPI_TAG_ARM_MEMORY, 0, 2 }, { RPI_TAG_VC_MEMORY, 0, 2 },
	{ RPI_TAG_CLOCK_RATE, RPI_CLOCK_UART, 2 },
	{ RPI_TAG_CLOCK_RATE, RPI_CLOCK_EMMC, 2 },
	{ RPI_TAG_CLOCK_RATE, RPI_CLOCK_CORE, 2 },
	{ RPI_TAG_CLOCK_RATE, RPI_CLOCK_EMMC2, 2 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint32_t staging[128];
	struct rpi_prop_msg m;
	char err[160];
	uint32_t v[RPI_PROP_MAX_WORDS];
	int len, r;

	rpi_prop_init(&m, staging, sizeof(staging));
	for (unsigned int i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		CHECK(rpi_prop_add(&m, tags[i].tag, &tags[i].arg,
				   tags[i].tag == RPI_TAG_CLOCK_RATE, tags[i].words) == (int)i);
	len = rpi_prop_finish(&m);
	CHECK(len == 200);
	m.buf = malloc((size_t)len);
	CHECK(m.buf != NULL);
	memcpy(m.buf, staging, (size_t)len);
	memcpy(m.buf, data, size < (size_t)len ? size : (size_t)len);

	r = rpi_prop_check(&m, err, sizeof(err));
	if (r < 0) {
		CHECK(r == -EPROTO);
		CHECK(strncmp(err, "rpi-mbox: ", 10) == 0);
		CHECK(strlen(err) < sizeof(err) - 1);
		free(m.buf);
		return 0;
	}
	CHECK(m.buf[0] == (uint32_t)len && m.buf[1] == RPI_PROP_SUCCESS);
	for (unsigned int i = 0; i < m.nr_tags; i++) {
		const struct rpi_prop_tag *t = &m.tags[i];
		uint32_t code = m.buf[t->off / 4 + 2];

		r = rpi_prop_get(&m, i, v, tags[i].words, err, sizeof(err));
		if (r < 0) {
			CHECK(r == -EPROTO || r == -EOPNOTSUPP);
			CHECK(strncmp(err, "rpi-mbox: tag 0x", 16) == 0);
			CHECK(strlen(err) < sizeof(err) - 1);
			continue;
		}
		CHECK(code & RPI_PROP_TAG_RESPONSE);
		CHECK((code & ~RPI_PROP_TAG_RESPONSE) <= t->buf_bytes);
		CHECK((code & ~RPI_PROP_TAG_RESPONSE) >= t->want_bytes);
		CHECK(m.buf[t->off / 4] == t->id);
	}
	free(m.buf);
	return 0;
}

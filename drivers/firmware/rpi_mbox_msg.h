/*
 * drivers/firmware/rpi_mbox_msg.h - messages of the Raspberry Pi
 * firmware's mailbox property interface (channel 8), built and checked in
 * memory: no registers, no caches, so the host tests and the fuzz target
 * run it as the kernel does. drivers/firmware/rpi_mbox.h sends them.
 *
 * Written from the firmware's documentation ("Mailbox property interface",
 * raspberrypi/firmware wiki). A message is a buffer of 32-bit words in the
 * CPU's order (little-endian on both sides):
 *
 *	word 0	total size in bytes (header, tags, end tag)
 *	word 1	0 in a request; 0x80000000 in a reply (success) or
 *		0x80000001 (the firmware could not parse it: partial reply)
 *	then each tag:
 *	  +0	tag id
 *	  +4	size of its value buffer in bytes (request and reply share it)
 *	  +8	0 in a request; in a reply bit 31 set and bits 30-0 the
 *		length of the reply value in bytes
 *	  +12	the value buffer, padded to a multiple of 4
 *	then the end tag, 0.
 *
 * The contract:
 *   - rpi_prop_init() makes an empty message in the caller's buffer (cap
 *     bytes); rpi_prop_add() appends a tag (its request words, and how
 *     many reply bytes the caller expects: the value buffer is the larger
 *     of the two); rpi_prop_finish() writes the end tag and the size.
 *     They return -1 (and add nothing) when the buffer is full or the
 *     message has RPI_PROP_MAX_TAGS tags already.
 *   - The firmware (or a test) then rewrites the buffer in place.
 *   - rpi_prop_check() judges the whole reply: the size word as sent, the
 *     buffer's response code, every tag header where it was sent with the
 *     id and value size it was sent with (a reply cannot move or resize a
 *     tag), the end tag. It reads nothing past the size it wrote.
 *   - rpi_prop_get() then gives one tag's reply words: 0; -EOPNOTSUPP when
 *     the firmware did not answer it (bit 31 clear) or answered with no
 *     value (QEMU's way of saying it does not know the tag); -EPROTO when
 *     the reply is shorter than expected or longer than its buffer (the
 *     firmware truncated it).
 *   - Every failure writes one line to err naming what and where:
 *     "rpi-mbox: tag 0x00030002 (clock rate, UART) at offset 0x20: reply
 *     length 12 > value buffer 8 bytes (truncated)". err may be NULL.
 */
#ifndef DRIVERS_FIRMWARE_RPI_MBOX_MSG_H
#define DRIVERS_FIRMWARE_RPI_MBOX_MSG_H

#include "kernel/types.h"

#define RPI_MBOX_CHAN_PROP	8	/* property tags, ARM to VideoCore */

#define RPI_PROP_REQUEST	0x00000000U
#define RPI_PROP_SUCCESS	0x80000000U
#define RPI_PROP_ERROR		0x80000001U
#define RPI_PROP_TAG_RESPONSE	0x80000000U	/* bit 31 of a tag's code word */

#define RPI_PROP_MAX_TAGS	16
#define RPI_PROP_MAX_WORDS	4	/* request or reply words of one tag */

/* Tags this kernel asks for. */
#define RPI_TAG_FIRMWARE_REV	0x00000001U	/* -> u32 */
#define RPI_TAG_BOARD_MODEL	0x00010001U	/* -> u32 */
#define RPI_TAG_BOARD_REV	0x00010002U	/* -> u32 */
#define RPI_TAG_BOARD_SERIAL	0x00010004U	/* -> u64 (low word first) */
#define RPI_TAG_ARM_MEMORY	0x00010005U	/* -> base, size */
#define RPI_TAG_VC_MEMORY	0x00010006U	/* -> base, size */
#define RPI_TAG_CLOCK_RATE	0x00030002U	/* clock id -> clock id, Hz */

/* Clock ids of RPI_TAG_CLOCK_RATE. */
#define RPI_CLOCK_EMMC		1
#define RPI_CLOCK_UART		2
#define RPI_CLOCK_CORE		4
#define RPI_CLOCK_EMMC2		12	/* Pi 4's second SD controller */

struct rpi_prop_tag {
	uint32_t id;
	uint32_t arg;		/* first request word (a clock id), for messages */
	uint32_t off;		/* byte offset of the tag header */
	uint32_t buf_bytes;	/* its value buffer */
	uint32_t want_bytes;	/* reply bytes the caller needs */
};

struct rpi_prop_msg {
	uint32_t *buf;
	size_t cap;		/* bytes of buf */
	size_t len;		/* bytes written so far (the size word once finished) */
	bool finished;
	unsigned int nr_tags;
	struct rpi_prop_tag tags[RPI_PROP_MAX_TAGS];
};

void rpi_prop_init(struct rpi_prop_msg *m, uint32_t *buf, size_t cap);
/* Append a tag; returns its index (for rpi_prop_get) or -1. */
int rpi_prop_add(struct rpi_prop_msg *m, uint32_t tag, const uint32_t *req,
		 unsigned int nr_req, unsigned int reply_words);
/* End tag and size word; returns the message's size in bytes, or -1. */
int rpi_prop_finish(struct rpi_prop_msg *m);
/* Is the reply well formed as a whole? 0, or -EPROTO with err. */
int rpi_prop_check(const struct rpi_prop_msg *m, char *err, size_t errlen);
/* One tag's reply words (nr <= the reply_words it was added with). */
int rpi_prop_get(const struct rpi_prop_msg *m, unsigned int idx, uint32_t *out,
		 unsigned int nr, char *err, size_t errlen);

/* "board revision", "clock rate, UART", ...: for messages and the log. */
void rpi_prop_tag_name(uint32_t tag, uint32_t arg, char *buf, size_t len);
const char *rpi_clock_name(uint32_t clock_id);

/*
 * The board revision code, decoded where it is the new style (bit 23) of
 * the Pi 3 and Pi 4 families: "Raspberry Pi 3 Model B rev 1.2, 1 GiB,
 * Sony UK". Returns false, with buf untouched, for an old-style code or a
 * type, memory size or maker this kernel does not know: print it raw.
 */
bool rpi_board_rev_decode(uint32_t rev, char *buf, size_t len);
/* A BCM2711 (Pi 4 family) by a new-style code: it has EMMC2. */
bool rpi_board_rev_is_bcm2711(uint32_t rev);
/* The memory size the code claims, in MiB (0: not a new-style code). */
unsigned int rpi_board_rev_mem_mib(uint32_t rev);

#endif

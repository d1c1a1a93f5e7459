/*
 * drivers/firmware/rpi_mbox_msg.c - the property interface's messages:
 * built, then every word of the reply checked before one is believed
 * (the contract is in rpi_mbox_msg.h).
 */
#include "drivers/firmware/rpi_mbox_msg.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

#define HDR_BYTES	8	/* size word, code word */
#define TAG_HDR_BYTES	12	/* id, value size, code */

void rpi_prop_init(struct rpi_prop_msg *m, uint32_t *buf, size_t cap)
{
	memset(m, 0, sizeof(*m));
	m->buf = buf;
	m->cap = cap & ~(size_t)3;
	m->len = HDR_BYTES;
}

int rpi_prop_add(struct rpi_prop_msg *m, uint32_t tag, const uint32_t *req,
		 unsigned int nr_req, unsigned int reply_words)
{
	unsigned int words = nr_req > reply_words ? nr_req : reply_words;
	struct rpi_prop_tag *t;
	uint32_t *p;

	/* Room for this tag and, after it, the end tag. */
	if (m->finished || m->nr_tags >= RPI_PROP_MAX_TAGS || tag == 0 ||
	    words > RPI_PROP_MAX_WORDS ||
	    m->len + TAG_HDR_BYTES + 4 * words + 4 > m->cap)
		return -1;
	t = &m->tags[m->nr_tags];
	t->id = tag;
	t->arg = nr_req ? req[0] : 0;
	t->off = (uint32_t)m->len;
	t->buf_bytes = 4 * words;
	t->want_bytes = 4 * reply_words;
	p = m->buf + m->len / 4;
	p[0] = tag;
	p[1] = t->buf_bytes;
	p[2] = RPI_PROP_REQUEST;
	for (unsigned int i = 0; i < words; i++)
		p[3 + i] = i < nr_req ? req[i] : 0;
	m->len += TAG_HDR_BYTES + t->buf_bytes;
	return (int)m->nr_tags++;
}

int rpi_prop_finish(struct rpi_prop_msg *m)
{
	if (m->finished || m->len + 4 > m->cap)
		return -1;
	m->buf[m->len / 4] = 0;		/* the end tag */
	m->len += 4;
	m->buf[0] = (uint32_t)m->len;
	m->buf[1] = RPI_PROP_REQUEST;
	m->finished = true;
	return (int)m->len;
}

const char *rpi_clock_name(uint32_t clock_id)
{
	switch (clock_id) {
	case RPI_CLOCK_EMMC:	return "EMMC";
	case RPI_CLOCK_UART:	return "UART";
	case 3:			return "ARM";
	case RPI_CLOCK_CORE:	return "core";
	case RPI_CLOCK_EMMC2:	return "EMMC2";
	}
	return NULL;
}

void rpi_prop_tag_name(uint32_t tag, uint32_t arg, char *buf, size_t len)
{
	const char *clk;

	switch (tag) {
	case RPI_TAG_FIRMWARE_REV:	strlcpy(buf, "firmware revision", len); return;
	case RPI_TAG_BOARD_MODEL:	strlcpy(buf, "board model", len); return;
	case RPI_TAG_BOARD_REV:		strlcpy(buf, "board revision", len); return;
	case RPI_TAG_BOARD_SERIAL:	strlcpy(buf, "board serial", len); return;
	case RPI_TAG_ARM_MEMORY:	strlcpy(buf, "ARM memory", len); return;
	case RPI_TAG_VC_MEMORY:		strlcpy(buf, "VideoCore memory", len); return;
	case RPI_TAG_CLOCK_RATE:
		clk = rpi_clock_name(arg);
		if (clk)
			ksnprintf(buf, len, "clock rate, %s", clk);
		else
			ksnprintf(buf, len, "clock rate, clock %u", arg);
		return;
	}
	strlcpy(buf, "unknown tag", len);
}

/* "rpi-mbox: tag 0x00030002 (clock rate, UART) at offset 0x20: " + why */
static void tag_err(const struct rpi_prop_tag *t, char *err, size_t errlen,
		    const char *why)
{
	char name[40];

	if (!err)
		return;
	rpi_prop_tag_name(t->id, t->arg, name, sizeof(name));
	ksnprintf(err, errlen, "rpi-mbox: tag 0x%08x (%s) at offset 0x%x: %s",
		  t->id, name, t->off, why);
}

int rpi_prop_check(const struct rpi_prop_msg *m, char *err, size_t errlen)
{
	const uint32_t *b = m->buf;
	char why[96];

	if (err && errlen)
		err[0] = '\0';
	if (!m->finished) {
		if (err)
			ksnprintf(err, errlen, "rpi-mbox: the message was never finished");
		return -EPROTO;
	}
	/* The size word first: nothing below may trust a changed one. */
	if (b[0] != m->len) {
		if (err)
			ksnprintf(err, errlen, "rpi-mbox: reply size word %u at offset "
				  "0x0, but %zu bytes were sent%s", b[0], m->len,
				  b[0] > m->len ? " (would overrun the buffer)" : "");
		return -EPROTO;
	}
	if (b[1] != RPI_PROP_SUCCESS) {
		if (err)
			ksnprintf(err, errlen, "rpi-mbox: buffer response code "
				  "0x%08x at offset 0x4: %s", b[1],
				  b[1] == RPI_PROP_ERROR ?
				  "the firmware could not parse the request" :
				  b[1] == RPI_PROP_REQUEST ?
				  "still the request's: the firmware did not answer" :
				  "neither success (0x80000000) nor error (0x80000001)");
		return -EPROTO;
	}
	for (unsigned int i = 0; i < m->nr_tags; i++) {
		const struct rpi_prop_tag *t = &m->tags[i];
		const uint32_t *p = b + t->off / 4;

		if (p[0] != t->id) {
			ksnprintf(why, sizeof(why), "the reply has tag id 0x%08x "
				  "there", p[0]);
			tag_err(t, err, errlen, why);
			return -EPROTO;
		}
		if (p[1] != t->buf_bytes) {
			ksnprintf(why, sizeof(why), "value buffer size %u in the "
				  "reply, %u sent%s", p[1], t->buf_bytes,
				  p[1] > t->buf_bytes ? " (past the tag)" : "");
			tag_err(t, err, errlen, why);
			return -EPROTO;
		}
	}
	if (b[m->len / 4 - 1] != 0) {
		if (err)
			ksnprintf(err, errlen, "rpi-mbox: end tag missing at offset "
				  "0x%zx: 0x%08x", m->len - 4, b[m->len / 4 - 1]);
		return -EPROTO;
	}
	return 0;
}

int rpi_prop_get(const struct rpi_prop_msg *m, unsigned int idx, uint32_t *out,
		 unsigned int nr, char *err, size_t errlen)
{
	const struct rpi_prop_tag *t;
	uint32_t code, len;
	char why[96];

	if (err && errlen)
		err[0] = '\0';
	if (idx >= m->nr_tags) {
		if (err)
			ksnprintf(err, errlen, "rpi-mbox: no tag %u in the message "
				  "(%u tags)", idx, m->nr_tags);
		return -EPROTO;
	}
	t = &m->tags[idx];
	if (4 * nr > t->want_bytes) {
		ksnprintf(why, sizeof(why), "%u reply words asked, %u expected",
			  nr, t->want_bytes / 4);
		tag_err(t, err, errlen, why);
		return -EPROTO;
	}
	code = m->buf[t->off / 4 + 2];
	len = code & ~RPI_PROP_TAG_RESPONSE;
	if (!(code & RPI_PROP_TAG_RESPONSE)) {
		ksnprintf(why, sizeof(why), "not answered (code 0x%08x: response "
			  "bit 31 clear): the firmware does not know it", code);
		tag_err(t, err, errlen, why);
		return -EOPNOTSUPP;
	}
	if (len > t->buf_bytes) {
		ksnprintf(why, sizeof(why), "reply length %u > value buffer %u "
			  "bytes (truncated)", len, t->buf_bytes);
		tag_err(t, err, errlen, why);
		return -EPROTO;
	}
	if (len == 0 && t->want_bytes) {
		tag_err(t, err, errlen, "answered with no value: not supported "
			"by this firmware");
		return -EOPNOTSUPP;
	}
	if (len < t->want_bytes) {
		ksnprintf(why, sizeof(why), "reply length %u < %u expected",
			  len, t->want_bytes);
		tag_err(t, err, errlen, why);
		return -EPROTO;
	}
	for (unsigned int i = 0; i < nr; i++)
		out[i] = m->buf[t->off / 4 + 3 + i];
	return 0;
}

/*
 * New-style revision codes (bit 23 set), the firmware's documented
 * layout: bits 3-0 revision, 11-4 type, 15-12 processor, 19-16 maker,
 * 22-20 memory size (256 MiB << n).
 */
#define REV_NEW_STYLE	BIT(23)

static const char *rev_type(unsigned int type)
{
	switch (type) {
	case 0x08: return "Raspberry Pi 3 Model B";
	case 0x0a: return "Raspberry Pi Compute Module 3";
	case 0x0d: return "Raspberry Pi 3 Model B+";
	case 0x0e: return "Raspberry Pi 3 Model A+";
	case 0x10: return "Raspberry Pi Compute Module 3+";
	case 0x11: return "Raspberry Pi 4 Model B";
	case 0x12: return "Raspberry Pi Zero 2 W";
	case 0x13: return "Raspberry Pi 400";
	case 0x14: return "Raspberry Pi Compute Module 4";
	case 0x15: return "Raspberry Pi Compute Module 4S";
	}
	return NULL;
}

static const char *rev_maker(unsigned int m)
{
	static const char *const makers[] = {
		"Sony UK", "Egoman", "Embest", "Sony Japan", "Embest", "Stadium",
	};

	return m < ARRAY_SIZE(makers) ? makers[m] : NULL;
}

bool rpi_board_rev_is_bcm2711(uint32_t rev)
{
	return (rev & REV_NEW_STYLE) && ((rev >> 12) & 0xf) == 3;
}

unsigned int rpi_board_rev_mem_mib(uint32_t rev)
{
	unsigned int mem = (rev >> 20) & 7;

	if (!(rev & REV_NEW_STYLE) || mem > 5)	/* 6, 7: not made (yet) */
		return 0;
	return 256U << mem;
}

bool rpi_board_rev_decode(uint32_t rev, char *buf, size_t len)
{
	const char *type = rev_type((rev >> 4) & 0xff);
	const char *maker = rev_maker((rev >> 16) & 0xf);
	unsigned int mib = rpi_board_rev_mem_mib(rev);

	if (!(rev & REV_NEW_STYLE) || !type || !maker || !mib)
		return false;
	if (mib >= 1024)
		ksnprintf(buf, len, "%s rev 1.%u, %u GiB, %s", type, rev & 0xf,
			  mib / 1024, maker);
	else
		ksnprintf(buf, len, "%s rev 1.%u, %u MiB, %s", type, rev & 0xf,
			  mib, maker);
	return true;
}

/*
 * net/nbd_proto.c - the NBD client protocol: handshake state machine,
 * request encoding, simple-reply parsing and the table of requests in
 * flight. Contract in net/nbd_proto.h; the exchange drawn in
 * docs/net/nbd.md.
 *
 * Every input path gathers fixed-size fields byte-count by byte-count
 * (a field may arrive split across any number of TCP segments) into a
 * small buffer inside the object, so nothing here ever reads past what
 * the caller handed in, and lengths the server sends are checked before
 * they decide how many bytes to take.
 */
#include "net/nbd_proto.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

/* ------------------------------------------------------------ big-endian */

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, v >> 16);
	put_be16(p + 2, v);
}

static void put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, v >> 32);
	put_be32(p + 4, v);
}

static uint16_t get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)get_be16(p) << 16 | get_be16(p + 2);
}

static uint64_t get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

static bool is_pow2(uint32_t x)
{
	return x && !(x & (x - 1));
}

/* ---------------------------------------------------------------- errors */

static const struct {
	uint32_t nbd;
	int err;
	const char *name;
} nbd_errors[] = {
	{ NBD_EPERM,	 -EPERM,      "NBD_EPERM (Operation not permitted)" },
	{ NBD_EIO,	 -EIO,	      "NBD_EIO (Input/output error)" },
	{ NBD_ENOMEM,	 -ENOMEM,     "NBD_ENOMEM (Cannot allocate memory)" },
	{ NBD_EINVAL,	 -EINVAL,     "NBD_EINVAL (Invalid argument)" },
	{ NBD_ENOSPC,	 -ENOSPC,     "NBD_ENOSPC (No space left on device)" },
	{ NBD_EOVERFLOW, -EOVERFLOW,  "NBD_EOVERFLOW (Value too large)" },
	{ NBD_ENOTSUP,	 -EOPNOTSUPP, "NBD_ENOTSUP (Operation not supported)" },
	{ NBD_ESHUTDOWN, -ESHUTDOWN,  "NBD_ESHUTDOWN (Server is shutting down)" },
};

int nbd_error_to_errno(uint32_t nbd_error)
{
	if (nbd_error == 0)
		return 0;
	for (size_t i = 0; i < ARRAY_SIZE(nbd_errors); i++)
		if (nbd_errors[i].nbd == nbd_error)
			return nbd_errors[i].err;
	/* The spec: treat an unexpected value as NBD_EINVAL. */
	return -EINVAL;
}

const char *nbd_error_name(uint32_t nbd_error)
{
	for (size_t i = 0; i < ARRAY_SIZE(nbd_errors); i++)
		if (nbd_errors[i].nbd == nbd_error)
			return nbd_errors[i].name;
	return "unknown NBD error (taken as NBD_EINVAL)";
}

const char *nbd_cmd_name(uint16_t cmd)
{
	switch (cmd) {
	case NBD_CMD_READ:	return "NBD_CMD_READ";
	case NBD_CMD_WRITE:	return "NBD_CMD_WRITE";
	case NBD_CMD_DISC:	return "NBD_CMD_DISC";
	case NBD_CMD_FLUSH:	return "NBD_CMD_FLUSH";
	}
	return "NBD_CMD_?";
}

/* ------------------------------------------------------------- handshake */

/* Where inside an option reply (or the fallback's reply) the parser is. */
enum {
	PH_HEADER,	/* the 20-byte reply header (or the 18-byte greeting) */
	PH_INFO_TYPE,	/* NBD_REP_INFO: its 2-byte type */
	PH_INFO_BODY,	/* NBD_INFO_EXPORT or NBD_INFO_BLOCK_SIZE fields */
	PH_MESSAGE,	/* an error reply's text, as much as msg holds */
	PH_SKIP,	/* payload not needed: rep_left bytes */
	PH_EN_FIELDS,	/* fallback: size and flags */
	PH_EN_ZEROES,	/* fallback: 124 reserved bytes (rep_left) */
};

/* Fail the handshake; returns -1 so a step can `return hs_fail(...)`. */
static __printf(3, 4) int hs_fail(struct nbd_handshake *hs, int error,
				  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(hs->reason, sizeof(hs->reason), fmt, ap);
	va_end(ap);
	hs->error = error;
	hs->state = NBD_HS_FAILED;
	return -1;
}

/* Append to what is to be sent, dropping what already went. */
static void hs_out(struct nbd_handshake *hs, const void *p, uint32_t n)
{
	if (hs->out_sent) {
		memmove(hs->out, hs->out + hs->out_sent, hs->out_len - hs->out_sent);
		hs->out_len -= hs->out_sent;
		hs->out_sent = 0;
	}
	/* Sized for flags + NBD_OPT_GO + NBD_OPT_EXPORT_NAME + NBD_OPT_ABORT
	 * all unsent at once (a server that answers before it has heard). */
	if (n > sizeof(hs->out) - hs->out_len) {
		hs_fail(hs, -EPROTO, "internal: handshake output overflow");
		return;
	}
	memcpy(hs->out + hs->out_len, p, n);
	hs->out_len += n;
}

static void hs_option(struct nbd_handshake *hs, uint32_t option,
		      const void *data, uint32_t len)
{
	uint8_t h[16];

	put_be64(h, NBD_IHAVEOPT);
	put_be32(h + 8, option);
	put_be32(h + 12, len);
	hs_out(hs, h, sizeof(h));
	hs_out(hs, data, len);
	hs->option = option;
}

void nbd_handshake_init(struct nbd_handshake *hs, const char *name)
{
	memset(hs, 0, sizeof(*hs));
	hs->state = NBD_HS_GREETING;
	hs->phase = PH_HEADER;
	hs->name_len = strnlen(name, NBD_MAX_NAME);
	memcpy(hs->name, name, hs->name_len);
}

size_t nbd_handshake_output(const struct nbd_handshake *hs, const void **buf)
{
	*buf = hs->out + hs->out_sent;
	return hs->out_len - hs->out_sent;
}

void nbd_handshake_output_done(struct nbd_handshake *hs, size_t n)
{
	if (n > hs->out_len - hs->out_sent)
		n = hs->out_len - hs->out_sent;
	hs->out_sent += n;
}

/* The server's text, printable, for a reason string. */
static const char *hs_msg(struct nbd_handshake *hs)
{
	for (uint32_t i = 0; i < hs->msg_len; i++)
		if (hs->msg[i] < 0x20 || hs->msg[i] > 0x7e)
			hs->msg[i] = '?';
	hs->msg[hs->msg_len] = '\0';
	return hs->msg_len ? hs->msg : "(no message)";
}

static int hs_greeting(struct nbd_handshake *hs)
{
	uint64_t magic = get_be64(hs->field);
	uint64_t magic2 = get_be64(hs->field + 8);
	uint16_t flags = get_be16(hs->field + 16);
	uint8_t cflags[4], go[4 + NBD_MAX_NAME + 6];
	uint32_t n = 0;

	if (magic != NBDMAGIC)
		return hs_fail(hs, -EPROTO, "not an NBD server: stream offset 0 "
			       "holds 0x%016llx, not NBDMAGIC",
			       (unsigned long long)magic);
	if (magic2 == NBD_CLISERV_MAGIC)
		return hs_fail(hs, -EPROTO, "server speaks oldstyle negotiation "
			       "(cliserv_magic at stream offset 8), which this "
			       "client does not");
	if (magic2 != NBD_IHAVEOPT)
		return hs_fail(hs, -EPROTO, "stream offset 8: 0x%016llx is not "
			       "IHAVEOPT", (unsigned long long)magic2);
	if (!(flags & NBD_FLAG_FIXED_NEWSTYLE))
		return hs_fail(hs, -EPROTO, "server does not offer fixed newstyle "
			       "negotiation (handshake flags 0x%04x at stream "
			       "offset 16), which this client requires", flags);

	/* Unknown handshake flags are ignored, as the spec asks. */
	hs->no_zeroes = flags & NBD_FLAG_NO_ZEROES;
	put_be32(cflags, NBD_FLAG_C_FIXED_NEWSTYLE |
		 (hs->no_zeroes ? NBD_FLAG_C_NO_ZEROES : 0));
	hs_out(hs, cflags, sizeof(cflags));

	put_be32(go, hs->name_len);
	memcpy(go + 4, hs->name, hs->name_len);
	n = 4 + hs->name_len;
	put_be16(go + n, 2);			/* information requests */
	put_be16(go + n + 2, NBD_INFO_EXPORT);
	put_be16(go + n + 4, NBD_INFO_BLOCK_SIZE);
	hs_option(hs, NBD_OPT_GO, go, n + 6);
	hs->state = NBD_HS_REPLY;
	return 0;
}

/* The block sizes the server gave are what the spec says they MUST be. */
static bool hs_block_sizes_ok(struct nbd_handshake *hs)
{
	struct nbd_export *e = &hs->export;
	uint64_t floor;

	if (!e->block_size_given)
		return true;
	if (!is_pow2(e->min_block) || e->min_block > 65536) {
		hs_fail(hs, -EPROTO, "NBD_INFO_BLOCK_SIZE: minimum block size %u "
			"is not a power of 2 up to 65536", e->min_block);
		return false;
	}
	if (!is_pow2(e->pref_block) || e->pref_block < max(e->min_block, 512U)) {
		hs_fail(hs, -EPROTO, "NBD_INFO_BLOCK_SIZE: preferred block size "
			"%u is not a power of 2 at least max(minimum %u, 512)",
			e->pref_block, e->min_block);
		return false;
	}
	floor = min((uint64_t)e->pref_block, e->size);
	if (e->max_block != 0xffffffffU &&
	    (e->max_block % e->min_block || e->max_block < floor)) {
		hs_fail(hs, -EPROTO, "NBD_INFO_BLOCK_SIZE: maximum block size %u "
			"is not a multiple of the minimum %u at least %llu",
			e->max_block, e->min_block, (unsigned long long)floor);
		return false;
	}
	return true;
}

static void hs_defaults(struct nbd_export *e)
{
	/* The spec's choice for "a client desiring maximum interoperability". */
	e->min_block = 512;
	e->pref_block = 4096;
	e->max_block = 32U << 20;
	e->block_size_given = false;
}

static int hs_done(struct nbd_handshake *hs)
{
	if (!(hs->export.flags & NBD_FLAG_HAS_FLAGS))
		return hs_fail(hs, -EPROTO, "transmission flags 0x%04x lack "
			       "NBD_FLAG_HAS_FLAGS, which MUST be set",
			       hs->export.flags);
	if (!hs_block_sizes_ok(hs))
		return -1;
	if (!hs->export.block_size_given)
		hs_defaults(&hs->export);
	hs->state = NBD_HS_DONE;
	return 0;
}

/* The error reply (its text in msg) to our option. */
static int hs_error_reply(struct nbd_handshake *hs)
{
	static const struct {
		uint32_t type;
		int err;
		const char *what;
	} errs[] = {
		{ NBD_REP_ERR_UNKNOWN, -ENOENT, "NBD_REP_ERR_UNKNOWN: no such export" },
		{ NBD_REP_ERR_POLICY, -EACCES, "NBD_REP_ERR_POLICY: refused by the server's policy" },
		{ NBD_REP_ERR_TLS_REQD, -EACCES, "NBD_REP_ERR_TLS_REQD: the server wants TLS, which this client does not speak" },
		{ NBD_REP_ERR_INVALID, -EINVAL, "NBD_REP_ERR_INVALID: the server found the option invalid" },
		{ NBD_REP_ERR_PLATFORM, -EOPNOTSUPP, "NBD_REP_ERR_PLATFORM: not supported on the server's platform" },
		{ NBD_REP_ERR_SHUTDOWN, -ESHUTDOWN, "NBD_REP_ERR_SHUTDOWN: the server is shutting down" },
		{ NBD_REP_ERR_TOO_BIG, -E2BIG, "NBD_REP_ERR_TOO_BIG: request or reply too large" },
		{ NBD_REP_ERR_UNSUP, -EOPNOTSUPP, "NBD_REP_ERR_UNSUP: option unknown to the server" },
	};
	uint8_t abort_opt[1];
	const char *what = NULL;
	int err = -EIO;

	if (hs->rep_type == NBD_REP_ERR_UNSUP && hs->option == NBD_OPT_GO) {
		/*
		 * An old server (before NBD_OPT_GO): enter with the option
		 * every newstyle server has. It cannot report an error, and
		 * gives no block sizes: the defaults apply.
		 */
		hs->got_export = false;
		hs_option(hs, NBD_OPT_EXPORT_NAME, hs->name, hs->name_len);
		hs->state = NBD_HS_EXPORT_NAME;
		hs->phase = PH_EN_FIELDS;
		return 0;
	}
	if (hs->rep_type == NBD_REP_ERR_BLOCK_SIZE_REQD) {
		/* We asked for NBD_INFO_BLOCK_SIZE: the server MUST NOT. */
		return hs_fail(hs, -EPROTO, "option reply at stream offset %llu: "
			       "NBD_REP_ERR_BLOCK_SIZE_REQD though block sizes "
			       "were requested (%s)",
			       (unsigned long long)hs->rep_off, hs_msg(hs));
	}
	for (size_t i = 0; i < ARRAY_SIZE(errs); i++)
		if (errs[i].type == hs->rep_type) {
			what = errs[i].what;
			err = errs[i].err;
		}
	if (what)
		hs_fail(hs, err, "export '%s': %s (server says: %s)", hs->name,
			what, hs_msg(hs));
	else
		hs_fail(hs, err, "export '%s': unknown error reply 0x%08x "
			"(server says: %s)", hs->name, hs->rep_type, hs_msg(hs));
	/* The server answered politely: end with a soft disconnect. */
	hs_option(hs, NBD_OPT_ABORT, abort_opt, 0);
	return 0;
}

/* A whole 20-byte option reply header is in field. */
static int hs_reply_header(struct nbd_handshake *hs)
{
	uint64_t magic = get_be64(hs->field);
	uint32_t option = get_be32(hs->field + 8);
	unsigned long long off = hs->rep_off;

	hs->rep_type = get_be32(hs->field + 12);
	hs->rep_len = get_be32(hs->field + 16);
	hs->rep_left = hs->rep_len;
	if (magic != NBD_REP_MAGIC)
		return hs_fail(hs, -EPROTO, "option reply at stream offset %llu: "
			       "magic 0x%016llx is not NBD_REP_MAGIC", off,
			       (unsigned long long)magic);
	if (option != hs->option)
		return hs_fail(hs, -EPROTO, "option reply at stream offset %llu "
			       "answers option %u, but option %u was sent", off,
			       option, hs->option);
	if (hs->rep_len > NBD_MAX_OPT_REPLY)
		return hs_fail(hs, -EPROTO, "option reply at stream offset %llu: "
			       "length %u is over the %u this client accepts", off,
			       hs->rep_len, NBD_MAX_OPT_REPLY);
	if (hs->rep_type & NBD_REP_FLAG_ERROR) {
		hs->msg_len = 0;
		hs->phase = PH_MESSAGE;
		if (hs->rep_len == 0)
			hs_error_reply(hs);
		return 0;
	}
	switch (hs->rep_type) {
	case NBD_REP_ACK:
		if (hs->rep_len)
			return hs_fail(hs, -EPROTO, "NBD_REP_ACK at stream offset "
				       "%llu has length %u, not 0", off, hs->rep_len);
		if (!hs->got_export)
			return hs_fail(hs, -EPROTO, "NBD_REP_ACK at stream offset "
				       "%llu: NBD_OPT_GO acknowledged without "
				       "NBD_INFO_EXPORT", off);
		return hs_done(hs);
	case NBD_REP_INFO:
		if (hs->rep_len < 2)
			return hs_fail(hs, -EPROTO, "NBD_REP_INFO at stream offset "
				       "%llu has length %u, under 2", off, hs->rep_len);
		hs->phase = PH_INFO_TYPE;
		return 0;
	}
	hs_fail(hs, -EPROTO, "option reply at stream offset %llu: type %u is "
		"no answer to NBD_OPT_GO", off, hs->rep_type);
	return 0;
}

/* The NBD_INFO_* type arrived: how much of its payload to gather. */
static int hs_info_type(struct nbd_handshake *hs)
{
	hs->info_type = get_be16(hs->field);
	hs->rep_left -= 2;
	if (hs->info_type == NBD_INFO_EXPORT || hs->info_type == NBD_INFO_BLOCK_SIZE) {
		uint32_t want = hs->info_type == NBD_INFO_EXPORT ? 12 : 14;

		if (hs->rep_len != want)
			return hs_fail(hs, -EPROTO, "NBD_REP_INFO at stream offset "
				       "%llu: %s has length %u, not %u",
				       (unsigned long long)hs->rep_off,
				       hs->info_type == NBD_INFO_EXPORT ?
				       "NBD_INFO_EXPORT" : "NBD_INFO_BLOCK_SIZE",
				       hs->rep_len, want);
		hs->phase = PH_INFO_BODY;
		return 0;
	}
	/* NBD_INFO_NAME, _DESCRIPTION and unknown types: ignored. */
	hs->phase = PH_SKIP;
	return 0;
}

static void hs_info_body(struct nbd_handshake *hs)
{
	struct nbd_export *e = &hs->export;

	if (hs->info_type == NBD_INFO_EXPORT) {
		e->size = get_be64(hs->field);
		e->flags = get_be16(hs->field + 8);
		hs->got_export = true;
	} else {
		e->min_block = get_be32(hs->field);
		e->pref_block = get_be32(hs->field + 4);
		e->max_block = get_be32(hs->field + 8);
		e->block_size_given = true;
	}
	hs->rep_left = 0;
	hs->phase = PH_HEADER;
}

/*
 * Gather want bytes of a field from p[*used..len). True when complete
 * (then the gathering restarts from 0 for the next field).
 */
static bool hs_gather(struct nbd_handshake *hs, const uint8_t *p, size_t len,
		      size_t *used, uint32_t want)
{
	size_t n = min((size_t)(want - hs->have), len - *used);

	memcpy(hs->field + hs->have, p + *used, n);
	hs->have += n;
	*used += n;
	hs->rx_off += n;
	if (hs->have < want)
		return false;
	hs->have = 0;
	return true;
}

/* Skip up to rep_left bytes. True when none is left. */
static bool hs_skip(struct nbd_handshake *hs, size_t len, size_t *used)
{
	size_t n = min((size_t)hs->rep_left, len - *used);

	hs->rep_left -= n;
	*used += n;
	hs->rx_off += n;
	return hs->rep_left == 0;
}

size_t nbd_handshake_input(struct nbd_handshake *hs, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t used = 0;

	while (used < len && (hs->state == NBD_HS_GREETING ||
			      hs->state == NBD_HS_REPLY ||
			      hs->state == NBD_HS_EXPORT_NAME)) {
		if (hs->state == NBD_HS_GREETING) {
			if (hs_gather(hs, p, len, &used, 18))
				hs_greeting(hs);
			continue;
		}
		switch (hs->phase) {
		case PH_HEADER:
			if (hs->have == 0)
				hs->rep_off = hs->rx_off;
			if (hs_gather(hs, p, len, &used, 20))
				hs_reply_header(hs);
			break;
		case PH_INFO_TYPE:
			if (hs_gather(hs, p, len, &used, 2))
				hs_info_type(hs);
			break;
		case PH_INFO_BODY:
			if (hs_gather(hs, p, len, &used, hs->rep_left))
				hs_info_body(hs);
			break;
		case PH_MESSAGE: {
			/* Keep what fits of the text, skip the rest. */
			size_t n = min((size_t)hs->rep_left, len - used);
			size_t keep = min(n, sizeof(hs->msg) - 1 - hs->msg_len);

			memcpy(hs->msg + hs->msg_len, p + used, keep);
			hs->msg_len += keep;
			hs->rep_left -= n;
			used += n;
			hs->rx_off += n;
			if (hs->rep_left == 0)
				hs_error_reply(hs);
			break;
		}
		case PH_SKIP:
			if (hs_skip(hs, len, &used))
				hs->phase = PH_HEADER;
			break;
		case PH_EN_FIELDS:
			if (!hs_gather(hs, p, len, &used, 10))
				break;
			hs->export.size = get_be64(hs->field);
			hs->export.flags = get_be16(hs->field + 8);
			hs_defaults(&hs->export);
			hs->export.export_name_fallback = true;
			hs->rep_left = hs->no_zeroes ? 0 : 124;
			hs->phase = PH_EN_ZEROES;
			if (hs->rep_left == 0)
				hs_done(hs);
			break;
		case PH_EN_ZEROES:
			/* Reserved bytes: skipped, not checked. */
			if (hs_skip(hs, len, &used))
				hs_done(hs);
			break;
		}
	}
	return used;
}

void nbd_handshake_eof(struct nbd_handshake *hs)
{
	unsigned long long off = hs->rx_off;

	switch (hs->state) {
	case NBD_HS_GREETING:
		hs_fail(hs, -ENOTCONN, "server closed the connection at stream "
			"offset %llu, before the end of its greeting", off);
		break;
	case NBD_HS_REPLY:
		hs_fail(hs, -ENOTCONN, "server closed the connection at stream "
			"offset %llu while answering NBD_OPT_GO", off);
		break;
	case NBD_HS_EXPORT_NAME:
		hs_fail(hs, -ENOTCONN, "server closed the connection at stream "
			"offset %llu after NBD_OPT_EXPORT_NAME: it has no export "
			"'%s' or refused it (that option cannot answer with an "
			"error)", off, hs->name);
		break;
	default:
		break;
	}
}

/* ---------------------------------------------------------- transmission */

#define COOKIE_SLOT_BITS	16
#define COOKIE_SLOT_MASK	((1ULL << COOKIE_SLOT_BITS) - 1)
#define DISC_SLOT		COOKIE_SLOT_MASK	/* never a table index */

static __printf(2, 3) int conn_die(struct nbd_conn *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
	c->rx_state = NBD_RX_DEAD;
	return -EPROTO;
}

static uint64_t next_cookie(struct nbd_conn *c, uint64_t slot)
{
	c->generation++;
	return c->generation << COOKIE_SLOT_BITS | slot;
}

static void encode_request(uint8_t *hdr, uint16_t flags, uint16_t cmd,
			   uint64_t cookie, uint64_t offset, uint32_t length)
{
	put_be32(hdr, NBD_REQUEST_MAGIC);
	put_be16(hdr + 4, flags);
	put_be16(hdr + 6, cmd);
	put_be64(hdr + 8, cookie);
	put_be64(hdr + 16, offset);
	put_be32(hdr + 24, length);
}

/* Does the request fit the export? 0 or -errno; why says it in words. */
static int request_fits(const struct nbd_export *e, uint16_t cmd, uint16_t flags,
			uint64_t offset, uint32_t length, const char **why)
{
	if (flags & ~NBD_CMD_FLAG_FUA) {
		*why = "unknown command flag";
		return -EINVAL;
	}
	if ((flags & NBD_CMD_FLAG_FUA) && !(e->flags & NBD_FLAG_SEND_FUA)) {
		*why = "FUA, which the export does not offer";
		return -EOPNOTSUPP;
	}
	switch (cmd) {
	case NBD_CMD_FLUSH:
		if (offset || length) {
			*why = "a flush with an offset or length";
			return -EINVAL;
		}
		if (!(e->flags & NBD_FLAG_SEND_FLUSH)) {
			*why = "a flush, which the export does not offer";
			return -EOPNOTSUPP;
		}
		return 0;
	case NBD_CMD_WRITE:
		if (e->flags & NBD_FLAG_READ_ONLY) {
			*why = "a write to a read-only export";
			return -EROFS;
		}
		/* fall through */
	case NBD_CMD_READ:
		if (length == 0 || offset > e->size || length > e->size - offset) {
			*why = "empty, or beyond the end of the export";
			return -EINVAL;
		}
		if (offset % e->min_block || length % e->min_block) {
			*why = "not aligned to the minimum block size";
			return -EINVAL;
		}
		if (length > e->max_block) {
			*why = "longer than the maximum block size";
			return -EINVAL;
		}
		return 0;
	}
	*why = "unknown command";
	return -EINVAL;
}

int nbd_conn_init(struct nbd_conn *c, struct nbd_inflight *slots,
		  unsigned int nr_slots, const struct nbd_conn_ops *ops,
		  void *owner)
{
	memset(c, 0, sizeof(*c));
	if (!slots || nr_slots == 0 || nr_slots > NBD_MAX_INFLIGHT || !ops ||
	    !ops->read_data || !ops->complete)
		return -EINVAL;
	memset(slots, 0, nr_slots * sizeof(*slots));
	c->slots = slots;
	c->nr_slots = nr_slots;
	c->ops = ops;
	c->owner = owner;
	c->rx_state = NBD_RX_DEAD;	/* until nbd_conn_start */
	return 0;
}

int nbd_conn_start(struct nbd_conn *c, const struct nbd_handshake *hs)
{
	if (hs->state != NBD_HS_DONE)
		return -EINVAL;
	c->export = hs->export;
	c->started = true;
	c->disconnected = false;
	c->server_shutdown = false;
	c->reason[0] = '\0';
	c->rx_state = NBD_RX_HEADER;
	c->rx_off = hs->rx_off;
	c->have = 0;
	c->cur = NULL;
	c->have_last = false;
	for (unsigned int i = 0; i < c->nr_slots; i++) {
		struct nbd_inflight *r = &c->slots[i];
		const char *why;

		if (!r->priv)
			continue;
		r->resend = true;
		if (request_fits(&c->export, r->cmd, r->flags, r->offset,
				 r->length, &why)) {
			ksnprintf(c->reason, sizeof(c->reason), "after reconnecting, "
				  "%s of %u bytes at %llu no longer fits the "
				  "export: %s", nbd_cmd_name(r->cmd), r->length,
				  (unsigned long long)r->offset, why);
			return -EINVAL;
		}
	}
	return 0;
}

int nbd_conn_request(struct nbd_conn *c, uint16_t cmd, uint16_t flags,
		     uint64_t offset, uint32_t length, void *priv,
		     uint8_t hdr[NBD_REQUEST_SIZE], uint64_t *cookie)
{
	struct nbd_inflight *r = NULL;
	const char *why;
	int err;

	if (!c->started || c->rx_state == NBD_RX_DEAD)
		return -ENOTCONN;
	if (c->disconnected || c->server_shutdown)
		return -ESHUTDOWN;
	if (!priv || cmd == NBD_CMD_DISC)
		return -EINVAL;
	err = request_fits(&c->export, cmd, flags, offset, length, &why);
	if (err)
		return err;
	for (unsigned int i = 0; i < c->nr_slots; i++)
		if (!c->slots[i].priv) {
			r = &c->slots[i];
			break;
		}
	if (!r)
		return -EBUSY;
	r->priv = priv;
	r->cookie = next_cookie(c, r - c->slots);
	r->offset = offset;
	r->length = length;
	r->cmd = cmd;
	r->flags = flags;
	r->resend = false;
	c->nr_inflight++;
	encode_request(hdr, flags, cmd, r->cookie, offset, length);
	if (cookie)
		*cookie = r->cookie;
	return 0;
}

int nbd_conn_disconnect(struct nbd_conn *c, uint8_t hdr[NBD_REQUEST_SIZE])
{
	if (!c->started || c->rx_state == NBD_RX_DEAD)
		return -ENOTCONN;
	if (c->nr_inflight)
		return -EBUSY;
	if (c->disconnected)
		return -ESHUTDOWN;
	c->disconnected = true;
	encode_request(hdr, 0, NBD_CMD_DISC, next_cookie(c, DISC_SLOT), 0, 0);
	return 0;
}

struct nbd_inflight *nbd_conn_resend_next(struct nbd_conn *c,
					  uint8_t hdr[NBD_REQUEST_SIZE])
{
	if (!c->started || c->rx_state == NBD_RX_DEAD)
		return NULL;
	for (unsigned int i = 0; i < c->nr_slots; i++) {
		struct nbd_inflight *r = &c->slots[i];

		if (!r->priv || !r->resend)
			continue;
		r->resend = false;
		r->cookie = next_cookie(c, i);
		encode_request(hdr, r->flags, r->cmd, r->cookie, r->offset,
			       r->length);
		return r;
	}
	return NULL;
}

void *nbd_conn_abandon_next(struct nbd_conn *c)
{
	for (unsigned int i = 0; i < c->nr_slots; i++) {
		struct nbd_inflight *r = &c->slots[i];
		void *priv = r->priv;

		if (!priv)
			continue;
		if (r == c->cur && c->rx_state == NBD_RX_DATA)
			conn_die(c, "request abandoned while its data was "
				 "arriving (stream offset %llu)",
				 (unsigned long long)c->rx_off);
		memset(r, 0, sizeof(*r));
		c->nr_inflight--;
		return priv;
	}
	return NULL;
}

/* Free a finished request's slot and tell the caller. */
static void conn_complete(struct nbd_conn *c, struct nbd_inflight *r,
			  uint32_t nbd_error)
{
	void *priv = r->priv;

	memset(r, 0, sizeof(*r));
	c->nr_inflight--;
	c->ops->complete(c, priv, nbd_error_to_errno(nbd_error), nbd_error,
			 nbd_error ? nbd_error_name(nbd_error) : NULL);
}

/* What came before a bad header, which is often the real culprit. */
static const char *conn_context(struct nbd_conn *c, char *buf, size_t size)
{
	if (!c->have_last)
		return "";
	ksnprintf(buf, size, "; the reply before it, at stream offset %llu, "
		  "was for %s cookie 0x%llx", (unsigned long long)c->last_off,
		  nbd_cmd_name(c->last_cmd), (unsigned long long)c->last_cookie);
	return buf;
}

/* A whole simple reply header is in c->hdr. 0 or -EPROTO. */
static int conn_reply_header(struct nbd_conn *c)
{
	uint32_t magic = get_be32(c->hdr);
	uint32_t error = get_be32(c->hdr + 4);
	uint64_t cookie = get_be64(c->hdr + 8);
	uint64_t slot = cookie & COOKIE_SLOT_MASK;
	unsigned long long off = c->hdr_off;
	struct nbd_inflight *r;
	char ctx[120];

	if (magic == NBD_STRUCTURED_REPLY_MAGIC)
		return conn_die(c, "reply at stream offset %llu: a structured "
				"reply, which was never negotiated%s", off,
				conn_context(c, ctx, sizeof(ctx)));
	if (magic != NBD_SIMPLE_REPLY_MAGIC)
		return conn_die(c, "reply at stream offset %llu: magic 0x%08x is "
				"not NBD_SIMPLE_REPLY_MAGIC (0x%08x)%s", off, magic,
				NBD_SIMPLE_REPLY_MAGIC,
				conn_context(c, ctx, sizeof(ctx)));
	if (slot == DISC_SLOT && c->disconnected)
		return conn_die(c, "reply at stream offset %llu: cookie 0x%llx is "
				"NBD_CMD_DISC's, which has no reply", off,
				(unsigned long long)cookie);
	r = slot < c->nr_slots ? &c->slots[slot] : NULL;
	if (!r || !r->priv || r->resend || r->cookie != cookie)
		return conn_die(c, "reply at stream offset %llu: cookie 0x%llx is "
				"not in flight", off, (unsigned long long)cookie);
	c->have_last = true;
	c->last_cookie = cookie;
	c->last_cmd = r->cmd;
	c->last_off = off;
	if (error == NBD_ESHUTDOWN)
		c->server_shutdown = true;
	if (error || r->cmd != NBD_CMD_READ) {
		/* An error reply to a READ carries no data (the spec). */
		conn_complete(c, r, error);
		return 0;
	}
	c->cur = r;
	c->data_done = 0;
	c->rx_state = NBD_RX_DATA;
	return 0;
}

int nbd_conn_input(struct nbd_conn *c, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t used = 0;

	if (c->rx_state == NBD_RX_DEAD)
		return c->started ? -EPROTO : -ENOTCONN;
	while (used < len) {
		size_t n;

		if (c->rx_state == NBD_RX_HEADER) {
			if (c->have == 0)
				c->hdr_off = c->rx_off;
			n = min((size_t)(NBD_SIMPLE_REPLY_SIZE - c->have), len - used);
			memcpy(c->hdr + c->have, p + used, n);
			c->have += n;
			used += n;
			c->rx_off += n;
			if (c->have < NBD_SIMPLE_REPLY_SIZE)
				break;
			c->have = 0;
			if (conn_reply_header(c))
				return -EPROTO;
		} else if (c->rx_state == NBD_RX_DATA) {
			struct nbd_inflight *r = c->cur;

			n = min((size_t)(r->length - c->data_done), len - used);
			c->ops->read_data(c, r->priv, c->data_done, p + used, n);
			c->data_done += n;
			used += n;
			c->rx_off += n;
			if (c->data_done == r->length) {
				c->cur = NULL;
				c->rx_state = NBD_RX_HEADER;
				conn_complete(c, r, 0);
			}
		} else {
			/* A callback abandoned the request being read. */
			return -EPROTO;
		}
	}
	return 0;
}

int nbd_conn_eof(struct nbd_conn *c)
{
	unsigned int sent = 0;

	if (c->rx_state == NBD_RX_DEAD)
		return c->started ? -EPROTO : -ENOTCONN;
	for (unsigned int i = 0; i < c->nr_slots; i++)
		if (c->slots[i].priv && !c->slots[i].resend)
			sent++;
	if (c->rx_state == NBD_RX_HEADER && c->have == 0 && sent == 0 &&
	    c->disconnected) {
		c->rx_state = NBD_RX_DEAD;
		return 0;
	}
	c->rx_state = NBD_RX_DEAD;
	if (c->have)
		ksnprintf(c->reason, sizeof(c->reason), "server closed the "
			  "connection at stream offset %llu, %u bytes into a "
			  "reply header; %u requests in flight",
			  (unsigned long long)c->rx_off, c->have, sent);
	else if (c->cur)
		ksnprintf(c->reason, sizeof(c->reason), "server closed the "
			  "connection at stream offset %llu, %u of %u bytes into "
			  "the data for READ cookie 0x%llx; %u requests in flight",
			  (unsigned long long)c->rx_off, c->data_done,
			  c->cur->length, (unsigned long long)c->cur->cookie, sent);
	else
		ksnprintf(c->reason, sizeof(c->reason), "server closed the "
			  "connection at stream offset %llu with %u requests in "
			  "flight%s", (unsigned long long)c->rx_off, sent,
			  c->disconnected ? "" : " and no NBD_CMD_DISC sent");
	c->cur = NULL;
	return -ENOTCONN;
}

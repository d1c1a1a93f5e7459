/*
 * tests/suites/nbd_proto_test.c - net/nbd_proto, the NBD client protocol,
 * against recorded servers and made-up ones. Runs on the host and in the
 * kernel (short: no randomness here; the randomised runs are
 * tests/host/nbd_proto_model_test.c).
 *
 * - The recordings (tests/data/nbd_*.h, made by tools/record-nbd from
 *   qemu-nbd, nbdkit and nbd-server): played whole and byte by byte, the
 *   client must find the size, flags and block sizes the recorder found,
 *   complete every request with the recorded error and data, send exactly
 *   the bytes the recording client sent (handshake, headers, cookies,
 *   NBD_OPT_ABORT after a refusal), and see a clean end after
 *   NBD_CMD_DISC. A wrong export name ends in -ENOENT.
 * - Made-up handshakes for every refusal and violation the recordings do
 *   not show, each with its errno and its reason.
 * - Requests the client must refuse before sending them.
 * - Replies that break the protocol: each a distinct -EPROTO, a reason
 *   naming what and where, and a dead connection that delivers nothing.
 * - Server errors mapped to errnos; NBD_ESHUTDOWN stops new requests.
 * - Reconnecting: requests in flight are resent with new cookies, old
 *   cookies are refused, a half-read READ starts again from 0.
 */
#include "kernel/kunit.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"
#include "net/nbd_proto.h"
#include "tests/suites/nbd_run.h"
#include "tests/data/nbd_qemu_nbd.h"
#include "tests/data/nbd_nbdkit.h"
#include "tests/data/nbd_nbd_server.h"

static const struct nbd_transcript *const transcripts[] = {
	&nbd_qemu_nbd_ok, &nbd_qemu_nbd_noexport,
	&nbd_nbdkit_ok, &nbd_nbdkit_noexport,
	&nbd_nbd_server_ok, &nbd_nbd_server_noexport,
};

static struct nbd_run run;	/* big: not on a kernel stack */

static void check_transcript(struct kunit *test, const struct nbd_transcript *t,
			     struct nbd_run *r)
{
	KUNIT_EXPECT_EQ(test, r->bad, 0U);
	if (r->bad)
		kunit_info(test, "%s: %s", t->name, r->bad_what);
	KUNIT_EXPECT_EQ(test, r->client_overflow, (size_t)0);
	/* The very bytes the recording client sent. */
	KUNIT_EXPECT_EQ(test, r->client_len, t->client_len);
	KUNIT_EXPECT_TRUE(test, r->client_len == t->client_len &&
			  memcmp(r->client, t->client, t->client_len) == 0);
	if (t->hs_error) {
		KUNIT_EXPECT_EQ(test, r->hs_state, (int)NBD_HS_FAILED);
		KUNIT_EXPECT_EQ(test, r->hs.error, t->hs_error);
		KUNIT_EXPECT_STR_CONTAINS(test, r->hs.reason, "NBD_REP_ERR_UNKNOWN");
		KUNIT_EXPECT_STR_CONTAINS(test, r->hs.reason, "no-such-export");
		return;
	}
	KUNIT_ASSERT_EQ(test, r->hs_state, (int)NBD_HS_DONE);
	KUNIT_EXPECT_EQ(test, r->hs.export.size, t->size);
	KUNIT_EXPECT_EQ(test, r->hs.export.flags, t->flags);
	KUNIT_EXPECT_EQ(test, r->hs.export.min_block, t->min_block);
	KUNIT_EXPECT_EQ(test, r->hs.export.pref_block, t->pref_block);
	KUNIT_EXPECT_EQ(test, r->hs.export.max_block, t->max_block);
	KUNIT_EXPECT_EQ(test, r->hs.export.block_size_given, t->block_size_given);
	KUNIT_EXPECT_FALSE(test, r->hs.export.export_name_fallback);
	for (unsigned int i = 0; i < NBD_RUN_MAX_OPS; i++) {
		const struct nbd_transcript_result *want = &t->ops[i];
		const struct nbd_run_result *got = &r->res[i];

		KUNIT_EXPECT_EQ(test, got->issued, want->issued);
		if (!want->issued)
			continue;
		KUNIT_EXPECT_TRUE(test, got->done);
		KUNIT_EXPECT_EQ(test, got->nbd_error, want->nbd_error);
		KUNIT_EXPECT_EQ(test, got->error, nbd_error_to_errno(want->nbd_error));
		KUNIT_EXPECT_EQ(test, got->fnv, want->fnv);
	}
	/* The read-back of the write is the pattern; the read past the end
	 * failed (every server says so, each in its own words). */
	for (uint32_t b = 0; b < 512; b++)
		if (r->res[1].data[b] != nbd_run_pattern(b)) {
			KUNIT_FAIL(test, "%s: byte %u read back wrong", t->name, b);
			break;
		}
	KUNIT_EXPECT_LT(test, r->res[4].error, 0);
	KUNIT_EXPECT_TRUE(test, r->disc_sent);
	KUNIT_EXPECT_EQ(test, r->conn_error, 0);
	KUNIT_EXPECT_EQ(test, r->server_used, t->server_len);
}

static void recorded_servers_whole(struct kunit *test)
{
	for (size_t i = 0; i < ARRAY_SIZE(transcripts); i++) {
		const struct nbd_transcript *t = transcripts[i];

		nbd_run_stream(&run, t->export_name, t->server, t->server_len, NULL);
		check_transcript(test, t, &run);
	}
}

static void recorded_servers_byte_by_byte(struct kunit *test)
{
	struct prng prng;
	struct nbd_chunker one = { .prng = &prng, .max = 1 };

	prng_seed(&prng, 1);
	for (size_t i = 0; i < ARRAY_SIZE(transcripts); i++) {
		const struct nbd_transcript *t = transcripts[i];

		nbd_run_stream(&run, t->export_name, t->server, t->server_len, &one);
		check_transcript(test, t, &run);
	}
}

/* ------------------------------------------------------------ handshakes */

static struct nbd_handshake hs;

/* Feed s to a fresh handshake for "swap", answering nothing. */
static void feed(struct nbd_bytes *s)
{
	nbd_handshake_init(&hs, "swap");
	nbd_handshake_input(&hs, s->b, s->n);
}

static uint32_t out_be32(size_t at)
{
	const void *o;
	size_t n = nbd_handshake_output(&hs, &o);
	const uint8_t *p = o;

	if (at + 4 > n)
		return 0xffffffff;
	return (uint32_t)p[at] << 24 | p[at + 1] << 16 | p[at + 2] << 8 | p[at + 3];
}

static void handshake_refuses_other_servers(struct kunit *test)
{
	struct nbd_bytes s = { .n = 0 };

	nb_be(&s, 0x4e42444d41474944ULL, 8);	/* one bit off */
	nb_be(&s, NBD_IHAVEOPT, 8);
	nb_be(&s, 1, 2);
	feed(&s);
	KUNIT_EXPECT_EQ(test, hs.error, -EPROTO);
	KUNIT_EXPECT_STR_CONTAINS(test, hs.reason, "not an NBD server");

	s.n = 0;
	nb_be(&s, NBDMAGIC, 8);
	nb_be(&s, NBD_CLISERV_MAGIC, 8);
	nb_be(&s, 0, 2);
	feed(&s);
	KUNIT_EXPECT_EQ(test, hs.error, -EPROTO);
	KUNIT_EXPECT_STR_CONTAINS(test, hs.reason, "oldstyle");

	s.n = 0;
	nb_greeting(&s, NBD_FLAG_NO_ZEROES);	/* newstyle, not fixed */
	feed(&s);
	KUNIT_EXPECT_EQ(test, hs.error, -EPROTO);
	KUNIT_EXPECT_STR_CONTAINS(test, hs.reason, "fixed newstyle");
	/* A protocol failure sends nothing more: a hard disconnect. */
	const void *o;

	KUNIT_EXPECT_EQ(test, nbd_handshake_output(&hs, &o), (size_t)0);
}

static void handshake_client_flags_follow_server(struct kunit *test)
{
	struct nbd_bytes s = { .n = 0 };

	nb_greeting(&s, NBD_FLAG_FIXED_NEWSTYLE);
	feed(&s);
	KUNIT_EXPECT_EQ(test, (int)hs.state, (int)NBD_HS_REPLY);
	KUNIT_EXPECT_EQ(test, out_be32(0), NBD_FLAG_C_FIXED_NEWSTYLE);
	KUNIT_EXPECT_EQ(test, out_be32(12), (uint32_t)NBD_OPT_GO);
	/* name length 4 "swap", 2 requests: EXPORT, BLOCK_SIZE */
	KUNIT_EXPECT_EQ(test, out_be32(16), 4U + 4 + 2 + 4);

	s.n = 0;
	nb_greeting(&s, NBD_FLAG_FIXED_NEWSTYLE | NBD_FLAG_NO_ZEROES | 0x8000);
	feed(&s);
	KUNIT_EXPECT_EQ(test, out_be32(0),
			NBD_FLAG_C_FIXED_NEWSTYLE | NBD_FLAG_C_NO_ZEROES);
}

static void handshake_error_replies_map_to_errnos(struct kunit *test)
{
	static const struct {
		uint32_t type;
		int err;
		const char *says;
	} cases[] = {
		{ NBD_REP_ERR_UNKNOWN, -ENOENT, "no such export" },
		{ NBD_REP_ERR_POLICY, -EACCES, "policy" },
		{ NBD_REP_ERR_TLS_REQD, -EACCES, "TLS" },
		{ NBD_REP_ERR_INVALID, -EINVAL, "invalid" },
		{ NBD_REP_ERR_PLATFORM, -EOPNOTSUPP, "platform" },
		{ NBD_REP_ERR_SHUTDOWN, -ESHUTDOWN, "shutting down" },
		{ NBD_REP_ERR_TOO_BIG, -E2BIG, "too large" },
		{ NBD_REP_FLAG_ERROR | 77, -EIO, "0x8000004d" },
		{ NBD_REP_ERR_BLOCK_SIZE_REQD, -EPROTO, "BLOCK_SIZE_REQD" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct nbd_bytes s = { .n = 0 };
		const void *o;

		nb_greeting(&s, NBD_FLAG_FIXED_NEWSTYLE);
		nb_rep(&s, NBD_OPT_GO, cases[i].type, "go away\n", 8);
		feed(&s);
		KUNIT_EXPECT_EQ(test, (int)hs.state, (int)NBD_HS_FAILED);
		KUNIT_EXPECT_EQ(test, hs.error, cases[i].err);
		KUNIT_EXPECT_STR_CONTAINS(test, hs.reason, cases[i].says);
		if (cases[i].err == -EPROTO)
			continue;
		/* The server's text, made printable, and a soft disconnect. */
		KUNIT_EXPECT_STR_CONTAINS(test, hs.reason, "go away?");
		KUNIT_EXPECT_EQ(test, nbd_handshake_output(&hs, &o),
				(size_t)(4 + 16 + 4 + 4 + 6 + 16));
		KUNIT_EXPECT_EQ(test, out_be32(4 + 16 + 4 + 4 + 6 + 8),
				(uint32_t)NBD_OPT_ABORT);
	}
}

/* A message longer than the reason keeps: the rest is skipped, whole. */
static void handshake_long_error_message_is_skipped(struct kunit *test)
{
	static char text[600];
	struct nbd_bytes s = { .n = 0 };

	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = 'a' + i % 26;
	nb_greeting(&s, NBD_FLAG_FIXED_NEWSTYLE);
	nb_rep(&s, NBD_OPT_GO, NBD_REP_ERR_POLICY, text, sizeof(text));
	nb_rep(&s, NBD_OPT_ABORT, NBD_REP_ACK, NULL, 0);	/* not for hs */
	nbd_handshake_init(&hs, "swap");
	KUNIT_EXPECT_EQ(test, nbd_handshake_input(&hs, s.b, s.n), s.n - 20);
	KUNIT_EXPECT_EQ(test, hs.error, -EACCES);
	KUNIT_EXPECT_STR_CONTAINS(test, hs.reason, "server says: abcdefghij");
	KUNIT_EXPECT_EQ(test, hs.rx_off, (uint64_t)(s.n - 20));
}

/* An old server: NBD_OPT_GO unknown, NBD_OPT_EXPORT_NAME it is. */
static void handshake_falls_back_to_export_name(struct kunit *test)
{
	for (int zeroes = 0; zeroes < 2; zeroes++) {
		struct nbd_bytes s = { .n = 0 };
		uint8_t pad[124] = { 0 };
		const void *o;

		nb_greeting(&s, NBD_FLAG_FIXED_NEWSTYLE |
			    (zeroes ? 0 : NBD_FLAG_NO_ZEROES));
		nb_rep(&s, NBD_OPT_GO, NBD_REP_ERR_UNSUP, NULL, 0);
		feed(&s);
		KUNIT_EXPECT_EQ(test, (int)hs.state, (int)NBD_HS_EXPORT_NAME);
		/* flags, GO, then EXPORT_NAME "swap" */
		size_t go = 4 + 16 + 4 + 4 + 6;

		KUNIT_EXPECT_EQ(test, nbd_handshake_output(&hs, &o), go + 16 + 4);
		KUNIT_EXPECT_EQ(test, out_be32(go + 8), (uint32_t)NBD_OPT_EXPORT_NAME);
		KUNIT_EXPECT_EQ(test, out_be32(go + 12), 4U);
		s.n = 0;
		nb_be(&s, 1 << 20, 8);
		nb_be(&s, NBD_FLAG_HAS_FLAGS | NBD_FLAG_SEND_FLUSH, 2);
		if (zeroes)
			nb_put(&s, pad, sizeof(pad));
		KUNIT_EXPECT_EQ(test, nbd_handshake_input(&hs, s.b, s.n), s.n);
		KUNIT_EXPECT_EQ(test, (int)hs.state, (int)NBD_HS_DONE);
		KUNIT_EXPECT_EQ(test, hs.export.size, 1ULL << 20);
		KUNIT_EXPECT_TRUE(test, hs.export.export_name_fallback);
		KUNIT_EXPECT_FALSE(test, hs.export.block_size_given);
		KUNIT_EXPECT_EQ(test, hs.export.min_block, 512U);
		KUNIT_EXPECT_EQ(test, hs.export.max_block, 32U << 20);
	}
	/* That option cannot say "no such export": the server just closes. */
	struct nbd_bytes s = { .n = 0 };

	nb_greeting(&s, NBD_FLAG_FIXED_NEWSTYLE);
	nb_rep(&s, NBD_OPT_GO, NBD_REP_ERR_UNSUP, NULL, 0);
	feed(&s);
	nbd_handshake_eof(&hs);
	KUNIT_EXPECT_EQ(test, hs.error, -ENOTCONN);
	KUNIT_EXPECT_STR_CONTAINS(test, hs.reason, "no export 'swap'");
}

static void handshake_violations_are_eproto(struct kunit *test)
{
	struct nbd_bytes s;
	uint8_t name_info[6] = { 0, NBD_INFO_NAME, 's', 'w', 'a', 'p' };
	uint8_t short_info[11] = { 0, NBD_INFO_EXPORT };

	/* ACK with no NBD_INFO_EXPORT before it. */
	s.n = 0;
	nb_greeting(&s, NBD_FLAG_FIXED_NEWSTYLE);
	nb_rep(&s, NBD_OPT_GO, NBD_REP_ACK, NULL, 0);
	feed(&s);
	KUNIT_EXPECT_EQ(test, hs.error, -EPROTO);
	KUNIT_EXPECT_STR_CONTAINS(test, hs.reason, "without NBD_INFO_EXPORT");

	/* NBD_INFO_EXPORT one byte short. */
	s.n = 0;
	nb_greeting(&s, NBD_FLAG_FIXED_NEWSTYLE);
	nb_rep(&s, NBD_OPT_GO, NBD_REP_INFO, short_info, sizeof(short_info));
	feed(&s);
	KUNIT_EXPECT_EQ(test, hs.error, -EPROTO);
	KUNIT_EXPECT_STR_CONTAINS(test, hs.reason, "stream offset 18");

	/* A reply magic off, and a reply for another option. */
	s.n = 0;
	nb_greeting(&s, NBD_FLAG_FIXED_NEWSTYLE);
	nb_be(&s, NBD_REP_MAGIC + 1, 8);
	nb_be(&s, NBD_OPT_GO, 4);
	nb_be(&s, NBD_REP_ACK, 4);
	nb_be(&s, 0, 4);
	feed(&s);
	KUNIT_EXPECT_EQ(test, hs.error, -EPROTO);
	KUNIT_EXPECT_STR_CONTAINS(test, hs.reason, "not NBD_REP_MAGIC");
	s.n = 0;
	nb_greeting(&s, NBD_FLAG_FIXED_NEWSTYLE);
	nb_rep(&s, NBD_OPT_INFO, NBD_REP_ACK, NULL, 0);
	feed(&s);
	KUNIT_EXPECT_STR_CONTAINS(test, hs.reason, "answers option 6");

	/* Longer than any string the spec allows. */
	s.n = 0;
	nb_greeting(&s, NBD_FLAG_FIXED_NEWSTYLE);
	nb_be(&s, NBD_REP_MAGIC, 8);
	nb_be(&s, NBD_OPT_GO, 4);
	nb_be(&s, NBD_REP_INFO, 4);
	nb_be(&s, 1U << 31, 4);
	feed(&s);
	KUNIT_EXPECT_STR_CONTAINS(test, hs.reason, "length 2147483648");

	/* Block sizes the spec forbids: minimum 3, maximum not a multiple. */
	s.n = 0;
	nb_greeting(&s, NBD_FLAG_FIXED_NEWSTYLE);
	nb_info_export(&s, 1 << 20, NBD_FLAG_HAS_FLAGS);
	nb_info_block_size(&s, 3, 4096, 1 << 20);
	nb_rep(&s, NBD_OPT_GO, NBD_REP_ACK, NULL, 0);
	feed(&s);
	KUNIT_EXPECT_STR_CONTAINS(test, hs.reason, "minimum block size 3");
	s.n = 0;
	nb_greeting(&s, NBD_FLAG_FIXED_NEWSTYLE);
	nb_info_export(&s, 1 << 20, NBD_FLAG_HAS_FLAGS);
	nb_info_block_size(&s, 512, 4096, 1000000);
	nb_rep(&s, NBD_OPT_GO, NBD_REP_ACK, NULL, 0);
	feed(&s);
	KUNIT_EXPECT_STR_CONTAINS(test, hs.reason, "maximum block size 1000000");

	/* NBD_FLAG_HAS_FLAGS missing. */
	s.n = 0;
	nb_greeting(&s, NBD_FLAG_FIXED_NEWSTYLE);
	nb_info_export(&s, 1 << 20, NBD_FLAG_SEND_FLUSH);
	nb_rep(&s, NBD_OPT_GO, NBD_REP_ACK, NULL, 0);
	feed(&s);
	KUNIT_EXPECT_STR_CONTAINS(test, hs.reason, "NBD_FLAG_HAS_FLAGS");

	/* An info type this client does not use is skipped. */
	s.n = 0;
	nb_greeting(&s, NBD_FLAG_FIXED_NEWSTYLE);
	nb_rep(&s, NBD_OPT_GO, NBD_REP_INFO, name_info, sizeof(name_info));
	nb_info_export(&s, 1 << 20, NBD_FLAG_HAS_FLAGS);
	nb_rep(&s, NBD_OPT_GO, NBD_REP_ACK, NULL, 0);
	nb_be(&s, 0xdead, 2);			/* not the handshake's */
	nbd_handshake_init(&hs, "swap");
	KUNIT_EXPECT_EQ(test, nbd_handshake_input(&hs, s.b, s.n), s.n - 2);
	KUNIT_EXPECT_EQ(test, (int)hs.state, (int)NBD_HS_DONE);
	KUNIT_EXPECT_EQ(test, hs.rx_off, (uint64_t)(s.n - 2));
}

/* ---------------------------------------------------------- transmission */

struct rec {
	unsigned int completions, data_calls;
	void *last_priv;
	int last_error;
	uint32_t last_nbd_error;
	const char *last_reason;
	uint32_t data_bytes;
	uint8_t data[4096];
};

static void rec_data(struct nbd_conn *c, void *priv, uint32_t off,
		     const uint8_t *data, uint32_t len)
{
	struct rec *r = c->owner;

	r->data_calls++;
	r->data_bytes += len;
	if ((uint64_t)off + len <= sizeof(r->data))
		memcpy(r->data + off, data, len);
}

static void rec_complete(struct nbd_conn *c, void *priv, int error,
			 uint32_t nbd_error, const char *reason)
{
	struct rec *r = c->owner;

	r->completions++;
	r->last_priv = priv;
	r->last_error = error;
	r->last_nbd_error = nbd_error;
	r->last_reason = reason;
}

static const struct nbd_conn_ops rec_ops = {
	.read_data = rec_data,
	.complete = rec_complete,
};

static struct nbd_conn conn;
static struct nbd_inflight slots[4];
static struct rec rec;
static int tag[8];			/* distinct priv pointers */

#define FLAGS_ALL	(NBD_FLAG_HAS_FLAGS | NBD_FLAG_SEND_FLUSH | NBD_FLAG_SEND_FUA)

static void connect(struct kunit *test, uint16_t flags)
{
	memset(&rec, 0, sizeof(rec));
	KUNIT_ASSERT_TRUE(test, nbd_test_handshake(&hs, 1 << 20, flags, 512,
						   4096, 64 << 10));
	KUNIT_ASSERT_EQ(test, nbd_conn_init(&conn, slots, ARRAY_SIZE(slots),
					    &rec_ops, &rec), 0);
	KUNIT_ASSERT_EQ(test, nbd_conn_start(&conn, &hs), 0);
}

static uint64_t issue(struct kunit *test, uint16_t cmd, uint64_t off,
		      uint32_t len, void *priv)
{
	uint8_t hdr[NBD_REQUEST_SIZE];
	uint64_t cookie = 0;

	KUNIT_EXPECT_EQ(test, nbd_conn_request(&conn, cmd, 0, off, len, priv,
					       hdr, &cookie), 0);
	return cookie;
}

static int reply(uint32_t error, uint64_t cookie, uint32_t data_len)
{
	struct nbd_bytes s = { .n = 0 };

	nb_simple_reply(&s, error, cookie);
	for (uint32_t i = 0; i < data_len; i++)
		nb_be(&s, nbd_run_pattern(i), 1);
	return nbd_conn_input(&conn, s.b, s.n);
}

static void requests_are_checked_before_sending(struct kunit *test)
{
	uint8_t hdr[NBD_REQUEST_SIZE];
	int *p = &tag[0];

	KUNIT_ASSERT_TRUE(test, nbd_test_handshake(&hs, 1 << 20, NBD_FLAG_HAS_FLAGS |
						   NBD_FLAG_READ_ONLY, 512, 4096,
						   64 << 10));
	KUNIT_ASSERT_EQ(test, nbd_conn_init(&conn, slots, ARRAY_SIZE(slots),
					    &rec_ops, &rec), 0);
	KUNIT_EXPECT_EQ(test, nbd_conn_request(&conn, NBD_CMD_READ, 0, 0, 512, p,
					       hdr, NULL), -ENOTCONN);
	KUNIT_ASSERT_EQ(test, nbd_conn_start(&conn, &hs), 0);
	KUNIT_EXPECT_EQ(test, nbd_conn_request(&conn, NBD_CMD_WRITE, 0, 0, 512, p, hdr, NULL), -EROFS);
	KUNIT_EXPECT_EQ(test, nbd_conn_request(&conn, NBD_CMD_FLUSH, 0, 0, 0, p, hdr, NULL), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, nbd_conn_request(&conn, NBD_CMD_READ, NBD_CMD_FLAG_FUA, 0, 512, p, hdr, NULL), -EOPNOTSUPP);
	KUNIT_EXPECT_EQ(test, nbd_conn_request(&conn, NBD_CMD_READ, 0, 0, 0, p, hdr, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, nbd_conn_request(&conn, NBD_CMD_READ, 0, 100, 512, p, hdr, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, nbd_conn_request(&conn, NBD_CMD_READ, 0, 0, 128 << 10, p, hdr, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, nbd_conn_request(&conn, NBD_CMD_READ, 0, (1 << 20) - 512, 1024, p, hdr, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, nbd_conn_request(&conn, NBD_CMD_READ, 0, ~0ULL - 511, 1024, p, hdr, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, nbd_conn_request(&conn, NBD_CMD_READ, 2, 0, 512, p, hdr, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, nbd_conn_request(&conn, 9, 0, 0, 512, p, hdr, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, nbd_conn_request(&conn, NBD_CMD_DISC, 0, 0, 0, p, hdr, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, nbd_conn_request(&conn, NBD_CMD_READ, 0, 0, 512, NULL, hdr, NULL), -EINVAL);
	KUNIT_EXPECT_EQ(test, conn.nr_inflight, 0U);

	/* The table fills, then frees. Cookies: generation, slot. */
	connect(test, FLAGS_ALL);
	for (unsigned int i = 0; i < ARRAY_SIZE(slots); i++)
		KUNIT_EXPECT_EQ(test, issue(test, NBD_CMD_FLUSH, 0, 0, &tag[i]),
				(uint64_t)(i + 1) << 16 | i);
	KUNIT_EXPECT_EQ(test, nbd_conn_request(&conn, NBD_CMD_FLUSH, 0, 0, 0, p, hdr, NULL), -EBUSY);
	KUNIT_EXPECT_EQ(test, nbd_conn_disconnect(&conn, hdr), -EBUSY);
	KUNIT_EXPECT_EQ(test, reply(0, 3ULL << 16 | 2, 0), 0);
	KUNIT_EXPECT_PTR_EQ(test, rec.last_priv, (void *)&tag[2]);
	KUNIT_EXPECT_EQ(test, issue(test, NBD_CMD_WRITE, 4096, 512, p), 5ULL << 16 | 2);
}

static void request_header_is_the_wire_format(struct kunit *test)
{
	static const uint8_t want[NBD_REQUEST_SIZE] = {
		0x25, 0x60, 0x95, 0x13,		/* NBD_REQUEST_MAGIC */
		0x00, 0x01,			/* NBD_CMD_FLAG_FUA */
		0x00, 0x01,			/* NBD_CMD_WRITE */
		0, 0, 0, 0, 0, 1, 0, 0,		/* cookie: generation 1, slot 0 */
		0, 0, 0, 0, 0, 0x01, 0x20, 0x00, /* offset 0x12000 */
		0, 0, 0x10, 0x00,		/* length 4096 */
	};
	uint8_t hdr[NBD_REQUEST_SIZE];

	connect(test, FLAGS_ALL);
	KUNIT_ASSERT_EQ(test, nbd_conn_request(&conn, NBD_CMD_WRITE, NBD_CMD_FLAG_FUA,
					       0x12000, 4096, &tag[0], hdr, NULL), 0);
	KUNIT_EXPECT_EQ(test, memcmp(hdr, want, sizeof(want)), 0);
}

static void server_errors_map_to_errnos(struct kunit *test)
{
	static const struct {
		uint32_t nbd;
		int err;
	} map[] = {
		{ NBD_EPERM, -EPERM }, { NBD_EIO, -EIO }, { NBD_ENOMEM, -ENOMEM },
		{ NBD_EINVAL, -EINVAL }, { NBD_ENOSPC, -ENOSPC },
		{ NBD_EOVERFLOW, -EOVERFLOW }, { NBD_ENOTSUP, -EOPNOTSUPP },
		{ 4242, -EINVAL }, { NBD_ESHUTDOWN, -ESHUTDOWN },
	};
	uint8_t hdr[NBD_REQUEST_SIZE];

	connect(test, FLAGS_ALL);
	for (size_t i = 0; i < ARRAY_SIZE(map); i++) {
		/* A failed READ carries no data: the next header follows. */
		uint64_t ck = issue(test, NBD_CMD_READ, 0, 512, &tag[1]);

		KUNIT_EXPECT_EQ(test, reply(map[i].nbd, ck, 0), 0);
		KUNIT_EXPECT_EQ(test, rec.last_error, map[i].err);
		KUNIT_EXPECT_EQ(test, rec.last_nbd_error, map[i].nbd);
		KUNIT_EXPECT_NOT_NULL(test, rec.last_reason);
		KUNIT_EXPECT_EQ(test, nbd_error_to_errno(map[i].nbd), map[i].err);
	}
	KUNIT_EXPECT_EQ(test, rec.data_calls, 0U);
	KUNIT_EXPECT_STR_CONTAINS(test, nbd_error_name(NBD_ENOSPC), "NBD_ENOSPC");
	/* NBD_ESHUTDOWN: no new requests; the caller disconnects. */
	KUNIT_EXPECT_EQ(test, nbd_conn_request(&conn, NBD_CMD_FLUSH, 0, 0, 0,
					       &tag[1], hdr, NULL), -ESHUTDOWN);
	KUNIT_EXPECT_EQ(test, nbd_conn_disconnect(&conn, hdr), 0);
	KUNIT_EXPECT_EQ(test, nbd_conn_eof(&conn), 0);
}

/* Each violation: -EPROTO, its reason, and a dead connection. */
static void expect_dead(struct kunit *test, int ret, const char *why)
{
	unsigned int before = rec.completions;

	KUNIT_EXPECT_EQ(test, ret, -EPROTO);
	KUNIT_EXPECT_TRUE(test, nbd_conn_dead(&conn));
	KUNIT_EXPECT_STR_CONTAINS(test, nbd_conn_reason(&conn), why);
	/* Dead stays dead: later bytes deliver nothing. */
	KUNIT_EXPECT_EQ(test, reply(0, 1ULL << 16, 512), -EPROTO);
	KUNIT_EXPECT_EQ(test, rec.completions, before);
}

static void protocol_violations_kill_the_connection(struct kunit *test)
{
	struct nbd_bytes s = { .n = 0 };
	uint8_t hdr[NBD_REQUEST_SIZE];
	uint64_t ck, base;

	/* A bad magic, at its stream offset (the handshake counts). */
	connect(test, FLAGS_ALL);
	base = hs.rx_off;
	ck = issue(test, NBD_CMD_FLUSH, 0, 0, &tag[0]);
	KUNIT_EXPECT_EQ(test, reply(0, ck, 0), 0);
	nb_be(&s, 0x67446699, 4);
	nb_be(&s, 0, 12);
	expect_dead(test, nbd_conn_input(&conn, s.b, s.n),
		    "magic 0x67446699 is not NBD_SIMPLE_REPLY_MAGIC");
	KUNIT_EXPECT_TRUE(test, base == 104 && strstr(nbd_conn_reason(&conn),
						      "stream offset 120"));

	/* A structured reply, never negotiated. */
	connect(test, FLAGS_ALL);
	s.n = 0;
	nb_be(&s, NBD_STRUCTURED_REPLY_MAGIC, 4);
	nb_be(&s, 0, 12);
	expect_dead(test, nbd_conn_input(&conn, s.b, s.n), "structured reply");

	/* A cookie nobody sent; one whose request is already done; the
	 * right slot with the wrong generation. */
	connect(test, FLAGS_ALL);
	expect_dead(test, reply(0, 0x1234567890ULL, 0), "cookie 0x1234567890 is not in flight");
	connect(test, FLAGS_ALL);
	ck = issue(test, NBD_CMD_FLUSH, 0, 0, &tag[0]);
	KUNIT_EXPECT_EQ(test, reply(0, ck, 0), 0);
	expect_dead(test, reply(0, ck, 0), "not in flight");
	connect(test, FLAGS_ALL);
	ck = issue(test, NBD_CMD_FLUSH, 0, 0, &tag[0]);
	expect_dead(test, reply(0, ck + (1 << 16), 0), "not in flight");
	KUNIT_EXPECT_EQ(test, rec.completions, 0U);

	/* A reply to NBD_CMD_DISC, which has none. */
	connect(test, FLAGS_ALL);
	KUNIT_ASSERT_EQ(test, nbd_conn_disconnect(&conn, hdr), 0);
	expect_dead(test, reply(0, 1ULL << 16 | 0xffff, 0), "NBD_CMD_DISC");

	/* "A READ reply for a write": data after a WRITE's reply. Simple
	 * replies do not say what they answer, so it shows as the data
	 * failing the next magic check; the reason names the reply before. */
	connect(test, FLAGS_ALL);
	ck = issue(test, NBD_CMD_WRITE, 0, 512, &tag[0]);
	expect_dead(test, reply(0, ck, 512),
		    "the reply before it, at stream offset 104, was for NBD_CMD_WRITE");
	KUNIT_EXPECT_EQ(test, rec.completions, 1U);	/* the WRITE's own */
	KUNIT_EXPECT_EQ(test, nbd_conn_request(&conn, NBD_CMD_FLUSH, 0, 0, 0,
					       &tag[0], hdr, NULL), -ENOTCONN);
}

static void end_of_stream_is_judged(struct kunit *test)
{
	struct nbd_bytes s = { .n = 0 };
	uint8_t hdr[NBD_REQUEST_SIZE];
	uint64_t ck;

	connect(test, FLAGS_ALL);
	KUNIT_EXPECT_EQ(test, nbd_conn_eof(&conn), -ENOTCONN);
	KUNIT_EXPECT_STR_CONTAINS(test, nbd_conn_reason(&conn), "no NBD_CMD_DISC");

	connect(test, FLAGS_ALL);
	ck = issue(test, NBD_CMD_READ, 0, 1024, &tag[0]);
	nb_simple_reply(&s, 0, ck);
	nb_be(&s, 0, 8);
	KUNIT_EXPECT_EQ(test, nbd_conn_input(&conn, s.b, s.n), 0);
	KUNIT_EXPECT_EQ(test, nbd_conn_eof(&conn), -ENOTCONN);
	KUNIT_EXPECT_STR_CONTAINS(test, nbd_conn_reason(&conn), "8 of 1024 bytes");

	connect(test, FLAGS_ALL);
	issue(test, NBD_CMD_READ, 0, 1024, &tag[0]);
	KUNIT_EXPECT_EQ(test, nbd_conn_input(&conn, s.b, 5), 0);
	KUNIT_EXPECT_EQ(test, nbd_conn_eof(&conn), -ENOTCONN);
	KUNIT_EXPECT_STR_CONTAINS(test, nbd_conn_reason(&conn), "5 bytes into a reply header");

	connect(test, FLAGS_ALL);
	KUNIT_EXPECT_EQ(test, nbd_conn_disconnect(&conn, hdr), 0);
	KUNIT_EXPECT_EQ(test, nbd_conn_eof(&conn), 0);
}

static void reconnect_resends_what_was_in_flight(struct kunit *test)
{
	uint8_t hdr[NBD_REQUEST_SIZE];
	struct nbd_inflight *r;
	uint64_t old_read, old_write, seen = 0;
	struct nbd_bytes s = { .n = 0 };
	unsigned int resent = 0;

	connect(test, FLAGS_ALL);
	old_read = issue(test, NBD_CMD_READ, 4096, 1024, &tag[0]);
	old_write = issue(test, NBD_CMD_WRITE, 8192, 512, &tag[1]);
	/* Half the READ's data, then the connection breaks. */
	nb_simple_reply(&s, 0, old_read);
	for (int i = 0; i < 300; i++)
		nb_be(&s, 0xee, 1);
	KUNIT_EXPECT_EQ(test, nbd_conn_input(&conn, s.b, s.n), 0);
	KUNIT_EXPECT_EQ(test, rec.data_bytes, 300U);
	KUNIT_EXPECT_EQ(test, nbd_conn_eof(&conn), -ENOTCONN);
	KUNIT_EXPECT_NULL(test, nbd_conn_resend_next(&conn, hdr));

	/* A new connection, a new handshake: both go again, new cookies. */
	KUNIT_ASSERT_TRUE(test, nbd_test_handshake(&hs, 1 << 20, FLAGS_ALL, 512,
						   4096, 64 << 10));
	KUNIT_ASSERT_EQ(test, nbd_conn_start(&conn, &hs), 0);
	while ((r = nbd_conn_resend_next(&conn, hdr))) {
		resent++;
		KUNIT_EXPECT_NE(test, r->cookie, old_read);
		KUNIT_EXPECT_NE(test, r->cookie, old_write);
		if (r->priv == &tag[0])
			seen = r->cookie;
	}
	KUNIT_EXPECT_EQ(test, resent, 2U);
	/* The old cookie means nothing on the new connection. */
	KUNIT_EXPECT_EQ(test, reply(0, old_write, 0), -EPROTO);
	KUNIT_EXPECT_STR_CONTAINS(test, nbd_conn_reason(&conn), "not in flight");

	/* Again, and this time the READ completes: data from offset 0. */
	KUNIT_ASSERT_TRUE(test, nbd_test_handshake(&hs, 1 << 20, FLAGS_ALL, 512,
						   4096, 64 << 10));
	KUNIT_ASSERT_EQ(test, nbd_conn_start(&conn, &hs), 0);
	while ((r = nbd_conn_resend_next(&conn, hdr)))
		if (r->priv == &tag[0])
			seen = r->cookie;
	rec.data_bytes = 0;
	rec.completions = 0;
	KUNIT_EXPECT_EQ(test, reply(0, seen, 1024), 0);
	KUNIT_EXPECT_EQ(test, rec.completions, 1U);
	KUNIT_EXPECT_EQ(test, rec.data_bytes, 1024U);
	KUNIT_EXPECT_EQ(test, rec.data[0], nbd_run_pattern(0));
	KUNIT_EXPECT_EQ(test, rec.data[1023], nbd_run_pattern(1023));

	/* The export became read-only: the pending WRITE no longer fits. */
	nbd_conn_eof(&conn);
	KUNIT_ASSERT_TRUE(test, nbd_test_handshake(&hs, 1 << 20, NBD_FLAG_HAS_FLAGS |
						   NBD_FLAG_READ_ONLY, 512, 4096,
						   64 << 10));
	KUNIT_EXPECT_EQ(test, nbd_conn_start(&conn, &hs), -EINVAL);
	KUNIT_EXPECT_STR_CONTAINS(test, nbd_conn_reason(&conn), "read-only");
	/* Giving up: the caller takes them out and fails them. */
	KUNIT_EXPECT_PTR_EQ(test, nbd_conn_abandon_next(&conn), (void *)&tag[1]);
	KUNIT_EXPECT_NULL(test, nbd_conn_abandon_next(&conn));
	KUNIT_EXPECT_EQ(test, conn.nr_inflight, 0U);
}

static struct kunit_case nbd_proto_cases[] = {
	KUNIT_CASE(recorded_servers_whole),
	KUNIT_CASE(recorded_servers_byte_by_byte),
	KUNIT_CASE(handshake_refuses_other_servers),
	KUNIT_CASE(handshake_client_flags_follow_server),
	KUNIT_CASE(handshake_error_replies_map_to_errnos),
	KUNIT_CASE(handshake_long_error_message_is_skipped),
	KUNIT_CASE(handshake_falls_back_to_export_name),
	KUNIT_CASE(handshake_violations_are_eproto),
	KUNIT_CASE(requests_are_checked_before_sending),
	KUNIT_CASE(request_header_is_the_wire_format),
	KUNIT_CASE(server_errors_map_to_errnos),
	KUNIT_CASE(protocol_violations_kill_the_connection),
	KUNIT_CASE(end_of_stream_is_judged),
	KUNIT_CASE(reconnect_resends_what_was_in_flight),
	{}
};

static struct kunit_suite nbd_proto_suite = {
	.name = "nbd_proto",
	.test_cases = nbd_proto_cases,
};
kunit_test_suite(nbd_proto_suite);

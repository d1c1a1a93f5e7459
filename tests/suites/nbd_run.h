/*
 * tests/suites/nbd_run.h - plays net/nbd_proto's client against a stream
 * of server bytes, as the tests and the fuzz target need it (a header of
 * static functions: tests/suites/nbd_proto_test.c, tests/host/
 * nbd_proto_model_test.c and tests/fuzz/nbd_proto_fuzz.c include it).
 *
 * The client runs the one script tools/record-nbd runs against real
 * servers, request for request and cookie for cookie:
 *
 *	handshake: NBD_OPT_GO for the export, info EXPORT + BLOCK_SIZE
 *	batch 0:   WRITE 512 bytes at 1024 (nbd_run_pattern), wait
 *	batch 1:   READ 512 at 1024, READ 512 at 0, FLUSH (if offered),
 *	           all in flight at once, wait for the three
 *	batch 2:   READ 1024 at size - 512: past the end on purpose (the
 *	           runner lifts the client's own bounds check for it by
 *	           raising c.export.size, white-box), so the server errs
 *	then:      NBD_CMD_DISC, and the server closes
 *
 * Each batch is issued from the completion callback of the last request
 * of the one before, as a real client would: a reply can then never be
 * seen before its request exists, however the stream is chunked. The
 * server's bytes go in chunks whose sizes come from a chunker (all at
 * once, or random); everything the client would have sent is logged,
 * so a test can compare it with what the recorded client sent.
 */
#ifndef TESTS_SUITES_NBD_RUN_H
#define TESTS_SUITES_NBD_RUN_H

#include "kernel/errno.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "net/nbd_proto.h"

#define NBD_RUN_SLOTS		4
#define NBD_RUN_MAX_OPS		5
#define NBD_RUN_MAX_READ	1024
#define NBD_RUN_CLIENT_MAX	4096

struct nbd_run_op {
	uint16_t cmd;
	uint32_t length;
	int64_t offset;		/* < 0: from the export's end */
	unsigned int batch;
};

static const struct nbd_run_op nbd_run_script[NBD_RUN_MAX_OPS] = {
	{ NBD_CMD_WRITE, 512, 1024, 0 },
	{ NBD_CMD_READ, 512, 1024, 1 },
	{ NBD_CMD_READ, 512, 0, 1 },
	{ NBD_CMD_FLUSH, 0, 0, 1 },
	{ NBD_CMD_READ, 1024, -512, 2 },
};
#define NBD_RUN_BATCHES		3

/* A recorded exchange (tests/data/nbd_*.h, written by tools/record-nbd). */
struct nbd_transcript_result {
	bool issued;		/* FLUSH is skipped without SEND_FLUSH */
	uint32_t nbd_error;
	uint64_t fnv;		/* FNV-1a 64 of the data a READ returned */
};

struct nbd_transcript {
	const char *name;		/* "qemu-nbd-ok" */
	const char *server_version;
	const char *export_name;	/* what the client asked for */
	const uint8_t *server;		/* every byte the server sent */
	size_t server_len;
	const uint8_t *client;		/* every byte the client sent */
	size_t client_len;
	int hs_error;			/* 0, or the handshake's expected errno */
	uint64_t size;
	uint16_t flags;
	uint32_t min_block, pref_block, max_block;
	bool block_size_given;
	struct nbd_transcript_result ops[NBD_RUN_MAX_OPS];
};

/* The WRITE's data: byte i of the 512. */
static inline uint8_t nbd_run_pattern(uint32_t i)
{
	return (uint8_t)(i * 131 + 7);
}

static inline uint64_t nbd_fnv1a(uint64_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ULL;
	return h;
}
#define NBD_FNV_INIT	0xcbf29ce484222325ULL

/* What feeding a stream produced. */
struct nbd_run_result {
	bool issued, done;
	int error;
	uint32_t nbd_error;
	uint64_t fnv;
	uint32_t got;			/* data bytes delivered */
	uint8_t data[NBD_RUN_MAX_READ];
	uint64_t cookie;
};

struct nbd_run {
	struct nbd_handshake hs;
	struct nbd_conn c;
	struct nbd_inflight slots[NBD_RUN_SLOTS];
	int hs_state;
	int conn_error;			/* first error of input/eof; 0 */
	bool disc_sent;
	unsigned int batch;		/* the batch in flight */
	struct nbd_run_result res[NBD_RUN_MAX_OPS];
	uint8_t client[NBD_RUN_CLIENT_MAX];
	size_t client_len;
	size_t client_overflow;
	size_t server_used;		/* bytes fed before the end or an error */
	/* Invariant breaches the runner saw (0 in every correct run). */
	unsigned int bad;
	char bad_what[120];
};

/* Chunk sizes: 0 = everything at once, else random 1..max from prng. */
struct nbd_chunker {
	struct prng *prng;
	size_t max;
};

static inline void nbd_run_bad(struct nbd_run *r, const char *what)
{
	size_t i;

	if (r->bad++)
		return;
	for (i = 0; what[i] && i + 1 < sizeof(r->bad_what); i++)
		r->bad_what[i] = what[i];
	r->bad_what[i] = '\0';
}

static inline void nbd_run_send(struct nbd_run *r, const void *p, size_t n)
{
	size_t room = sizeof(r->client) - r->client_len;

	if (n > room) {
		r->client_overflow += n - room;
		n = room;
	}
	memcpy(r->client + r->client_len, p, n);
	r->client_len += n;
}

static inline void nbd_run_issue_batch(struct nbd_run *r);

static inline void nbd_run_read_data(struct nbd_conn *c, void *priv,
				     uint32_t req_off, const uint8_t *data,
				     uint32_t len)
{
	struct nbd_run *r = c->owner;
	struct nbd_run_result *res = priv;

	if (res < r->res || res >= r->res + NBD_RUN_MAX_OPS || !res->issued ||
	    res->done) {
		nbd_run_bad(r, "read_data for a request not in flight");
		return;
	}
	if (req_off != res->got || len == 0 ||
	    (uint64_t)req_off + len > nbd_run_script[res - r->res].length) {
		nbd_run_bad(r, "read_data out of order or out of bounds");
		return;
	}
	memcpy(res->data + req_off, data, len);
	res->got += len;
	res->fnv = nbd_fnv1a(res->fnv, data, len);
}

static inline void nbd_run_complete(struct nbd_conn *c, void *priv, int error,
				    uint32_t nbd_error, const char *reason)
{
	struct nbd_run *r = c->owner;
	struct nbd_run_result *res = priv;
	bool batch_done = true;

	if (res < r->res || res >= r->res + NBD_RUN_MAX_OPS || !res->issued ||
	    res->done) {
		nbd_run_bad(r, "completion of a request not in flight");
		return;
	}
	res->done = true;
	res->error = error;
	res->nbd_error = nbd_error;
	if (error == 0 && nbd_run_script[res - r->res].cmd == NBD_CMD_READ &&
	    res->got != nbd_run_script[res - r->res].length)
		nbd_run_bad(r, "READ completed without all its data");
	if ((error != 0) != (reason != NULL))
		nbd_run_bad(r, "error without a reason, or a reason without one");
	for (unsigned int i = 0; i < NBD_RUN_MAX_OPS; i++)
		if (r->res[i].issued && !r->res[i].done)
			batch_done = false;
	if (batch_done) {
		r->batch++;
		nbd_run_issue_batch(r);
	}
}

static const struct nbd_conn_ops nbd_run_ops = {
	.read_data = nbd_run_read_data,
	.complete = nbd_run_complete,
};

/* Issue the batches from r->batch on until one has a request out. */
static inline void nbd_run_issue_batch(struct nbd_run *r)
{
	for (; r->batch < NBD_RUN_BATCHES; r->batch++) {
		bool any = false;

		for (unsigned int i = 0; i < NBD_RUN_MAX_OPS; i++) {
			const struct nbd_run_op *op = &nbd_run_script[i];
			struct nbd_run_result *res = &r->res[i];
			uint8_t hdr[NBD_REQUEST_SIZE];
			uint64_t off, saved = r->c.export.size;
			int err;

			if (op->batch != r->batch)
				continue;
			if (op->cmd == NBD_CMD_FLUSH &&
			    !(r->c.export.flags & NBD_FLAG_SEND_FLUSH))
				continue;
			if (op->offset < 0) {
				/* Past the end on purpose: lift the bound. */
				if (saved < (uint64_t)-op->offset)
					continue;
				off = saved + op->offset;
				r->c.export.size = off + op->length;
			} else {
				off = op->offset;
			}
			res->fnv = NBD_FNV_INIT;
			res->issued = true;
			err = nbd_conn_request(&r->c, op->cmd, 0, off, op->length,
					       res, hdr, &res->cookie);
			r->c.export.size = saved;
			if (err) {
				res->issued = false;
				continue;
			}
			any = true;
			nbd_run_send(r, hdr, sizeof(hdr));
			if (op->cmd == NBD_CMD_WRITE)
				for (uint32_t b = 0; b < op->length; b++) {
					uint8_t v = nbd_run_pattern(b);

					nbd_run_send(r, &v, 1);
				}
		}
		if (any)
			return;
	}
	if (r->batch == NBD_RUN_BATCHES && !r->disc_sent) {
		uint8_t hdr[NBD_REQUEST_SIZE];

		if (nbd_conn_disconnect(&r->c, hdr) == 0) {
			r->disc_sent = true;
			nbd_run_send(r, hdr, sizeof(hdr));
		}
	}
}

static inline size_t nbd_run_chunk(struct nbd_chunker *ch, size_t left)
{
	size_t n;

	if (!ch || !ch->max)
		return left;
	n = 1 + prng_below(ch->prng, ch->max);
	return n < left ? n : left;
}

static inline void nbd_run_flush_output(struct nbd_run *r)
{
	const void *out;
	size_t n;

	while ((n = nbd_handshake_output(&r->hs, &out)) > 0) {
		nbd_run_send(r, out, n);
		nbd_handshake_output_done(&r->hs, n);
	}
}

/*
 * Play the script against server[0..len) in chunks: handshake for
 * export name, then the batches. The stream's end is the server closing.
 */
static inline void nbd_run_stream(struct nbd_run *r, const char *name,
				  const uint8_t *server, size_t len,
				  struct nbd_chunker *ch)
{
	size_t pos = 0;

	memset(r, 0, sizeof(*r));
	nbd_handshake_init(&r->hs, name);
	while (r->hs.state != NBD_HS_DONE && r->hs.state != NBD_HS_FAILED) {
		size_t n, used;

		nbd_run_flush_output(r);
		if (pos == len) {
			nbd_handshake_eof(&r->hs);
			break;
		}
		n = nbd_run_chunk(ch, len - pos);
		used = nbd_handshake_input(&r->hs, server + pos, n);
		if (used > n || (used < n && r->hs.state != NBD_HS_DONE &&
				 r->hs.state != NBD_HS_FAILED))
			nbd_run_bad(r, "handshake consumed the wrong count");
		pos += used;
	}
	nbd_run_flush_output(r);
	r->hs_state = r->hs.state;
	if (r->hs.state != NBD_HS_DONE) {
		r->server_used = pos;
		return;
	}
	if (nbd_conn_init(&r->c, r->slots, NBD_RUN_SLOTS, &nbd_run_ops, r) ||
	    nbd_conn_start(&r->c, &r->hs)) {
		nbd_run_bad(r, "conn init/start failed");
		return;
	}
	nbd_run_issue_batch(r);
	while (pos < len) {
		size_t n = nbd_run_chunk(ch, len - pos);

		r->conn_error = nbd_conn_input(&r->c, server + pos, n);
		if (r->conn_error) {
			if (!nbd_conn_dead(&r->c) || !nbd_conn_reason(&r->c)[0])
				nbd_run_bad(r, "an error without a dead connection "
					    "and a reason");
			r->server_used = pos;
			return;
		}
		pos += n;
	}
	r->server_used = pos;
	r->conn_error = nbd_conn_eof(&r->c);
}

/* ------------------------------------------------ server bytes by hand */

/* Kept small: suites build these on a 16 KiB kernel stack. A host test
 * that needs longer replies defines NBD_BYTES_MAX before the include. */
#ifndef NBD_BYTES_MAX
#define NBD_BYTES_MAX	2048
#endif
struct nbd_bytes {
	uint8_t b[NBD_BYTES_MAX];
	size_t n;
};

static inline void nb_put(struct nbd_bytes *s, const void *p, size_t n)
{
	if (!n)
		return;
	if (n > sizeof(s->b) - s->n)
		n = sizeof(s->b) - s->n;	/* tests build far less */
	memcpy(s->b + s->n, p, n);
	s->n += n;
}

/* v big-endian in bytes bytes (more than 8: zeroes first). */
static inline void nb_be(struct nbd_bytes *s, uint64_t v, unsigned int bytes)
{
	for (unsigned int i = 0; i < bytes; i++) {
		unsigned int shift = 8 * (bytes - 1 - i);
		uint8_t c = shift < 64 ? (uint8_t)(v >> shift) : 0;

		nb_put(s, &c, 1);
	}
}

static inline void nb_greeting(struct nbd_bytes *s, uint16_t hflags)
{
	nb_be(s, NBDMAGIC, 8);
	nb_be(s, NBD_IHAVEOPT, 8);
	nb_be(s, hflags, 2);
}

static inline void nb_rep(struct nbd_bytes *s, uint32_t opt, uint32_t type,
			  const void *payload, uint32_t len)
{
	nb_be(s, NBD_REP_MAGIC, 8);
	nb_be(s, opt, 4);
	nb_be(s, type, 4);
	nb_be(s, len, 4);
	nb_put(s, payload, len);
}

static inline void nb_info_export(struct nbd_bytes *s, uint64_t size, uint16_t flags)
{
	uint8_t p[12];

	for (int i = 0; i < 2; i++)
		p[i] = (uint8_t)(NBD_INFO_EXPORT >> (8 * (1 - i)));
	for (int i = 0; i < 8; i++)
		p[2 + i] = (uint8_t)(size >> (8 * (7 - i)));
	p[10] = flags >> 8;
	p[11] = (uint8_t)flags;
	nb_rep(s, NBD_OPT_GO, NBD_REP_INFO, p, sizeof(p));
}

static inline void nb_info_block_size(struct nbd_bytes *s, uint32_t min_b,
				      uint32_t pref, uint32_t max_b)
{
	uint32_t v[3] = { min_b, pref, max_b };
	uint8_t p[14] = { 0, NBD_INFO_BLOCK_SIZE };

	for (int k = 0; k < 3; k++)
		for (int i = 0; i < 4; i++)
			p[2 + 4 * k + i] = (uint8_t)(v[k] >> (8 * (3 - i)));
	nb_rep(s, NBD_OPT_GO, NBD_REP_INFO, p, sizeof(p));
}

/* A whole successful fixed-newstyle NBD_OPT_GO exchange, server side. */
static inline void nb_go_ok(struct nbd_bytes *s, uint64_t size, uint16_t flags,
			    uint32_t min_b, uint32_t pref, uint32_t max_b)
{
	nb_greeting(s, NBD_FLAG_FIXED_NEWSTYLE | NBD_FLAG_NO_ZEROES);
	nb_info_export(s, size, flags);
	nb_info_block_size(s, min_b, pref, max_b);
	nb_rep(s, NBD_OPT_GO, NBD_REP_ACK, NULL, 0);
}

static inline void nb_simple_reply(struct nbd_bytes *s, uint32_t error,
				   uint64_t cookie)
{
	nb_be(s, NBD_SIMPLE_REPLY_MAGIC, 4);
	nb_be(s, error, 4);
	nb_be(s, cookie, 8);
}

/* Drive hs through a made-up server's successful handshake. */
static inline bool nbd_test_handshake(struct nbd_handshake *hs, uint64_t size,
				      uint16_t flags, uint32_t min_b,
				      uint32_t pref, uint32_t max_b)
{
	struct nbd_bytes s = { .n = 0 };
	const void *out;

	nbd_handshake_init(hs, "swap");
	nb_go_ok(&s, size, flags, min_b, pref, max_b);
	nbd_handshake_input(hs, s.b, s.n);
	nbd_handshake_output_done(hs, nbd_handshake_output(hs, &out));
	return hs->state == NBD_HS_DONE;
}

#endif

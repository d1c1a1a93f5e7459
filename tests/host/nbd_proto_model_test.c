/*
 * tests/host/nbd_proto_model_test.c - randomised tests of net/nbd_proto:
 * the recorded server streams re-chunked, corrupted, truncated and
 * replaced by noise, and the table of requests in flight against a
 * reference model. Host only (long); replay: --seed N.
 *
 * - rechunked: any split of a recorded stream gives exactly the results
 *   of the unsplit stream (export, every completion, every data byte,
 *   every byte the client sent, the clean end).
 * - truncated: a prefix ends in -ENOTCONN (handshake or transmission),
 *   and every request that completed did so as in the whole stream.
 * - corrupted / noise: whatever the bytes, under ASan and UBSan: no
 *   crash, no read out of bounds, no completion or data for a request
 *   not in flight, data in order and inside the request, a READ never
 *   completes short, every failure comes with a reason, and an error
 *   leaves the connection dead.
 * - model: random issues, replies (split at random), replies with
 *   cookies not in flight (random, stale, wrong generation), broken
 *   connections mid-reply and reconnects; the model predicts which
 *   issue gets -EBUSY, which reply completes which request with which
 *   errno and data, and that every foreign cookie is refused.
 */
#include "tests/host/host.h"
#include "kernel/kunit.h"
#include "kernel/lib/random.h"
#include "kernel/lib/string.h"
#include "net/nbd_proto.h"
#define NBD_BYTES_MAX	8192	/* replies with up to 4 KiB of data */
#include "tests/suites/nbd_run.h"
#include "tests/data/nbd_qemu_nbd.h"
#include "tests/data/nbd_nbdkit.h"
#include "tests/data/nbd_nbd_server.h"

static const struct nbd_transcript *const transcripts[] = {
	&nbd_qemu_nbd_ok, &nbd_qemu_nbd_noexport,
	&nbd_nbdkit_ok, &nbd_nbdkit_noexport,
	&nbd_nbd_server_ok, &nbd_nbd_server_noexport,
};

static struct nbd_run whole, run;

static bool same_results(const struct nbd_run *a, const struct nbd_run *b)
{
	if (a->hs_state != b->hs_state || a->hs.error != b->hs.error ||
	    a->conn_error != b->conn_error || a->client_len != b->client_len ||
	    memcmp(a->client, b->client, a->client_len) ||
	    a->server_used != b->server_used || a->disc_sent != b->disc_sent)
		return false;
	if (a->hs_state == NBD_HS_DONE &&
	    (a->hs.export.size != b->hs.export.size ||
	     a->hs.export.flags != b->hs.export.flags ||
	     a->hs.export.min_block != b->hs.export.min_block ||
	     a->hs.export.pref_block != b->hs.export.pref_block ||
	     a->hs.export.max_block != b->hs.export.max_block))
		return false;
	for (int i = 0; i < NBD_RUN_MAX_OPS; i++) {
		const struct nbd_run_result *x = &a->res[i], *y = &b->res[i];

		if (x->issued != y->issued || x->done != y->done ||
		    x->error != y->error || x->nbd_error != y->nbd_error ||
		    x->got != y->got || x->fnv != y->fnv ||
		    memcmp(x->data, y->data, x->got))
			return false;
	}
	return true;
}

/* What every run must keep, whatever the server sent. */
static void check_invariants(struct kunit *test, const struct nbd_run *r,
			     const char *what, uint64_t seed)
{
	bool ok = r->bad == 0 && r->client_overflow == 0;

	if (r->hs_state == NBD_HS_FAILED)
		ok = ok && r->hs.error < 0 && r->hs.reason[0];
	else
		ok = ok && r->hs_state == NBD_HS_DONE;
	if (r->hs_state == NBD_HS_DONE) {
		if (r->conn_error)
			ok = ok && (r->conn_error == -EPROTO ||
				    r->conn_error == -ENOTCONN) &&
			     nbd_conn_dead(&r->c) && nbd_conn_reason(&r->c)[0];
		else	/* a clean end: DISC sent, nothing left in flight */
			ok = ok && r->disc_sent && r->c.nr_inflight == 0;
	}
	if (!ok)
		KUNIT_FAIL(test, "%s (iteration seed %llu): bad %u (%s), hs %d "
			   "error %d, conn_error %d, reason '%s'", what,
			   (unsigned long long)seed, r->bad, r->bad_what,
			   r->hs_state, r->hs.error, r->conn_error,
			   nbd_conn_reason(&r->c));
}

static void rechunked_streams_give_the_same_results(struct kunit *test)
{
	struct prng prng;

	prng_seed(&prng, test->seed);
	for (size_t t = 0; t < ARRAY_SIZE(transcripts); t++) {
		const struct nbd_transcript *tr = transcripts[t];

		nbd_run_stream(&whole, tr->export_name, tr->server, tr->server_len, NULL);
		for (int it = 0; it < 400; it++) {
			struct nbd_chunker ch = { &prng, 1 + prng_below(&prng, 96) };

			nbd_run_stream(&run, tr->export_name, tr->server,
				       tr->server_len, &ch);
			if (!same_results(&whole, &run)) {
				KUNIT_FAIL(test, "%s: chunks of up to %zu changed "
					   "the results", tr->name, ch.max);
				break;
			}
		}
	}
}

static void truncated_streams_end_in_enotconn(struct kunit *test)
{
	struct prng prng;

	prng_seed(&prng, test->seed);
	for (size_t t = 0; t < ARRAY_SIZE(transcripts); t++) {
		const struct nbd_transcript *tr = transcripts[t];

		nbd_run_stream(&whole, tr->export_name, tr->server, tr->server_len, NULL);
		for (size_t cut = 0; cut < tr->server_len; cut++) {
			struct nbd_chunker ch = { &prng, 1 + prng_below(&prng, 64) };
			bool ok = true;

			nbd_run_stream(&run, tr->export_name, tr->server, cut, &ch);
			check_invariants(test, &run, tr->name, cut);
			if (run.hs_state == NBD_HS_FAILED)
				ok = run.hs.error == -ENOTCONN ||
				     (tr->hs_error && run.hs.error == tr->hs_error);
			else
				ok = run.conn_error == -ENOTCONN;
			/* What completed, completed as in the whole stream. */
			for (int i = 0; i < NBD_RUN_MAX_OPS; i++)
				if (run.res[i].done &&
				    (run.res[i].error != whole.res[i].error ||
				     run.res[i].fnv != whole.res[i].fnv))
					ok = false;
			if (!ok) {
				KUNIT_FAIL(test, "%s cut at %zu: hs %d/%d conn %d",
					   tr->name, cut, run.hs_state,
					   run.hs.error, run.conn_error);
				break;
			}
		}
	}
}

static uint8_t fuzzbuf[4096];

static size_t mutate(struct prng *p, const struct nbd_transcript *tr)
{
	size_t n = tr->server_len, k;

	memcpy(fuzzbuf, tr->server, n);
	switch (prng_below(p, 5)) {
	case 0:		/* flip a few bytes anywhere */
		for (k = 1 + prng_below(p, 4); k; k--)
			fuzzbuf[prng_below(p, n)] ^= 1 + prng_below(p, 255);
		break;
	case 1:		/* one byte in the transmission replies */
		k = n > 100 ? 100 + prng_below(p, n - 100) : prng_below(p, n);
		fuzzbuf[k] = (uint8_t)prng_next(p);
		break;
	case 2: {	/* insert random bytes */
		size_t at = prng_below(p, n), len = 1 + prng_below(p, 32);

		memmove(fuzzbuf + at + len, fuzzbuf + at, n - at);
		for (k = 0; k < len; k++)
			fuzzbuf[at + k] = (uint8_t)prng_next(p);
		n += len;
		break;
	}
	case 3: {	/* delete a range */
		size_t at = prng_below(p, n), len = 1 + prng_below(p, n - at);

		memmove(fuzzbuf + at, fuzzbuf + at + len, n - at - len);
		n -= len;
		break;
	}
	default: {	/* duplicate a range (a repeated reply) */
		size_t at = prng_below(p, n), len = 1 + prng_below(p, min(n - at, (size_t)200));

		memmove(fuzzbuf + at + len, fuzzbuf + at, n - at);
		n += len;
		break;
	}
	}
	return n;
}

static void corrupted_streams_keep_the_invariants(struct kunit *test)
{
	struct prng prng;
	unsigned int errors = 0, runs = 0;

	prng_seed(&prng, test->seed);
	for (size_t t = 0; t < ARRAY_SIZE(transcripts); t++) {
		const struct nbd_transcript *tr = transcripts[t];

		for (int it = 0; it < 8000; it++) {
			struct nbd_chunker ch = { &prng, prng_below(&prng, 40) };
			size_t n = mutate(&prng, tr);

			nbd_run_stream(&run, tr->export_name, fuzzbuf, n, &ch);
			check_invariants(test, &run, tr->name, (uint64_t)it);
			runs++;
			errors += run.hs_state == NBD_HS_FAILED || run.conn_error;
		}
	}
	/* Most corruptions must be noticed (a flipped data byte is not). */
	KUNIT_EXPECT_GT(test, errors, runs / 2);
}

static void random_streams_keep_the_invariants(struct kunit *test)
{
	struct prng prng;
	struct nbd_bytes hs = { .n = 0 };

	prng_seed(&prng, test->seed);
	nb_go_ok(&hs, 1 << 20, NBD_FLAG_HAS_FLAGS | NBD_FLAG_SEND_FLUSH, 512,
		 4096, 1 << 20);
	for (int it = 0; it < 10000; it++) {
		struct nbd_chunker ch = { &prng, prng_below(&prng, 40) };
		size_t n = 0, len = prng_below(&prng, 1500);

		/* Half behind a good handshake, half as the handshake. */
		if (it & 1) {
			memcpy(fuzzbuf, hs.b, hs.n);
			n = hs.n;
		}
		for (size_t i = 0; i < len; i++) {
			uint8_t b = (uint8_t)prng_next(&prng);

			/* Sprinkle real magics so the parser gets further. */
			if (prng_below(&prng, 64) == 0 && i + 4 <= len) {
				fuzzbuf[n++] = 0x67;
				fuzzbuf[n++] = 0x44;
				fuzzbuf[n++] = 0x66;
				b = 0x98;
				i += 3;
			}
			fuzzbuf[n++] = b;
		}
		nbd_run_stream(&run, "swap", fuzzbuf, n, &ch);
		check_invariants(test, &run, "noise", (uint64_t)it);
		/* Noise never gets a request completed. */
		for (int i = 0; i < NBD_RUN_MAX_OPS; i++)
			if (run.res[i].done) {
				KUNIT_FAIL(test, "noise completed request %d", i);
				return;
			}
	}
}

/* ------------------------------------------------------------ the model */

#define MAX_SLOTS	8
#define MAX_REQS	64

struct model_req {
	bool live;
	uint16_t cmd;
	uint32_t length;
	uint64_t offset;
	uint64_t cookie;	/* as the table says (learned at issue/resend) */
	bool sent;		/* on the current connection */
	/* What the callbacks reported. */
	unsigned int completions;
	int error;
	uint32_t got;		/* data bytes in order from 0 */
	bool data_bad;
	uint8_t expect[4096];	/* the data the model's server sends */
};

static struct model_req reqs[MAX_REQS];
static struct nbd_conn mconn;
static struct nbd_inflight mslots[MAX_SLOTS];
static struct nbd_handshake mhs;
static uint64_t dead_cookies[256];
static unsigned int nr_dead;

static void m_data(struct nbd_conn *c, void *priv, uint32_t off,
		   const uint8_t *data, uint32_t len)
{
	struct model_req *r = priv;

	if (r < reqs || r >= reqs + MAX_REQS || !r->live || r->cmd != NBD_CMD_READ ||
	    off != r->got || off + len > r->length ||
	    memcmp(r->expect + off, data, len))
		r->data_bad = true;
	else
		r->got += len;
}

static unsigned int bad_callbacks;

static void m_complete(struct nbd_conn *c, void *priv, int error,
		       uint32_t nbd_error, const char *reason)
{
	struct model_req *r = priv;

	if (r < reqs || r >= reqs + MAX_REQS || !r->live) {
		bad_callbacks++;
		return;
	}
	r->completions++;
	r->error = error;
}

static const struct nbd_conn_ops m_ops = { m_data, m_complete };

/* Feed s to the connection in random chunks; the first error returned. */
static int feed_split(struct prng *p, const uint8_t *b, size_t n)
{
	size_t pos = 0;

	while (pos < n) {
		size_t k = 1 + prng_below(p, n - pos);
		int err = nbd_conn_input(&mconn, b + pos, k);

		if (err)
			return err;
		pos += k;
	}
	return 0;
}

static unsigned int total_completions(void)
{
	unsigned int n = 0;

	for (int i = 0; i < MAX_REQS; i++)
		n += reqs[i].completions;
	return n;
}

static unsigned int nr_live(void)
{
	unsigned int n = 0;

	for (int i = 0; i < MAX_REQS; i++)
		n += reqs[i].live;
	return n;
}

/* A new connection: handshake, start, every live request resent. */
static void reconnect(struct kunit *test)
{
	uint8_t hdr[NBD_REQUEST_SIZE];
	struct nbd_inflight *s;
	unsigned int resent = 0;

	if (!mconn.started || !nbd_conn_dead(&mconn))
		nbd_conn_eof(&mconn);
	KUNIT_ASSERT_TRUE(test, nbd_test_handshake(&mhs, 1 << 20,
						   NBD_FLAG_HAS_FLAGS | NBD_FLAG_SEND_FLUSH,
						   512, 4096, 1 << 16));
	KUNIT_ASSERT_EQ(test, nbd_conn_start(&mconn, &mhs), 0);
	for (int i = 0; i < MAX_REQS; i++)
		reqs[i].sent = false;
	while ((s = nbd_conn_resend_next(&mconn, hdr))) {
		struct model_req *r = s->priv;

		resent++;
		if (r < reqs || r >= reqs + MAX_REQS || !r->live || r->sent) {
			KUNIT_FAIL(test, "resend of a request the model lacks");
			continue;
		}
		if (nr_dead < ARRAY_SIZE(dead_cookies))
			dead_cookies[nr_dead++] = r->cookie;
		r->cookie = s->cookie;
		r->sent = true;
		r->got = 0;	/* a READ's data comes again from 0 */
	}
	KUNIT_EXPECT_EQ(test, resent, nr_live());
}

static void check_cookies_distinct(struct kunit *test)
{
	for (int i = 0; i < MAX_REQS; i++)
		for (int j = i + 1; j < MAX_REQS && reqs[i].live; j++)
			if (reqs[j].live && reqs[i].cookie == reqs[j].cookie)
				KUNIT_FAIL(test, "two requests share cookie 0x%llx",
					   (unsigned long long)reqs[i].cookie);
}

static void inflight_table_follows_the_model(struct kunit *test)
{
	static const uint32_t errs[] = { 0, 0, 0, NBD_EIO, NBD_EINVAL, NBD_ENOSPC,
					 NBD_EPERM, 999 };
	struct prng prng;
	unsigned int nslots, completed = 0, refused = 0, drops = 0;

	prng_seed(&prng, test->seed);
	nslots = 1 + prng_below(&prng, MAX_SLOTS);
	memset(reqs, 0, sizeof(reqs));
	nr_dead = 0;
	bad_callbacks = 0;
	KUNIT_ASSERT_EQ(test, nbd_conn_init(&mconn, mslots, nslots, &m_ops, NULL), 0);
	reconnect(test);
	for (int step = 0; step < 20000; step++) {
		unsigned int op = prng_below(&prng, 100), live = nr_live();
		struct nbd_bytes s = { .n = 0 };

		if (op < 40) {			/* issue */
			static const uint16_t cmds[] = { NBD_CMD_READ, NBD_CMD_WRITE,
							 NBD_CMD_FLUSH };
			uint16_t cmd = cmds[prng_below(&prng, 3)];
			uint32_t len = cmd == NBD_CMD_FLUSH ? 0 :
				       512 * (1 + prng_below(&prng, 8));
			uint64_t off = cmd == NBD_CMD_FLUSH ? 0 :
				       512 * prng_below(&prng, 2040);
			struct model_req *r = NULL;
			uint8_t hdr[NBD_REQUEST_SIZE];
			uint64_t cookie;
			int err;

			for (int i = 0; i < MAX_REQS && !r; i++)
				if (!reqs[i].live)
					r = &reqs[i];
			err = nbd_conn_request(&mconn, cmd, 0, off, len, r, hdr, &cookie);
			if (live >= nslots) {
				KUNIT_EXPECT_EQ(test, err, -EBUSY);
				continue;
			}
			KUNIT_ASSERT_EQ(test, err, 0);
			KUNIT_EXPECT_LT(test, cookie & 0xffff, (uint64_t)nslots);
			memset(r, 0, sizeof(*r));
			r->live = r->sent = true;
			r->cmd = cmd;
			r->length = len;
			r->offset = off;
			r->cookie = cookie;
			check_cookies_distinct(test);
		} else if (op < 75 && live) {	/* a reply to a live request */
			struct model_req *r;
			uint32_t e = errs[prng_below(&prng, ARRAY_SIZE(errs))];
			int pick = prng_below(&prng, live), i;

			for (i = 0; i < MAX_REQS; i++)
				if (reqs[i].live && pick-- == 0)
					break;
			r = &reqs[i];
			nb_simple_reply(&s, e, r->cookie);
			if (e == 0 && r->cmd == NBD_CMD_READ)
				for (uint32_t b = 0; b < r->length; b++) {
					r->expect[b] = (uint8_t)prng_next(&prng);
					nb_put(&s, &r->expect[b], 1);
				}
			KUNIT_ASSERT_EQ(test, feed_split(&prng, s.b, s.n), 0);
			KUNIT_EXPECT_EQ(test, r->completions, 1U);
			KUNIT_EXPECT_EQ(test, r->error, nbd_error_to_errno(e));
			KUNIT_EXPECT_FALSE(test, r->data_bad);
			if (e == 0 && r->cmd == NBD_CMD_READ)
				KUNIT_EXPECT_EQ(test, r->got, r->length);
			r->live = false;
			if (nr_dead < ARRAY_SIZE(dead_cookies))
				dead_cookies[nr_dead++] = r->cookie;
			completed++;
		} else if (op < 85) {		/* a cookie not in flight */
			unsigned int before = total_completions();
			uint64_t ck;
			bool is_live;

			do {
				switch (prng_below(&prng, 3)) {
				case 0:
					ck = prng_next(&prng);
					break;
				case 1:
					ck = nr_dead ? dead_cookies[prng_below(&prng, nr_dead)] :
						       prng_next(&prng);
					break;
				default:	/* a live slot, another generation */
					ck = (prng_next(&prng) << 16) |
					     prng_below(&prng, nslots);
				}
				is_live = false;
				for (int i = 0; i < MAX_REQS; i++)
					is_live |= reqs[i].live && reqs[i].cookie == ck;
			} while (is_live);
			nb_simple_reply(&s, 0, ck);
			KUNIT_EXPECT_EQ(test, feed_split(&prng, s.b, s.n), -EPROTO);
			KUNIT_EXPECT_STR_CONTAINS(test, nbd_conn_reason(&mconn),
						  "not in flight");
			KUNIT_EXPECT_EQ(test, total_completions(), before);
			refused++;
			reconnect(test);
		} else if (op < 95 && live) {	/* the connection breaks mid-reply */
			struct model_req *r = NULL;

			for (int i = 0; i < MAX_REQS && !r; i++)
				if (reqs[i].live && reqs[i].cmd == NBD_CMD_READ)
					r = &reqs[i];
			if (r) {
				uint32_t part = prng_below(&prng, r->length);

				nb_simple_reply(&s, 0, r->cookie);
				for (uint32_t b = 0; b < part; b++) {
					r->expect[b] = (uint8_t)prng_next(&prng);
					nb_put(&s, &r->expect[b], 1);
				}
				KUNIT_ASSERT_EQ(test, feed_split(&prng, s.b, s.n), 0);
			}
			KUNIT_EXPECT_EQ(test, nbd_conn_eof(&mconn), -ENOTCONN);
			KUNIT_EXPECT_EQ(test, r ? r->completions : 0U, 0U);
			drops++;
			reconnect(test);
		} else if (op >= 95) {		/* try to disconnect */
			uint8_t hdr[NBD_REQUEST_SIZE];
			int err = nbd_conn_disconnect(&mconn, hdr);

			KUNIT_EXPECT_EQ(test, err, live ? -EBUSY : 0);
			if (!err) {
				KUNIT_EXPECT_EQ(test, nbd_conn_eof(&mconn), 0);
				reconnect(test);
			}
		}
		if (test->failed)
			return;
	}
	/* No callback ever named a request the model did not hold live. */
	KUNIT_EXPECT_EQ(test, bad_callbacks, 0U);
	while (nbd_conn_abandon_next(&mconn))
		;
	KUNIT_EXPECT_EQ(test, mconn.nr_inflight, 0U);
	kunit_info(test, "%u slots: %u completed, %u foreign cookies refused, "
		   "%u broken connections", nslots, completed, refused, drops);
}

static struct kunit_case nbd_proto_model_cases[] = {
	KUNIT_CASE(rechunked_streams_give_the_same_results),
	KUNIT_CASE(truncated_streams_end_in_enotconn),
	KUNIT_CASE(corrupted_streams_keep_the_invariants),
	KUNIT_CASE(random_streams_keep_the_invariants),
	KUNIT_CASE(inflight_table_follows_the_model),
	{}
};

static struct kunit_suite nbd_proto_model_suite = {
	.name = "nbd_proto_model",
	.test_cases = nbd_proto_model_cases,
};
kunit_test_suite(nbd_proto_model_suite);

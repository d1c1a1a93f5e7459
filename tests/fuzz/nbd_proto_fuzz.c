/*
 * tests/fuzz/nbd_proto_fuzz.c - libFuzzer target for net/nbd_proto, the
 * NBD client protocol: whatever a server (or anything pretending to be
 * one) sends must be parsed without a read out of bounds, and must end in
 * a result that holds together or a refusal that says why.
 *
 * The input is one byte, the chunking seed (0: the stream in one piece;
 * else pieces of 1..N bytes from a PRNG seeded with it), then the
 * server's byte stream. The client plays tests/suites/nbd_run.h's script
 * (NBD_OPT_GO, a WRITE, three requests in flight, a READ past the end,
 * NBD_CMD_DISC) against it. Checked on every input:
 *  - the handshake ends DONE, or FAILED with an errno and a reason;
 *  - a transmission error is -EPROTO or -ENOTCONN, with a dead
 *    connection and a reason; a clean end means DISC went out and
 *    nothing is left in flight;
 *  - no callback names a request not in flight, READ data arrives in
 *    order inside its request, a READ never completes short, and an
 *    error always comes with a reason (the runner's own checks).
 *
 *	make fuzz FUZZ=nbd_proto        (tests/fuzz/fuzz.mk)
 *
 * Seeds in tests/fuzz/corpus/nbd_proto/: qemu-nbd, nbdkit and nbd-server
 * recorded by tools/record-nbd (a good exchange and a refused export
 * name from each).
 */
#include "tests/fuzz/fuzz.h"
#include "kernel/errno.h"
#include "net/nbd_proto.h"
#include "tests/suites/nbd_run.h"

#include <stdlib.h>
#include <string.h>

static struct nbd_run run;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prng prng;
	struct nbd_chunker ch = { &prng, 0 };
	uint8_t *stream;
	size_t len;

	if (size < 1)
		return 0;
	ch.max = data[0];
	prng_seed(&prng, data[0]);
	/* An exact-size copy: a read past it is an ASan report. */
	len = size - 1;
	stream = malloc(len ? len : 1);
	CHECK(stream != NULL);
	memcpy(stream, data + 1, len);
	nbd_run_stream(&run, "swap", stream, len, &ch);
	free(stream);

	CHECK(run.bad == 0);
	CHECK(run.client_overflow == 0);
	CHECK(run.server_used <= len);
	if (run.hs_state == NBD_HS_FAILED) {
		CHECK(run.hs.error < 0);
		CHECK(run.hs.reason[0] != '\0');
		CHECK(memchr(run.hs.reason, '\0', sizeof(run.hs.reason)) != NULL);
		return 0;
	}
	CHECK(run.hs_state == NBD_HS_DONE);
	CHECK(run.hs.export.flags & NBD_FLAG_HAS_FLAGS);
	CHECK(run.hs.export.min_block && run.hs.export.max_block >= run.hs.export.min_block);
	if (run.conn_error) {
		CHECK(run.conn_error == -EPROTO || run.conn_error == -ENOTCONN);
		CHECK(nbd_conn_dead(&run.c));
		CHECK(nbd_conn_reason(&run.c)[0] != '\0');
	} else {
		CHECK(run.disc_sent && run.c.nr_inflight == 0);
		CHECK(run.server_used == len);
	}
	return 0;
}

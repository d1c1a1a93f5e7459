/*
 * net/nbd_proto.h - the client side of the NBD protocol (the Network Block
 * Device, doc/proto.md of github.com/NetworkBlockDevice/nbd), as a pure
 * byte-moving component: no sockets, no threads, no allocation. The
 * caller (later a kernel thread over an lwIP TCP connection) feeds what
 * it received and sends what it is given. docs/net/nbd.md draws the
 * exchange.
 *
 * Two objects, one per protocol phase:
 *
 * 1. struct nbd_handshake: fixed newstyle negotiation ending in
 *    NBD_OPT_GO (falling back to NBD_OPT_EXPORT_NAME only when the server
 *    answers NBD_OPT_GO with NBD_REP_ERR_UNSUP, i.e. an old server).
 *
 *	nbd_handshake_init(&hs, "swap");
 *	for (;;) {
 *		while ((n = nbd_handshake_output(&hs, &out)) > 0) {
 *			send(out, n);
 *			nbd_handshake_output_done(&hs, n);
 *		}
 *		if (hs.state == NBD_HS_DONE || hs.state == NBD_HS_FAILED)
 *			break;			// after sending what is left
 *		len = recv(buf);		// 0: the server closed
 *		if (len == 0) { nbd_handshake_eof(&hs); continue; }
 *		nbd_handshake_input(&hs, buf, len);	// consumes at most len
 *	}
 *
 *    On success hs.export holds the export's size, transmission flags
 *    and block sizes. On failure hs.error is a negative errno and
 *    hs.reason says why in words (the server's own message included);
 *    what nbd_handshake_output() still has then is an NBD_OPT_ABORT (the
 *    spec's soft disconnect) when the server refused politely, nothing
 *    when it broke the protocol (the caller just closes: a hard
 *    disconnect). Errors: see nbd_handshake_input().
 *
 * 2. struct nbd_conn: the transmission phase. Requests are encoded into
 *    headers the caller sends (followed, for a WRITE, by the data);
 *    simple replies are parsed from the received byte stream however it
 *    is split, matched to their request by cookie through a table of
 *    requests in flight whose capacity and memory the caller gives
 *    (nothing here allocates: the swap-out path must not), and reported
 *    through the caller's callbacks (struct nbd_conn_ops):
 *    read_data() for each piece of a READ's data, complete() once per
 *    request with 0 or a negative errno and the server's reason.
 *
 * Protocol errors. Anything the server sends that the protocol forbids
 * (a bad magic, a cookie not in flight, a reply to a disconnect, a
 * structured reply that was never negotiated, data that does not fit)
 * makes nbd_conn_input() return -EPROTO and leaves the connection dead:
 * every later call returns -EPROTO again and nothing more is delivered.
 * nbd_conn_reason() names what was wrong and its byte offset in the TCP
 * stream (counted from the server's first byte, handshake included), so
 * "reply at stream offset 1234: magic 0xdeadbeef is not
 * NBD_SIMPLE_REPLY_MAGIC (0x67446698)" can be found in a packet capture.
 * The caller must then close the connection (its requests stay in the
 * table: see "Reconnecting").
 *
 * Server errors (a reply whose error field is not 0) are not protocol
 * errors: the request completes with the mapped errno (NBD_EIO -> -EIO,
 * NBD_EPERM -> -EPERM, NBD_ENOSPC -> -ENOSPC, NBD_EINVAL and unknown
 * values -> -EINVAL as the spec asks, NBD_ENOMEM -> -ENOMEM,
 * NBD_EOVERFLOW -> -EOVERFLOW, NBD_ENOTSUP -> -EOPNOTSUPP,
 * NBD_ESHUTDOWN -> -ESHUTDOWN) and a reason string; nbd_error_to_errno()
 * and nbd_error_name() give the mapping. After NBD_ESHUTDOWN the server
 * is going away: new requests are refused with -ESHUTDOWN and the
 * caller must disconnect (nbd_conn_disconnect()) once the table drains.
 *
 * Cookies (the spec's "handle"). A request in slot i of the table gets
 * cookie (generation << 16) | i, the generation counting requests issued
 * on this nbd_conn from 1. So a reply finds its slot in one step, and a
 * late or repeated reply for a slot that has since been reused carries
 * the wrong generation and is refused as "not in flight". (tools/
 * record-nbd issues its requests with the same cookies, which is what
 * lets the tests compare this code's bytes with a real client's.)
 *
 * Reconnecting. The table outlives the connection. After the caller
 * closed a broken connection and completed a new handshake, it calls
 * nbd_conn_start() again with the new handshake: requests still in
 * flight are marked to be resent, and nbd_conn_resend_next() hands them
 * out one by one with a fresh header (a new cookie, so a reply from the
 * old connection could never be mistaken for one on the new). A READ
 * that had received part of its data gets all of it again, from its
 * offset 0. A caller that gives up instead takes the requests out with
 * nbd_conn_abandon_next() and fails them itself.
 *
 * Locking: none here. One thread (the connection's) calls everything for
 * a given nbd_conn, or the caller holds a lock around each call; the
 * callbacks run inside nbd_conn_input() and may issue new requests, but
 * call nothing else of this API.
 */
#ifndef NET_NBD_PROTO_H
#define NET_NBD_PROTO_H

#include "kernel/types.h"

/* ---------------------------------------------------------------- wire */
/* All numbers on the wire are big-endian. Names as in doc/proto.md. */

#define NBD_DEFAULT_PORT		10809

#define NBDMAGIC			0x4e42444d41474943ULL	/* "NBDMAGIC" */
#define NBD_IHAVEOPT			0x49484156454f5054ULL	/* "IHAVEOPT" */
#define NBD_CLISERV_MAGIC		0x00420281861253ULL	/* oldstyle */
#define NBD_REP_MAGIC			0x3e889045565a9ULL	/* option replies */
#define NBD_REQUEST_MAGIC		0x25609513U
#define NBD_SIMPLE_REPLY_MAGIC		0x67446698U
#define NBD_STRUCTURED_REPLY_MAGIC	0x668e33efU

/* Handshake flags (server, 16 bits) and client flags (32 bits). */
#define NBD_FLAG_FIXED_NEWSTYLE		(1U << 0)
#define NBD_FLAG_NO_ZEROES		(1U << 1)
#define NBD_FLAG_C_FIXED_NEWSTYLE	(1U << 0)
#define NBD_FLAG_C_NO_ZEROES		(1U << 1)

/* Transmission flags (16 bits, per export). */
#define NBD_FLAG_HAS_FLAGS		(1U << 0)
#define NBD_FLAG_READ_ONLY		(1U << 1)
#define NBD_FLAG_SEND_FLUSH		(1U << 2)
#define NBD_FLAG_SEND_FUA		(1U << 3)
#define NBD_FLAG_ROTATIONAL		(1U << 4)
#define NBD_FLAG_SEND_TRIM		(1U << 5)
#define NBD_FLAG_SEND_WRITE_ZEROES	(1U << 6)
#define NBD_FLAG_SEND_DF		(1U << 7)
#define NBD_FLAG_CAN_MULTI_CONN		(1U << 8)
#define NBD_FLAG_SEND_RESIZE		(1U << 9)
#define NBD_FLAG_SEND_CACHE		(1U << 10)
#define NBD_FLAG_SEND_FAST_ZERO		(1U << 11)

/* Options. */
#define NBD_OPT_EXPORT_NAME		1
#define NBD_OPT_ABORT			2
#define NBD_OPT_LIST			3
#define NBD_OPT_STARTTLS		5
#define NBD_OPT_INFO			6
#define NBD_OPT_GO			7
#define NBD_OPT_STRUCTURED_REPLY	8

/* Option reply types; errors have bit 31 set. */
#define NBD_REP_ACK			1
#define NBD_REP_SERVER			2
#define NBD_REP_INFO			3
#define NBD_REP_META_CONTEXT		4
#define NBD_REP_FLAG_ERROR		(1U << 31)
#define NBD_REP_ERR_UNSUP		(NBD_REP_FLAG_ERROR | 1)
#define NBD_REP_ERR_POLICY		(NBD_REP_FLAG_ERROR | 2)
#define NBD_REP_ERR_INVALID		(NBD_REP_FLAG_ERROR | 3)
#define NBD_REP_ERR_PLATFORM		(NBD_REP_FLAG_ERROR | 4)
#define NBD_REP_ERR_TLS_REQD		(NBD_REP_FLAG_ERROR | 5)
#define NBD_REP_ERR_UNKNOWN		(NBD_REP_FLAG_ERROR | 6)
#define NBD_REP_ERR_SHUTDOWN		(NBD_REP_FLAG_ERROR | 7)
#define NBD_REP_ERR_BLOCK_SIZE_REQD	(NBD_REP_FLAG_ERROR | 8)
#define NBD_REP_ERR_TOO_BIG		(NBD_REP_FLAG_ERROR | 9)

/* Information types in NBD_REP_INFO. */
#define NBD_INFO_EXPORT			0
#define NBD_INFO_NAME			1
#define NBD_INFO_DESCRIPTION		2
#define NBD_INFO_BLOCK_SIZE		3

/* Commands and command flags. */
#define NBD_CMD_READ			0
#define NBD_CMD_WRITE			1
#define NBD_CMD_DISC			2
#define NBD_CMD_FLUSH			3
#define NBD_CMD_FLAG_FUA		(1U << 0)

/* Error values in replies. */
#define NBD_EPERM			1
#define NBD_EIO				5
#define NBD_ENOMEM			12
#define NBD_EINVAL			22
#define NBD_ENOSPC			28
#define NBD_EOVERFLOW			75
#define NBD_ENOTSUP			95
#define NBD_ESHUTDOWN			108

#define NBD_REQUEST_SIZE		28	/* request header */
#define NBD_SIMPLE_REPLY_SIZE		16	/* simple reply header */

/* Longest export name this client sends (the spec: SHOULD be <= 256). */
#define NBD_MAX_NAME			256
/* Longest option reply accepted: a 4096-byte string (the spec's limit
 * for any string) plus the fields around it. */
#define NBD_MAX_OPT_REPLY		(4096 + 16)
/* What a reason string holds, with the server's own message in it. */
#define NBD_REASON_LEN			200
/* Slots in an nbd_conn's table: the cookie keeps 16 bits for the slot. */
#define NBD_MAX_INFLIGHT		0xffffU

/*
 * What the handshake learned about the export. Without NBD_INFO_BLOCK_SIZE
 * (a server that did not send it, or the NBD_OPT_EXPORT_NAME fallback)
 * the block sizes are the spec's interoperable defaults for a client:
 * minimum 512, preferred 4096, maximum 32 MiB.
 */
struct nbd_export {
	uint64_t size;			/* bytes */
	uint16_t flags;			/* NBD_FLAG_* transmission flags */
	uint32_t min_block;		/* requests aligned to this */
	uint32_t pref_block;		/* efficient I/O from this size */
	uint32_t max_block;		/* longest READ/WRITE */
	bool block_size_given;		/* the server sent NBD_INFO_BLOCK_SIZE */
	bool export_name_fallback;	/* entered with NBD_OPT_EXPORT_NAME */
};

static inline bool nbd_export_read_only(const struct nbd_export *e)
{
	return e->flags & NBD_FLAG_READ_ONLY;
}

/* -------------------------------------------------------------- handshake */

enum nbd_hs_state {
	NBD_HS_GREETING,	/* waiting for NBDMAGIC IHAVEOPT flags */
	NBD_HS_REPLY,		/* waiting for (more of) an option reply */
	NBD_HS_EXPORT_NAME,	/* fallback: size, flags, maybe zeroes */
	NBD_HS_DONE,		/* transmission may start: hs->export */
	NBD_HS_FAILED,		/* hs->error, hs->reason */
};

struct nbd_handshake {
	enum nbd_hs_state state;
	struct nbd_export export;	/* valid in NBD_HS_DONE */
	int error;			/* NBD_HS_FAILED: -errno */
	char reason[NBD_REASON_LEN];	/* NBD_HS_FAILED: why */
	uint64_t rx_off;		/* server bytes consumed so far */

	/* Private to nbd_proto.c. */
	char name[NBD_MAX_NAME + 1];
	uint32_t name_len;
	uint32_t option;		/* the option awaiting its reply */
	uint8_t phase;			/* where in a reply (nbd_proto.c) */
	bool no_zeroes;			/* NBD_FLAG_C_NO_ZEROES was sent */
	bool got_export;		/* an NBD_INFO_EXPORT arrived */
	uint8_t field[20];		/* a fixed-size field being gathered */
	uint32_t have;			/* bytes of it gathered */
	uint32_t rep_type, rep_len;	/* the option reply being read */
	uint32_t rep_left;		/* of its payload, still to come */
	uint64_t rep_off;		/* its stream offset */
	uint16_t info_type;
	char msg[96];			/* an error reply's text */
	uint32_t msg_len;
	uint8_t out[640];		/* bytes to send */
	uint32_t out_len, out_sent;
};

/*
 * Start a handshake for the export called name (truncated to
 * NBD_MAX_NAME bytes; "" is the server's default export). Nothing is
 * sent before the server's greeting arrives.
 */
void nbd_handshake_init(struct nbd_handshake *hs, const char *name);

/*
 * Feed len bytes received from the server. Returns how many it consumed:
 * all of them, unless the handshake ended (DONE or FAILED) part way, in
 * which case the rest is not its business (there should be none: the
 * server sends nothing in transmission before a request). Check
 * hs->state afterwards. Failures set hs->error:
 *  -EPROTO      the server broke the protocol, or speaks another version
 *               (not NBD, oldstyle, no fixed newstyle): hard disconnect
 *  -ENOENT      NBD_REP_ERR_UNKNOWN: no export of that name
 *  -EACCES      NBD_REP_ERR_POLICY, NBD_REP_ERR_TLS_REQD (no TLS here)
 *  -EINVAL      NBD_REP_ERR_INVALID
 *  -EOPNOTSUPP  NBD_REP_ERR_PLATFORM (NBD_REP_ERR_UNSUP to
 *               NBD_OPT_GO is no failure: the fallback is taken)
 *  -ESHUTDOWN   NBD_REP_ERR_SHUTDOWN
 *  -E2BIG       NBD_REP_ERR_TOO_BIG
 *  -EIO         an error reply this client does not know
 *  -ENOTCONN    the server closed the connection (nbd_handshake_eof)
 * with hs->reason saying which and quoting the server's message.
 */
size_t nbd_handshake_input(struct nbd_handshake *hs, const void *buf, size_t len);

/*
 * The bytes waiting to be sent: sets *buf and returns how many (0: none
 * now). nbd_handshake_output_done() says n of them went out.
 */
size_t nbd_handshake_output(const struct nbd_handshake *hs, const void **buf);
void nbd_handshake_output_done(struct nbd_handshake *hs, size_t n);

/*
 * The server closed the connection. Fails the handshake with -ENOTCONN
 * and a reason naming the stage (after NBD_OPT_EXPORT_NAME the usual
 * cause is an unknown export name: that option cannot answer with an
 * error). No effect once DONE or FAILED.
 */
void nbd_handshake_eof(struct nbd_handshake *hs);

/* ----------------------------------------------------------- transmission */

/* One slot of the table of requests in flight (memory the caller gives). */
struct nbd_inflight {
	void *priv;		/* the caller's request; NULL: slot free */
	uint64_t cookie;
	uint64_t offset;
	uint32_t length;
	uint16_t cmd;		/* NBD_CMD_READ, _WRITE, _FLUSH */
	uint16_t flags;		/* NBD_CMD_FLAG_* */
	bool resend;		/* to be resent on the new connection */
};

struct nbd_conn;

struct nbd_conn_ops {
	/*
	 * len bytes of a READ's data, which belong at byte req_off of the
	 * request's buffer (pieces come in order, without gaps; data points
	 * into the caller's input and is valid during the call). Data is
	 * delivered as it arrives, before the reply is known complete: a
	 * READ that then fails (the connection breaks) is resent or failed,
	 * and its buffer written again.
	 */
	void (*read_data)(struct nbd_conn *c, void *priv, uint32_t req_off,
			  const uint8_t *data, uint32_t len);
	/*
	 * The request priv is done: error 0, or a negative errno with
	 * reason (static text naming the server's error) and nbd_error
	 * (the raw value). Its slot is already free: complete() may issue
	 * a new request.
	 */
	void (*complete)(struct nbd_conn *c, void *priv, int error,
			 uint32_t nbd_error, const char *reason);
};

enum nbd_rx_state { NBD_RX_HEADER, NBD_RX_DATA, NBD_RX_DEAD };

struct nbd_conn {
	struct nbd_export export;
	const struct nbd_conn_ops *ops;
	void *owner;			/* the caller's, for its callbacks */
	struct nbd_inflight *slots;
	unsigned int nr_slots;
	unsigned int nr_inflight;	/* slots in use (resend ones too) */
	uint64_t generation;		/* of the last cookie handed out */
	bool started;			/* nbd_conn_start since init */
	bool disconnected;		/* NBD_CMD_DISC went out */
	bool server_shutdown;		/* a reply said NBD_ESHUTDOWN */
	char reason[NBD_REASON_LEN];	/* why the connection died */

	/* Private to nbd_proto.c: the reply parser. */
	enum nbd_rx_state rx_state;
	uint64_t rx_off;		/* stream offset of the next byte */
	uint8_t hdr[NBD_SIMPLE_REPLY_SIZE];
	uint32_t have;
	uint64_t hdr_off;		/* stream offset of this header */
	struct nbd_inflight *cur;	/* the READ whose data is coming */
	uint32_t data_done;
	uint64_t last_cookie;		/* the previous reply's, for reasons */
	uint16_t last_cmd;
	uint64_t last_off;
	bool have_last;
};

/*
 * Set up c with a table of nr_slots requests at slots (1..NBD_MAX_INFLIGHT
 * entries, zeroed here; it stays the caller's memory) and the callbacks.
 * Returns 0, or -EINVAL for a bad table. Requests can be issued once
 * nbd_conn_start() has been called.
 */
int nbd_conn_init(struct nbd_conn *c, struct nbd_inflight *slots,
		  unsigned int nr_slots, const struct nbd_conn_ops *ops,
		  void *owner);

/*
 * Begin transmission on a connection whose handshake hs is DONE (the
 * reply parser counts stream offsets on from hs->rx_off). On a
 * reconnect, every request still in the table is marked to be resent.
 * Returns 0; -EINVAL if hs is not DONE, and -EINVAL too, with
 * nbd_conn_reason() naming it, if a request in the table no longer fits
 * the new export (it shrank, became read-only, lost flush or FUA, or
 * changed its block sizes): the caller then abandons the requests.
 */
int nbd_conn_start(struct nbd_conn *c, const struct nbd_handshake *hs);

/*
 * Issue a request: cmd NBD_CMD_READ, NBD_CMD_WRITE or NBD_CMD_FLUSH,
 * flags 0 or NBD_CMD_FLAG_FUA, priv the caller's non-NULL handle for it.
 * Writes the header to send into hdr and the cookie (may be NULL) to
 * *cookie; for a WRITE the caller sends the length bytes of data right
 * after the header. Returns 0, or:
 *  -EBUSY       the table is full (retry after a completion)
 *  -EINVAL      length 0 or beyond the export, misaligned to its minimum
 *               block size, longer than its maximum; a FLUSH with an
 *               offset or length; an unknown cmd or flag; priv NULL
 *  -EROFS       a WRITE to a read-only export
 *  -EOPNOTSUPP  FLUSH without NBD_FLAG_SEND_FLUSH, FUA without
 *               NBD_FLAG_SEND_FUA
 *  -ENOTCONN    not started, or the connection is dead (-EPROTO seen)
 *  -ESHUTDOWN   after nbd_conn_disconnect or a server's NBD_ESHUTDOWN
 * The table is not touched on failure.
 */
int nbd_conn_request(struct nbd_conn *c, uint16_t cmd, uint16_t flags,
		     uint64_t offset, uint32_t length, void *priv,
		     uint8_t hdr[NBD_REQUEST_SIZE], uint64_t *cookie);

/*
 * Feed len bytes received from the server (any split of the stream).
 * Calls ops->read_data and ops->complete as replies arrive; they may
 * issue new requests (nbd_conn_request) and call nothing else here.
 * Returns 0, or -EPROTO: the server broke the protocol (see the top of
 * this file), or the connection had died before. -ENOTCONN if never
 * started.
 */
int nbd_conn_input(struct nbd_conn *c, const void *buf, size_t len);

/*
 * The server closed the connection. Returns 0 when that is expected
 * (after NBD_CMD_DISC, nothing in flight); otherwise -ENOTCONN with a
 * reason (which reply was cut where, how many requests were in flight):
 * the connection is dead, its requests stay in the table for a
 * reconnect. On a connection already dead: -EPROTO.
 */
int nbd_conn_eof(struct nbd_conn *c);

/*
 * Soft disconnect: the NBD_CMD_DISC header to send, after which nothing
 * may be sent. Returns 0; -EBUSY while requests are in flight (the spec
 * asks the client to wait for them); -ENOTCONN if not started or dead.
 */
int nbd_conn_disconnect(struct nbd_conn *c, uint8_t hdr[NBD_REQUEST_SIZE]);

/*
 * After nbd_conn_start() on a new connection: the next request to resend,
 * with its new header in hdr (a new cookie), or NULL when all have been.
 * The returned slot's priv, cmd, offset and length say what it is (a
 * WRITE's data follows its header again).
 */
struct nbd_inflight *nbd_conn_resend_next(struct nbd_conn *c,
					  uint8_t hdr[NBD_REQUEST_SIZE]);

/*
 * Giving up: take one request out of the table and return its priv (NULL
 * when the table is empty); the caller fails it. Any time the caller
 * owns the connection (typically after it died).
 */
void *nbd_conn_abandon_next(struct nbd_conn *c);

/* Why the connection died ("" while it lives). */
static inline const char *nbd_conn_reason(const struct nbd_conn *c)
{
	return c->reason;
}

static inline bool nbd_conn_dead(const struct nbd_conn *c)
{
	return c->rx_state == NBD_RX_DEAD;
}

/* ------------------------------------------------------------------ errors */

/* A reply's error value as an errno (0 stays 0; unknown: -EINVAL). */
int nbd_error_to_errno(uint32_t nbd_error);
/* "NBD_EIO (Input/output error)"; unknown: "unknown NBD error". */
const char *nbd_error_name(uint32_t nbd_error);
/* "NBD_CMD_READ", ... ("NBD_CMD_?" for others). */
const char *nbd_cmd_name(uint16_t cmd);

#endif

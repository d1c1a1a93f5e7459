/*
 * net/nbd_kthread.c - NBD block devices (net/nbd.h): the block layer's
 * requests carried by the NBD protocol (net/nbd_proto.h) over a kernel
 * TCP connection (net/sock.h). Kernel only: its work is done by threads.
 * docs/net/nbd.md.
 *
 * Per device, two threads:
 *  - the sender ("nbd0-tx") takes submitted requests in order, gets each
 *    a slot and a header from the protocol's table (nbd_conn_request),
 *    and sends header and data;
 *  - the receiver ("nbd0-rx") feeds what the server sends to the
 *    protocol (nbd_conn_input), which copies READ data into the request's
 *    pages and completes requests; when the connection breaks it also
 *    reconnects and resends what was in flight.
 *
 * Locks, in the order taken:
 *  send_lock (mutex)  the socket: held by the sender while it sends, and
 *                     by the receiver for a whole reconnect, so nothing
 *                     is sent on a socket being replaced;
 *  conn_lock (mutex)  the protocol state and its table; complete() runs
 *                     under it and may submit again (blk end_io), which
 *                     takes only lock;
 *  lock (spinlock)    the list of requests not yet sent, and the state.
 * Nothing here allocates once a device exists: the table, the receive
 * buffer and the handshake's state are part of it, and the connection is
 * a memalloc socket (docs/mm/swap-over-network.md).
 */
#include "net/nbd.h"
#include "net/inet.h"
#include "net/nbd_proto.h"
#include "net/net.h"
#include "net/sock.h"
#include "drivers/block/blk.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/kthread.h"
#include "kernel/lib/list.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/mutex.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "kernel/wait.h"
#include "mm/kmalloc.h"
#include "mm/page_alloc.h"

#define NBD_RXBUF		(16 * 1024)
#define NBD_CONNECT_MS		5000	/* one connection attempt */
#define NBD_HANDSHAKE_MS	10000	/* one handshake, all of it */
#define NBD_SEND_MS		30000	/* a send that makes no progress */
#define NBD_BACKOFF_MIN_MS	100
#define NBD_BACKOFF_MAX_MS	2000
#define NBD_BOOT_WAIT_MS	10000	/* nbd= waits this long for ip=dhcp */

enum nbd_state {
	NBD_CONNECTED,		/* requests flow */
	NBD_RECONNECTING,	/* requests wait; the receiver reconnects */
	NBD_DEAD,		/* gave up: every request fails */
	NBD_DISCONNECTED,	/* `nbd disconnect`: closed, refuses requests */
};

static const char *const nbd_state_names[] = {
	[NBD_CONNECTED] = "connected",
	[NBD_RECONNECTING] = "reconnecting",
	[NBD_DEAD] = "dead",
	[NBD_DISCONNECTED] = "disconnected",
};

/* The claim a disconnected device keeps (blk_claim), so nothing mounts
 * it or swaps to it again: refusals say "in use by" this. */
static const char nbd_closed_holder[] = "`nbd disconnect` (the device is closed)";

struct nbd_device {
	struct block_device bdev;
	uint32_t addr;
	uint16_t port;
	char export[NBD_MAX_NAME + 1];

	struct mutex send_lock;
	struct net_sock *sock;

	struct mutex conn_lock;
	struct nbd_conn conn;
	struct nbd_inflight slots[NBD_SLOTS];
	struct nbd_handshake hs;	/* the receiver's, while connecting */

	spinlock_t lock;
	struct list_head pending;	/* submitted, not yet sent */
	enum nbd_state state;
	struct wait_queue_head wq;	/* the sender: work, a free slot */

	uint8_t *rxbuf;
	struct thread *sender, *receiver;
	bool closed;			/* disconnected: the receiver let go */

	uint64_t last_progress_ns;	/* a reply byte, or the first request
					 * sent into an empty table */
	/* For `nbd` and the tests. */
	unsigned long requests, reconnects, resent, server_errors;
	uint64_t down_since_ns, longest_down_ns;
	uint64_t longest_stall_ns;	/* requests waiting, nothing heard */
	char last_error[160];
};

static struct nbd_device *nbd_devs[NBD_MAX_DEVICES];
static unsigned int nbd_count;
static DEFINE_MUTEX(nbd_devs_lock);
static unsigned int nbd_timeout_s = 60;
static unsigned int nbd_io_timeout_s = 30;

static int set_nbd_io_timeout(const char *value)
{
	if (param_parse_uint(value, 1, 3600, &nbd_io_timeout_s))
		return 0;
	pr_err("nbd: nbd.io_timeout=%s: expected seconds, 1-3600\n",
	       value ? value : "");
	return -1;
}
KERNEL_PARAM("nbd.io_timeout", set_nbd_io_timeout, "seconds without a reply, with requests in flight, before an NBD connection is taken as dead and made again (30)");

static int set_nbd_timeout(const char *value)
{
	if (param_parse_uint(value, 1, 86400, &nbd_timeout_s))
		return 0;
	pr_err("nbd: nbd.timeout=%s: expected seconds, 1-86400\n",
	       value ? value : "");
	return -1;
}
KERNEL_PARAM("nbd.timeout", set_nbd_timeout, "seconds an NBD device waits for its server to come back before it fails (60)");

static void set_error(struct nbd_device *nd, const char *fmt, ...)
	__printf(2, 3);
static void set_error(struct nbd_device *nd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kvsnprintf(nd->last_error, sizeof(nd->last_error), fmt, ap);
	va_end(ap);
}

/* ---------------------------------------------------------------- protocol callbacks */

/* A READ's data, at req_off of the request's segments. */
static void nbd_read_data(struct nbd_conn *c, void *priv, uint32_t req_off,
			  const uint8_t *data, uint32_t len)
{
	struct blk_request *req = priv;
	uint32_t seg_start = 0;

	(void)c;
	for (unsigned int i = 0; i < req->nr_segs && len; i++) {
		const struct blk_segment *g = &req->segs[i];
		uint32_t seg_end = seg_start + g->len;

		if (req_off < seg_end) {
			uint32_t in = req_off - seg_start;
			uint32_t n = g->len - in < len ? g->len - in : len;

			memcpy((uint8_t *)page_address(g->page) + g->offset + in,
			       data, n);
			data += n;
			len -= n;
			req_off += n;
		}
		seg_start = seg_end;
	}
}

static struct ratelimit nbd_err_rl = RATELIMIT_INIT(1000000000ull);

static void nbd_complete(struct nbd_conn *c, void *priv, int error,
			 uint32_t nbd_error, const char *reason)
{
	struct nbd_device *nd = c->owner;
	struct blk_request *req = priv;

	if (error) {
		nd->server_errors++;
		set_error(nd, "%s at sector %llu: %s",
			  req->op == BLK_OP_READ ? "read" :
			  req->op == BLK_OP_WRITE ? "write" : "flush",
			  (unsigned long long)req->sector, reason);
		if (__ratelimit(&nbd_err_rl))
			pr_err("%s: %s (NBD error %u)\n", nd->bdev.name,
			       nd->last_error, nbd_error);
		req->error_sector = req->sector;
	}
	blk_complete(&nd->bdev, req, error);
	wake_up(&nd->wq);		/* a slot came free */
}

static const struct nbd_conn_ops nbd_conn_ops = {
	.read_data = nbd_read_data,
	.complete = nbd_complete,
};

/* ---------------------------------------------------------------- connecting */

static void fmt_server(const struct nbd_device *nd, char *buf)
{
	char a[NET_IPV4_STRLEN];

	ksnprintf(buf, 24, "%s:%u", net_format_ipv4(nd->addr, a), nd->port);
}

/* Send all of buf: 0 or -errno. */
static int send_all(struct net_sock *s, const void *buf, size_t len)
{
	return net_sock_send(s, buf, len, NBD_SEND_MS);
}

/*
 * Connect and negotiate the export on nd->sock: the first time a new
 * socket (net_tcp_connect), after that the same one again
 * (net_sock_reconnect: nothing allocated, so a reconnect works while
 * memory is out and swap waits for this device). 0 with nd->hs DONE and
 * the socket memalloc, or -errno with why (the socket left unconnected;
 * freed if it was new).
 */
static int nbd_open(struct nbd_device *nd, char *why, size_t why_len)
{
	uint64_t deadline = clock_ns() + (uint64_t)NBD_HANDSHAKE_MS * 1000000;
	bool fresh = !nd->sock;
	char server[24];
	struct net_sock *s;
	int err;

	fmt_server(nd, server);
	if (fresh)
		err = net_tcp_connect(nd->addr, nd->port, NBD_CONNECT_MS, &nd->sock);
	else
		err = net_sock_reconnect(nd->sock, NBD_CONNECT_MS);
	if (err) {
		ksnprintf(why, why_len, "cannot connect to %s: %s", server,
			  err == -ECONNREFUSED ? "connection refused" :
			  err == -ETIMEDOUT ? "no answer" :
			  err == -ENODEV ? "no network interface" :
			  err == -ENETUNREACH ? "network unreachable (no address?)" :
			  "error");
		return err;
	}
	s = nd->sock;
	/* Before the handshake: the server's first bytes may come into the
	 * reserves. */
	err = net_sock_set_memalloc(s);
	if (err) {
		ksnprintf(why, why_len, "%s: cannot mark the connection memalloc (%d)",
			  server, err);
		goto fail;
	}
	nbd_handshake_init(&nd->hs, nd->export);
	for (;;) {
		const void *o;
		size_t n;
		long got;

		while ((n = nbd_handshake_output(&nd->hs, &o)) > 0) {
			err = send_all(s, o, n);
			if (err)
				goto broken;
			nbd_handshake_output_done(&nd->hs, n);
		}
		if (nd->hs.state == NBD_HS_DONE)
			break;
		if (nd->hs.state == NBD_HS_FAILED) {
			ksnprintf(why, why_len, "%s: %s", server, nd->hs.reason);
			err = nd->hs.error;
			goto fail;
		}
		if (clock_ns() > deadline) {
			err = -ETIMEDOUT;
			goto broken;
		}
		got = net_sock_recv(s, nd->rxbuf, NBD_RXBUF, NBD_HANDSHAKE_MS);
		if (got == 0) {
			nbd_handshake_eof(&nd->hs);
			continue;
		}
		if (got < 0) {
			err = (int)got;
			goto broken;
		}
		if (nbd_handshake_input(&nd->hs, nd->rxbuf, (size_t)got) <
		    (size_t)got && nd->hs.state == NBD_HS_DONE) {
			ksnprintf(why, why_len, "%s: the server sent data before any request "
				  "(protocol error)", server);
			err = -EPROTO;
			goto fail;
		}
	}
	return 0;
broken:
	ksnprintf(why, why_len, "%s: the connection broke during the handshake (%s)",
		  server, err == -ETIMEDOUT ? "timed out" : "reset");
fail:
	if (fresh) {
		net_sock_abort(s);
		nd->sock = NULL;
	} else {
		net_sock_kill(s);
	}
	return err;
}

/* Send a header and, for a WRITE, its data, as one stream (they share
 * segments). Caller holds send_lock. */
static int send_request(struct nbd_device *nd, const uint8_t *hdr,
			struct blk_request *req)
{
	struct net_iov iov[1 + 64];
	unsigned int n = 0;

	iov[n++] = (struct net_iov){ hdr, NBD_REQUEST_SIZE };
	if (req->op == BLK_OP_WRITE) {
		if (req->nr_segs > 64)
			return -EINVAL;
		for (unsigned int i = 0; i < req->nr_segs; i++) {
			const struct blk_segment *g = &req->segs[i];

			iov[n++] = (struct net_iov){
				(uint8_t *)page_address(g->page) + g->offset,
				g->len };
		}
	}
	return net_sock_sendv(nd->sock, iov, n, NBD_SEND_MS);
}

static void fail_pending(struct nbd_device *nd, int err)
{
	unsigned long flags;

	for (;;) {
		struct blk_request *req = NULL;

		spin_lock_irqsave(&nd->lock, flags);
		if (!list_empty(&nd->pending)) {
			req = list_first_entry(&nd->pending, struct blk_request,
					       queue);
			list_del(&req->queue);
		}
		spin_unlock_irqrestore(&nd->lock, flags);
		if (!req)
			return;
		blk_complete(&nd->bdev, req, err);
	}
}

static void set_state(struct nbd_device *nd, enum nbd_state st)
{
	unsigned long flags;

	spin_lock_irqsave(&nd->lock, flags);
	nd->state = st;
	spin_unlock_irqrestore(&nd->lock, flags);
	/* Reconnecting, its requests held: reclaim waits for what it holds
	 * (blk_set_stalled). Any other state ends that. */
	blk_set_stalled(&nd->bdev, st == NBD_RECONNECTING);
	wake_up(&nd->wq);
}

/*
 * The connection broke (why): keep what is in flight, connect again with
 * back-off, resend, carry on. false: nbd.timeout passed, the device is
 * dead. Called by the receiver.
 */
static bool nbd_reconnect(struct nbd_device *nd, const char *why)
{
	uint64_t start = clock_ns();
	uint64_t limit = start + (uint64_t)nbd_timeout_s * 1000000000ull;
	unsigned int backoff = NBD_BACKOFF_MIN_MS, tries = 0;
	char server[24], reason[160];

	fmt_server(nd, server);
	set_error(nd, "connection lost: %s", why);
	nd->down_since_ns = start;
	set_state(nd, NBD_RECONNECTING);
	pr_warn("%s: connection to %s lost: %s; reconnecting for up to %u s "
		"(%u requests in flight wait)\n", nd->bdev.name, server, why,
		nbd_timeout_s, nd->conn.nr_inflight);
	/* Stop a send blocked on the old connection, then take the socket
	 * (kept: it is connected again, its memory reused). */
	net_sock_kill(nd->sock);
	mutex_lock(&nd->send_lock);
	while (clock_ns() < limit && !kthread_should_stop()) {
		struct nbd_inflight *slot;
		uint8_t hdr[NBD_REQUEST_SIZE];
		unsigned int resent = 0;
		int err;

		tries++;
		err = nbd_open(nd, reason, sizeof(reason));
		if (!err) {
			mutex_lock(&nd->conn_lock);
			err = nbd_conn_start(&nd->conn, &nd->hs);
			if (err) {
				/* The export changed under us: what is in
				 * flight cannot be resent. */
				ksnprintf(reason, sizeof(reason), "%s",
					  nbd_conn_reason(&nd->conn));
				mutex_unlock(&nd->conn_lock);
				net_sock_kill(nd->sock);
				break;
			}
			while (!err && (slot = nbd_conn_resend_next(&nd->conn, hdr))) {
				err = send_request(nd, hdr, slot->priv);
				resent++;
			}
			mutex_unlock(&nd->conn_lock);
			if (!err) {
				uint64_t down = clock_ns() - start;

				nd->reconnects++;
				nd->resent += resent;
				if (down > nd->longest_down_ns)
					nd->longest_down_ns = down;
				nd->down_since_ns = 0;
				WRITE_ONCE(nd->last_progress_ns, clock_ns());
				set_state(nd, NBD_CONNECTED);
				mutex_unlock(&nd->send_lock);
				pr_info("%s: reconnected to %s after %llu ms (%u tries), "
					"%u requests resent\n", nd->bdev.name, server,
					(unsigned long long)(down / 1000000), tries,
					resent);
				return true;
			}
			ksnprintf(reason, sizeof(reason), "%s: resending failed", server);
			net_sock_kill(nd->sock);
		}
		sleep_ms(backoff);
		backoff = backoff * 2 > NBD_BACKOFF_MAX_MS ? NBD_BACKOFF_MAX_MS :
			  backoff * 2;
	}
	/* Past the limit: the device is dead, as a dead swap disk is. */
	set_error(nd, "%s unreachable for %u s (last: %s)", server,
		  nbd_timeout_s, reason);
	set_state(nd, NBD_DEAD);
	mutex_unlock(&nd->send_lock);
	pr_err("%s: giving up: %s\n", nd->bdev.name, nd->last_error);
	blk_mark_dead(&nd->bdev, nd->last_error);
	mutex_lock(&nd->conn_lock);
	/* As blk_mark_dead asks: what the device holds fails with -ENODEV
	 * (swap then knows the area died, not a sector). */
	for (void *priv; (priv = nbd_conn_abandon_next(&nd->conn));)
		blk_complete(&nd->bdev, priv, -ENODEV);
	mutex_unlock(&nd->conn_lock);
	fail_pending(nd, -ENODEV);
	return false;
}

/* ---------------------------------------------------------------- threads */

static int nbd_receiver(void *arg)
{
	struct nbd_device *nd = arg;
	char why[NBD_REASON_LEN + 32];

	while (!kthread_should_stop()) {
		long n = net_sock_recv(nd->sock, nd->rxbuf, NBD_RXBUF, 1000);
		int err;

		if (n == -ETIMEDOUT) {
			/* Idle, or a server that stopped answering without
			 * closing (a path that drops everything): past
			 * nbd.io_timeout with requests waiting, start over. */
			if (READ_ONCE(nd->conn.nr_inflight) &&
			    clock_ns() - READ_ONCE(nd->last_progress_ns) >
			    (uint64_t)nbd_io_timeout_s * 1000000000ull) {
				ksnprintf(why, sizeof(why), "no reply for %u s with %u requests in flight",
					  nbd_io_timeout_s, READ_ONCE(nd->conn.nr_inflight));
				if (!nbd_reconnect(nd, why))
					break;
			}
			continue;
		}
		if (n > 0) {
			uint64_t now = clock_ns();

			if (READ_ONCE(nd->conn.nr_inflight) &&
			    now - READ_ONCE(nd->last_progress_ns) > nd->longest_stall_ns)
				nd->longest_stall_ns = now - READ_ONCE(nd->last_progress_ns);
			WRITE_ONCE(nd->last_progress_ns, now);
			mutex_lock(&nd->conn_lock);
			err = nbd_conn_input(&nd->conn, nd->rxbuf, (size_t)n);
			if (err)
				ksnprintf(why, sizeof(why), "%s",
					  nbd_conn_reason(&nd->conn));
			mutex_unlock(&nd->conn_lock);
			if (!err)
				continue;
			pr_err("%s: protocol error: %s\n", nd->bdev.name, why);
		} else if (READ_ONCE(nd->state) == NBD_DISCONNECTED) {
			/* The server's side of NBD_CMD_DISC, or nbd_disconnect
			 * cut the connection: never reconnect. */
			break;
		} else if (n == 0) {
			mutex_lock(&nd->conn_lock);
			err = nbd_conn_eof(&nd->conn);
			ksnprintf(why, sizeof(why), "%s",
				  err ? nbd_conn_reason(&nd->conn) :
				  "the server closed the connection");
			mutex_unlock(&nd->conn_lock);
		} else {
			ksnprintf(why, sizeof(why), "%s",
				  n == -ECONNRESET ? "connection reset" :
				  n == -ECONNABORTED ? "connection aborted" :
				  "connection error");
		}
		if (!nbd_reconnect(nd, why))
			break;
	}
	if (READ_ONCE(nd->state) == NBD_DISCONNECTED) {
		/* The sender has ended or sends nothing more (it sends only
		 * while connected, under send_lock). */
		mutex_lock(&nd->send_lock);
		net_sock_close(nd->sock);
		nd->sock = NULL;
		mutex_unlock(&nd->send_lock);
		/* Only when the wait for the table to drain timed out. */
		mutex_lock(&nd->conn_lock);
		for (void *priv; (priv = nbd_conn_abandon_next(&nd->conn));)
			blk_complete(&nd->bdev, priv, -ENODEV);
		mutex_unlock(&nd->conn_lock);
		WRITE_ONCE(nd->closed, true);
		wake_up(&nd->wq);
	}
	return 0;
}

static bool sender_has_work(struct nbd_device *nd)
{
	unsigned long flags;
	bool work;

	spin_lock_irqsave(&nd->lock, flags);
	work = nd->state == NBD_DEAD || nd->state == NBD_DISCONNECTED ||
	       (nd->state == NBD_CONNECTED && !list_empty(&nd->pending) &&
		READ_ONCE(nd->conn.nr_inflight) < NBD_SLOTS);
	spin_unlock_irqrestore(&nd->lock, flags);
	return work;
}

static int nbd_sender(void *arg)
{
	struct nbd_device *nd = arg;

	while (!kthread_should_stop()) {
		struct blk_request *req = NULL;
		uint8_t hdr[NBD_REQUEST_SIZE];
		unsigned long flags;
		uint32_t len = 0;
		uint16_t cmd;
		int err;

		wait_event_timeout(nd->wq, sender_has_work(nd) ||
				   kthread_should_stop(), 1000);
		if (READ_ONCE(nd->state) >= NBD_DEAD) {
			/* Nothing more is ever sent: fail what was queued
			 * (nbd_submit queues nothing once the state says
			 * so, under nd->lock) and end. */
			fail_pending(nd, -ENODEV);
			break;
		}
		mutex_lock(&nd->send_lock);
		spin_lock_irqsave(&nd->lock, flags);
		if (nd->state == NBD_CONNECTED && !list_empty(&nd->pending)) {
			req = list_first_entry(&nd->pending, struct blk_request,
					       queue);
			list_del(&req->queue);
		}
		spin_unlock_irqrestore(&nd->lock, flags);
		if (!req) {
			mutex_unlock(&nd->send_lock);
			continue;
		}
		for (unsigned int i = 0; i < req->nr_segs; i++)
			len += req->segs[i].len;
		cmd = req->op == BLK_OP_READ ? NBD_CMD_READ :
		      req->op == BLK_OP_WRITE ? NBD_CMD_WRITE : NBD_CMD_FLUSH;
		mutex_lock(&nd->conn_lock);
		err = nbd_conn_request(&nd->conn, cmd, 0,
				       cmd == NBD_CMD_FLUSH ? 0 :
				       req->sector << SECTOR_SHIFT,
				       cmd == NBD_CMD_FLUSH ? 0 : len, req, hdr,
				       NULL);
		mutex_unlock(&nd->conn_lock);
		if (err == -EBUSY || err == -ENOTCONN) {
			/* No slot yet, or the connection just died: back to
			 * the head of the line. */
			spin_lock_irqsave(&nd->lock, flags);
			list_add(&req->queue, &nd->pending);
			spin_unlock_irqrestore(&nd->lock, flags);
			mutex_unlock(&nd->send_lock);
			if (err == -ENOTCONN)
				sleep_ms(10);
			continue;
		}
		if (err) {
			mutex_unlock(&nd->send_lock);
			blk_complete(&nd->bdev, req, err);
			continue;
		}
		nd->requests++;
		if (READ_ONCE(nd->conn.nr_inflight) == 1)
			WRITE_ONCE(nd->last_progress_ns, clock_ns());
		/* A failed send leaves the request in the table: the
		 * receiver sees the connection die and resends it. */
		if (send_request(nd, hdr, req))
			net_sock_kill(nd->sock);
		mutex_unlock(&nd->send_lock);
	}
	return 0;
}

/* ---------------------------------------------------------------- block device */

static int nbd_submit(struct block_device *bdev, struct blk_request *req)
{
	struct nbd_device *nd = bdev->driver_data;
	unsigned long flags;
	bool dead;

	if (req->op == BLK_OP_FLUSH && !bdev->has_flush) {
		blk_complete(bdev, req, 0);	/* the server writes through */
		return 0;
	}
	spin_lock_irqsave(&nd->lock, flags);
	dead = nd->state >= NBD_DEAD;
	if (!dead)
		list_add_tail(&req->queue, &nd->pending);
	spin_unlock_irqrestore(&nd->lock, flags);
	if (dead)
		return -ENODEV;
	wake_up(&nd->wq);
	return 0;
}

static const struct block_device_ops nbd_ops = {
	.submit = nbd_submit,
};

int nbd_connect(uint32_t addr, uint16_t port, const char *export,
		char *name, char *why, size_t why_len)
{
	struct nbd_device *nd;
	struct block_device *b;
	int err;

	if (!net_ready()) {
		ksnprintf(why, why_len, "no network (boot with a NIC and ip=)");
		return -ENODEV;
	}
	if (strlen(export) > NBD_MAX_NAME) {
		ksnprintf(why, why_len, "export name longer than %u bytes",
			  NBD_MAX_NAME);
		return -EINVAL;
	}
	mutex_lock(&nbd_devs_lock);
	if (nbd_count == NBD_MAX_DEVICES) {
		mutex_unlock(&nbd_devs_lock);
		ksnprintf(why, why_len, "at most %u NBD devices", NBD_MAX_DEVICES);
		return -ENOSPC;
	}
	nd = kzalloc(sizeof(*nd), GFP_KERNEL);
	if (!nd || !(nd->rxbuf = kmalloc(NBD_RXBUF, GFP_KERNEL))) {
		mutex_unlock(&nbd_devs_lock);
		kfree(nd);
		ksnprintf(why, why_len, "no memory");
		return -ENOMEM;
	}
	nd->addr = addr;
	nd->port = port;
	strlcpy(nd->export, export, sizeof(nd->export));
	mutex_init(&nd->send_lock, "nbd_send");
	mutex_init(&nd->conn_lock, "nbd_conn");
	spin_lock_init(&nd->lock, "nbd");
	init_waitqueue_head(&nd->wq, "nbd");
	INIT_LIST_HEAD(&nd->pending);
	nbd_conn_init(&nd->conn, nd->slots, NBD_SLOTS, &nbd_conn_ops, nd);
	err = nbd_open(nd, why, why_len);
	if (!err)
		err = nbd_conn_start(&nd->conn, &nd->hs);
	if (err) {
		mutex_unlock(&nbd_devs_lock);
		if (nd->sock)
			net_sock_close(nd->sock);
		kfree(nd->rxbuf);
		kfree(nd);
		return err;
	}
	b = &nd->bdev;
	ksnprintf(b->name, sizeof(b->name), "nbd%u", nbd_count);
	b->nr_sectors = nd->hs.export.size >> SECTOR_SHIFT;
	b->queue_depth = NBD_SLOTS;
	b->max_segments = 64;
	b->has_flush = nd->hs.export.flags & NBD_FLAG_SEND_FLUSH;
	b->read_only = nbd_export_read_only(&nd->hs.export);
	b->ops = &nbd_ops;
	b->driver_data = nd;
	b->irq_driven = true;		/* completions wake the waiter */
	b->dma_dev = NULL;		/* data is copied, never DMA'd */
	nd->state = NBD_CONNECTED;
	nd->sender = kthread_run(nbd_sender, nd, "%s-tx", b->name);
	nd->receiver = kthread_run(nbd_receiver, nd, "%s-rx", b->name);
	/* Nobody stops them: both end when the device dies or is
	 * disconnected; each frees itself when it ends. */
	if (nd->sender)
		kthread_detach(nd->sender);
	if (nd->receiver)
		kthread_detach(nd->receiver);
	if (!nd->sender || !nd->receiver) {
		/* Threads are never stopped once started (no detach yet):
		 * a device without both is dead from the start. */
		pr_err("%s: cannot start its threads\n", b->name);
		nd->state = NBD_DEAD;
	}
	nbd_devs[nbd_count++] = nd;
	blk_register(b);
	mutex_unlock(&nbd_devs_lock);
	strlcpy(name, b->name, 16);
	char server[24];

	fmt_server(nd, server);
	pr_info("%s: %s export '%s', %llu bytes (%llu MiB)%s%s, blocks %u/%u/%u, "
		"%u requests in flight\n", b->name, server, export,
		(unsigned long long)nd->hs.export.size,
		(unsigned long long)(nd->hs.export.size >> 20),
		b->read_only ? ", read-only" : "", b->has_flush ? ", flush" : "",
		nd->hs.export.min_block, nd->hs.export.pref_block,
		nd->hs.export.max_block, NBD_SLOTS);
	return 0;
}

/*
 * Close nbd<n> the way the protocol asks (NBD_CMD_DISC once nothing is in
 * flight; the server then closes). The device stays listed as
 * "disconnected" and refuses every request; its claim is kept, so
 * nothing mounts it or swaps to it again.
 */
int nbd_disconnect(const char *name, char *why, size_t why_len)
{
	struct nbd_device *nd = NULL;
	uint8_t hdr[NBD_REQUEST_SIZE];
	unsigned long flags;
	const char *by = "";
	uint64_t end;
	int err;

	mutex_lock(&nbd_devs_lock);
	for (unsigned int i = 0; i < nbd_count; i++)
		if (!strcmp(nbd_devs[i]->bdev.name, name))
			nd = nbd_devs[i];
	mutex_unlock(&nbd_devs_lock);
	if (!nd) {
		ksnprintf(why, why_len, "no such NBD device");
		return -ENODEV;
	}
	if (READ_ONCE(nd->state) != NBD_CONNECTED) {
		ksnprintf(why, why_len, "it is %s, not connected",
			  nbd_state_names[READ_ONCE(nd->state)]);
		return -ENOTCONN;
	}
	/* Nobody may be using it: a file system, a swap area. */
	if (blk_claim(&nd->bdev, nbd_closed_holder, &by)) {
		ksnprintf(why, why_len, "in use by %s", by);
		return -EBUSY;
	}
	/* What was submitted before the claim goes out and is answered
	 * (the spec: no NBD_CMD_DISC with requests in flight). */
	end = clock_ns() + (uint64_t)nbd_io_timeout_s * 1000000000ull;
	for (;;) {
		bool idle;

		spin_lock_irqsave(&nd->lock, flags);
		idle = list_empty(&nd->pending) && !READ_ONCE(nd->conn.nr_inflight);
		spin_unlock_irqrestore(&nd->lock, flags);
		if (idle || clock_ns() > end)
			break;
		sleep_ms(10);
	}
	mutex_lock(&nd->send_lock);
	spin_lock_irqsave(&nd->lock, flags);
	if (nd->state != NBD_CONNECTED || !list_empty(&nd->pending)) {
		spin_unlock_irqrestore(&nd->lock, flags);
		mutex_unlock(&nd->send_lock);
		blk_unclaim(&nd->bdev, nbd_closed_holder);
		ksnprintf(why, why_len, nd->state != NBD_CONNECTED ?
			  "the connection broke first" :
			  "requests still waiting after %u s", nbd_io_timeout_s);
		return -EBUSY;
	}
	/* From here nbd_submit refuses, the sender ends. */
	nd->state = NBD_DISCONNECTED;
	spin_unlock_irqrestore(&nd->lock, flags);
	wake_up(&nd->wq);
	mutex_lock(&nd->conn_lock);
	err = nbd_conn_disconnect(&nd->conn, hdr);
	mutex_unlock(&nd->conn_lock);
	if (!err)
		err = net_sock_send(nd->sock, hdr, NBD_REQUEST_SIZE, NBD_SEND_MS);
	mutex_unlock(&nd->send_lock);
	/* The server closes its side; the receiver sees it, closes ours.
	 * A server that stays is cut off after a second. */
	if (err || !wait_event_timeout(nd->wq, READ_ONCE(nd->closed), 1000)) {
		ksnprintf(why, why_len, err ? "NBD_CMD_DISC not sent (%d): connection cut" :
			  "the server did not close in 1 s: connection cut", err);
		/* The receiver may be closing the socket right now (it does
		 * so under send_lock, and sets closed). */
		mutex_lock(&nd->send_lock);
		if (nd->sock && !READ_ONCE(nd->closed))
			net_sock_kill(nd->sock);
		mutex_unlock(&nd->send_lock);
		wait_event_timeout(nd->wq, READ_ONCE(nd->closed), 5000);
	} else {
		ksnprintf(why, why_len, "the server closed the connection");
	}
	set_error(nd, "disconnected: %s", why);
	return 0;
}

/* ---------------------------------------------------------------- boot and console */

static char boot_nbd[NBD_MAX_NAME + 32];

static int set_nbd(const char *value)
{
	if (!value || !*value || strlen(value) >= sizeof(boot_nbd)) {
		pr_err("nbd: nbd= needs ADDR:PORT/EXPORT\n");
		return -1;
	}
	strlcpy(boot_nbd, value, sizeof(boot_nbd));
	return 0;
}
KERNEL_PARAM("nbd", set_nbd, "ADDR:PORT/EXPORT: connect nbd0 to an NBD server at boot");

static int connect_words(const char *server, const char *export)
{
	char name[16], why[200];
	uint32_t addr;
	uint16_t port;
	int err;

	if (net_parse_endpoint(server, NBD_DEFAULT_PORT, &addr, &port)) {
		printk("nbd: %s: expected ADDR[:PORT] (10.0.2.100:10809)\n", server);
		return -EINVAL;
	}
	err = nbd_connect(addr, port, export, name, why, sizeof(why));
	if (err)
		printk("nbd: %s export '%s': %s (error %d)\n", server, export,
		       why, err);
	else
		printk("nbd: %s connected to %s export '%s'\n", name, server,
		       export);
	return err;
}

void nbd_boot_init(void)
{
	char *slash;
	int err;

	if (!boot_nbd[0])
		return;
	slash = strchr(boot_nbd, '/');
	if (!slash) {
		pr_err("nbd: nbd=%s: expected ADDR:PORT/EXPORT\n", boot_nbd);
		return;
	}
	*slash = 0;
	/* With ip=dhcp the lease may not be there yet. */
	err = net_wait_address(NBD_BOOT_WAIT_MS);
	if (err) {
		pr_err("nbd: nbd=%s/%s: %s; not connected\n", boot_nbd, slash + 1,
		       err == -ETIMEDOUT ? "no address from DHCP in 10 s" :
		       err == -ENODEV ? "no network (a NIC and ip= are needed)" :
		       "no address (ip= is needed)");
		return;
	}
	connect_words(boot_nbd, slash + 1);
}

static int cmd_nbd(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "connect")) {
		if (argc != 4) {
			printk("usage: nbd connect ADDR[:PORT] EXPORT\n");
			return 1;
		}
		return connect_words(argv[2], argv[3]) ? 1 : 0;
	}
	if (argc >= 2 && !strcmp(argv[1], "disconnect")) {
		char why[160];
		int err;

		if (argc != 3) {
			printk("usage: nbd disconnect nbdN\n");
			return 1;
		}
		err = nbd_disconnect(argv[2], why, sizeof(why));
		if (err)
			printk("nbd: %s: cannot disconnect: %s (error %d)\n",
			       argv[2], why, err);
		else
			printk("nbd: %s disconnected (%s)\n", argv[2], why);
		return err ? 1 : 0;
	}
	if (argc != 1) {
		printk("usage: nbd | nbd connect ADDR[:PORT] EXPORT | "
		       "nbd disconnect nbdN\n");
		return 1;
	}
	mutex_lock(&nbd_devs_lock);
	if (!nbd_count)
		printk("no NBD devices (nbd connect ADDR[:PORT] EXPORT)\n");
	for (unsigned int i = 0; i < nbd_count; i++) {
		struct nbd_device *nd = nbd_devs[i];
		char server[24];

		fmt_server(nd, server);
		printk("%s: %s export '%s', %llu MiB, %s; %u in flight, %lu requests, "
		       "%lu server errors, %lu reconnects (%lu resent, longest down %llu ms), "
		       "longest wait for the server %llu ms\n",
		       nd->bdev.name, server, nd->export,
		       (unsigned long long)(nd->bdev.nr_sectors >> 11),
		       nbd_state_names[READ_ONCE(nd->state)],
		       READ_ONCE(nd->conn.nr_inflight), nd->requests,
		       nd->server_errors, nd->reconnects, nd->resent,
		       (unsigned long long)(nd->longest_down_ns / 1000000),
		       (unsigned long long)(nd->longest_stall_ns / 1000000));
		if (nd->last_error[0])
			printk("  last error: %s\n", nd->last_error);
	}
	mutex_unlock(&nbd_devs_lock);
	return 0;
}
CONSOLE_COMMAND(nbd, "[connect ADDR[:PORT] EXPORT | disconnect nbdN]: NBD devices, "
		"or connect or close one", cmd_nbd);

/*
 * net/lwip/sock.c - kernel TCP connections over lwIP's raw API
 * (net/sock.h). lwIP's callbacks run in netd; the caller's functions run
 * in the caller's thread and reach lwIP only through net_call.
 *
 * Shared between netd and the caller, under s->lock: the receive ring
 * (netd writes at head, the reader takes at tail), the counts of bytes
 * read but not yet given back to TCP's window (unacked), and the state
 * flags. The pcb is netd's alone: lwIP may free it (tcp_err) at any
 * moment netd runs.
 */
#include "net/sock.h"
#include "net/net.h"
#include "net/lwip/internal.h"
#include "kernel/errno.h"
#include "kernel/lib/list.h"
#include "kernel/lib/string.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/time.h"
#include "kernel/wait.h"
#include "mm/kmalloc.h"

#include "lwip/tcp.h"

struct net_sock {
	struct tcp_pcb *pcb;		/* netd's; NULL once lwIP freed it */
	spinlock_t lock;
	uint8_t *rx;			/* NET_SOCK_RXBUF bytes */
	size_t head, tail;		/* bytes ever put / taken */
	size_t unacked;			/* taken, window not yet reopened */
	bool queued;			/* on recved_socks */
	bool connected, eof, dead;
	bool memalloc;			/* in the memalloc table now */
	bool memalloc_wanted;		/* net_sock_set_memalloc: on every
					 * connection it makes */
	uint16_t local_port, remote_port;	/* for the memalloc table */
	uint32_t remote_ip_n;
	uint32_t addr;			/* the peer, host order */
	uint16_t port;
	int err;			/* why dead */
	unsigned long sent_gen;		/* bumped as lwIP frees send space */
	struct wait_queue_head wq;
	struct list_head recved_node;
};

/* Sockets whose reader took bytes: netd reopens their windows. */
static spinlock_t recved_lock = SPINLOCK_INIT("net_sock_recved");
static struct list_head recved_socks = LIST_HEAD_INIT(recved_socks);

static int lwip_to_errno(err_t err)
{
	switch (err) {
	case ERR_OK:		return 0;
	case ERR_MEM:
	case ERR_BUF:		return -ENOMEM;
	case ERR_TIMEOUT:	return -ETIMEDOUT;
	case ERR_RTE:		return -EHOSTUNREACH;
	case ERR_ABRT:		return -ECONNABORTED;
	case ERR_RST:		return -ECONNRESET;
	case ERR_CLSD:		return -ENOTCONN;
	case ERR_CONN:		return -ENOTCONN;
	case ERR_USE:
	case ERR_ALREADY:
	case ERR_ISCONN:	return -EINVAL;
	default:		return -ECONNRESET;
	}
}

/* ---------------------------------------------------------------- netd side */

static void sock_dead(struct net_sock *s, int err)
{
	unsigned long flags;

	spin_lock_irqsave(&s->lock, flags);
	s->dead = true;
	if (!s->err)
		s->err = err;
	spin_unlock_irqrestore(&s->lock, flags);
	wake_up(&s->wq);
}

/* lwIP freed the pcb (reset, timeout, abort). */
static void sock_err_cb(void *arg, err_t err)
{
	struct net_sock *s = arg;

	if (!s)
		return;
	s->pcb = NULL;
	/* A connect refused arrives as a reset before we were connected. */
	sock_dead(s, err == ERR_RST && !s->connected ? -ECONNREFUSED :
		  lwip_to_errno(err) ? lwip_to_errno(err) : -ECONNRESET);
}

static err_t sock_recv_cb(void *arg, struct tcp_pcb *pcb, struct pbuf *p,
			  err_t err)
{
	struct net_sock *s = arg;
	unsigned long flags;
	size_t space, at;
	u16_t len;

	(void)pcb;
	if (!p) {			/* the peer's FIN */
		spin_lock_irqsave(&s->lock, flags);
		s->eof = true;
		spin_unlock_irqrestore(&s->lock, flags);
		wake_up(&s->wq);
		return ERR_OK;
	}
	if (err != ERR_OK) {
		pbuf_free(p);
		return err;
	}
	len = p->tot_len;
	spin_lock_irqsave(&s->lock, flags);
	space = NET_SOCK_RXBUF - (s->head - s->tail);
	spin_unlock_irqrestore(&s->lock, flags);
	/* The window is the ring: this only happens if the peer overruns
	 * what we advertised. lwIP keeps the data and offers it again. */
	if (len > space)
		return ERR_MEM;
	at = s->head % NET_SOCK_RXBUF;
	if (at + len <= NET_SOCK_RXBUF) {
		pbuf_copy_partial(p, s->rx + at, len, 0);
	} else {
		u16_t first = (u16_t)(NET_SOCK_RXBUF - at);

		pbuf_copy_partial(p, s->rx + at, first, 0);
		pbuf_copy_partial(p, s->rx, (u16_t)(len - first), first);
	}
	pbuf_free(p);
	spin_lock_irqsave(&s->lock, flags);
	s->head += len;
	spin_unlock_irqrestore(&s->lock, flags);
	wake_up(&s->wq);
	return ERR_OK;
}

static err_t sock_sent_cb(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	struct net_sock *s = arg;

	(void)pcb;
	(void)len;
	WRITE_ONCE(s->sent_gen, s->sent_gen + 1);
	wake_up(&s->wq);
	return ERR_OK;
}

static err_t sock_connected_cb(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct net_sock *s = arg;

	(void)pcb;
	if (err != ERR_OK) {
		sock_dead(s, lwip_to_errno(err));
		return ERR_OK;
	}
	WRITE_ONCE(s->connected, true);
	wake_up(&s->wq);
	return ERR_OK;
}

/* netd, each round: reopen the windows of what readers took. */
void net_sock_service(void)
{
	unsigned long flags;

	for (;;) {
		struct net_sock *s = NULL;
		size_t n = 0;

		spin_lock_irqsave(&recved_lock, flags);
		if (!list_empty(&recved_socks)) {
			s = list_first_entry(&recved_socks, struct net_sock,
					     recved_node);
			list_del(&s->recved_node);
			spin_lock(&s->lock);
			s->queued = false;
			n = s->unacked;
			s->unacked = 0;
			spin_unlock(&s->lock);
		}
		spin_unlock_irqrestore(&recved_lock, flags);
		if (!s)
			return;
		if (s->memalloc)
			netd_memalloc_enter();
		while (n && s->pcb) {
			u16_t step = n > 0xffff ? 0xffff : (u16_t)n;

			tcp_recved(s->pcb, step);
			n -= step;
		}
		if (s->memalloc)
			netd_memalloc_leave();
	}
}

/* ---------------------------------------------------------------- calls */

struct connect_arg {
	struct net_sock *s;
	uint32_t addr;
	uint16_t port;
};

static int register_memalloc(struct net_sock *s)
{
	int err;

	if (s->memalloc || !s->pcb)
		return s->pcb ? 0 : -ENOTCONN;
	s->local_port = s->pcb->local_port;
	s->remote_port = s->pcb->remote_port;
	s->remote_ip_n = ip4_addr_get_u32(ip_2_ip4(&s->pcb->remote_ip));
	err = net_memalloc_add(s->local_port, s->remote_ip_n, s->remote_port);
	if (!err)
		s->memalloc = true;
	return err;
}

static int __do_connect(struct net_sock *s)
{
	ip_addr_t to;
	err_t err;

	s->pcb = tcp_new();
	if (!s->pcb)
		return -ENOMEM;
	tcp_arg(s->pcb, s);
	tcp_err(s->pcb, sock_err_cb);
	tcp_recv(s->pcb, sock_recv_cb);
	tcp_sent(s->pcb, sock_sent_cb);
	/* Requests and replies, not a stream: send each at once. */
	tcp_nagle_disable(s->pcb);
	ip_addr_set_ip4_u32(&to, lwip_htonl(s->addr));
	err = tcp_connect(s->pcb, &to, s->port, sock_connected_cb);
	if (err != ERR_OK) {
		tcp_abort(s->pcb);	/* calls sock_err_cb: pcb NULL */
		s->pcb = NULL;
		return err == ERR_RTE ? -ENETUNREACH : lwip_to_errno(err);
	}
	/* A memalloc socket's SYN-ACK may arrive into the reserves: it is
	 * in the table before it is sent for. */
	return s->memalloc_wanted ? register_memalloc(s) : 0;
}

static int do_connect(void *arg)
{
	struct net_sock *s = arg;
	int err;

	if (s->memalloc_wanted)
		netd_memalloc_enter();
	err = __do_connect(s);
	if (s->memalloc_wanted)
		netd_memalloc_leave();
	return err;
}

/* Detach s from lwIP; gracefully (FIN) or not (RST). */
struct close_arg {
	struct net_sock *s;
	bool abort;
};

static int do_close(void *arg)
{
	struct close_arg *ca = arg;
	struct net_sock *s = ca->s;
	unsigned long flags;

	spin_lock_irqsave(&recved_lock, flags);
	if (s->queued)
		list_del(&s->recved_node);
	s->queued = false;
	spin_unlock_irqrestore(&recved_lock, flags);
	if (s->memalloc) {
		net_memalloc_del(s->local_port, s->remote_ip_n, s->remote_port);
		s->memalloc = false;
	}
	if (!s->pcb)
		return 0;
	tcp_arg(s->pcb, NULL);
	tcp_recv(s->pcb, NULL);
	tcp_sent(s->pcb, NULL);
	tcp_err(s->pcb, NULL);
	if (ca->abort || tcp_close(s->pcb) != ERR_OK)
		tcp_abort(s->pcb);
	s->pcb = NULL;
	return 0;
}

static void sock_free(struct net_sock *s, bool abort)
{
	struct close_arg ca = { s, abort };

	net_call(do_close, &ca);
	kfree(s->rx);
	kfree(s);
}

/* Connect s (fresh or reset) to its peer, waiting at most timeout_ms. */
static int sock_connect(struct net_sock *s, unsigned int timeout_ms)
{
	int err = net_call(do_connect, s);

	if (!err) {
		wait_event_timeout(s->wq, READ_ONCE(s->connected) ||
				   READ_ONCE(s->dead), timeout_ms);
		if (READ_ONCE(s->dead))
			err = s->err;
		else if (!READ_ONCE(s->connected))
			err = -ETIMEDOUT;
	}
	return err;
}

int net_tcp_connect(uint32_t addr, uint16_t port, unsigned int timeout_ms,
		    struct net_sock **out)
{
	struct net_sock *s;
	int err;

	*out = NULL;
	if (!net_ready())
		return -ENODEV;
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->rx = kmalloc(NET_SOCK_RXBUF, GFP_KERNEL);
	if (!s->rx) {
		kfree(s);
		return -ENOMEM;
	}
	spin_lock_init(&s->lock, "net_sock");
	init_waitqueue_head(&s->wq, "net_sock");
	INIT_LIST_HEAD(&s->recved_node);
	s->addr = addr;
	s->port = port;
	err = sock_connect(s, timeout_ms);
	if (err) {
		sock_free(s, true);
		return err;
	}
	*out = s;
	return 0;
}

/* Back to a socket that has not connected yet (netd: nothing of it is
 * in lwIP any more once do_close ran). */
static int do_reset(void *arg)
{
	struct net_sock *s = arg;
	struct close_arg ca = { s, true };
	unsigned long flags;

	do_close(&ca);
	spin_lock_irqsave(&s->lock, flags);
	s->head = s->tail = s->unacked = 0;
	s->connected = s->eof = s->dead = false;
	s->err = 0;
	spin_unlock_irqrestore(&s->lock, flags);
	return 0;
}

int net_sock_reconnect(struct net_sock *s, unsigned int timeout_ms)
{
	int err = net_call(do_reset, s);

	if (err)
		return err;
	err = sock_connect(s, timeout_ms);
	if (err)
		net_call(do_reset, s);	/* not half connected */
	return err;
}

struct write_arg {
	struct net_sock *s;
	const struct net_iov *iov;	/* what is left to send */
	unsigned int n;
	size_t off;			/* into iov[0] */
	size_t done;			/* out: bytes queued by this call */
};

/*
 * Queue as much of the iovs as lwIP takes now, every piece but the last
 * with TCP_WRITE_FLAG_MORE, then send: a request's header and its data
 * leave in the same segments (a 28-byte header alone in a segment costs,
 * on QEMU's user network, a delayed ACK of the host's before the data).
 */
static int __do_write(struct write_arg *wa)
{
	struct tcp_pcb *pcb = wa->s->pcb;
	err_t err = ERR_OK;

	wa->done = 0;
	if (!pcb)
		return wa->s->err ? wa->s->err : -ENOTCONN;
	while (wa->n) {
		size_t left = wa->iov->len - wa->off;
		size_t n = left < tcp_sndbuf(pcb) ? left : tcp_sndbuf(pcb);
		bool last = wa->n == 1 && n == left;

		if (n > 0xffff)
			n = 0xffff;
		/* lwIP may refuse a big write for want of segments: halve. */
		while (n) {
			err = tcp_write(pcb, (const uint8_t *)wa->iov->base + wa->off,
					(u16_t)n, TCP_WRITE_FLAG_COPY |
					(last ? 0 : TCP_WRITE_FLAG_MORE));
			if (err != ERR_MEM)
				break;
			n /= 2;
		}
		if (err != ERR_OK && err != ERR_MEM)
			return lwip_to_errno(err);
		if (!n)
			break;
		wa->done += n;
		wa->off += n;
		if (wa->off == wa->iov->len) {
			wa->iov++;
			wa->n--;
			wa->off = 0;
		}
	}
	if (wa->done)
		tcp_output(pcb);
	return 0;
}

/* A memalloc socket's segments may take the reserves. */
static int do_write(void *arg)
{
	struct write_arg *wa = arg;
	bool memalloc = wa->s->memalloc;
	int err;

	if (memalloc)
		netd_memalloc_enter();
	err = __do_write(wa);
	if (memalloc)
		netd_memalloc_leave();
	return err;
}

static int do_set_memalloc(void *arg)
{
	struct net_sock *s = arg;

	if (!s->pcb)
		return s->err ? s->err : -ENOTCONN;
	s->memalloc_wanted = true;
	return register_memalloc(s);
}

int net_sock_set_memalloc(struct net_sock *s)
{
	return net_call(do_set_memalloc, s);
}

int net_sock_sendv(struct net_sock *s, const struct net_iov *iov,
		   unsigned int n, unsigned int timeout_ms)
{
	uint64_t deadline = clock_ns() + (uint64_t)timeout_ms * 1000000;
	struct write_arg wa = { .s = s, .iov = iov, .n = n };

	while (wa.n && !wa.iov->len) {
		wa.iov++;
		wa.n--;
	}
	while (wa.n) {
		unsigned long gen = READ_ONCE(s->sent_gen);
		uint64_t now;
		int err;

		if (READ_ONCE(s->dead))
			return s->err;
		err = net_call(do_write, &wa);
		if (err)
			return err;
		if (wa.done)
			continue;
		/* Nothing fitted: wait for the peer's ACKs to free space. */
		now = clock_ns();
		if (now >= deadline)
			return -ETIMEDOUT;
		wait_event_timeout(s->wq, READ_ONCE(s->sent_gen) != gen ||
				   READ_ONCE(s->dead),
				   (unsigned int)((deadline - now) / 1000000) + 1);
	}
	return 0;
}

int net_sock_send(struct net_sock *s, const void *buf, size_t len,
		  unsigned int timeout_ms)
{
	struct net_iov iov = { buf, len };

	return net_sock_sendv(s, &iov, 1, timeout_ms);
}

size_t net_sock_rx_pending(struct net_sock *s)
{
	unsigned long flags;
	size_t n;

	spin_lock_irqsave(&s->lock, flags);
	n = s->head - s->tail;
	spin_unlock_irqrestore(&s->lock, flags);
	return n;
}

static bool sock_readable(struct net_sock *s)
{
	return net_sock_rx_pending(s) || READ_ONCE(s->eof) ||
	       READ_ONCE(s->dead);
}

long net_sock_recv(struct net_sock *s, void *buf, size_t len,
		   unsigned int timeout_ms)
{
	unsigned long flags;
	size_t avail, n, at;
	bool wake = false;

	if (!len)
		return 0;
	if (!sock_readable(s))
		wait_event_timeout(s->wq, sock_readable(s), timeout_ms);
	spin_lock_irqsave(&s->lock, flags);
	avail = s->head - s->tail;
	spin_unlock_irqrestore(&s->lock, flags);
	if (!avail) {
		if (READ_ONCE(s->dead))
			return s->err;
		return READ_ONCE(s->eof) ? 0 : -ETIMEDOUT;
	}
	n = len < avail ? len : avail;
	at = s->tail % NET_SOCK_RXBUF;
	if (at + n <= NET_SOCK_RXBUF) {
		memcpy(buf, s->rx + at, n);
	} else {
		size_t first = NET_SOCK_RXBUF - at;

		memcpy(buf, s->rx + at, first);
		memcpy((uint8_t *)buf + first, s->rx, n - first);
	}
	/* Taken: tell netd to reopen the window by as much. */
	spin_lock_irqsave(&recved_lock, flags);
	spin_lock(&s->lock);
	s->tail += n;
	s->unacked += n;
	if (!s->queued) {
		s->queued = true;
		list_add_tail(&s->recved_node, &recved_socks);
		wake = true;
	}
	spin_unlock(&s->lock);
	spin_unlock_irqrestore(&recved_lock, flags);
	if (wake)
		net_wake();
	return (long)n;
}

void net_sock_kill(struct net_sock *s)
{
	struct close_arg ca = { s, true };

	if (!s)
		return;
	net_call(do_close, &ca);
	sock_dead(s, -ENOTCONN);
}

void net_sock_close(struct net_sock *s)
{
	if (s)
		sock_free(s, false);
}

void net_sock_abort(struct net_sock *s)
{
	if (s)
		sock_free(s, true);
}

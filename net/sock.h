/*
 * net/sock.h - TCP connections for kernel clients (the NBD client, tests),
 * over lwIP run by netd (net/net.h). docs/net/lwip.md, "Kernel sockets".
 *
 * A connection owns a receive ring of NET_SOCK_RXBUF bytes, set aside when
 * it is made: netd copies what TCP delivers into it, and the window lwIP
 * advertises is opened only as the reader takes bytes out (so the ring
 * can never overflow, and a slow reader slows the sender rather than
 * losing data). Sending copies the caller's bytes into lwIP's send buffer
 * (TCP_SND_BUF) in netd and returns once all are queued.
 *
 *	struct net_sock *s;
 *	int err = net_tcp_connect(ip, 10809, 5000, &s);
 *	err = net_sock_send(s, req, sizeof(req), 5000);	// all or -errno
 *	long n = net_sock_recv(s, buf, sizeof(buf), 5000);	// > 0, 0 EOF, -errno
 *	net_sock_close(s);
 *
 * Errors: -ECONNREFUSED, -ECONNRESET (reset, or any error lwIP reports on
 * the connection: it is dead), -ETIMEDOUT (the call's time ran out; the
 * connection is still usable unless it was connect), -ENOTCONN (closed by
 * us), -ENOMEM, -ENODEV (no network). One reader and one writer at a time
 * (they may be different threads); close only when neither is in a call.
 */
#ifndef NET_SOCK_H
#define NET_SOCK_H

#include "kernel/types.h"

#define NET_SOCK_RXBUF	(64 * 1024)	/* = TCP_WND (lwipopts.h) */

struct net_sock;

/* Connect to addr:port (host order), waiting at most timeout_ms. */
int net_tcp_connect(uint32_t addr, uint16_t port, unsigned int timeout_ms,
		    struct net_sock **out);
/* Queue all len bytes: 0, or -errno (then some may have been queued). */
int net_sock_send(struct net_sock *s, const void *buf, size_t len,
		  unsigned int timeout_ms);
/* The same for n pieces sent as one stream: they share segments (a
 * request's header and its data go out together). */
struct net_iov {
	const void *base;
	size_t len;
};
int net_sock_sendv(struct net_sock *s, const struct net_iov *iov,
		   unsigned int n, unsigned int timeout_ms);
/* Wait for at least one byte (at most timeout_ms); take up to len. Bytes
 * taken (> 0), 0 at the peer's end of stream, or -errno. */
long net_sock_recv(struct net_sock *s, void *buf, size_t len,
		   unsigned int timeout_ms);
/* Bytes waiting in the receive ring now. */
size_t net_sock_rx_pending(struct net_sock *s);
/* Close (gracefully; reset if that fails) and free. */
void net_sock_close(struct net_sock *s);
/* Reset the connection at once (the peer sees RST) and free. */
void net_sock_abort(struct net_sock *s);
/* Reset the connection but keep s: calls in progress on it (in other
 * threads) return -ENOTCONN soon; close it once they have. */
void net_sock_kill(struct net_sock *s);
/*
 * Connect s again to the same peer (after it died or was killed; nobody
 * else in a call on it), waiting at most timeout_ms. Its ring is reused:
 * nothing is allocated here but lwIP's own PCB and segments, which a
 * memalloc socket may take from the reserves. So a connection that swap
 * depends on can be made again while memory is out. 0 or -errno (s stays
 * unconnected, ready for another try).
 */
int net_sock_reconnect(struct net_sock *s, unsigned int timeout_ms);

/*
 * Mark a connected socket as carrying the traffic that frees memory (swap:
 * Linux's sk_set_memalloc): its segments, ACKs and retransmissions may
 * use the memory reserves, and when memory is critical, received frames
 * that are not its (or another memalloc socket's) are dropped
 * (docs/mm/swap-over-network.md). 0, -ENOSPC (at most 8 such sockets),
 * -ENOTCONN. Undone by close.
 */
int net_sock_set_memalloc(struct net_sock *s);

#endif

/*
 * drivers/net/netdev.c - the list of network interfaces (netdev.h).
 */
#include "drivers/net/netdev.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"
#include "kernel/spinlock.h"

static struct list_head netdevs = LIST_HEAD_INIT(netdevs);
static spinlock_t netdev_lock = SPINLOCK_INIT("netdev_lock");
static unsigned int netdev_count;

void netdev_register(struct net_device *dev)
{
	spin_lock(&netdev_lock);
	ksnprintf(dev->name, sizeof(dev->name), "eth%u", netdev_count++);
	list_add_tail(&dev->node, &netdevs);
	spin_unlock(&netdev_lock);
}

struct net_device *netdev_get(const char *name)
{
	struct net_device *dev, *found = NULL;

	spin_lock(&netdev_lock);
	list_for_each_entry(dev, &netdevs, node) {
		if (!strcmp(dev->name, name)) {
			found = dev;
			break;
		}
	}
	spin_unlock(&netdev_lock);
	return found;
}

struct net_device *netdev_next(struct net_device *prev)
{
	struct net_device *next = NULL;

	spin_lock(&netdev_lock);
	if (!prev) {
		if (!list_empty(&netdevs))
			next = list_first_entry(&netdevs, struct net_device,
						node);
	} else if (prev->node.next != &netdevs) {
		next = list_entry(prev->node.next, struct net_device, node);
	}
	spin_unlock(&netdev_lock);
	return next;
}

char *netdev_format_mac(const uint8_t mac[ETH_ALEN], char *buf)
{
	ksnprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
		  mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

/*
 * drivers/pci/pciehp.h - PCI Express native hot-plug (PCIe 6.0 sec. 6.7
 * and 7.5.3.9-11, the Slot Capabilities, Control and Status registers):
 * the slots of root and downstream ports, watched for a card leaving.
 * docs/drivers/pci.md, "Hot-plug".
 *
 * A card leaves one of two ways:
 *
 *  - Announced. Someone presses the slot's attention button (QEMU's
 *    `device_del` presses it for the host's user) and waits for the
 *    kernel. The kernel blinks the slot's power indicator ("in progress":
 *    QEMU refuses a second request while it blinks), has the driver of
 *    every function behind the slot let go while the device still works
 *    (pci_driver->remove with surprise false: a disk first asks its users
 *    to let go, and swap pulls its pages back), then turns the slot's
 *    power and power indicator off. Then the card may be pulled: QEMU
 *    removes the device at that write.
 *
 *  - By surprise. Presence detect says the card is gone while a driver
 *    still had it (pulled without asking, or powered off by someone
 *    else): the drivers are told after the fact (surprise true: there is
 *    nothing left to talk to; what they held fails).
 *
 * A card that arrives is reported and left alone: there is no hot-add
 * (the buses were numbered and the windows given out at boot; reboot).
 *
 * The slots are polled, as Linux's pciehp_poll_mode does (no interrupt:
 * a look costs a few configuration reads). Only slots that say they are
 * hot-plug capable (Slot Capabilities HPC) are watched; a device under
 * any other port that vanishes is found by its own driver (virtio-blk's
 * watchdog: drivers/virtio/virtio_blk.c).
 *
 * Removed functions stay in the device list, marked `removed`, with no
 * driver: what a driver kept pointing at them stays valid memory.
 */
#ifndef DRIVERS_PCI_PCIEHP_H
#define DRIVERS_PCI_PCIEHP_H

#include "drivers/pci/pci.h"

/* A look at every hot-plug slot, every this many milliseconds. */
#define PCIEHP_POLL_MS	200

/*
 * One look at every hot-plug capable slot: clear what its status
 * register reports and act on it (above). Returns the number of
 * functions whose drivers were told to let go. Process context (a
 * driver's remove may sleep: swapoff reads pages back). Serialised
 * against enumeration and other looks (pci_lock_rescan_remove).
 */
unsigned int pciehp_poll(void);

/*
 * Find the hot-plug slots (after pci_init), say what was found, and
 * start the thread that calls pciehp_poll every PCIEHP_POLL_MS (kernel
 * only: pciehp_kthread.c). Does nothing when no slot is hot-plug capable.
 */
void pciehp_init(void);

/* How many hot-plug capable slots the device list has now; each is said
 * in the log (its port, number, button, whether a card is in it). */
unsigned int pciehp_count_slots(void);

#endif

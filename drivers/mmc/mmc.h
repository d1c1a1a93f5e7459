/*
 * drivers/mmc/mmc.h - SD memory cards: the protocol (mmc_core.c) apart
 * from the controllers that carry it (bcm2835_sdhost.c: the Raspberry
 * Pi 3's card slot; sdhci.c: the standard SD host controller, the Pi 4's
 * EMMC2 and the Pi 3's Arasan). docs/drivers/sd.md.
 *
 * A host controller driver knows registers; it sends one command at a
 * time, with its data block by block, and says how it ended. The core
 * knows SD: it identifies the card (CMD0, CMD8, ACMD41, CMD2, CMD3, CMD9,
 * CMD7, ACMD51, ACMD6), asks the host for the card's clock and bus width,
 * and turns block-layer requests into CMD17/18 reads and CMD24/25 writes
 * (with CMD12 after a multi-block transfer and CMD13 until a write is on
 * the card). Every command that fails is reported with its number, its
 * argument and why ("mmcblk0: CMD18 arg 0x1000 (read 8 blocks): data CRC
 * error"). The card becomes block device mmcblk<N>, and its partitions
 * mmcblk<N>p<M> (drivers/block/partition.h).
 *
 * Contract for a host (struct mmc_host_ops):
 * - set_ios(host, hz, width): run the card clock at most hz (0: stop it)
 *   and the data bus at width 1 or 4 bits. Returns the clock it set.
 * - request(host, cmd): send cmd->opcode with cmd->arg; wait (bounded:
 *   a command 100 ms, data as long as data->timeout_ms) for the response
 *   of the kind cmd->flags names and, when cmd->data is set, move
 *   data->blocks blocks of data->blksz bytes through data's iterator
 *   (mmc_data_next_word / mmc_data_put_word for PIO). Returns 0 or
 *   -ETIMEDOUT (no response, or data never came), -EILSEQ (a CRC error),
 *   -EIO (any other error the controller reports); cmd->resp holds the
 *   response (resp[0] a short response's 32 bits; for a 136-bit one
 *   resp[0] = bits 127:96 ... resp[3] = bits 31:0, CRC byte included or
 *   zero); host->status names the controller's error bits for the report.
 *   A host never sends CMD12 on its own: the core stops multi-block
 *   transfers. Called from one thread at a time (the core serialises).
 *   A host that moves data by DMA (through the DMA API, mm/dma-mapping.h)
 *   maps data's pieces itself, and leaves the iterator where PIO would
 *   (sg_i, sg_off past the last byte moved); a piece it cannot take
 *   (alignment) makes it move that request by PIO. It counts data
 *   commands in nr_dma and nr_pio.
 */
#ifndef DRIVERS_MMC_MMC_H
#define DRIVERS_MMC_MMC_H

#include "kernel/types.h"
#include "kernel/lib/list.h"
#include "kernel/spinlock.h"
#include "kernel/wait.h"
#include "drivers/block/blk.h"

/* Response kinds (the SD specification's R1 ... R7). */
#define MMC_RSP_PRESENT	(1U << 0)
#define MMC_RSP_136	(1U << 1)	/* 136-bit: CID, CSD */
#define MMC_RSP_CRC	(1U << 2)	/* carries a CRC7 to check */
#define MMC_RSP_BUSY	(1U << 3)	/* the card holds DAT0 low until done */
#define MMC_RSP_OPCODE	(1U << 4)	/* echoes the command index */

#define MMC_RSP_NONE	0U
#define MMC_RSP_R1	(MMC_RSP_PRESENT | MMC_RSP_CRC | MMC_RSP_OPCODE)
#define MMC_RSP_R1B	(MMC_RSP_R1 | MMC_RSP_BUSY)
#define MMC_RSP_R2	(MMC_RSP_PRESENT | MMC_RSP_136 | MMC_RSP_CRC)
#define MMC_RSP_R3	(MMC_RSP_PRESENT)		/* OCR: no CRC */
#define MMC_RSP_R6	MMC_RSP_R1			/* RCA */
#define MMC_RSP_R7	MMC_RSP_R1			/* CMD8's echo */

/* Commands the core sends (SD Physical Layer Simplified Specification). */
enum {
	MMC_GO_IDLE_STATE = 0, MMC_ALL_SEND_CID = 2, SD_SEND_RELATIVE_ADDR = 3,
	SD_SWITCH_FUNC = 6, MMC_SELECT_CARD = 7, SD_SEND_IF_COND = 8,
	MMC_SEND_CSD = 9, MMC_STOP_TRANSMISSION = 12, MMC_SEND_STATUS = 13,
	MMC_SET_BLOCKLEN = 16, MMC_READ_SINGLE_BLOCK = 17,
	MMC_READ_MULTIPLE_BLOCK = 18, MMC_WRITE_BLOCK = 24,
	MMC_WRITE_MULTIPLE_BLOCK = 25, MMC_APP_CMD = 55,
	/* after CMD55 */
	SD_APP_SET_BUS_WIDTH = 6, SD_APP_OP_COND = 41, SD_APP_SEND_SCR = 51,
};

/* R1 card status bits the core acts on. */
#define R1_OUT_OF_RANGE		(1U << 31)
#define R1_ADDRESS_ERROR	(1U << 30)
#define R1_BLOCK_LEN_ERROR	(1U << 29)
#define R1_WP_VIOLATION		(1U << 26)
#define R1_COM_CRC_ERROR	(1U << 23)
#define R1_ILLEGAL_COMMAND	(1U << 22)
#define R1_CARD_ECC_FAILED	(1U << 21)
#define R1_CC_ERROR		(1U << 20)
#define R1_ERROR		(1U << 19)
#define R1_READY_FOR_DATA	(1U << 8)
#define R1_APP_CMD		(1U << 5)
#define R1_STATE(s)		(((s) >> 9) & 0xf)
#define R1_STATE_TRAN		4
#define R1_ERRORS	(R1_OUT_OF_RANGE | R1_ADDRESS_ERROR | R1_BLOCK_LEN_ERROR | \
			 R1_WP_VIOLATION | R1_COM_CRC_ERROR | R1_ILLEGAL_COMMAND | \
			 R1_CARD_ECC_FAILED | R1_CC_ERROR | R1_ERROR)

/* Pieces a block request may have (blk.h: max_segments). */
#define MMC_MAX_SG	32

/* Memory the data moves to or from: pieces of direct-mapped memory,
 * any lengths, blocks*blksz bytes in all. */
struct mmc_sg {
	void *addr;
	unsigned int len;
};

struct mmc_data {
	struct mmc_sg *sg;
	unsigned int sg_len;
	unsigned int blksz, blocks;
	bool write;
	unsigned int timeout_ms;
	/* the iterator's place: piece sg_i, byte sg_off in it */
	unsigned int sg_i, sg_off;
};

struct mmc_command {
	uint8_t opcode;
	uint32_t arg;
	unsigned int flags;		/* MMC_RSP_* */
	uint32_t resp[4];
	struct mmc_data *data;		/* NULL: no data */
};

/* PIO for hosts: the next 4 bytes to write (the first in bits 7:0, as
 * the data port takes them), or 4 bytes read to store. */
uint32_t mmc_data_next_word(struct mmc_data *d);
void mmc_data_put_word(struct mmc_data *d, uint32_t w);

/*
 * DMA for hosts: the memory this command moves (the next blocks*blksz
 * bytes from the iterator's place) as at most max pieces in out, each
 * 4-byte aligned in address and length, as the DMA engines here move
 * words. Returns the number of pieces, or 0 when the data does not fit
 * that (a piece unaligned, more than max: the host then uses PIO);
 * *end_i, *end_off: the iterator's place after the transfer, for the
 * host to set once the DMA has moved the data.
 */
unsigned int mmc_data_dma_pieces(const struct mmc_data *d, struct mmc_sg *out,
				 unsigned int max, unsigned int *end_i,
				 unsigned int *end_off);

struct mmc_host;
struct device;

struct mmc_host_ops {
	unsigned int (*set_ios)(struct mmc_host *host, unsigned int hz,
				unsigned int width);
	int (*request)(struct mmc_host *host, struct mmc_command *cmd);
};

/* What the card said about itself (CID, CSD, SCR, OCR), decoded. */
struct mmc_card {
	uint32_t ocr, rca;
	uint32_t cid[4], csd[4], scr[2];
	bool high_capacity;		/* SDHC/SDXC: addressed by block */
	uint64_t nr_sectors;		/* 512-byte sectors */
	unsigned int max_hz;		/* CSD TRAN_SPEED */
	unsigned int csd_version;	/* 1 or 2 */
	bool bus_4bit;			/* SCR: the card takes 4-bit */
	/* CID */
	uint8_t manfid;
	char oemid[3], name[6];
	unsigned int prv_major, prv_minor, year, month;
	uint32_t serial;
};

struct mmc_host {
	const char *name;		/* "sdhost@3f202000" */
	const struct mmc_host_ops *ops;
	void *priv;
	unsigned int f_min, f_max;	/* card clock range, Hz */
	bool cap_4bit;
	unsigned int max_blocks;	/* per command */
	uint32_t status;		/* the last error's register bits */
	unsigned int clock_hz, width;	/* as set */
	/* The device an SDHCI's ADMA2 goes through (a PCI function's dev,
	 * so its IOMMU domain applies); NULL: PIO only. */
	struct device *dma_dev;
	/* the core's */
	struct mmc_card card;
	bool present;			/* a card was identified */
	struct block_device bdev;	/* mmcblk<N> */
	spinlock_t lock;		/* queue, busy */
	struct list_head queue;		/* blk_requests waiting */
	bool busy;			/* someone runs the queue */
	struct wait_queue_head wq;	/* the host's thread waits here */
	unsigned long cmd_errors;
	/* data commands whose data moved by DMA, and by PIO */
	unsigned long nr_dma, nr_pio;
};

/*
 * Pure decoding (host-tested). mmc_bits: bits [start, start+size) of a
 * 128-bit register held as resp[0] = bits 127:96 ... resp[3] = 31:0.
 * mmc_decode_csd: capacity, version, speed into card; 0 or -EINVAL with
 * why in err (a CSD structure this kernel does not know, a capacity of
 * zero). mmc_decode_cid: manufacturer, name, revision, serial, date.
 */
uint32_t mmc_bits(const uint32_t resp[4], unsigned int start, unsigned int size);
int mmc_decode_csd(struct mmc_card *card, char *err, size_t errlen);
void mmc_decode_cid(struct mmc_card *card);
/* An R1 status's error bits in words ("out of range, address error"). */
void mmc_r1_errors(uint32_t status, char *buf, size_t len);
/* A host error in words: -ETIMEDOUT "no response", -EILSEQ "CRC error". */
const char *mmc_strerror(int err);

/*
 * Identify the card behind host and register it as a block device named
 * mmcblk<N> (N counts cards found; blk_register), partitions scanned
 * later with every disk's. Prints what it found ("mmcblk0: SDHC card QEMU! 4096 MiB, 4-bit
 * at 25 MHz on sdhost@3f202000") or why there is none. 0 or -errno.
 */
int mmc_add_host(struct mmc_host *host);

/* The hosts with a card, mmcblk<N> = mmc_hosts[N]. */
#define MMC_MAX_HOSTS	4
extern struct mmc_host *mmc_hosts[MMC_MAX_HOSTS];
extern unsigned int mmc_nr_hosts;

/* Run the host's queue of block requests until it is empty (the host's
 * thread, and ->poll when nobody else does). */
void mmc_run_queue(struct mmc_host *host);
/*
 * Until its thread runs, a card's requests run when someone waits for
 * them (blk_execute polls). mmc_start_threads (mmc_kthread.c, kernel
 * only; kernel/main.c after mmc_init) gives each card a thread that runs
 * its queue as requests come, and marks it irq_driven: submitters sleep.
 */
void mmc_start_threads(void);

/* Find the SD host controllers the device tree names (enabled ones),
 * route the card's pins to them (the Pi 3 has two controllers and one
 * slot) and add each: mmc_fdt.c. */
struct boot_info;
void mmc_init(const struct boot_info *bi);
/* Register the driver for PCI SD host controllers (class 08.05, prog-if
 * 0 or 1: the standard SDHCI, e.g. QEMU's sdhci-pci): each is added with
 * DMA through its PCI function when pci_init binds it (sdhci_pci.c). */
void sdhci_pci_init(void);

/* Block I/O without the block layer (the core's own requests and the
 * tests): count blocks of 512 bytes at sector, to/from buf. 0 or -errno. */
int mmc_rw(struct mmc_host *host, bool write, uint64_t sector, void *buf,
	   unsigned int count);

#endif

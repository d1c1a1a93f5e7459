/*
 * drivers/iommu/intel-dmar.c - the ACPI DMAR table (VT-d spec chapter 8),
 * checked before it is trusted (contract: intel-iommu.h).
 *
 *   DMAR header: the 36-byte ACPI header, host address width 36 (value
 *     + 1 = bits), flags 37, 10 reserved; remapping structures from 48,
 *     each type 0 (2 bytes), length 2 (2 bytes):
 *   type 0 DRHD: flags 4 (bit 0 INCLUDE_PCI_ALL), size 5 (2^n pages of
 *     registers), segment 6, register base 8, device scopes from 16.
 *   type 1 RMRR: segment 6, base 8, limit 16, device scopes from 24.
 *   types 2 ATSR, 3 RHSA, 4 ANDD, 5 SATC and anything newer: skipped.
 *   Device scope: type 0, length 1, flags 2, enumeration id 4, start bus
 *     5, then (device, function) pairs from 6.
 */
#include "drivers/iommu/intel-iommu.h"
#include "kernel/lib/string.h"
#include "kernel/lib/vsprintf.h"

#define DMAR_HDR_LEN	48

static uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

/* Device scopes in [off, end) of structure s (type name for messages). */
static int parse_scopes(const uint8_t *t, uint32_t off, uint32_t end,
			const char *what, uint32_t soff,
			struct dmar_scope *scopes, unsigned int *nr,
			unsigned int *dropped, char *err, size_t errlen)
{
	while (off < end) {
		uint8_t type, len;

		if (end - off < 6) {
			ksnprintf(err, errlen, "dmar: %s at offset %u: device scope "
				  "at %u: header runs past the structure end (%u)",
				  what, soff, off, end);
			return -1;
		}
		type = t[off];
		len = t[off + 1];
		if (len < 6 || len > end - off || (len - 6) % 2) {
			ksnprintf(err, errlen, "dmar: %s at offset %u: device scope "
				  "type %u at %u: length %u %s", what, soff, type,
				  off, len, len < 6 ? "is less than 6" :
				  len > end - off ? "runs past the structure end"
						  : "leaves half a path entry");
			return -1;
		}
		if (*nr < DMAR_MAX_SCOPES) {
			struct dmar_scope *s = &scopes[(*nr)++];
			unsigned int hops = (len - 6u) / 2;

			memset(s, 0, sizeof(*s));
			s->type = type;
			s->enum_id = t[off + 4];
			s->start_bus = t[off + 5];
			s->path_len = hops > DMAR_MAX_PATH ? DMAR_MAX_PATH : (uint8_t)hops;
			for (unsigned int i = 0; i < s->path_len; i++) {
				s->path[i][0] = t[off + 6 + 2 * i];
				s->path[i][1] = t[off + 7 + 2 * i];
			}
		} else {
			(*dropped)++;
		}
		off += len;
	}
	return 0;
}

int dmar_parse(const uint8_t *t, uint32_t len, struct dmar_info *out,
	       char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (len < DMAR_HDR_LEN || rd32(t + 4) != len) {
		ksnprintf(err, errlen, "dmar: table length %u (header says %u) "
			  "is shorter than its %u-byte fixed part or disagrees",
			  len, len >= 8 ? rd32(t + 4) : 0, DMAR_HDR_LEN);
		return -1;
	}
	if (memcmp(t, "DMAR", 4)) {
		ksnprintf(err, errlen, "dmar: signature '%.4s', not 'DMAR'",
			  (const char *)t);
		return -1;
	}
	out->haw = (uint8_t)(t[36] + 1);
	out->flags = t[37];
	for (uint32_t off = DMAR_HDR_LEN; off < len;) {
		uint16_t type, slen;

		if (len - off < 4) {
			ksnprintf(err, errlen, "dmar: structure at offset %u: header "
				  "runs past the table end (%u)", off, len);
			return -1;
		}
		type = rd16(t + off);
		slen = rd16(t + off + 2);
		if (slen < 4 || slen > len - off) {
			ksnprintf(err, errlen, "dmar: structure type %u at offset %u: "
				  "length %u %s", type, off, slen, slen < 4 ?
				  "is less than 4" : "runs past the table end");
			return -1;
		}
		if (type == 0) {
			struct dmar_drhd tmp, *d;

			if (slen < 16) {
				ksnprintf(err, errlen, "dmar: DRHD at offset %u: "
					  "length %u is less than 16", off, slen);
				return -1;
			}
			d = out->nr_drhd < DMAR_MAX_UNITS ? &out->drhd[out->nr_drhd] : &tmp;
			memset(d, 0, sizeof(*d));
			d->include_all = t[off + 4] & 1;
			d->reg_size = 4096u << (t[off + 5] & 0xf);
			d->segment = rd16(t + off + 6);
			d->reg_base = rd64(t + off + 8);
			if (parse_scopes(t, off + 16, off + slen, "DRHD", off,
					 d->scopes, &d->nr_scopes,
					 &d->scopes_dropped, err, errlen))
				return -1;
			if (!d->reg_base || (d->reg_base & 0xfff)) {
				ksnprintf(err, errlen, "dmar: DRHD at offset %u: "
					  "register base %#llx is not a page address",
					  off, (unsigned long long)d->reg_base);
				return -1;
			}
			if (d == &tmp)
				out->drhd_dropped++;
			else
				out->nr_drhd++;
		} else if (type == 1) {
			struct dmar_rmrr tmp, *r;

			if (slen < 24) {
				ksnprintf(err, errlen, "dmar: RMRR at offset %u: "
					  "length %u is less than 24", off, slen);
				return -1;
			}
			r = out->nr_rmrr < DMAR_MAX_RMRR ? &out->rmrr[out->nr_rmrr] : &tmp;
			memset(r, 0, sizeof(*r));
			r->segment = rd16(t + off + 6);
			r->base = rd64(t + off + 8);
			r->limit = rd64(t + off + 16);
			if (parse_scopes(t, off + 24, off + slen, "RMRR", off,
					 r->scopes, &r->nr_scopes,
					 &r->scopes_dropped, err, errlen))
				return -1;
			if (r->limit < r->base) {
				ksnprintf(err, errlen, "dmar: RMRR at offset %u: limit "
					  "%#llx is below base %#llx", off,
					  (unsigned long long)r->limit,
					  (unsigned long long)r->base);
				return -1;
			}
			if (r == &tmp)
				out->rmrr_dropped++;
			else
				out->nr_rmrr++;
		} else {
			out->nr_skipped++;
		}
		off += slen;
	}
	return 0;
}

bool dmar_scope_matches(const struct dmar_scope *s, uint8_t bus, uint8_t devfn)
{
	if (s->type != DMAR_SCOPE_ENDPOINT && s->type != DMAR_SCOPE_BRIDGE)
		return false;
	if (s->path_len != 1)	/* behind bridges: needs the PCI topology */
		return false;
	return s->start_bus == bus &&
	       (uint8_t)(s->path[0][0] << 3 | (s->path[0][1] & 7)) == devfn;
}

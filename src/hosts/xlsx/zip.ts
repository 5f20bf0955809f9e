/**
 * The zip container of an OOXML package, read and written with Node's zlib and our own central-directory
 * handling (APPNOTE.TXT 6.3.10, https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT), so that an
 * entry the refresh does not change is copied across as its compressed bytes, never inflated.
 *
 * Hostile input stays bounded: the declared inflated size of every entry and of the whole archive is
 * checked against limits before anything is inflated, and inflation stops at the declared size (a lying
 * header is reported as damage, not followed). ZIP64 (4.3.14-4.3.16, 4.5.3) is read, and written when
 * the package needs it (more than 65 534 entries, or an entry or offset beyond 4 GiB).
 */
import { promisify } from "util";
import * as zlib from "zlib";

export interface ZipLimits {
  /** Largest inflated size of one entry, in bytes. */
  entryBytes: number;
  /** Largest inflated size of all entries together, in bytes. */
  totalBytes: number;
  /** Most entries in one archive. */
  entries: number;
}

export const DEFAULT_LIMITS: ZipLimits = {
  entryBytes: 512 * 1024 * 1024,
  totalBytes: 2 * 1024 * 1024 * 1024,
  entries: 100_000,
};

/** Why an archive cannot be used; package.ts turns these into Swedish messages. */
export class ZipError extends Error {
  constructor(
    readonly reason: "corrupt" | "encrypted" | "entry-too-large" | "total-too-large" | "too-many-entries",
    readonly entry?: string,
    readonly bytes?: number,
  ) {
    super(`zip: ${reason}${entry ? ` (${entry})` : ""}`);
    this.name = "ZipError";
  }
}

export interface ZipEntry {
  name: string;
  /** The name's bytes as stored (written back unchanged), and whether they are flagged UTF-8. */
  nameBytes: Uint8Array;
  utf8: boolean;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  time: number;
  date: number;
  /** Offset of the compressed data in the archive. */
  dataOffset: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_END64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;
const MAX32 = 0xffffffff;
const MAX16 = 0xffff;

function u64(b: Buffer, at: number): number {
  const v = b.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipError("corrupt");
  return Number(v);
}

function findEnd(b: Buffer): number {
  const stop = Math.max(0, b.length - 22 - MAX16);
  for (let i = b.length - 22; i >= stop; i--)
    if (b.readUInt32LE(i) === SIG_END && i + 22 + b.readUInt16LE(i + 20) === b.length) return i;
  // Tolerate trailing bytes after the comment (some tools pad archives).
  for (let i = b.length - 22; i >= stop; i--) if (b.readUInt32LE(i) === SIG_END) return i;
  throw new ZipError("corrupt");
}

/** Sizes and local-header offset of a central-directory record, from its ZIP64 extra field (4.5.3) when set. */
function zip64Sizes(b: Buffer, cd: number, nameLen: number, extraLen: number) {
  let compressedSize = b.readUInt32LE(cd + 20);
  let size = b.readUInt32LE(cd + 24);
  let local = b.readUInt32LE(cd + 42);
  let x = cd + 46 + nameLen;
  const xEnd = x + extraLen;
  while (x + 4 <= xEnd) {
    const id = b.readUInt16LE(x);
    const len = b.readUInt16LE(x + 2);
    if (id === 0x0001) {
      // Only the fields that are 0xFFFFFFFF in the record, in this order.
      let q = x + 4;
      if (size === MAX32) {
        size = u64(b, q);
        q += 8;
      }
      if (compressedSize === MAX32) {
        compressedSize = u64(b, q);
        q += 8;
      }
      if (local === MAX32) local = u64(b, q);
    }
    x += 4 + len;
  }
  return { compressedSize, size, local };
}

/** Reads the central directory; entries keep their compressed bytes in the archive buffer. */
export function readZip(bytes: Uint8Array, limits: ZipLimits = DEFAULT_LIMITS): ZipArchive {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 22) throw new ZipError("corrupt");
  const end = findEnd(b);
  let count = b.readUInt16LE(end + 10);
  let cdSize = b.readUInt32LE(end + 12);
  let cdOffset = b.readUInt32LE(end + 16);
  const loc = end - 20;
  if (loc >= 0 && b.readUInt32LE(loc) === SIG_LOCATOR64) {
    const at = u64(b, loc + 8);
    if (at + 56 > b.length || b.readUInt32LE(at) !== SIG_END64) throw new ZipError("corrupt");
    count = u64(b, at + 32);
    cdSize = u64(b, at + 40);
    cdOffset = u64(b, at + 48);
  }
  if (count > limits.entries) throw new ZipError("too-many-entries", undefined, count);
  if (cdOffset + cdSize > b.length) throw new ZipError("corrupt");
  const entries: ZipEntry[] = [];
  const seen = new Set<string>();
  let total = 0;
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > b.length || b.readUInt32LE(p) !== SIG_CENTRAL) throw new ZipError("corrupt");
    const cd = p;
    const flags = b.readUInt16LE(cd + 8);
    const nameLen = b.readUInt16LE(cd + 28);
    const extraLen = b.readUInt16LE(cd + 30);
    const nameBytes = b.subarray(cd + 46, cd + 46 + nameLen);
    const utf8 = (flags & 0x0800) !== 0;
    const name = nameBytes.toString(utf8 ? "utf8" : "latin1");
    const sizes = zip64Sizes(b, cd, nameLen, extraLen);
    p = cd + 46 + nameLen + extraLen + b.readUInt16LE(cd + 32);
    if (name.endsWith("/")) continue; // folder entries are not parts
    if (flags & 0x0001) throw new ZipError("encrypted", name);
    const key = name.toLowerCase();
    if (seen.has(key)) throw new ZipError("corrupt", name);
    seen.add(key);
    if (sizes.size > limits.entryBytes) throw new ZipError("entry-too-large", name, sizes.size);
    total += sizes.size;
    if (total > limits.totalBytes) throw new ZipError("total-too-large", undefined, total);
    const local = sizes.local;
    if (local + 30 > b.length || b.readUInt32LE(local) !== SIG_LOCAL) throw new ZipError("corrupt", name);
    const dataOffset = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    if (dataOffset + sizes.compressedSize > b.length) throw new ZipError("corrupt", name);
    // The central directory is authoritative (a local header may defer sizes and CRC to a descriptor).
    const method = b.readUInt16LE(cd + 10);
    if (method !== 0 && method !== 8) throw new ZipError("corrupt", name);
    entries.push({
      name,
      nameBytes,
      utf8,
      method,
      time: b.readUInt16LE(cd + 12),
      date: b.readUInt16LE(cd + 14),
      crc: b.readUInt32LE(cd + 16),
      compressedSize: sizes.compressedSize,
      size: sizes.size,
      dataOffset,
    });
  }
  return new ZipArchive(b, entries);
}

export class ZipArchive {
  private readonly byName = new Map<string, ZipEntry>();
  constructor(
    readonly bytes: Buffer,
    readonly entries: ZipEntry[],
  ) {
    for (const e of entries) this.byName.set(e.name.toLowerCase(), e);
  }

  /** The entry of that name (part names are case-insensitive, ECMA-376 Part 2, 9.1.1.1). */
  entry(name: string): ZipEntry | undefined {
    return this.byName.get(name.toLowerCase());
  }

  compressed(e: ZipEntry): Buffer {
    return this.bytes.subarray(e.dataOffset, e.dataOffset + e.compressedSize);
  }

  /** The entry's inflated bytes; at most its declared size is ever produced, and the CRC must match. */
  inflate(e: ZipEntry): Buffer {
    const raw = this.compressed(e);
    let out: Buffer;
    if (e.method === 0) out = raw;
    else {
      try {
        // One byte beyond the declared size tells a lying header from an honest one. Inflated into one
        // buffer of that size (zlib's default is 16 KB pieces joined at the end: the part twice over,
        // and about twice the CPU); a declared size beyond INFLATE_CHUNK is still inflated in pieces.
        const limit = Math.max(1, e.size + 1);
        out = zlib.inflateRawSync(raw, {
          maxOutputLength: limit,
          chunkSize: Math.max(64, Math.min(limit, INFLATE_CHUNK)),
        });
      } catch {
        throw new ZipError("corrupt", e.name);
      }
    }
    if (out.length !== e.size || crc32(out) !== e.crc) throw new ZipError("corrupt", e.name);
    return out;
  }

  /**
   * The entry's inflated bytes in pieces of about `chunk` bytes (inflated on the thread pool as they
   * are taken), so a large part is never held whole; the same checks as inflate(), the CRC at the end.
   */
  async *inflateChunks(e: ZipEntry, chunk = 1 << 16): AsyncGenerator<Buffer> {
    const raw = this.compressed(e);
    let size = 0;
    let crc = 0;
    const take = (b: Buffer) => {
      size += b.length;
      if (size > e.size) throw new ZipError("corrupt", e.name);
      crc = crc32(b, crc);
      return b;
    };
    if (e.method === 0)
      for (let at = 0; at < raw.length; at += chunk) yield take(raw.subarray(at, at + chunk));
    else {
      const inflater = zlib.createInflateRaw({ chunkSize: chunk });
      inflater.end(raw);
      try {
        for await (const piece of inflater) yield take(piece as Buffer);
      } catch (err) {
        if (err instanceof ZipError) throw err;
        throw new ZipError("corrupt", e.name);
      } finally {
        inflater.destroy();
      }
    }
    if (size !== e.size || crc !== e.crc) throw new ZipError("corrupt", e.name);
  }
}

/** The largest single buffer an entry is inflated into (a larger part is inflated in pieces of it). */
const INFLATE_CHUNK = 64 << 20;

export function crc32(data: Uint8Array, previous = 0): number {
  return (zlib as unknown as { crc32(d: Uint8Array, v: number): number }).crc32(data, previous) >>> 0;
}

const deflateRaw = promisify(zlib.deflateRaw) as (data: Uint8Array) => Promise<Buffer>;

/**
 * Parts and segments below this size are deflated on the calling thread. A trip to libuv's thread pool
 * costs about 0.1 ms of CPU whatever the size (measured on Node 20: a 2 KB part took 31 µs to deflate
 * here and 125 µs through the pool, a 32 KB part 277 µs against 389 µs), and a refresh writes some
 * twenty small parts (report sheets, workbook, styles, relationships, charts). The bytes are the same:
 * the same zlib with the same settings.
 */
const SYNC_BYTES = 32 * 1024;

/**
 * Small parts deflated lately, by their exact bytes and settings: a batch refreshes workbooks made from
 * one template, whose styles, relationships, content types and short report sheets often come out the
 * same byte for byte, and deflating them again would give the same bytes. Looked up by CRC-32 (which the
 * zip entry needs anyway) and size, and used only when the bytes are equal; bounded in bytes held.
 */
const deflatedLately = new Map<string, { raw: Buffer; out: Buffer }>();
const LATELY_BYTES = 4 << 20;
const LATELY_ENTRIES = 512;
let latelyBytes = 0;

/**
 * zlib.deflateRawSync of a small part (zlib's defaults) or a segment of a generated one (SEGMENT_OPTIONS),
 * from deflatedLately when the same bytes were deflated so.
 */
function deflateSmall(data: Uint8Array, crc: number, segment: boolean): Buffer {
  const key = `${segment ? "g" : "d"}${crc}:${data.length}`;
  const kept = deflatedLately.get(key);
  if (kept && kept.raw.equals(data)) {
    deflatedLately.delete(key);
    deflatedLately.set(key, kept);
    return kept.out;
  }
  const out = segment ? zlib.deflateRawSync(data, SEGMENT_OPTIONS) : zlib.deflateRawSync(data);
  if (kept) {
    deflatedLately.delete(key);
    latelyBytes -= kept.raw.length + kept.out.length;
  }
  // The input may be a writer's buffer that is reused, so the bytes kept are a copy; so is the output
  // when it is a view of a larger buffer of zlib's (which it would keep alive).
  const entry = {
    raw: Buffer.from(data),
    out: out.buffer.byteLength > 2 * out.length ? Buffer.from(out) : out,
  };
  deflatedLately.set(key, entry);
  latelyBytes += data.length + entry.out.length;
  for (const [k, v] of deflatedLately) {
    if (latelyBytes <= LATELY_BYTES && deflatedLately.size <= LATELY_ENTRIES) break;
    deflatedLately.delete(k);
    latelyBytes -= v.raw.length + v.out.length;
  }
  return entry.out;
}

/** A part compressed while it was produced (SegmentedDeflater): its raw deflate data in pieces. */
export interface Deflated {
  crc: number;
  size: number;
  data: Buffer[];
}

/** Raw bytes gathered into one deflate segment (a larger segment compresses a little better). */
const SEGMENT_BYTES = 1 << 20;
/** A final, empty deflate block with fixed codes (RFC 1951, 3.2.3 and 3.2.6): BFINAL=1, BTYPE=01, end of block. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);
/**
 * Segments in compression at once (libuv's pool has four threads). A producer that waits while the pool
 * is behind holds that many raw segments, not the whole part: without it a sheet rendered faster than
 * it is compressed is all in memory once, raw, with a zlib stream per segment.
 */
const MAX_RUNNING = 4;
/**
 * The deflate level of the large parts the refresh writes (report sheets, the edited ledger sheet).
 * zlib's default (6) spends almost four times the CPU of level 2 on sheet XML for parts about 18 %
 * smaller (docs/XLSX-LIBRARY.md has the measured trade). Small parts, set whole, keep the default.
 */
const GENERATED_LEVEL = 2;
/** Every segment of a streamed part, on the thread pool or (small ones) on this thread. */
const SEGMENT_OPTIONS: zlib.ZlibOptions = {
  level: GENERATED_LEVEL,
  finishFlush: zlib.constants.Z_SYNC_FLUSH,
};
let running = 0;
const waiting: (() => void)[] = [];

/**
 * Compresses a large part as it is written, without ever holding its whole text: every 1 MiB of bytes
 * becomes an independent deflate segment, compressed on libuv's thread pool while the caller goes on
 * producing, and ended with a sync flush (RFC 1951 blocks end on a byte boundary with an empty stored
 * block), so the segments concatenated and followed by a final empty block are one valid deflate
 * stream (what pigz does, https://zlib.net/pigz/pigz.pdf). A segment does not refer back into the one
 * before it, which costs a fraction of a percent in size.
 */
export class SegmentedDeflater {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly jobs: Promise<Buffer>[] = [];
  private crc = 0;
  private size = 0;

  write(bytes: Buffer): void {
    if (!bytes.length) return;
    this.crc = crc32(bytes, this.crc);
    this.size += bytes.length;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= SEGMENT_BYTES) this.flush();
  }

  /**
   * Bytes that make a segment of their own (after what is pending): a full buffer of the caller's.
   * `done` is called once they are compressed (the caller may reuse the buffer then).
   */
  segment(bytes: Buffer, done?: () => void): void {
    if (!bytes.length) return done?.();
    this.flush();
    const first = this.size === 0;
    this.crc = crc32(bytes, this.crc);
    this.size += bytes.length;
    // A part of one segment: its CRC is the segment's, the key of deflatedLately.
    this.compress(bytes, done, first ? this.crc : undefined);
  }

  /** All segments compressed (the deflater is not written to again). */
  async end(): Promise<Deflated> {
    this.flush();
    const data = await Promise.all(this.jobs);
    data.push(FINAL_BLOCK);
    return { crc: this.crc, size: this.size, data };
  }

  private flush(): void {
    if (!this.pendingBytes) return;
    const segment = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    this.compress(segment);
  }

  /** Whether the thread pool is behind: the producer should wait (drained()) before going on. */
  get behind(): boolean {
    return running >= MAX_RUNNING;
  }

  /** Resolves once fewer than MAX_RUNNING segments are in compression. */
  drained(): Promise<void> {
    return running < MAX_RUNNING ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve));
  }

  private compress(segment: Buffer, done?: () => void, crc?: number): void {
    if (segment.length < SYNC_BYTES) {
      let job: Promise<Buffer>;
      try {
        job = Promise.resolve(deflateSmall(segment, crc ?? crc32(segment), true));
      } catch (e) {
        job = Promise.reject(e as Error);
        job.catch(() => undefined); // reported by end(), as below
      }
      done?.();
      this.jobs.push(job);
      return;
    }
    running++;
    const job = new Promise<Buffer>((resolve, reject) =>
      zlib.deflateRaw(
        segment,
        // An output buffer a compressed segment of XML fits in (sheet XML deflates five- to tenfold):
        // one trip to the thread pool, not one per 16 KB.
        { ...SEGMENT_OPTIONS, chunkSize: Math.max(1 << 16, segment.length >> 2) },
        (err, out) => {
          running--;
          done?.();
          while (waiting.length && running < MAX_RUNNING) waiting.shift()!();
          // The result is a view of zlib's output buffer: copied, so that buffer is not kept alive.
          if (err) reject(err);
          else resolve(Buffer.from(out));
        },
      ),
    );
    job.catch(() => undefined); // reported by end(); a deflater abandoned unread must not crash the process
    this.jobs.push(job);
  }
}

/** One entry of an archive to write: copied from a source archive, new bytes to deflate, or compressed ones. */
export type OutEntry =
  | { name: string; copy: ZipEntry; from: ZipArchive }
  | { name: string; data: Uint8Array; template?: ZipEntry }
  | { name: string; deflated: Deflated; template?: ZipEntry };

interface Prepared {
  nameBytes: Buffer;
  utf8: boolean;
  method: number;
  crc: number;
  size: number;
  /** The compressed data, in one piece or several. */
  data: Uint8Array[];
  compressedSize: number;
  time: number;
  date: number;
}

/** 1980-01-01 00:00, the earliest DOS date: new parts carry no clock time, so output is reproducible. */
const DOS_DATE_1980 = (0 << 9) | (1 << 5) | 1;

async function prepare(e: OutEntry): Promise<Prepared> {
  if ("copy" in e) {
    const c = e.copy;
    return {
      nameBytes: Buffer.from(c.nameBytes),
      utf8: c.utf8,
      method: c.method,
      crc: c.crc,
      size: c.size,
      data: [e.from.compressed(c)],
      compressedSize: c.compressedSize,
      time: c.time,
      date: c.date,
    };
  }
  const t = e.template;
  const nameBytes = t ? Buffer.from(t.nameBytes) : Buffer.from(e.name, "utf8");
  const crc = "deflated" in e ? 0 : crc32(e.data);
  const compressed =
    "deflated" in e
      ? e.deflated
      : {
          crc,
          size: e.data.length,
          data: [e.data.length < SYNC_BYTES ? deflateSmall(e.data, crc, false) : await deflateRaw(e.data)],
        };
  return {
    nameBytes,
    utf8: t ? t.utf8 : nameBytes.length !== e.name.length,
    method: 8,
    crc: compressed.crc,
    size: compressed.size,
    data: compressed.data,
    compressedSize: compressed.data.reduce((n, d) => n + d.length, 0),
    time: t?.time ?? 0,
    date: t?.date ?? DOS_DATE_1980,
  };
}

function zip64Extra(fields: number[]): Buffer {
  const x = Buffer.alloc(4 + 8 * fields.length);
  x.writeUInt16LE(0x0001, 0);
  x.writeUInt16LE(8 * fields.length, 2);
  fields.forEach((v, i) => x.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
  return x;
}

/** Writes the entries as a zip archive; ZIP64 records only when needed (or forced, for tests). */
export async function writeZip(entries: OutEntry[], options: { forceZip64?: boolean } = {}): Promise<Buffer> {
  const prepared = await Promise.all(entries.map(prepare));
  const chunks: Uint8Array[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const force = !!options.forceZip64;
  for (const e of prepared) {
    const big = force || e.size >= MAX32 || e.compressedSize >= MAX32;
    const farOffset = force || offset >= MAX32;
    const header = Buffer.alloc(26);
    header.writeUInt16LE(big || farOffset ? 45 : 20, 0); // version needed: 4.5 for ZIP64, else 2.0
    header.writeUInt16LE(e.utf8 ? 0x0800 : 0, 2);
    header.writeUInt16LE(e.method, 4);
    header.writeUInt16LE(e.time, 6);
    header.writeUInt16LE(e.date, 8);
    header.writeUInt32LE(e.crc >>> 0, 10);
    header.writeUInt32LE(big ? MAX32 : e.compressedSize, 14);
    header.writeUInt32LE(big ? MAX32 : e.size, 18);
    header.writeUInt16LE(e.nameBytes.length, 22);
    const localExtra = big ? zip64Extra([e.size, e.compressedSize]) : Buffer.alloc(0);
    header.writeUInt16LE(localExtra.length, 24);
    const local = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), header, e.nameBytes, localExtra]);
    const cdFields = [...(big ? [e.size, e.compressedSize] : []), ...(farOffset ? [offset] : [])];
    const cdExtra = cdFields.length ? zip64Extra(cdFields) : Buffer.alloc(0);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(SIG_CENTRAL, 0);
    dir.writeUInt16LE(big || farOffset ? 45 : 20, 4); // made by: MS-DOS, spec version
    header.copy(dir, 6);
    dir.writeUInt16LE(cdExtra.length, 30);
    dir.writeUInt32LE(farOffset ? MAX32 : offset, 42);
    central.push(dir, e.nameBytes, cdExtra);
    chunks.push(local, ...e.data);
    offset += local.length + e.compressedSize;
  }
  const cd = Buffer.concat(central);
  const tail: Buffer[] = [];
  const needs64 = force || prepared.length >= MAX16 || offset >= MAX32 || cd.length >= MAX32;
  if (needs64) {
    const rec = Buffer.alloc(56);
    rec.writeUInt32LE(SIG_END64, 0);
    rec.writeBigUInt64LE(44n, 4); // size of the rest of this record
    rec.writeUInt16LE(45, 12);
    rec.writeUInt16LE(45, 14);
    rec.writeBigUInt64LE(BigInt(prepared.length), 24);
    rec.writeBigUInt64LE(BigInt(prepared.length), 32);
    rec.writeBigUInt64LE(BigInt(cd.length), 40);
    rec.writeBigUInt64LE(BigInt(offset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(SIG_LOCATOR64, 0);
    locator.writeBigUInt64LE(BigInt(offset + cd.length), 8);
    locator.writeUInt32LE(1, 16); // total number of disks
    tail.push(rec, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(SIG_END, 0);
  end.writeUInt16LE(needs64 ? MAX16 : prepared.length, 8);
  end.writeUInt16LE(needs64 ? MAX16 : prepared.length, 10);
  end.writeUInt32LE(needs64 ? MAX32 : cd.length, 12);
  end.writeUInt32LE(needs64 ? MAX32 : offset, 16);
  return Buffer.concat([...chunks, cd, ...tail, end]);
}

/**
 * Writing XML as UTF-8 bytes straight into buffers, for the large parts the host renders: markup and
 * figures are copied character by character into a 1 MiB buffer, and each full buffer goes to a sink
 * (the deflater) as it is. No string is built per cell or per row, none is joined and none is encoded
 * again, which is most of what rendering a report sheet cost (and most of its garbage).
 */

/** Where XML goes: `ascii` for markup the caller knows is ASCII, `text` for anything (already escaped). */
export interface XmlOut {
  ascii(s: string): void;
  text(s: string): void;
}

/** The size of one buffer: one deflate segment (zip.ts). */
export const CHUNK_BYTES = 1 << 20;

/** Strings at least this long are copied by Buffer.write rather than by a loop. */
const LONG = 64;

/**
 * Buffers given back once their bytes were compressed, for the next writer: a large part then goes
 * through a few buffers again and again instead of leaving one per MiB to the garbage collector
 * (external memory that stays resident until a collection happens to run).
 */
const free: Buffer[] = [];
const FREE_MAX = 8;

function takeBuffer(): Buffer {
  return free.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
}

export class ByteWriter implements XmlOut {
  private buf = takeBuffer();
  private at = 0;

  /**
   * `sink` receives each buffer once it is full; it calls `release` when it no longer needs the bytes
   * (the buffer is then reused), or never, and keeps them.
   */
  constructor(private readonly sink: (chunk: Buffer, release: () => void) => void) {}

  ascii(s: string): void {
    const n = s.length;
    if (this.at + n > CHUNK_BYTES && !this.room(n)) return this.whole(s);
    if (n >= LONG) {
      this.at += this.buf.write(s, this.at, "latin1");
      return;
    }
    const b = this.buf;
    let at = this.at;
    for (let i = 0; i < n; i++) b[at++] = s.charCodeAt(i);
    this.at = at;
  }

  text(s: string): void {
    const n = s.length;
    // A UTF-16 unit becomes at most 3 bytes of UTF-8.
    if (this.at + 3 * n > CHUNK_BYTES && !this.room(3 * n)) return this.whole(s);
    if (n >= LONG) {
      this.at += this.buf.write(s, this.at, "utf8");
      return;
    }
    const b = this.buf;
    let at = this.at;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.at = at + this.buf.write(i ? s.slice(i) : s, at, "utf8");
        return;
      }
      b[at++] = c;
    }
    this.at = at;
  }

  /** Hands over what is buffered; the writer is not used again. */
  end(): void {
    this.flush();
    if (free.length < FREE_MAX) free.push(this.buf);
  }

  /** Makes room for `bytes` more; false when they could never fit one buffer. */
  private room(bytes: number): boolean {
    this.flush();
    return bytes <= CHUNK_BYTES;
  }

  /** A string too long for one buffer, in pieces that fit (a surrogate pair is never split). */
  private whole(s: string): void {
    const piece = CHUNK_BYTES >> 2;
    for (let i = 0; i < s.length;) {
      let end = Math.min(s.length, i + piece);
      const last = s.charCodeAt(end - 1);
      if (last >= 0xd800 && last <= 0xdbff && end < s.length) end++;
      this.text(s.slice(i, end));
      i = end;
    }
  }

  private flush(): void {
    if (!this.at) return;
    const whole = this.buf;
    this.sink(whole.subarray(0, this.at), () => {
      if (free.length < FREE_MAX) free.push(whole);
    });
    this.buf = takeBuffer();
    this.at = 0;
  }
}

/** The same interface building one string (for the few cells the in-place editor writes). */
export class StringOut implements XmlOut {
  value = "";
  ascii(s: string): void {
    this.value += s;
  }
  text(s: string): void {
    this.value += s;
  }
}

/**
 * Passes on what is written only from its first difference to `old` (with the part of `old` it
 * repeated up to there), so a part rendered exactly as it was need not be compressed again.
 */
export class UnlessSame implements XmlOut {
  private at = 0;
  private same = true;
  constructor(
    private readonly old: string,
    private readonly next: XmlOut,
  ) {}

  ascii(s: string): void {
    if (this.same && this.old.startsWith(s, this.at)) this.at += s.length;
    else {
      this.differ();
      this.next.ascii(s);
    }
  }

  text(s: string): void {
    if (this.same && this.old.startsWith(s, this.at)) this.at += s.length;
    else {
      this.differ();
      this.next.text(s);
    }
  }

  /** After the last write: true when the output was exactly `old` (nothing was passed on). */
  finish(): boolean {
    if (this.same && this.at === this.old.length) return true;
    this.differ();
    return false;
  }

  private differ(): void {
    if (!this.same) return;
    this.same = false;
    if (this.at) this.next.text(this.old.slice(0, this.at));
  }
}

/**
 * The runner's file system edge: reading IN and writing OUT safely, with Swedish refusals that name the
 * file (never the system's English). OUT is written to a temp file in its own directory and renamed into
 * place, never through a symbolic or hard link onto IN, and never over anything but a regular file.
 */
import { constants, promises as fs, type Stats } from "fs";
import * as path from "path";
import type { ContractError } from "../workbook/types";

/** Larger inputs are refused before they are read: no monthly ledger comes near it. */
export const MAX_INPUT_BYTES = 1 << 30;

/** A refusal about a file: exit 2, nothing written. */
export class FileRefusal extends Error {
  constructor(public readonly error: ContractError) {
    super(error.message);
    this.name = "FileRefusal";
  }
}

const SYSTEM_REASON: Record<string, [string, string]> = {
  ENOENT: ["filen finns inte.", "the file does not exist."],
  EACCES: ["behörighet saknas.", "permission denied."],
  EPERM: ["behörighet saknas.", "permission denied."],
  EISDIR: ["det är en mapp, inte en fil.", "it is a folder, not a file."],
  ENOTDIR: ["en del av sökvägen är ingen mapp.", "part of the path is not a folder."],
  ELOOP: ["sökvägen har för många symboliska länkar.", "the path has too many symbolic links."],
  ENAMETOOLONG: ["sökvägen är för lång.", "the path is too long."],
  ENOSPC: ["disken är full.", "the disk is full."],
  EDQUOT: ["diskkvoten är slut.", "the disk quota is exhausted."],
  EROFS: ["filsystemet är skrivskyddat.", "the file system is read-only."],
  EBUSY: ["filen används av ett annat program.", "the file is in use by another program."],
  EMFILE: ["för många öppna filer.", "too many open files."],
  ENFILE: ["för många öppna filer.", "too many open files."],
  EIO: ["läsfel eller skrivfel på disken.", "a disk input/output error."],
  EXDEV: ["filen ligger på ett annat filsystem.", "the file is on another file system."],
};

function systemReason(e: unknown): [string, string] {
  const code = (e as NodeJS.ErrnoException).code ?? "";
  return (
    SYSTEM_REASON[code] ?? [`ett systemfel (${code || "okänt"}).`, `a system error (${code || "unknown"}).`]
  );
}

function refuse(code: string, sv: string, en: string): never {
  throw new FileRefusal({ code, message: sv, messageEn: en });
}

const unreadable = (file: string, sv: string, en: string): never =>
  refuse("FILE_UNREADABLE", `Filen ${file} kan inte läsas: ${sv}`, `The file ${file} cannot be read: ${en}`);

export interface Input {
  bytes: Buffer;
  stats: Stats;
}

/** Reads IN; a folder, a device, a pipe or an oversized file is refused without reading it. */
export async function readInput(input: string, shown: string): Promise<Input> {
  let handle: fs.FileHandle;
  try {
    // Non-blocking, so a named pipe given as IN is refused instead of waiting for a writer.
    handle = await fs.open(input, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return unreadable(shown, ...systemReason(e));
  }
  try {
    const stats = await handle.stat();
    if (stats.isDirectory()) unreadable(shown, "det är en mapp, inte en fil.", "it is a folder, not a file.");
    if (!stats.isFile()) unreadable(shown, "det är ingen vanlig fil.", "it is not a regular file.");
    if (stats.size > MAX_INPUT_BYTES)
      unreadable(
        shown,
        `filen är större än ${MAX_INPUT_BYTES >> 20} MB; ingen uppföljningsarbetsbok är så stor.`,
        `the file is larger than ${MAX_INPUT_BYTES >> 20} MB.`,
      );
    return { bytes: await handle.readFile(), stats };
  } catch (e) {
    if (e instanceof FileRefusal) throw e;
    return unreadable(shown, ...systemReason(e));
  } finally {
    await handle.close();
  }
}

const unwritable = (file: string, sv: string, en: string): never =>
  refuse("OUT_UNWRITABLE", `${file} kan inte skrivas: ${sv}`, `${file} cannot be written: ${en}`);

async function lstatOrNull(p: string, shown: string): Promise<Stats | null> {
  try {
    return await fs.lstat(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    return unwritable(shown, ...systemReason(e));
  }
}

const sameFile = (a: Stats, b: Stats) => a.dev === b.dev && a.ino === b.ino;

/**
 * Checks where OUT may be written before anything is computed: not a folder, not a link, not a device,
 * not IN under another name (a hard link or a path through a linked folder).
 */
export async function checkTarget(target: string, input: Input, inPlace: boolean, shown: string) {
  if (/[\\/]$/.test(target))
    unwritable(
      shown,
      "det är en mapp; ange ett filnamn, t.ex. UT.xlsx.",
      "it is a folder; give a file name.",
    );
  const st = await lstatOrNull(target, shown);
  if (inPlace) {
    if (st?.isSymbolicLink())
      unwritable(
        shown,
        "filen är en symbolisk länk, och --in-place skriver inte genom länkar. Använd --out UT.xlsx.",
        "the file is a symbolic link, and --in-place does not write through links. Use --out.",
      );
    if (st && st.nlink > 1)
      unwritable(
        shown,
        "filen har flera hårda länkar, och --in-place skulle skilja dem åt. Använd --out UT.xlsx.",
        "the file has several hard links, which --in-place would split. Use --out.",
      );
    return;
  }
  if (!st) return;
  if (st.isDirectory())
    unwritable(
      shown,
      "det är en mapp; ange ett filnamn, t.ex. UT.xlsx.",
      "it is a folder; give a file name.",
    );
  if (st.isSymbolicLink())
    unwritable(
      shown,
      "det är en symbolisk länk; Uppföljaren skriver inte genom länkar. Ange en annan fil.",
      "it is a symbolic link; Uppföljaren does not write through links.",
    );
  if (!st.isFile())
    unwritable(
      shown,
      "det är ingen vanlig fil och ersätts inte.",
      "it is not a regular file and is not replaced.",
    );
  if (sameFile(st, input.stats))
    unwritable(
      shown,
      "det är samma fil som IN (en hård länk eller en länkad mapp). Använd --in-place för att skriva över arbetsboken.",
      "it is the same file as IN (a hard link or a linked folder). Use --in-place to overwrite the workbook.",
    );
}

/**
 * Writes to a new temp file next to the target, then renames it into place: no partial output on failure,
 * and a link at the target is replaced, never followed. Keeps the permissions of a file it replaces.
 */
export async function writeAtomically(target: string, bytes: Buffer, shown = target): Promise<void> {
  const dir = path.dirname(path.resolve(target));
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${Date.now()}.tmp`);
  try {
    await fs.mkdir(dir, { recursive: true });
    const existing = await lstatOrNull(target, shown);
    if (existing && !existing.isFile())
      unwritable(
        shown,
        "det är ingen vanlig fil och ersätts inte.",
        "it is not a regular file and is not replaced.",
      );
    await fs.writeFile(tmp, bytes, { flag: "wx" });
    if (existing) await fs.chmod(tmp, existing.mode & 0o7777);
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    if (e instanceof FileRefusal) throw e;
    unwritable(shown, ...systemReason(e));
  }
}

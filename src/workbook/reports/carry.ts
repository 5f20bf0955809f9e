/**
 * What the ekonom typed on the report sheets, carried from one refresh to the next (docs/TEMPLATE.md,
 * "Det du skriver på rapportbladen").
 *
 * Each refresh records, on the hidden sheet STATE_SHEET, where every input zone of every report sheet
 * was placed (a stable key such as "followup|vuxenplaceringar|2019-06-12") and which cells the
 * product wrote (its footprint). The next refresh reads the report sheets before anything is written:
 * - a zone's value goes back to the zone with the same key, wherever the zone lands this time;
 * - a zone whose key has no place any more (a meeting date or an area removed) goes to the sheet's note
 *   area, with an info finding (ZONE_MOVED);
 * - any other non-empty cell outside the footprint was typed by the user: it goes to the note area as
 *   "Från G3: …", with an info finding saying where it came from (USER_CELL_MOVED);
 * - cells inside the footprint are the product's own (titles, labels, figures) and are rebuilt.
 * Without a recorded state, a sheet that starts as an Uppföljaren report does (written by an older
 * version) keeps only its text zones, found by their headings; any other sheet with a report's
 * name (the user's own) has every cell carried into the note area.
 */
import { countNoun } from "../../core/summary";
import { a1, colIndex, nameKey, sameName } from "../a1";
import { STATE_SHEET } from "../contract";
import type { LocatedFinding, PlanValue, RawCell, ReadRequest, ReadResult, Rect, SheetPlan } from "../types";
import { type PlacedZone, ZONE_HINT } from "./common";

export { STATE_SHEET };

/**
 * One report sheet's record: its zones and, per row, the bit mask of the columns the product wrote;
 * for the per-line log, the rows each period's lines take.
 */
export interface SheetState {
  zones: { key: string; row: number; col: number; label: string; draft?: string }[];
  footprint: number[];
  periods?: { period: string; row: number; rows: number }[];
}

/** Columns a footprint mask can describe (report sheets use far fewer). */
const MASK_COLS = 30;

/** Per-row masks as run lengths: "1*1,12*31,2*0" (count*mask). */
export function encodeFootprint(masks: number[]): string {
  const runs: string[] = [];
  let i = 0;
  while (i < masks.length) {
    let j = i;
    while (j < masks.length && masks[j] === masks[i]) j++;
    runs.push(`${j - i}*${masks[i]}`);
    i = j;
  }
  return runs.join(",");
}

/**
 * The encoded footprint cut at run boundaries into pieces that each fit one cell: a long report sheet
 * of alternating rows (100 000 lines) encodes to more than Excel's 32 767 characters per cell.
 */
export function footprintPieces(text: string, max = FOOTPRINT_CELL_CHARS): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (text.length - start > max) {
    const cut = text.lastIndexOf(",", start + max);
    if (cut <= start) break; // a single run longer than a cell cannot occur (digits only)
    pieces.push(text.slice(start, cut));
    start = cut + 1;
  }
  pieces.push(text.slice(start));
  return pieces;
}

/** Characters of one footprint cell: under MAX_CELL_CHARS with room to spare. */
const FOOTPRINT_CELL_CHARS = 30_000;

export function decodeFootprint(text: string): number[] {
  const masks: number[] = [];
  for (const run of text.split(",")) {
    const m = /^(\d+)\*(\d+)$/.exec(run.trim());
    if (!m) continue;
    const n = Math.min(Number(m[1]), 1_048_576);
    for (let k = 0; k < n; k++) masks.push(Number(m[2]));
  }
  return masks;
}

/** The cells a sheet plan writes a value in, zones left out. */
export function footprintOf(plan: SheetPlan, zones: readonly PlacedZone[]): number[] {
  const masks: number[] = [];
  // Zones by cell number (a key string per cell of a 20 000-line plan was most of this function's cost).
  const cell = (r: number, c: number) => r * MASK_COLS + c;
  const zoneAt = new Set(zones.filter((z) => z.col < MASK_COLS).map((z) => cell(z.row, z.col)));
  // Plain loops: a callback per row of a 20 000-line plan is a closure per row.
  for (const block of plan.values)
    for (let i = 0; i < block.values.length; i++) {
      const row = block.values[i];
      const r = block.row + i;
      for (let j = 0; j < row.length; j++) {
        const v = row[j];
        const c = block.col + j;
        if (v === null || v === "" || c >= MASK_COLS || zoneAt.has(cell(r, c))) continue;
        while (masks.length <= r) masks.push(0);
        masks[r] |= 1 << c;
      }
    }
  return masks;
}

/** Excel's grid (a needed rectangle may reach its edge; the host clips it to the used range). */
const GRID_ROWS = 1_048_576;
const GRID_COLS = 16_384;
/**
 * Footprint rows between two needed runs of one column that are read anyway instead of starting another
 * rectangle: a rectangle costs about as much request (its range and query, some 400 bytes) as 40 rows
 * of one column's answer.
 */
const BRIDGE_ROWS = 40;

/**
 * The cells of a report sheet that carrying its text needs (fromState): everything outside the
 * footprint, so the zones and whatever the user typed beside the report; the footprint's own cells are
 * rebuilt and need no reading. Runs of needed rows per column, short footprint gaps bridged, and
 * neighbouring columns with the same rows as one rectangle.
 */
export function neededRects(st: SheetState): Rect[] {
  const rows = st.footprint.length;
  const out: Rect[] = [{ row: rows, col: 0, rows: GRID_ROWS - rows, cols: GRID_COLS }];
  if (rows === 0) return out;
  out.push({ row: 0, col: MASK_COLS, rows, cols: GRID_COLS - MASK_COLS });
  let open = new Map<string, Rect>();
  for (let c = 0; c < MASK_COLS; c++) {
    const next = new Map<string, Rect>();
    for (const run of neededRuns(st.footprint, c)) {
      const key = `${run.row},${run.rows}`;
      const left = open.get(key);
      if (left) left.cols++;
      next.set(key, left ?? { row: run.row, col: c, rows: run.rows, cols: 1 });
      if (!left) out.push(next.get(key)!);
    }
    open = next;
  }
  return out;
}

/** Rows of column `c` outside the footprint, as runs, gaps under BRIDGE_ROWS bridged. */
function neededRuns(footprint: number[], c: number): { row: number; rows: number }[] {
  const runs: { row: number; rows: number }[] = [];
  let start = -1;
  let last = -1;
  for (let r = 0; r < footprint.length; r++) {
    if ((footprint[r] >> c) & 1) continue;
    if (start >= 0 && r - last - 1 >= BRIDGE_ROWS) {
      runs.push({ row: start, rows: last - start + 1 });
      start = -1;
    }
    if (start < 0) start = r;
    last = r;
  }
  if (start >= 0) runs.push({ row: start, rows: last - start + 1 });
  return runs;
}

/**
 * The read of the report sheets once the state sheet is known: each sheet with a recorded state only
 * where its text can be (neededRects); `whole` (sheets whose cells are data, such as the logs) and
 * sheets without a state are read in full, except `skip`: the rows of one period on one sheet (the
 * per-line log's rows of the period this refresh logs again, which it replaces unread).
 */
export function carryRequest(
  request: ReadRequest,
  stateRead: ReadResult,
  whole: string[],
  skip?: { sheet: string; period: string },
): ReadRequest {
  const state = stateOf(stateRead);
  const keep = new Set([STATE_SHEET, ...whole].map(nameKey));
  const needed: { sheet: string; rects: Rect[] }[] = [];
  for (const sheet of request.sheets) {
    const st = state.get(nameKey(sheet));
    const block = skip && sameName(skip.sheet, sheet) ? skippedBlock(stateRead, skip) : null;
    // The block's first and last rows are read too, to check that it is still where it was recorded.
    if (block)
      needed.push({
        sheet,
        rects: [
          { row: 0, col: 0, rows: block.row + 1, cols: GRID_COLS },
          {
            row: block.row + block.rows - 1,
            col: 0,
            rows: GRID_ROWS - block.row - block.rows + 1,
            cols: GRID_COLS,
          },
        ],
      });
    else if (st && !keep.has(nameKey(sheet))) needed.push({ sheet, rects: neededRects(st) });
  }
  return { ...request, needed: [...(request.needed ?? []), ...needed] };
}

function stateOf(stateRead: ReadResult): Map<string, SheetState> {
  const values = stateSheetIsOurs(stateRead)
    ? stateRead.sheets.find((s) => sameName(s.sheet, STATE_SHEET))?.values
    : undefined;
  return values ? parseState(values) : new Map<string, SheetState>();
}

/** The rows of `skip.period` on `skip.sheet` as the state sheet recorded them, or null. */
export function skippedBlock(
  stateRead: ReadResult,
  skip: { sheet: string; period: string },
): { row: number; rows: number } | null {
  const block = stateOf(stateRead)
    .get(nameKey(skip.sheet))
    ?.periods?.find((p) => p.period === skip.period);
  return block && block.rows > 0 ? { row: block.row, rows: block.rows } : null;
}

/**
 * Whether the per-line log read (`values`, from A1) still has the skipped period's block where the state
 * sheet says: its first and last rows are that period's first and last line (column B numbers them from
 * 0) and the rows around it are another period's. Otherwise the rows left out may hold other periods.
 */
export function skippedBlockIntact(
  values: RawCell[][],
  block: { row: number; rows: number },
  period: string,
): boolean {
  const first = values[block.row];
  const last = values[block.row + block.rows - 1];
  return (
    first?.[0] === period &&
    first?.[1] === 0 &&
    last?.[0] === period &&
    last?.[1] === block.rows - 1 &&
    values[block.row - 1]?.[0] !== period &&
    values[block.row + block.rows]?.[0] !== period
  );
}

const KIND = { zone: "zon", footprint: "yta", period: "period" } as const;
/** The state sheet's first cell; a sheet of that name starting otherwise is not ours and is left alone. */
export const STATE_TITLE = "Uppföljaren: var de gula cellerna på rapportbladen ligger. Ändra inte bladet.";

/** True when the sheet read under STATE_SHEET's name is the product's (or absent). */
export function stateSheetIsOurs(read: ReadResult): boolean {
  const values = read.sheets.find((s) => sameName(s.sheet, STATE_SHEET))?.values;
  return !values || values.length === 0 || values[0]?.[0] === STATE_TITLE;
}

/**
 * The hidden sheet that records the zones and footprints of this refresh's report sheets, and where the
 * per-line log (`lineLog`) has each period's rows.
 */
export function stateSheet(
  sheets: { plan: SheetPlan; zones: PlacedZone[] }[],
  lineLog?: { sheet: string; periods: { period: string; row: number; rows: number }[] },
): SheetPlan {
  const rows: PlanValue[][] = [
    [STATE_TITLE, null, null, null, null, null],
    ["Typ", "Blad", "Nyckel", "Cell", "Beskrivning", "Utkast"],
  ];
  for (const { plan, zones } of sheets) {
    // One row per piece, in order; the reader joins them.
    for (const piece of footprintPieces(encodeFootprint(footprintOf(plan, zones))))
      rows.push([KIND.footprint, plan.name, piece, null, null, null]);
    for (const z of zones)
      rows.push([KIND.zone, plan.name, z.key, a1(z.row, z.col), z.label, z.draft ?? null]);
  }
  for (const p of lineLog?.periods ?? [])
    rows.push([KIND.period, lineLog!.sheet, p.period, a1(p.row, 0), String(p.rows), null]);
  return {
    name: STATE_SHEET,
    owned: true,
    hidden: true,
    values: [{ row: 0, col: 0, values: rows }],
    formats: [],
    merges: [],
    columnWidths: [],
    charts: [],
  };
}

export function parseState(values: RawCell[][]): Map<string, SheetState> {
  const out = new Map<string, SheetState>();
  const get = (sheet: string) => {
    let s = out.get(nameKey(sheet));
    if (!s) out.set(nameKey(sheet), (s = { zones: [], footprint: [] }));
    return s;
  };
  for (const row of values) {
    const [kind, sheet, key, cell, label, draft] = row ?? [];
    if (typeof sheet !== "string" || typeof key !== "string") continue;
    if (kind === KIND.footprint) {
      const state = get(sheet);
      for (const mask of decodeFootprint(key)) state.footprint.push(mask);
    }
    const start = typeof cell === "string" ? /^A(\d+)$/.exec(cell) : null;
    if (kind === KIND.period && start && typeof label === "string" && /^\d+$/.test(label)) {
      const st = get(sheet);
      (st.periods ??= []).push({ period: key, row: Number(start[1]) - 1, rows: Number(label) });
    }
    if (kind === KIND.zone && typeof cell === "string") {
      const m = /^([A-Z]+)(\d+)$/.exec(cell);
      if (!m) continue;
      get(sheet).zones.push({
        key,
        row: Number(m[2]) - 1,
        col: colIndex(m[1]),
        label: typeof label === "string" ? label : key,
        ...(typeof draft === "string" && draft !== "" ? { draft } : {}),
      });
    }
  }
  return out;
}

function cellText(v: RawCell): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return v.error;
  if (typeof v === "boolean") return v ? "SANT" : "FALSKT";
  return String(v);
}

const isBlank = (v: RawCell | undefined) =>
  v === null || v === undefined || (typeof v === "string" && v.trim() === "");

/** Text the earlier versions put in the comment zones as an invitation; not the user's. */
const PLACEHOLDERS = new Set(["(Skriv kommentaren här.)"]);

/**
 * Headings of the text zones and their keys, for report sheets written without a recorded state (an
 * earlier version, or a refresh whose write stopped before the state sheet).
 */
const ZONE_HEADINGS: Record<string, string> = {
  "Kommentar till driftsredovisning": "comment",
  "Kommentar till volymutveckling": "comment",
  "Kommentar till investeringsredovisning": "comment",
  "Kommentar till personalnyckeltal": "comment",
  "Sammanfattning av ärendet": "summary",
};

/** A zone's text as read, where it was, and the fingerprint of the draft written there last time. */
interface CarriedZone {
  value: PlanValue;
  label: string;
  cell: string;
  draft?: string;
}

/** One report sheet's carried text: zone values by key, and the cells moved into the note area. */
export class SheetCarry {
  readonly findings: LocatedFinding[] = [];
  private readonly taken = new Set<string>();
  private readonly extra: string[] = [];

  constructor(
    readonly sheet: string,
    private readonly values: Map<string, CarriedZone> = new Map(),
    moved: { cell: string; value: RawCell }[] = [],
  ) {
    moved.forEach((m, i) => {
      const text = cellText(m.value);
      this.extra.push(`Från ${m.cell}: ${text}`);
      if (i < MOVED_FINDINGS)
        this.findings.push({
          level: "info",
          code: "USER_CELL_MOVED",
          message: `${sheet}!${m.cell}: "${short(text)}" stod utanför Uppföljarens celler och har flyttats till ${NOTES_LABEL} längst ner på bladet, så att det finns kvar.`,
          sheet,
        });
    });
    if (moved.length > MOVED_FINDINGS)
      this.findings.push({
        level: "info",
        code: "USER_CELL_MOVED",
        message: `${sheet}: ytterligare ${countNoun(moved.length - MOVED_FINDINGS, "cell", "celler")} stod utanför Uppföljarens celler och har flyttats till ${NOTES_LABEL} längst ner på bladet.`,
        sheet,
      });
  }

  /** The carried value of zone `key` (null when none); the zone is then placed. */
  take(key: string): PlanValue {
    this.taken.add(key);
    return this.values.get(key)?.value ?? null;
  }

  /** The fingerprint of the draft the last refresh wrote in zone `key`, if it wrote one. */
  draftOf(key: string): string | undefined {
    return this.values.get(key)?.draft;
  }

  /** Text to keep in the note area (a zone's text that a requested new draft replaced). */
  keepInNotes(text: string): void {
    this.extra.push(text);
  }

  /**
   * The note area's text: its own carried text, then the cells moved into it, then the zones that got
   * no place this time. Call after every other zone of the sheet has been taken.
   */
  notesText(): string | null {
    const parts: string[] = [];
    const own = this.take("notes");
    if (own !== null && String(own) !== "") parts.push(String(own));
    parts.push(...this.extra);
    for (const [key, z] of this.values) {
      if (this.taken.has(key) || z.value === null || String(z.value) === "") continue;
      parts.push(`${z.label}: ${String(z.value)}`);
      this.findings.push({
        level: "info",
        code: "ZONE_MOVED",
        message: `${this.sheet}!${z.cell} (${z.label}) har ingen plats i rapporten längre; texten finns kvar under ${NOTES_LABEL}.`,
        sheet: this.sheet,
      });
    }
    return parts.length ? parts.join("\n") : null;
  }
}

const NOTES_LABEL = "Egna anteckningar";
/** Findings per sheet for moved cells; the rest are counted in one more. */
const MOVED_FINDINGS = 10;

function short(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** Reads what the user typed on the report sheets `sheets` (as read before the refresh). */
export function carryOver(read: ReadResult, sheets: readonly string[]): Map<string, SheetCarry> {
  const byName = new Map(read.sheets.map((s) => [nameKey(s.sheet), s.values]));
  const stateValues = stateSheetIsOurs(read) ? byName.get(nameKey(STATE_SHEET)) : undefined;
  const state = stateValues ? parseState(stateValues) : new Map<string, SheetState>();
  const out = new Map<string, SheetCarry>();
  for (const sheet of sheets) {
    const values = byName.get(nameKey(sheet));
    const st = state.get(nameKey(sheet));
    if (!values) out.set(sheet, new SheetCarry(sheet));
    else if (!st && looksOurs(sheet, values)) out.set(sheet, new SheetCarry(sheet, byHeading(values)));
    else if (!st) out.set(sheet, fromState(sheet, values, { zones: [], footprint: [] }));
    else out.set(sheet, fromState(sheet, values, st));
  }
  return out;
}

function fromState(sheet: string, values: RawCell[][], st: SheetState): SheetCarry {
  const zones = new Map<string, CarriedZone>();
  const zoneAt = new Set<string>();
  for (const z of st.zones) {
    zoneAt.add(`${z.row},${z.col}`);
    const v = values[z.row]?.[z.col];
    if (isBlank(v)) continue;
    const value: PlanValue = typeof v === "object" && v !== null ? v.error : (v as PlanValue);
    zones.set(z.key, { value, label: z.label, cell: a1(z.row, z.col), draft: z.draft });
  }
  const moved: { cell: string; value: RawCell }[] = [];
  values.forEach((row, r) =>
    row?.forEach((v, c) => {
      if (isBlank(v) || zoneAt.has(`${r},${c}`)) return;
      if (c < MASK_COLS && ((st.footprint[r] ?? 0) >> c) & 1) return;
      moved.push({ cell: a1(r, c), value: v });
    }),
  );
  return new SheetCarry(sheet, zones, moved);
}

/** The first cell each report sheet has always started with (this version and the ones before it). */
const FIRST_CELL: Record<string, RegExp> = {
  DRIFTSREDOVISNING: /^Driftsredovisning, nettoresultat/,
  ÅTGÄRDSPLAN: /^Åtgärdsplan utifrån budgetuppföljning/,
  VOLYMMÅTT: /^Volymmått$/,
  KONTROLLER: /^Kontroller$/,
  PROGNOSLOGG: /^Period$/,
  SAMMANFATTNING: /^Sammanfattning per /,
  INVESTERINGSREDOVISNING: /^Investeringsredovisning, nettoresultat/,
  PERSONALNYCKELTAL: /^Personalnyckeltal$/,
};

/** True when a sheet without a recorded state was written by Uppföljaren (an earlier version). */
function looksOurs(sheet: string, values: RawCell[][]): boolean {
  const a1 = values[0]?.[0];
  const re = FIRST_CELL[nameKey(sheet)];
  return typeof a1 === "string" && re !== undefined && re.test(a1.trim());
}

function byHeading(values: RawCell[][]): Map<string, { value: PlanValue; label: string; cell: string }> {
  const zones = new Map<string, { value: PlanValue; label: string; cell: string }>();
  values.forEach((row, r) => {
    const head = row?.[0];
    const key = typeof head === "string" ? ZONE_HEADINGS[head.trim()] : undefined;
    if (typeof head !== "string" || key === undefined) return;
    const next = values[r + 1]?.[0];
    const v = next === ZONE_HINT ? values[r + 2]?.[0] : next;
    if (isBlank(v) || (typeof v === "string" && PLACEHOLDERS.has(v.trim()))) return;
    zones.set(key, {
      value: typeof v === "object" && v !== null ? v.error : (v as PlanValue),
      label: head.trim(),
      cell: a1(next === ZONE_HINT ? r + 2 : r + 1, 0),
    });
  });
  return zones;
}

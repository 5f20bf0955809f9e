/**
 * The template's tables with a header row, Atgarder (the measures) and Volymer (the volumes): readHeader
 * finds the columns by their header text and tableRows walks the data rows. tertial-input.ts reads
 * Investeringar and Personal with the same two.
 */
import type { Measure, VolumeMeasure, VolumeType } from "../core/types";
import { rectA1, sheetRectA1 } from "./a1";
import { isBlank, normaliseKey, type At, type Reader } from "./cells";
import { err, type ResolvedName } from "./contract";
import type { RawCell } from "./types";

export interface Column {
  key: string;
  aliases: string[];
  required: boolean;
  label: string;
}

/** Maps header cells to columns: exact normalised match first, then prefix match. */
export function readHeader(
  rd: Reader,
  res: ResolvedName,
  header: RawCell[],
  columns: Column[],
): Record<string, number> | null {
  const norm = header.map((h) =>
    typeof h === "string" ? normaliseKey(h) : typeof h === "number" ? String(h) : "",
  );
  const found: Record<string, number> = {};
  const taken = new Set<number>();
  for (const pass of ["exact", "prefix"] as const) {
    for (const c of columns) {
      if (found[c.key] !== undefined) continue;
      const j = norm.findIndex(
        (h, idx) =>
          !taken.has(idx) &&
          h !== "" &&
          c.aliases.some((a) => (pass === "exact" ? h === a : h.startsWith(a))),
      );
      if (j >= 0) {
        found[c.key] = j;
        taken.add(j);
      }
    }
  }
  const missing = columns.filter((c) => c.required && found[c.key] === undefined).map((c) => c.label);
  if (missing.length) {
    const headerRect = { ...res.rect, rows: 1 };
    rd.errors.push(
      err(
        "TABLE_HEADER",
        `Tabellen ${res.name} (${sheetRectA1(res.rect)}) saknar ${missing.length > 1 ? "kolumnerna" : "kolumnen"} ${missing.join(", ")} i rubrikraden ${rectA1(headerRect)}.`,
        `The table ${res.name} (${sheetRectA1(res.rect)}) lacks the column(s) ${missing.join(", ")} in its header row ${rectA1(headerRect)}.`,
        res.rect.sheet,
        rectA1(headerRect),
      ),
    );
    return null;
  }
  return found;
}

interface TableCell {
  v: RawCell;
  at: At;
}

/**
 * The data rows of a table read with readHeader (blank rows skipped): `cell(key)` for an optional
 * column (null when the table lacks it) and `need(key)` for a required one, which readHeader has
 * already found.
 */
export function* tableRows(res: ResolvedName, g: RawCell[][], cols: Record<string, number>) {
  // A message names the table and the column as its header reads ("Investeringar, Budget"), so that
  // the ekonom sees which column of the row the cell is in.
  const what = (j: number) => {
    const h = g[0]?.[j];
    return typeof h === "string" && h.trim() !== ""
      ? `${res.name}, ${h.trim().replace(/\s+/g, " ")}`
      : res.name;
  };
  for (let i = 1; i < g.length; i++) {
    if (g[i].every(isBlank)) continue;
    const cell = (key: string): TableCell | null => {
      const j = cols[key];
      if (j === undefined) return null;
      return {
        v: g[i][j],
        at: { sheet: res.rect.sheet, row: res.rect.row + i, col: res.rect.col + j, what: what(j) },
      };
    };
    const need = (key: string): TableCell => cell(key) as TableCell;
    yield { i, cell, need };
  }
}

const MEASURE_COLUMNS: Column[] = [
  { key: "area", aliases: ["omrade"], required: true, label: "Område" },
  { key: "text", aliases: ["atgard", "atgarder"], required: true, label: "Åtgärd" },
  { key: "amount", aliases: ["belopp"], required: true, label: "Belopp" },
  { key: "type", aliases: ["typ"], required: true, label: "Typ" },
  { key: "included", aliases: ["inraknad", "inraknat"], required: true, label: "Inräknad" },
  { key: "line", aliases: ["post"], required: false, label: "Post" },
  { key: "responsible", aliases: ["ansvarig"], required: false, label: "Ansvarig" },
  { key: "status", aliases: ["status"], required: false, label: "Status" },
  // After Ansvarig, so that a header "Ansvarig person" is Ansvarig's by prefix.
  { key: "orgUnit", aliases: ["ansvar", "enhet", "avdelning"], required: false, label: "Ansvar" },
];

export function readMeasures(rd: Reader, res: ResolvedName, g: RawCell[][], rows: number[]): Measure[] {
  if (g.length === 0) return [];
  const cols = readHeader(rd, res, g[0], MEASURE_COLUMNS);
  if (!cols) return [];
  const out: Measure[] = [];
  let area: string | null = null;
  for (const { i, cell, need } of tableRows(res, g, cols)) {
    const c = need("area");
    const a = rd.text(c.v, c.at);
    if (a !== null) area = a;
    else if (area === null) {
      rd.error("MEASURE_AREA", c.at, "åtgärden saknar område.", "the measure has no area.");
      continue;
    }
    const t = need("text");
    const text = rd.text(t.v, t.at) ?? "";
    const am = need("amount");
    const amount = rd.number(am.v, am.at, "keep");
    const ty = need("type");
    const typeText = rd.text(ty.v, ty.at);
    let type: Measure["type"] = "forecast";
    if (typeText !== null) {
      const k = normaliseKey(typeText);
      if (k.startsWith("besl")) type = "decided";
      else if (!k.startsWith("prog"))
        rd.error(
          "MEASURE_TYPE",
          ty.at,
          `typen "${typeText}" är okänd; ange prognos eller beslutad.`,
          `unknown type "${typeText}"; use prognos or beslutad.`,
        );
    }
    const inc = need("included");
    let included = false;
    if (typeof inc.v === "boolean") included = inc.v;
    else {
      const s = rd.text(inc.v, inc.at);
      if (s !== null) {
        const k = normaliseKey(s);
        if (["ja", "j", "x", "yes", "sant", "true", "1"].includes(k)) included = true;
        else if (!["nej", "n", "no", "falskt", "false", "0"].includes(k))
          rd.error("MEASURE_INCLUDED", inc.at, `"${s}" ska vara ja eller nej.`, `"${s}" must be ja or nej.`);
      }
    }
    const m: Measure = { area, text, amount, type, includedInForecast: included };
    for (const key of ["line", "responsible", "status", "orgUnit"] as const) {
      const x = cell(key);
      if (x) m[key] = rd.text(x.v, x.at);
    }
    out.push(m);
    rows.push(i);
  }
  return out;
}

const VOLUME_TYPES: Record<string, VolumeType> = {
  flode: "flow",
  flow: "flow",
  stock: "stock",
  bestand: "stock",
  snitt: "average",
  genomsnitt: "average",
  medel: "average",
  average: "average",
};

const VOLUME_COLUMNS: Column[] = [
  { key: "label", aliases: ["volymmatt", "matt"], required: true, label: "Volymmått" },
  { key: "type", aliases: ["typ"], required: true, label: "Typ" },
  {
    key: "lastYear",
    aliases: ["utfallfgar", "utfallforegaendear", "fgar"],
    required: false,
    label: "UtfallFgAr",
  },
  { key: "actual", aliases: ["utfall"], required: true, label: "Utfall" },
  { key: "forecast", aliases: ["prognos"], required: false, label: "Prognos" },
  { key: "inflow", aliases: ["inflode", "inflodenfran"], required: false, label: "Inflöde" },
  { key: "outflow", aliases: ["utflode"], required: false, label: "Utflöde" },
];

export function readVolumes(rd: Reader, res: ResolvedName, g: RawCell[][], rows: number[]): VolumeMeasure[] {
  if (g.length === 0) return [];
  const cols = readHeader(rd, res, g[0], VOLUME_COLUMNS);
  if (!cols) return [];
  const out: VolumeMeasure[] = [];
  for (const { i, cell, need } of tableRows(res, g, cols)) {
    const l = need("label");
    let label = rd.text(l.v, l.at);
    if (label === null) {
      label = `Rad ${l.at.row + 1}`;
      rd.finding("warning", "LABEL_MISSING", l.at, `volymmåttet saknar benämning; det kallas "${label}".`);
    }
    const ty = need("type");
    const typeText = rd.text(ty.v, ty.at);
    const type = typeText === null ? undefined : VOLUME_TYPES[normaliseKey(typeText)];
    if (!type) {
      rd.error(
        "VOLUME_TYPE",
        ty.at,
        typeText === null
          ? "typen saknas; ange flöde, stock eller snitt."
          : `typen "${typeText}" är okänd; ange flöde, stock eller snitt.`,
        "the volume type must be flöde, stock or snitt.",
      );
      continue;
    }
    const ac = need("actual");
    const v: VolumeMeasure = { label, type, actual: rd.number(ac.v, ac.at) as number | null };
    const fc = cell("forecast");
    if (fc) v.forecast = rd.number(fc.v, fc.at) as number | null;
    const ly = cell("lastYear");
    if (ly) v.lastYear = rd.number(ly.v, ly.at, "keep");
    for (const key of ["inflow", "outflow"] as const) {
      const c = cell(key);
      const text = c ? rd.text(c.v, c.at) : null;
      if (text !== null)
        v[key] = text
          .split(";")
          .map((s) => s.trim())
          .filter(Boolean);
    }
    out.push(v);
    rows.push(i);
  }
  return out;
}

/**
 * The template contract (docs/TEMPLATE.md): which defined names the workbook must have, what shape
 * they must be, and where they point. Pure: the host hands in a snapshot (WorkbookMeta) and gets back
 * what to read, or every blocking error at once. How the cells then become the core's LedgerInput is
 * input.ts.
 *
 * planRead(meta, config)                → what to read (and the resolved names), or errors
 * buildInput(resolution, read, config)  → (input.ts) LedgerInput + Layout, or errors
 */
import type { Finding } from "../core/types";
import {
  MAX_COLS,
  MAX_ROWS,
  colIndex,
  intersects,
  parseNameFormula,
  rectA1,
  sheetPrefix,
  sheetRectA1,
  nameKey,
  sameName,
} from "./a1";
import { ROLES } from "./config";
import type {
  ContractError,
  LocatedFinding,
  NameEntry,
  ReadRequest,
  Rect,
  Role,
  SheetRect,
  StoredConfig,
  WorkbookMeta,
} from "./types";

// ---------------------------------------------------------------------------------------------------
// Roles and their shapes

/** "title": any area, its top-left cell read (a heading is often merged over several cells). */
export type Shape = "col" | "colOr12" | "grid12" | "cell" | "title" | "table" | "list" | "output";

export const ROLE_SHAPES: Record<Role, { shape: Shape; required: boolean }> = {
  Poster: { shape: "col", required: true },
  Budget: { shape: "colOr12", required: true },
  Utfall: { shape: "colOr12", required: true },
  Period: { shape: "cell", required: true },
  Ar: { shape: "cell", required: false },
  Verksamhet: { shape: "title", required: false },
  Radtyp: { shape: "col", required: false },
  Metod: { shape: "col", required: false },
  ManuellPrognos: { shape: "col", required: false },
  Kommentar: { shape: "col", required: false },
  Ansvar: { shape: "col", required: false },
  UtfallFgAr: { shape: "grid12", required: false },
  UtfallFgAr2: { shape: "grid12", required: false },
  BudgetFgAr: { shape: "col", required: false },
  Balansmal: { shape: "cell", required: false },
  Enhet: { shape: "cell", required: false },
  Avrundning: { shape: "cell", required: false },
  Atgarder: { shape: "table", required: false },
  Namndmoten: { shape: "list", required: false },
  Volymer: { shape: "table", required: false },
  Investeringar: { shape: "table", required: false },
  Personal: { shape: "table", required: false },
  Avvikelse: { shape: "output", required: false },
  Prognos: { shape: "output", required: false },
  Prognosavvikelse: { shape: "output", required: false },
};

export type OutputRole = "Avvikelse" | "Prognos" | "Prognosavvikelse";
export const OUTPUT_ROLES: readonly OutputRole[] = ["Avvikelse", "Prognos", "Prognosavvikelse"];

/** The report sheets the product owns: updated in place, in this order after the user's sheets. */
export const REPORT_SHEETS = {
  summary: "Sammanfattning",
  operatingStatement: "Driftsredovisning",
  investments: "Investeringsredovisning",
  personnel: "Personalnyckeltal",
  actionPlan: "Åtgärdsplan",
  volumes: "Volymmått",
  findings: "Kontroller",
  log: "Prognoslogg",
  accuracy: "Prognossäkerhet",
} as const;

/** The hidden sheet with every period's forecast per line (log.ts), written with Prognoslogg. */
export const LINE_LOG_SHEET = "Prognoslogg_rader";

/** The sheet the forecast history lives in (owned by the product). */
export const LOG_SHEET = REPORT_SHEETS.log;

/**
 * The hidden sheet where a refresh records the report sheets' input zones (reports/carry.ts). The
 * underscore keeps it apart from a sheet of the user's own called "Uppföljaren".
 */
export const STATE_SHEET = "_Uppföljaren";

/** The start of a unit's own Driftsredovisning sheet's name ("Drift Vårnäs", unit-sheets.ts). */
export const UNIT_SHEET_PREFIX = "Drift ";

export interface ResolvedName {
  role: Role;
  /** The workbook's own name as defined (original case). */
  name: string;
  /** Sheet scope, or null for a workbook-scoped name. */
  scope: string | null;
  rect: SheetRect;
}

export interface OutputTarget {
  role: OutputRole;
  rect: SheetRect;
  /** True when the workbook defines the name; false when the column is created right of Utfall. */
  defined: boolean;
}

/** Which names resolved to which ranges. Opaque to hosts. */
export interface Resolution {
  readonly _brand?: "Resolution";
  roles: Partial<Record<Role, ResolvedName>>;
  outputs: OutputTarget[];
  /** Number of ledger rows (the height of Poster). */
  rows: number;
  /** Where created output columns were placed (OUTPUT_PLACED), for Kontroller. */
  findings?: LocatedFinding[];
}

/** Where each line, measure and volume lives in the workbook, for findings and output columns. */
export interface Layout {
  locate(finding: Finding): { sheet?: string; cell?: string };
  /** Non-blocking findings from reading the workbook (e.g. numbers stored as text), already located. */
  readFindings: LocatedFinding[];
  /** The three output columns, in the order Avvikelse, Prognos, Prognosavvikelse. */
  outputs: OutputTarget[];
  /** For ledger line i (index into LedgerInput.lines), its row offset within Poster. */
  lineRows: number[];
  /** Height of Poster (and of the output columns). */
  rows: number;
  /** Each line's comment (Kommentar), for the operating statement. */
  lineComments: (string | null)[];
  /** The text of the cell named Verksamhet, when the workbook has one (the pane's setting goes first). */
  verksamhet?: string | null;
}

export function err(
  code: string,
  message: string,
  messageEn: string,
  sheet?: string,
  cell?: string,
): ContractError {
  const e: ContractError = { code, message, messageEn };
  if (sheet !== undefined) e.sheet = sheet;
  if (cell !== undefined) e.cell = cell;
  return e;
}

// ---------------------------------------------------------------------------------------------------
// Name resolution

export type RoleLookup =
  | { role: Role; status: "found"; resolved: ResolvedName }
  | { role: Role; status: "missing"; wanted: string }
  | { role: Role; status: "error"; wanted: string; error: ContractError };

/**
 * Finds the name for one role: the mapping's name (or "Blad!Namn" for a sheet-scoped one) or the
 * role's own name, case-insensitively. A workbook-scoped name wins; otherwise a single sheet-scoped
 * one is used; several sheet-scoped candidates are an error naming them.
 */
export function lookupRole(meta: WorkbookMeta, config: StoredConfig, role: Role): RoleLookup {
  const wanted = config.mapping[role] ?? role;
  let sheetWanted: string | null = null;
  let nameWanted = wanted;
  const bang = wanted.lastIndexOf("!");
  if (bang > 0) {
    sheetWanted = wanted
      .slice(0, bang)
      .replace(/^'(.*)'$/, "$1")
      .replace(/''/g, "'");
    nameWanted = wanted.slice(bang + 1);
  }
  const candidates = meta.names.filter((n) => sameName(n.name, nameWanted));
  let entry: NameEntry | undefined;
  if (sheetWanted !== null) {
    entry = candidates.find((n) => n.scope !== null && sameName(n.scope, sheetWanted as string));
  } else {
    entry = candidates.find((n) => n.scope === null);
    if (!entry) {
      const scoped = candidates.filter((n) => n.scope !== null);
      if (scoped.length > 1) {
        const sheets = scoped.map((n) => n.scope as string).join(", ");
        return {
          role,
          status: "error",
          wanted,
          error: err(
            "NAME_AMBIGUOUS",
            `Namnet ${wanted} finns på flera blad (${sheets}) men inte för hela arbetsboken. Ta bort alla utom ett, eller koppla rollen ${role} till ett av dem (t.ex. ${sheetPrefix(scoped[0].scope as string)}!${nameWanted}).`,
            `The name ${wanted} is defined on several sheets (${sheets}) and not for the workbook. Remove all but one, or map the role ${role} to one of them.`,
          ),
        };
      }
      entry = scoped[0];
    }
  }
  if (!entry) return { role, status: "missing", wanted };
  const label = wanted === role ? role : `${wanted} (${role})`;
  const parsed = parseNameFormula(entry.formula);
  const where = entry.scope ?? undefined;
  switch (parsed.kind) {
    case "ref-error":
      return {
        role,
        status: "error",
        wanted,
        error: err(
          "NAME_REF",
          `Namnet ${label} pekar på #REF! (${entry.formula}): området det pekade på har tagits bort. Definiera om namnet under Formler > Namnhanteraren.`,
          `The name ${label} refers to #REF! (${entry.formula}): its range was deleted. Redefine the name.`,
          where,
        ),
      };
    case "multi":
      return {
        role,
        status: "error",
        wanted,
        error: err(
          "NAME_MULTI_AREA",
          `Namnet ${label} består av flera områden (${entry.formula}). Det måste vara ett enda sammanhängande område.`,
          `The name ${label} consists of several areas (${entry.formula}); it must be one contiguous range.`,
          where,
        ),
      };
    case "constant":
    case "other":
      return {
        role,
        status: "error",
        wanted,
        error: err(
          parsed.kind === "constant" ? "NAME_CONSTANT" : "NAME_NOT_RANGE",
          `Namnet ${label} är ${parsed.kind === "constant" ? "ett fast värde" : "en formel"} (${entry.formula}), inte ett cellområde. Låt namnet peka på cellerna, t.ex. =Underlag!$B$5:$B$20.`,
          `The name ${label} is ${parsed.kind === "constant" ? "a constant" : "a formula"} (${entry.formula}), not a cell range.`,
          where,
        ),
      };
  }
  const rect = parsed.rect;
  const sheet = meta.sheets.find((s) => sameName(s.name, rect.sheet));
  if (!sheet)
    return {
      role,
      status: "error",
      wanted,
      error: err(
        "NAME_SHEET_MISSING",
        `Namnet ${label} pekar på bladet ${rect.sheet} som inte finns i arbetsboken (${entry.formula}).`,
        `The name ${label} refers to the sheet ${rect.sheet}, which does not exist (${entry.formula}).`,
        rect.sheet,
      ),
    };
  return {
    role,
    status: "found",
    resolved: { role, name: entry.name, scope: entry.scope, rect: { ...rect, sheet: sheet.name } },
  };
}

function shapeErrors(res: Partial<Record<Role, ResolvedName>>): ContractError[] {
  const errors: ContractError[] = [];
  const describe = (r: ResolvedName) => `${r.name} (${sheetRectA1(r.rect)})`;
  const shapeErr = (r: ResolvedName, sv: string, en: string) =>
    errors.push(
      err(
        "SHAPE",
        `Namnet ${describe(r)} ${sv}`,
        `The name ${r.name} (${sheetRectA1(r.rect)}) ${en}`,
        r.rect.sheet,
        rectA1(r.rect),
      ),
    );
  for (const r of Object.values(res)) {
    if (r && (r.rect.rows === MAX_ROWS || r.rect.cols === MAX_COLS))
      shapeErr(
        r,
        "omfattar hela kolumner eller rader. Avgränsa det till cellerna med data.",
        "covers whole columns or rows; limit it to the cells with data.",
      );
  }
  if (errors.length) return errors;
  const poster = res.Poster;
  if (poster && poster.rect.cols !== 1)
    shapeErr(
      poster,
      `har ${poster.rect.cols} kolumner; det ska vara en kolumn med radernas benämningar.`,
      `has ${poster.rect.cols} columns; it must be one column of line labels.`,
    );
  const n = poster?.rect.rows;
  for (const role of ROLES) {
    const r = res[role];
    if (!r || role === "Poster") continue;
    const { rows, cols } = r.rect;
    const shape = ROLE_SHAPES[role].shape;
    if (shape === "cell" && (rows !== 1 || cols !== 1))
      shapeErr(r, "ska vara en enda cell.", "must be a single cell.");
    if (shape === "list" && rows !== 1 && cols !== 1)
      shapeErr(
        r,
        "ska vara en kolumn (eller en rad) med datum.",
        "must be one column (or one row) of dates.",
      );
    if (shape === "table" && rows < 1)
      shapeErr(r, "ska vara en tabell med en rubrikrad.", "must be a table with a header row.");
    if (n === undefined) continue;
    const rowsOk = rows === n;
    if ((shape === "col" || shape === "output") && (!rowsOk || cols !== 1))
      shapeErr(
        r,
        `ska vara en kolumn med ${n} rader som Poster, men är ${rows}×${cols}.`,
        `must be one column of ${n} rows like Poster, but is ${rows}×${cols}.`,
      );
    if (shape === "colOr12" && (!rowsOk || (cols !== 1 && cols !== 12)))
      shapeErr(
        r,
        `ska ha ${n} rader som Poster och 1 kolumn (helår) eller 12 (januari–december), men är ${rows}×${cols}.`,
        `must have ${n} rows like Poster and 1 column (full year) or 12 (January–December), but is ${rows}×${cols}.`,
      );
    if (shape === "grid12" && (!rowsOk || cols !== 12))
      shapeErr(
        r,
        `ska ha ${n} rader som Poster och 12 kolumner (januari–december), men är ${rows}×${cols}.`,
        `must have ${n} rows like Poster and 12 columns (January–December), but is ${rows}×${cols}.`,
      );
  }
  return errors;
}

/** Resolves every role; used by planRead and by the pane's name detection. */
export function lookupRoles(meta: WorkbookMeta, config: StoredConfig): RoleLookup[] {
  return ROLES.map((role) => lookupRole(meta, config, role));
}

/**
 * First step: resolve the names, check the shapes, and say what to read. Collects all errors. With
 * `writes: false` (check, the Word report) nothing will be written, so a protected sheet holding the
 * output columns is a warning that a refresh would stop there, not a stop.
 */
export function planRead(
  meta: WorkbookMeta,
  config: StoredConfig,
  { writes = true }: { writes?: boolean } = {},
): { request: ReadRequest; resolution: Resolution } | { errors: ContractError[] } {
  const errors: ContractError[] = [];
  const roles: Partial<Record<Role, ResolvedName>> = {};
  for (const lk of lookupRoles(meta, config)) {
    if (lk.status === "found") roles[lk.role] = lk.resolved;
    else if (lk.status === "error") errors.push(lk.error);
    else if (ROLE_SHAPES[lk.role].required) {
      const mapped = lk.wanted !== lk.role;
      errors.push(
        err(
          "NAME_MISSING",
          mapped
            ? `Namnet ${lk.wanted}, som rollen ${lk.role} är kopplad till, saknas i arbetsboken.`
            : `Namnet ${lk.role} saknas i arbetsboken. Definiera det (Formler > Definiera namn) över ${ROLE_HINT_SV[lk.role] ?? "cellerna"}, eller koppla rollen till ett eget namn.`,
          mapped
            ? `The name ${lk.wanted}, mapped to the role ${lk.role}, is not defined in the workbook.`
            : `The required name ${lk.role} is not defined in the workbook.`,
        ),
      );
    }
  }
  errors.push(...shapeErrors(roles));
  const owned = [
    ...(Object.keys(REPORT_SHEETS) as (keyof typeof REPORT_SHEETS)[])
      .filter((k) => config.settings.reports[k])
      .map((k) => REPORT_SHEETS[k]),
    STATE_SHEET,
    ...(config.settings.reports.log ? [LINE_LOG_SHEET] : []),
  ];
  const ownedClash = new Set<string>();
  for (const r of Object.values(roles)) {
    const sheet = r && owned.find((o) => sameName(o, r.rect.sheet));
    if (r && sheet && !ownedClash.has(sheet)) {
      ownedClash.add(sheet);
      errors.push(
        err(
          "OWNED_SHEET",
          `Namnet ${r.name} (${sheetRectA1(r.rect)}) pekar på bladet ${r.rect.sheet}, men det bladet skrivs om helt av Uppföljaren vid varje uppdatering. Flytta underlaget till ett annat blad (eller byt namn på bladet). Inget har skrivits.`,
          `The name ${r.name} refers to the sheet ${r.rect.sheet}, which Uppföljaren replaces on every refresh. Move the data to another sheet. Nothing was written.`,
          r.rect.sheet,
          rectA1(r.rect),
        ),
      );
    }
  }

  const outputs: OutputTarget[] = [];
  const placed: LocatedFinding[] = [];
  const utfall = roles.Utfall;
  const n = roles.Poster?.rect.rows ?? 0;
  if (utfall && roles.Poster && errors.length === 0) {
    const ranges: Partial<Record<Role, SheetRect>> = {};
    for (const [role, r] of Object.entries(roles)) if (r) ranges[role as Role] = r.rect;
    const place = placeOutputColumns(ranges, config.settings.outputColumn);
    OUTPUT_ROLES.forEach((role, i) => {
      const defined = roles[role];
      if (defined) {
        if (defined.rect.row !== utfall.rect.row)
          errors.push(
            err(
              "OUTPUT_ROWS",
              `Namnet ${defined.name} (${sheetRectA1(defined.rect)}) börjar på rad ${defined.rect.row + 1} men Utfall på rad ${utfall.rect.row + 1}. Utdatakolumnerna ska ligga på samma rader som Utfall.`,
              `The name ${defined.name} starts at row ${defined.rect.row + 1} but Utfall at row ${utfall.rect.row + 1}; output columns must be on Utfall's rows.`,
              defined.rect.sheet,
              rectA1(defined.rect),
            ),
          );
        outputs.push({ role, rect: defined.rect, defined: true });
      } else {
        const rect: SheetRect = {
          sheet: utfall.rect.sheet,
          row: utfall.rect.row,
          col: place.col + i,
          rows: n,
          cols: 1,
        };
        outputs.push({ role, rect, defined: false });
      }
    });
    const created = outputs.filter((o) => !o.defined);
    if (place.how !== "right" && created.length && created.every((o) => o.rect.col < MAX_COLS)) {
      const first = created[0].rect;
      const area = sheetRectA1({ ...first, cols: created[created.length - 1].rect.col - first.col + 1 });
      placed.push({
        level: "info",
        code: "OUTPUT_PLACED",
        message: `Kolumnerna ${created.map((o) => o.role).join(", ")} skrivs i ${area} ${placementWhy(place)} Namnen definieras där, så att nästa uppdatering skriver på samma ställe.`,
        sheet: first.sheet,
        cell: rectA1({ ...first, cols: created[created.length - 1].rect.col - first.col + 1 }),
      });
    }
    for (const out of outputs) {
      if (out.rect.col >= MAX_COLS) {
        errors.push(
          err(
            "OUTPUT_NO_ROOM",
            `Det finns ingen plats för kolumnen ${out.role} till höger om Utfall. Definiera namnet ${out.role} där resultatet ska skrivas.`,
            `There is no room for the ${out.role} column right of Utfall; define the name ${out.role}.`,
            out.rect.sheet,
          ),
        );
        continue;
      }
      const clash = [
        ...Object.values(roles).filter((r): r is ResolvedName => !!r && r.role !== out.role),
      ].find((r) => sameName(r.rect.sheet, out.rect.sheet) && intersects(r.rect, out.rect));
      if (clash)
        errors.push(
          err(
            "OUTPUT_OVERLAP",
            `Kolumnen ${out.role} skulle skrivas i ${sheetRectA1(out.rect)}, som överlappar namnet ${clash.name} (${sheetRectA1(clash.rect)}). ${out.defined ? "Flytta ett av namnen." : `Definiera namnet ${out.role} där resultatet ska skrivas.`} Inget har skrivits.`,
            `The ${out.role} column at ${sheetRectA1(out.rect)} overlaps the name ${clash.name} (${sheetRectA1(clash.rect)}). Nothing was written.`,
            out.rect.sheet,
            rectA1(out.rect),
          ),
        );
    }
    const protectedSheets = new Set<string>();
    for (const out of outputs) {
      const sheet = meta.sheets.find((s) => sameName(s.name, out.rect.sheet));
      if (sheet?.protected && !protectedSheets.has(sheet.name)) {
        protectedSheets.add(sheet.name);
        const cols = `kolumnerna Avvikelse, Prognos och Prognosavvikelse (${rectA1(out.rect)} m.fl.)`;
        if (!writes)
          placed.push({
            level: "warning",
            code: "SHEET_PROTECTED",
            message: `Bladet ${sheet.name} är skyddat, så en uppdatering kan inte skriva ${cols} och stoppas innan något skrivs. Ta bort skyddet (Granska > Ta bort skydd för blad) innan du uppdaterar.`,
            sheet: sheet.name,
            cell: rectA1(out.rect),
          });
        else
          errors.push(
            err(
              "SHEET_PROTECTED",
              `Bladet ${sheet.name} är skyddat, så ${cols} kan inte skrivas. Ta bort skyddet (Granska > Ta bort skydd för blad) och uppdatera igen. Inget har skrivits.`,
              `The sheet ${sheet.name} is protected, so the output columns cannot be written. Unprotect it and refresh again. Nothing was written.`,
              sheet.name,
              rectA1(out.rect),
            ),
          );
      }
    }
  }
  if (errors.length) return { errors };

  const request: ReadRequest = { ranges: [], sheets: [] };
  for (const role of ROLES) {
    const r = roles[role];
    const shape = ROLE_SHAPES[role].shape;
    const rect = shape === "title" && r ? { ...r.rect, rows: 1, cols: 1 } : r?.rect;
    if (rect && shape !== "output") request.ranges.push({ key: role, rect, formulas: false });
  }
  for (const out of outputs)
    if (!out.defined) request.ranges.push({ key: `out:${out.role}`, rect: out.rect, formulas: true });
  // The report sheets as they are now (the log's history, the text typed in them) and the recorded zones.
  for (const sheet of [...owned]) {
    const found = meta.sheets.find((s) => sameName(s.name, sheet));
    if (found) request.sheets.push(found.name);
  }
  // With a sheet per unit, the units are not known before the data is read: every "Drift …" sheet may
  // be one of them (units.ts), so it is read too and its text carried if the refresh writes it again.
  if (config.settings.unitReports === "sheets" && config.settings.reports.operatingStatement)
    for (const sheet of meta.sheets)
      if (nameKey(sheet.name).startsWith(nameKey(UNIT_SHEET_PREFIX)) && !request.sheets.includes(sheet.name))
        request.sheets.push(sheet.name);
  for (const out of outputs)
    if (out.rect.row > 0)
      request.ranges.push({
        key: `head:${out.role}`,
        rect: { ...out.rect, row: out.rect.row - 1, rows: 1 },
        formulas: true,
      });
  return { request, resolution: { roles, outputs, rows: n, findings: placed } };
}

/** Where created output columns go, and why (for Kontroller and the pane's mapping view). */
export interface OutputPlacement {
  /** The first output column (0-based). */
  col: number;
  /** "right": right of Utfall; "after": right of the rightmost contract range (`after`); "setting": chosen. */
  how: "right" | "after" | "setting";
  /** The role whose range the columns follow when how = "after" (e.g. UtfallFgAr). */
  after?: Role;
  /** The role whose range occupies the columns right of Utfall, when how = "after". */
  blockedBy?: Role;
}

/**
 * Places the output columns that the workbook does not define: the column the settings name; else the
 * three columns right of Utfall; else, when another contract range lies there (a 12-month UtfallFgAr,
 * say), the three columns right of the rightmost contract range on the same sheet and rows.
 */
export function placeOutputColumns(
  ranges: Partial<Record<Role, SheetRect>>,
  outputColumn: string | null,
): OutputPlacement {
  const utfall = ranges.Utfall as SheetRect;
  if (outputColumn) return { col: colIndex(outputColumn), how: "setting" };
  const right: Rect = { row: utfall.row, col: utfall.col + utfall.cols, rows: utfall.rows, cols: 3 };
  const others = (Object.entries(ranges) as [Role, SheetRect][]).filter(
    ([role, r]) =>
      !OUTPUT_ROLES.includes(role as OutputRole) &&
      sameName(r.sheet, utfall.sheet) &&
      r.row < utfall.row + utfall.rows &&
      utfall.row < r.row + r.rows,
  );
  const blocked = others.find(([, r]) => intersects(r, right));
  if (!blocked) return { col: right.col, how: "right" };
  let after = blocked;
  for (const o of others) if (o[1].col + o[1].cols > after[1].col + after[1].cols) after = o;
  return { col: after[1].col + after[1].cols, how: "after", after: after[0], blockedBy: blocked[0] };
}

function placementWhy(p: OutputPlacement): string {
  if (p.how === "setting") return "(kolumnen som är vald i inställningarna).";
  if (p.how === "right") return "(direkt till höger om Utfall).";
  return `(till höger om ${p.after}, eftersom kolumnerna direkt till höger om Utfall hör till ${p.blockedBy}).`;
}

const ROLE_HINT_SV: Partial<Record<Role, string>> = {
  Poster: "kolumnen med radernas benämningar",
  Budget: "budgetkolumnen (en kolumn för helår eller 12 för januari–december)",
  Utfall: "utfallskolumnen (en kolumn hittills i år eller 12 för januari–december)",
  Period: "cellen med periodens slutdatum (t.ex. 2019-04-30) eller månadsnumret",
};

/**
 * A period whose last month has no outcome on any line (not booked yet, or a period a month too late)
 * stops the refresh at the month's column, naming the latest month with outcomes; one blank line does
 * not (the core warns of it), nor does a ledger without any outcome yet.
 */
import { planRead } from "../../../src/workbook/contract";
import { buildInput } from "../../../src/workbook/input";
import { defaultConfig } from "../../../src/workbook/config";
import type { RawCell } from "../../../src/workbook/types";
import { APR_30_2019, book, computeBook, metaOf, name, put, readOf } from "./fake";

/** A ledger with twelve monthly outcome columns (E:P) for January–April, `edit` applied to the rows. */
function ledger(edit: (rows: RawCell[][]) => void = () => undefined) {
  const b = book("Underlag");
  put(b, "Underlag", "A1", [["Period", APR_30_2019]]);
  const rows: RawCell[][] = [
    ["Intäkter", 1200, ...[100, 110, 120, 130], ...Array<null>(8).fill(null)],
    ["Kostnader", -2400, ...[-200, -210, -220, -230], ...Array<null>(8).fill(null)],
  ];
  edit(rows);
  put(b, "Underlag", "A4", rows);
  name(b, "Period", "=Underlag!$B$1");
  name(b, "Poster", "=Underlag!$A$4:$A$5");
  name(b, "Budget", "=Underlag!$B$4:$B$5");
  name(b, "Utfall", "=Underlag!$C$4:$N$5");
  return b;
}

function errorsOf(b: ReturnType<typeof book>, month?: number) {
  const config = defaultConfig();
  const p = planRead(metaOf(b), config);
  if ("errors" in p) throw new Error(p.errors.map((e) => e.message).join("\n"));
  const built = buildInput(p.resolution, readOf(b, p.request), config, { month });
  return "errors" in built ? built.errors : [];
}

describe("PERIOD_NOT_BOOKED", () => {
  test("no line has an outcome for April: stops at the April column, naming March", () => {
    const errors = errorsOf(ledger((rows) => rows.forEach((r) => (r[5] = null))));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "PERIOD_NOT_BOOKED", sheet: "Underlag", cell: "F4:F5" });
    expect(errors[0].message).toBe(
      "Underlag!F4:F5 (Utfall): ingen rad har utfall för april 2019, men perioden slutar i april; senaste månaden med utfall är mars. Perioden är troligen fel: ändra Period till mars (2019-03-31), eller fyll i utfallet för april. Inget har skrivits.",
    );
  });
  test("a month chosen past the outcomes (--period 6) stops the same way", () => {
    const [e] = errorsOf(ledger(), 6);
    expect(e).toMatchObject({ code: "PERIOD_NOT_BOOKED", cell: "H4:H5" });
    expect(e.message).toContain("senaste månaden med utfall är april");
    // The Period cell says April: the month to change is the one chosen, not the cell.
    expect(e.message).toContain(
      "Perioden är troligen fel: välj perioden april i stället, eller fyll i utfallet för juni.",
    );
    expect(e.message).not.toContain("ändra Period");
  });
  test("one line with April blank is a warning of the core, not a stop", () => {
    const b = ledger((rows) => (rows[0][5] = null));
    expect(errorsOf(b)).toEqual([]);
    const { result } = computeBook(b);
    expect(result.findings.map((f) => f.code)).toContain("ACTUAL_MONTH_MISSING");
  });
  test("no outcome in any month (a new template) and April booked are not stopped", () => {
    expect(errorsOf(ledger((rows) => rows.forEach((r) => r.fill(null, 2))))).toEqual([]);
    expect(errorsOf(ledger())).toEqual([]);
    expect(errorsOf(ledger(), 3)).toEqual([]);
  });
});

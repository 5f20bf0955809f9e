// Excel's 32 767-character cell limit, applied to the write plan for both hosts.
import { capCellText, MAX_CELL_CHARS } from "../../../src/workbook/limits";
import type { SheetPlan } from "../../../src/workbook/types";
import { findingTitle } from "../../../src/workbook/words";

const sheet = (values: (string | number | null)[][]): SheetPlan => ({
  name: "Driftsredovisning",
  owned: true,
  values: [{ row: 4, col: 1, values }],
  formats: [],
  merges: [],
  columnWidths: [],
  charts: [],
});

test("a text over the limit is cut to exactly the limit, with a finding naming the cell; others are untouched", () => {
  const exact = "a".repeat(MAX_CELL_CHARS);
  const long = `Hyra: ${"b".repeat(MAX_CELL_CHARS)}`;
  const plan = sheet([
    [exact, 5],
    [null, long],
  ]);
  const findings = capCellText([plan]);
  expect(plan.values[0].values[0]).toEqual([exact, 5]);
  const cut = plan.values[0].values[1][1] as string;
  expect(cut).toHaveLength(MAX_CELL_CHARS);
  expect(cut.startsWith("Hyra: bbb")).toBe(true);
  expect(cut.endsWith("…")).toBe(true);
  expect(findings).toEqual([
    expect.objectContaining({
      level: "warning",
      code: "CELL_TEXT_TOO_LONG",
      sheet: "Driftsredovisning",
      cell: "C6",
    }),
  ]);
  // Numbers in the product's notation, as in every other message.
  expect(findings[0].message).toContain(
    "Driftsredovisning!C6 har 32 773 tecken, men en cell i Excel rymmer högst 32 767.",
  );
  expect(findingTitle("CELL_TEXT_TOO_LONG")).not.toBe("CELL_TEXT_TOO_LONG");
  expect(capCellText([plan])).toEqual([]); // idempotent
});

/**
 * KIND_SIGN (warning): a line the ekonom typed as a cost (Radtyp kostnad) whose budget is positive and
 * outcome not negative: the workbook's costs typed the cost-positive way (as
 * Ludvika's Tabell 30) in a net workbook. Nothing else notices, since the budget and the outcome agree
 * with each other, yet every deviation of the line has the wrong sign: a cost over budget reads as a
 * surplus. Amounts here are the internal (net) convention, where costs are negative.
 */
import type { CheckContext } from "./checks";
import type { Lines } from "./lines";
import { isRecord, prop, type Findings } from "./read";

export function checkKindSign(lines: Lines, findings: Findings, ctx: CheckContext): void {
  const flagged: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    // The usual line is passed over on its kind and signs alone. Its varav lines follow it (a varav line
    // of the other sign than its parent is OFWHICH_MISMATCH's), and a cost-positive workbook (flip) is
    // typed that way on purpose.
    if (lines.kind[i] !== "cost" || !(lines.annual[i] > 0) || lines.actual[i] < 0 || lines.flip[i]) continue;
    if (typedAsCost(ctx.rawLines[i])) flagged.push(i);
  }
  findings.addPerLine(
    "KIND_SIGN",
    flagged,
    (i) => ({
      message: `${lines.name(i)} har Radtyp kostnad, men budgeten ${ctx.fmt(lines.shown(i, lines.annual[i]))} är positiv. Kostnader skrivs negativa och intäkter positiva; med positiva kostnader blir en kostnad över budget ett överskott. Saknas minustecknen?`,
      where: { line: i, field: "budget" },
    }),
    (n) => `Ytterligare ${n} kostnadsrader har positiv budget; saknas minustecknen?`,
  );
}

/**
 * NO_COST_LINES (warning): no line is a cost although there are several lines, all revenue, some only
 * by their positive signs: a whole ledger typed with positive costs and no Radtyp, whose kinds then follow the signs. A
 * line typed as intäkt, or named one ("Avgiftsintäkter"), is revenue by the ekonom's word, so an income
 * ledger said to be one is no slip.
 */
export function checkNoCosts(lines: Lines, findings: Findings, rawLines: readonly unknown[]): void {
  let counted = 0;
  let bySign = 0;
  for (let i = 0; i < lines.length; i++) {
    const kind = lines.kind[i];
    if (kind === "cost") return;
    if (kind !== "revenue") continue;
    counted++;
    if (!saysRevenue(rawLines[i], lines.label[i])) bySign++;
  }
  if (counted < 2 || bySign === 0) return;
  findings.add(
    "warning",
    "NO_COST_LINES",
    `Ingen rad räknas som kostnad: alla rader har positiv budget och räknas som intäkter. Kostnader skrivs negativa; saknas minustecknen, eller ska raderna ha Radtyp kostnad?`,
  );
}

/** The line's Radtyp says cost (the kind was typed, not inferred from the budget's sign). */
function typedAsCost(raw: unknown): boolean {
  return isRecord(raw) && prop(raw, "kind") === "cost";
}

/** The line's Radtyp or its label says revenue (so its kind did not follow its sign alone). */
function saysRevenue(raw: unknown, label: string): boolean {
  return (isRecord(raw) && prop(raw, "kind") === "revenue") || label.toLowerCase().includes("intäkt");
}

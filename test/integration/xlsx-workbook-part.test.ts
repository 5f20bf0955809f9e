/**
 * The workbook part's sheets, names and relationships as the host keeps them between its own edits:
 * after every edit they must be what reading the written package afresh gives (the same entries, in
 * the same order, with names that need escaping too).
 */
import { sampleWorkbook } from "../../scripts/build-sample";
import { Package } from "../../src/hosts/xlsx/package";
import { addAppTitles, WorkbookPart, WORKSHEET_CT, WORKSHEET_REL } from "../../src/hosts/xlsx/workbook";

/** Sheets, names and the workbook's relationships of a package read from its bytes (nothing kept). */
async function fresh(pkg: Package) {
  const again = Package.open(await pkg.output(), "igen.xlsx");
  const wb = new WorkbookPart(again, again.workbookPart);
  return { sheets: wb.sheets(), names: wb.names(), rels: again.rels(again.workbookPart) };
}

describe("WorkbookPart between edits", () => {
  it("sheets, names and relationships after new sheets, hidden sheets and names are those read afresh", async () => {
    const pkg = Package.open(await sampleWorkbook(), "prov.xlsx");
    const wb = new WorkbookPart(pkg, pkg.workbookPart);
    const seen = () => ({ sheets: wb.sheets(), names: wb.names(), rels: pkg.rels(pkg.workbookPart) });
    expect(seen()).toEqual(await fresh(pkg));
    const names = ["Rapport & <Översikt>", 'Enhet_x0041_ "citat"', "Vanlig"];
    for (const [k, name] of names.entries()) {
      const part = `xl/worksheets/ny${k + 1}.xml`;
      const rid = pkg.addRel(pkg.workbookPart, WORKSHEET_REL, part);
      pkg.setContentType(part, WORKSHEET_CT);
      const index = wb.addSheet(name, rid);
      // Before its part exists the new sheet is no worksheet yet; after, it is.
      expect(wb.sheets().at(-1)).toMatchObject({ sheetId: index, kind: "other", part: null });
      pkg.set(part, '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>');
      expect(wb.sheets().at(-1)).toMatchObject({ kind: "worksheet", part });
      wb.setName("_xlnm.Print_Titles", wb.sheets().length - 1, `'${name.replace(/'/g, "''")}'!$1:$2`);
      expect(seen()).toEqual(await fresh(pkg));
    }
    const last = wb.sheets().length - 1;
    wb.setHidden(last, true);
    wb.setHidden(0, true);
    expect(seen()).toEqual(await fresh(pkg));
    wb.setHidden(0, false);
    wb.removeNames((n) => n.name === "_xlnm.Print_Titles" && n.local === last);
    expect(seen()).toEqual(await fresh(pkg));
    expect(wb.sheets()[last]).toMatchObject({ name: "Vanlig", hidden: true });
    expect(wb.sheets().map((s) => s.name)).toContain("Rapport & <Översikt>");
    expect(wb.sheets()[0].hidden).toBe(false);
  });

  it("a sheet added hidden is written as one added visible and then hidden, and read back hidden", async () => {
    const bytes = await sampleWorkbook();
    const [apart, together] = [Package.open(bytes, "a.xlsx"), Package.open(bytes, "b.xlsx")];
    const add = (pkg: Package, hidden: boolean) => {
      const wb = new WorkbookPart(pkg, pkg.workbookPart);
      const rid = pkg.addRel(pkg.workbookPart, WORKSHEET_REL, "xl/worksheets/dold.xml");
      wb.addSheet("Dold & <tabell>", rid, hidden);
      if (!hidden) wb.setHidden(wb.sheets().length - 1, true);
      return wb;
    };
    add(apart, false);
    const wb = add(together, true);
    expect(together.textOrNull(together.workbookPart)).toBe(apart.textOrNull(apart.workbookPart));
    expect(wb.sheets().at(-1)).toMatchObject({ name: "Dold & <tabell>", hidden: true });
    expect(wb.sheets()).toEqual((await fresh(together)).sheets);
  });

  it("docProps/app.xml: titles added at once are those added one by one, after the worksheets' titles", async () => {
    const bytes = await sampleWorkbook();
    const apart = Package.open(bytes, "a.xlsx");
    const together = Package.open(bytes, "b.xlsx");
    const before = apart.textOrNull("docProps/app.xml")!;
    for (const name of ["Sammanfattning", "Drift & <plan>"]) addAppTitles(apart, [name]);
    addAppTitles(together, ["Sammanfattning", "Drift & <plan>"]);
    const after = together.textOrNull("docProps/app.xml")!;
    expect(after).toBe(apart.textOrNull("docProps/app.xml"));
    expect(after).not.toBe(before);
    expect(after).toContain("<vt:lpstr>Drift &amp; &lt;plan&gt;</vt:lpstr>");
  });
});

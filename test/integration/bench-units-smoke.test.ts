/**
 * A tiny run of the units section of `npm run bench` (scripts/bench-units.ts): well-formed numbers and
 * report, and the generated unit ledgers are what they claim. No timing targets here (BENCHMARKS.md).
 */
import { benchUnits, renderUnits, unitBookSpec } from "../../scripts/bench-units";

jest.setTimeout(120_000);

const positive = (x: number) => Number.isFinite(x) && x > 0;

test("unitBookSpec: units of whole blocks, the same labels in every unit, an Ansvar column and name", () => {
  const spec = unitBookSpec(3, 20);
  const names = spec.names.map((n) => n.name);
  expect(names).toContain("Ansvar");
  const ansvar = spec.names.find((n) => n.name === "Ansvar")!;
  const poster = spec.names.find((n) => n.name === "Poster")!;
  const rows = spec.sheets[0].rows;
  const units = rows.slice(ansvar.row, ansvar.row + ansvar.rows).map((r) => r[ansvar.col]);
  expect(new Set(units)).toEqual(new Set(["Enhet 001", "Enhet 002", "Enhet 003"]));
  const labels = rows.slice(poster.row, poster.row + poster.rows).map((r) => r[poster.col]);
  expect(labels.slice(0, 20)).toEqual(labels.slice(20, 40));
});

test("benchUnits on tiny sizes gives well-formed numbers and a report", async () => {
  const u = await benchUnits({ units: 2, linesPerUnit: 10, workbooks: 2, linesEach: 10, runs: 1 });
  for (const x of [
    u.xlsx.flatMs,
    u.xlsx.unitsMs,
    u.office.flat.ms,
    u.office.units.ms,
    u.batch.singleMs,
    u.batch.batchMs,
    u.batch.singleCpuMs,
    u.batch.batchCpuMs,
  ])
    expect(positive(x)).toBe(true);
  expect(u.office.units.ok).toBe(true);
  expect(u.office.units.syncs).toBeGreaterThan(0);
  const md = renderUnits(u);
  expect(md).toMatch(/### Units: 2 units × 10 lines/);
  expect(md).toMatch(/\| \.xlsx \(open \+ refresh \+ save\) \| [\d ]+ ms \| [\d ]+ ms \| \d+\.\d\d \|/);
  expect(md).toMatch(/Batch \(CLI, files on disk\)/);
  expect(md).toMatch(/In CPU time: [\d ]+ ms against [\d ]+ ms, ratio \d+\.\d\d\./);
});

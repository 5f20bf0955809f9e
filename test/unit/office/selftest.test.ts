// The self-test's pure half: environment, requirement-set summary, comparisons and the sizes of the
// large write and read.
import { parseConfig } from "../../../src/workbook/config";
import { toExcelValue, utf8Bytes } from "../../../src/hosts/office/port";
import {
  Expectations,
  LARGE_COLS,
  LARGE_REQUEST_BYTES,
  LARGE_RESPONSE_BYTES,
  SELFTEST_NAMESPACE,
  errorText,
  expectedValues,
  largeCell,
  largeRowCount,
  officeEnvironment,
  readChunks,
  sameValue,
  selfTestConfig,
  selfTestConfigXml,
  show,
  summariseSets,
  VALUES,
} from "../../../src/hosts/office/selftest-expect";

const LIMIT = 5_000_000;

describe("environment", () => {
  test("reads version, platform and host from Office.context.diagnostics and probes the sets", () => {
    const env = officeEnvironment({
      context: {
        diagnostics: { host: "Excel", platform: "OfficeOnline", version: "16.0.18526.40500" },
        displayLanguage: "sv-SE",
        requirements: {
          isSetSupported: (name, version = "1.1") =>
            (name === "ExcelApi" && Number(version.split(".")[1]) <= 17) ||
            (name === "DialogApi" && version === "1.1"),
        },
      },
    });
    expect(env).toMatchObject({
      host: "Excel",
      platform: "OfficeOnline",
      version: "16.0.18526.40500",
      displayLanguage: "sv-SE",
    });
    const excel = env.sets.filter((s) => s.name === "ExcelApi");
    expect(excel.map((s) => s.version).slice(0, 3)).toEqual(["1.1", "1.2", "1.3"]);
    expect(excel.filter((s) => s.supported)).toHaveLength(17);
    expect(summariseSets(env.sets)).toEqual(
      expect.arrayContaining([
        { name: "ExcelApi", supported: "1.1–1.17" },
        { name: "DialogApi", supported: "1.1" },
        { name: "SharedRuntime", supported: "–" },
      ]),
    );
  });

  test("without Office (or with an isSetSupported that throws) everything is unknown, nothing throws", () => {
    const env = officeEnvironment(undefined);
    expect(env).toMatchObject({ host: null, platform: null, version: null, displayLanguage: null });
    expect(env.sets.every((s) => !s.supported)).toBe(true);
    const throwing = officeEnvironment({
      context: {
        requirements: {
          isSetSupported: () => {
            throw new Error("not ready");
          },
        },
      },
    });
    expect(throwing.sets.some((s) => s.supported)).toBe(false);
  });

  test("gaps in a set's versions are shown as separate runs", () => {
    const sets = ["1.1", "1.2", "1.3", "1.4", "1.5"].map((version) => ({
      name: "ExcelApi",
      version,
      supported: version !== "1.3",
    }));
    expect(summariseSets(sets)).toEqual([{ name: "ExcelApi", supported: "1.1–1.2, 1.4–1.5" }]);
  });
});

describe("comparison", () => {
  test("equal values, arrays and objects pass; any difference is a mismatch with both sides shown", () => {
    const e = new Expectations()
      .eq("same grid", [[1, "a"]], [[1, "a"]])
      .eq("same object", { a: 1, b: [true] }, { b: [true], a: 1 })
      .eq("grid", [["linjär"]], [["'linjär"]])
      .eq("type", 1, "1")
      .eq("shape", [[1, 2]], [[1]]);
    expect(e.mismatches).toEqual([
      { what: "grid", expected: '[["linjär"]]', actual: `[["'linjär"]]` },
      { what: "type", expected: "1", actual: '"1"' },
      { what: "shape", expected: "[[1,2]]", actual: "[[1]]" },
    ]);
  });

  test("sizes within the tolerance, colours in any case, addresses without their sheet", () => {
    const e = new Expectations()
      .near("width", 171.75, 171, 1.5)
      .near("height", 30, 33, 1.5)
      .near("missing", 30, undefined, 1.5)
      .color("fill", "#DDEBF7", "#ddebf7")
      .color("font", "#1F3864", "#000000")
      .address("freeze", "A1", "UppfSelftest_1234!A1")
      .address("titles", "$1:$1", "'Blad med ! i namnet'!$1:$1")
      .address("used", "A1:G5", "Blad!A1:G6")
      .address("null", "A1", null);
    expect(e.mismatches.map((m) => m.what)).toEqual(["height", "missing", "font", "used", "null"]);
  });

  test("NaN equals NaN; null differs from undefined and from empty text", () => {
    expect(sameValue(NaN, NaN)).toBe(true);
    expect(sameValue(null, undefined)).toBe(false);
    expect(sameValue(null, "")).toBe(false);
    expect(sameValue([], {})).toBe(false);
  });

  test("long values are cut in the report; errors quote Excel's code, location and message once", () => {
    expect(show("x".repeat(500))).toHaveLength(118);
    expect(show(undefined)).toBe("undefined");
    expect(
      errorText({
        code: "AccessDenied",
        message: "The operation is not allowed.",
        debugInfo: { errorLocation: "Worksheets.add" },
      }),
    ).toBe("AccessDenied: Worksheets.add: The operation is not allowed.");
    expect(errorText(new Error("plain"))).toBe("plain");
    expect(errorText({ code: "X", message: "X" })).toBe("X");
  });
});

describe("what the self-test writes and expects", () => {
  test("every string of VALUES is written as text (the add-in's rule) and expected back unchanged", () => {
    const written = VALUES.map((l) => l.map(toExcelValue));
    const want = expectedValues();
    VALUES.forEach((line, r) =>
      line.forEach((v, c) => {
        if (typeof v === "string") {
          expect(written[r][c]).toBe(`'${v}`);
          expect(want.values[r][c]).toBe(v);
          expect(want.valueTypes[r][c]).toBe("String");
        }
      }),
    );
    // The texts Excel would otherwise turn into a formula, a number or a boolean are all there.
    const texts = VALUES.flat().filter((v) => typeof v === "string");
    expect(texts).toEqual(expect.arrayContaining(["=SUMMA(B2)", "+46 70", "2019", "1e5", "TRUE", "-x @y"]));
    expect(want.valueTypes[2][3]).toBe("Empty");
    expect(want.values[2][3]).toBe("");
  });

  test("the settings part round-trips through the add-in's parser, in the self-test's own namespace", () => {
    const xml = selfTestConfigXml();
    expect(xml).toContain(`xmlns="${SELFTEST_NAMESPACE}"`);
    expect(xml).not.toContain("urn:uppfoljaren:config:1");
    expect(parseConfig(xml)).toEqual(selfTestConfig());
    expect(selfTestConfig()).not.toEqual(parseConfig(null));
  });

  test("the large write is one request near, and under, the 5 MB limit", () => {
    const rows = largeRowCount();
    const grid = Array.from({ length: rows }, (_, r) =>
      Array.from({ length: LARGE_COLS }, (_c, c) => toExcelValue(largeCell(r, c))),
    );
    const bytes = utf8Bytes(JSON.stringify(grid));
    expect(bytes).toBeLessThanOrEqual(LARGE_REQUEST_BYTES);
    expect(bytes).toBeGreaterThan(LARGE_REQUEST_BYTES * 0.99);
    expect(LARGE_REQUEST_BYTES).toBeLessThan(LIMIT);
    expect(new Set(grid.flat()).size).toBe(rows * LARGE_COLS);
  });

  test("the large read is cut into row chunks whose values and valueTypes stay under the limit", () => {
    const rows = largeRowCount();
    const chunks = readChunks(rows);
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(chunks.reduce((n, c) => n + c.rows, 0)).toBe(rows);
    let next = 0;
    for (const c of chunks) {
      expect(c.first).toBe(next);
      next += c.rows;
      const values = Array.from({ length: c.rows }, (_, r) =>
        Array.from({ length: LARGE_COLS }, (_c, col) => largeCell(c.first + r, col)),
      );
      const types = values.map((l) => l.map(() => "String"));
      const bytes = utf8Bytes(JSON.stringify(values)) + utf8Bytes(JSON.stringify(types));
      expect(bytes).toBeLessThanOrEqual(LARGE_RESPONSE_BYTES);
    }
    expect(readChunks(0)).toEqual([]);
    expect(readChunks(1)).toEqual([{ first: 0, rows: 1 }]);
  });
});

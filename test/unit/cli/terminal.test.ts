/** The runner's terminal output helpers: escaping, caps, the findings list and progress. */
import {
  capped,
  findingLines,
  MAX_LISTED,
  MAX_MESSAGE,
  Progress,
  terminalSafe,
  terminalSafeJson,
} from "../../../src/cli/terminal";

describe("terminalSafe", () => {
  it.each([
    ["\u001b[2J", "\\u001B[2J"],
    ["a\nb\rc\td", "a\\u000Ab\\u000Dc\\u0009d"],
    ["\u007f\u0085\u009b", "\\u007F\\u0085\\u009B"],
    ["\u202eabc\u2066\u200f", "\\u202Eabc\\u2066\\u200F"],
    ["\ud800x", "\ufffdx"],
    ["Åtgärder 😀", "Åtgärder 😀"],
  ])("shows %j as %j", (raw, shown) => {
    expect(terminalSafe(raw)).toBe(shown);
  });

  it("caps the length in characters, ending in …", () => {
    expect(Array.from(terminalSafe("å".repeat(1000))).length).toBe(MAX_MESSAGE);
    expect(terminalSafe("😀".repeat(20), 10)).toBe(`${"😀".repeat(9)}…`);
    expect(terminalSafe("kort", 10)).toBe("kort");
  });
});

describe("terminalSafeJson", () => {
  it("escapes what JSON.stringify leaves raw and stays the same JSON", () => {
    const value = { m: "a\u009b\u202e\u2028b\u001b" };
    const text = terminalSafeJson(value);
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u202e]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe("findingLines", () => {
  it("lists level, cell and message, errors first, and counts the rest", () => {
    const findings = Array.from({ length: MAX_LISTED + 3 }, (_, i) => ({
      level: i === MAX_LISTED + 2 ? ("error" as const) : i === 0 ? ("warning" as const) : ("info" as const),
      cell: i === 1 ? null : `Underlag!C${i + 1}`,
      message: `meddelande ${i}`,
    }));
    const lines = findingLines(findings);
    expect(lines[0]).toBe(`  fel         Underlag!C${MAX_LISTED + 3}  meddelande ${MAX_LISTED + 2}`);
    expect(lines[1]).toBe("  varning     Underlag!C1   meddelande 0");
    expect(lines[2]).toBe("  upplysning  –             meddelande 1");
    expect(lines).toHaveLength(MAX_LISTED + 1);
    expect(lines[MAX_LISTED]).toBe("  … och 3 till (alla finns på bladet Kontroller och i --json)");
    expect(capped([1, 2, 3], 2)).toEqual({ shown: [1, 2], omitted: 1 });
  });
});

describe("Progress", () => {
  it("rewrites one line and clears it; silent when disabled", () => {
    let text = "";
    const p = new Progress((t) => (text += t), true);
    p.step("läser");
    p.step("räknar");
    p.done();
    p.done();
    expect(text).toBe("\r\x1b[2KUppföljaren: läser…\r\x1b[2KUppföljaren: räknar…\r\x1b[2K");
    let silent = "";
    const q = new Progress((t) => (silent += t), false);
    q.step("läser");
    q.done();
    expect(silent).toBe("");
  });
});

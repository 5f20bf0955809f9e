import { execFileSync } from "child_process";
import { buildSync } from "esbuild";
import * as path from "path";
import { knowsHeapFlags, setOneWorkbookHeap } from "../../../src/cli/heap";

jest.setTimeout(60_000);

/**
 * Runs `body` in a fresh Node process (this one's heap has grown already), after setOneWorkbookHeap
 * when `set`, and gives what it prints.
 */
function inFreshProcess(set: boolean, body: string): string {
  const heap = buildSync({
    entryPoints: [path.join(__dirname, "../../../src/cli/heap.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    write: false,
  }).outputFiles[0].text;
  const script = `
    const exports = {}, module = { exports };
    ${heap}
    if (${set}) module.exports.setOneWorkbookHeap();
    const v8 = require("v8");
    ${body}
  `;
  return execFileSync(process.execPath, ["-e", script], { encoding: "utf8" });
}

/** The young generation's size after keeping 200 000 small arrays (survivors of many scavenges). */
function newSpaceAfterGrowth(set: boolean): number {
  return Number(
    inFreshProcess(
      set,
      `const kept = [];
      for (let i = 0; i < 200000; i++) kept.push([i, i + 0.5]);
      const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
      process.stdout.write(String(kept.length > 0 ? space.space_size : 0));`,
    ),
  );
}

/**
 * Full collections while the process keeps two million small objects (a third of them dropped again,
 * as a refresh drops what it read), counted by the performance observer once they are reported. Without
 * setOneWorkbookHeap the young generation is kept small all the same, so only the old one's growth differs.
 */
function fullCollectionsWhileGrowing(set: boolean): number {
  return Number(
    inFreshProcess(
      set,
      `if (!${set}) v8.setFlagsFromString("--semi-space-growth-factor=1");
      const { PerformanceObserver, constants } = require("perf_hooks");
      let major = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (e.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) major++;
      }).observe({ entryTypes: ["gc"] });
      const kept = [];
      for (let i = 0; i < 2000000; i++) {
        kept.push({ a: i, b: [i] });
        if (i % 3 === 0) kept[i >> 1] = null;
      }
      setTimeout(() => process.stdout.write(String(kept.length > 0 ? major : -1)), 100);`,
    ),
  );
}

describe("setOneWorkbookHeap", () => {
  it("sets nothing on a V8 it does not know the flags on", () => {
    expect(setOneWorkbookHeap("9.4.146.26")).toBe(false);
    expect(setOneWorkbookHeap("14.0.1")).toBe(false);
  });

  // On a V8 the flags are not known on (Node 24's V8 13, say), the same measurements must show V8's own
  // sizing, so these tests say what happens on the V8 that runs them rather than fail or be skipped.
  const known = knowsHeapFlags(process.versions.v8);

  it(`${known ? "keeps" : "leaves"} the young generation ${known ? "at its first size" : "to V8"} where V8 would grow it`, () => {
    const grown = newSpaceAfterGrowth(false);
    const kept = newSpaceAfterGrowth(true);
    expect(grown).toBeGreaterThanOrEqual(8 << 20);
    expect(kept <= 2 << 20).toBe(known);
  });

  it(`${known ? "collects" : "leaves to V8 when to collect"} the old generation before it has grown far over what is live`, () => {
    // V8's own growth (up to fourfold) lets a heap grow to this one's size in a few full collections.
    const own = fullCollectionsWhileGrowing(false);
    const set = fullCollectionsWhileGrowing(true);
    expect(set >= own + 3).toBe(known);
  });
});

import { execFileSync } from "child_process";
import { buildSync } from "esbuild";
import * as path from "path";
import { keepYoungGenerationSmall } from "../../../src/cli/heap";

/**
 * The young generation's size after keeping 200 000 small arrays (survivors of many scavenges), in a
 * fresh Node process (this one's heap has grown already), with or without keepYoungGenerationSmall.
 */
function newSpaceAfterGrowth(keepSmall: boolean): number {
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
    if (${keepSmall}) module.exports.keepYoungGenerationSmall();
    const v8 = require("v8");
    const kept = [];
    for (let i = 0; i < 200000; i++) kept.push([i, i + 0.5]);
    const space = v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space");
    process.stdout.write(String(kept.length > 0 ? space.space_size : 0));
  `;
  return Number(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }));
}

describe("keepYoungGenerationSmall", () => {
  it("sets nothing on a V8 it does not know the flag on", () => {
    expect(keepYoungGenerationSmall("9.4.146.26")).toBe(false);
    expect(keepYoungGenerationSmall("14.0.1")).toBe(false);
  });

  it("keeps the young generation at its first size where V8 would grow it", () => {
    const grown = newSpaceAfterGrowth(false);
    const kept = newSpaceAfterGrowth(true);
    expect(grown).toBeGreaterThanOrEqual(8 << 20);
    expect(kept).toBeLessThanOrEqual(2 << 20);
  });
});

// Offline manifest checks over manifest.xml, its production rewrite (the same function webpack uses;
// `npm run check:manifest` also checks dist/web/manifest.xml after a build), and broken variants.
import { readFileSync } from "fs";
import * as path from "path";
import { checkManifest } from "../../../scripts/check-manifest";
import { REFRESH_ACTION } from "../../../src/commands/commands";
import { REQUIRED_SET } from "../../../src/hosts/office";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const deploy = require("../../../deploy.config") as {
  ADDIN_URL_DEV: string;
  ADDIN_URL_PROD: string;
  rewriteManifest(content: string, prodUrl?: string): string;
};

const root = path.join(__dirname, "..", "..", "..");
const assetsDir = path.join(root, "assets");
const dev = readFileSync(path.join(root, "manifest.xml"), "utf8");

test("manifest.xml passes every offline check", () => {
  expect(checkManifest(dev, { assetsDir })).toEqual([]);
});

test("the production manifest passes, points at the production URL and has no localhost", () => {
  const prod = deploy.rewriteManifest(dev, "https://addins.kommun.se/uppfoljaren/");
  expect(checkManifest(prod, { production: true, assetsDir })).toEqual([]);
  expect(prod).toContain('DefaultValue="https://addins.kommun.se/uppfoljaren/taskpane.html"');
  expect(checkManifest(dev, { production: true })).toContain(
    "The production manifest still mentions localhost",
  );
  expect(deploy.ADDIN_URL_DEV).toBe("https://localhost:3000/");
});

test("the manifest matches the code: function name, requirement set, locales, permission", () => {
  expect(dev).toContain(`<FunctionName>${REFRESH_ACTION}</FunctionName>`);
  expect(dev).toContain(`<Set Name="${REQUIRED_SET.name}" MinVersion="${REQUIRED_SET.version}"/>`);
  expect(dev).toContain('<OfficeTab id="TabHome">');
  expect(dev).toContain('DefaultValue="Budgetuppföljning"');
  expect(dev).toContain('DefaultValue="Uppdatera prognos"');
  expect(dev).toMatch(/<Action xsi:type="ShowTaskpane">/);
});

test("no shared runtime: the function file is its own page, as the ribbon command assumes", () => {
  const markup = dev.replace(/<!--[\s\S]*?-->/g, "");
  expect(markup).not.toMatch(/<Runtimes?\b/);
  expect(dev).toContain('<FunctionFile resid="Commands.Url"/>');
  expect(dev).not.toContain('Name="SharedRuntime"');
});

/** The manifest as Microsoft's shared-runtime article configures it (Runtime, FunctionFile, pane: one resid). */
function sharedRuntime(xml: string): string {
  return xml
    .replace(
      '<Set Name="ExcelApi" MinVersion="1.9"/>',
      '<Set Name="ExcelApi" MinVersion="1.9"/>\n      <Set Name="SharedRuntime" MinVersion="1.1"/>',
    )
    .replace(
      '<Host xsi:type="Workbook">',
      '<Host xsi:type="Workbook">\n        <Runtimes><Runtime resid="Taskpane.Url" lifetime="long"/></Runtimes>',
    )
    .replace('<FunctionFile resid="Commands.Url"/>', '<FunctionFile resid="Taskpane.Url"/>')
    .replace(/\s*<bt:Url id="Commands.Url"[^>]*\/>/, "");
}

test("a shared runtime configured as Microsoft describes passes the runtime checks", () => {
  const shared = sharedRuntime(dev);
  expect(shared).toContain("<Runtimes>");
  expect(checkManifest(shared, { assetsDir })).toEqual([]);
});

test.each([
  [
    "a shared runtime without the SharedRuntime requirement",
    (x: string) => sharedRuntime(x).replace('\n      <Set Name="SharedRuntime" MinVersion="1.1"/>', ""),
    /needs <Set Name="SharedRuntime"/,
  ],
  [
    "a shared runtime whose function file is another page",
    (x: string) =>
      sharedRuntime(x).replace(
        '<FunctionFile resid="Taskpane.Url"/>',
        '<FunctionFile resid="Commands.Url"/>',
      ),
    /<FunctionFile resid="Commands.Url"> must be the Runtime's resid "Taskpane.Url"/,
  ],
  [
    "a shared runtime with a short lifetime",
    (x: string) => sharedRuntime(x).replace('lifetime="long"', 'lifetime="short"'),
    /lifetime="long"/,
  ],
  [
    "an ExecuteFunction button without a function file",
    (x: string) => x.replace(/\s*<FunctionFile resid="Commands.Url"\/>/, ""),
    /needs a <FunctionFile>/,
  ],
  ["not well-formed", (x: string) => x.replace("</Hosts>", ""), /not well-formed/],
  [
    "elements out of order",
    (x: string) => x.replace(/(<Version>[^<]*<\/Version>)\s*(<ProviderName>[^<]*<\/ProviderName>)/, "$2$1"),
    /<Version> is out of order/,
  ],
  [
    "an unresolved resid",
    (x: string) => x.replace('resid="Refresh.Tooltip"', 'resid="Refresh.Tip"'),
    /resid "Refresh.Tip" .*does not resolve/,
  ],
  [
    "a resid of the wrong kind",
    (x: string) => x.replace('<Label resid="Open.Label"/>', '<Label resid="Open.Tooltip"/>'),
    /does not resolve in bt:ShortStrings/,
  ],
  [
    "an HTTP URL",
    (x: string) =>
      x.replace('"https://localhost:3000/commands.html"', '"http://localhost:3000/commands.html"'),
    /non-HTTPS URL/,
  ],
  ["a non-GUID id", (x: string) => x.replace(/<Id>[^<]*<\/Id>/, "<Id>uppfoljaren</Id>"), /must be a GUID/],
  [
    "a bad version",
    (x: string) => x.replace(/<Version>[^<]*<\/Version>/, "<Version>1.0</Version>"),
    /x\.y\.z\.w/,
  ],
  [
    "more permissions",
    (x: string) =>
      x.replace(
        "<Permissions>ReadWriteDocument</Permissions>",
        "<Permissions>ReadWriteMailbox</Permissions>",
      ),
    /ReadWriteDocument only/,
  ],
  [
    "a missing en-US override",
    (x: string) => x.replace('<bt:Override Locale="en-US" Value="Update forecast"/>', ""),
    /Refresh.Label has no en-US override/,
  ],
  [
    "a missing icon file",
    (x: string) => x.replace("assets/icon-80.png", "assets/icon-81.png"),
    /does not exist/,
  ],
])("detects %s", (_label, mutate, expected) => {
  const broken = mutate(dev);
  expect(broken).not.toBe(dev);
  expect(checkManifest(broken, { assetsDir }).join("\n")).toMatch(expected);
});

// Offline checks of manifest.xml (the online validator, `npm run validate`, needs the network):
// well-formed XML, the order of OfficeApp's children per the schema, GUID id, version x.y.z.w,
// ReadWriteDocument only, ExcelApi 1.9, the ribbon runtime (function file; a shared runtime only as
// Microsoft configures it), every resid resolving to a resource of the right kind (and
// every resource used), sv-SE strings with en-US overrides within the length limits, HTTPS only, icon
// files present with the declared sizes, and for the production manifest: no localhost.
//
//   node scripts/check-manifest.js                 checks manifest.xml and its production rewrite
//   node scripts/check-manifest.js FILE [--production]
const fs = require("fs");
const path = require("path");
const { DOMParser } = require("@xmldom/xmldom");

const NS = {
  app: "http://schemas.microsoft.com/office/appforoffice/1.1",
  bt: "http://schemas.microsoft.com/office/officeappbasictypes/1.0",
  ov: "http://schemas.microsoft.com/office/taskpaneappversionoverrides",
  xsi: "http://www.w3.org/2001/XMLSchema-instance",
};

/** OfficeApp's children in schema order (TaskPaneApp). */
const ORDER = [
  "Id",
  "AlternateId",
  "Version",
  "ProviderName",
  "DefaultLocale",
  "DisplayName",
  "Description",
  "IconUrl",
  "HighResolutionIconUrl",
  "SupportUrl",
  "AppDomains",
  "Hosts",
  "Requirements",
  "DefaultSettings",
  "Permissions",
  "Dictionary",
  "VersionOverrides",
];
const REQUIRED = [
  "Id",
  "Version",
  "ProviderName",
  "DefaultLocale",
  "DisplayName",
  "Description",
  "IconUrl",
  "DefaultSettings",
  "Permissions",
];

/** Which resource collection a resid must resolve in, by the referencing element. */
const RESID_KIND = {
  Image: "Images",
  FunctionFile: "Urls",
  Runtime: "Urls",
  SourceLocation: "Urls",
  LearnMoreUrl: "Urls",
  Label: "ShortStrings",
  Title: "ShortStrings",
  Description: "LongStrings",
};

const elements = (node) => Array.from(node.childNodes || []).filter((n) => n.nodeType === 1);

function all(node, out = []) {
  for (const el of elements(node)) {
    out.push(el);
    all(el, out);
  }
  return out;
}

function pngSize(file) {
  const b = fs.readFileSync(file);
  if (b.length < 24 || b.toString("ascii", 1, 4) !== "PNG") return null;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/**
 * The ribbon's runtime. Every ExecuteFunction button needs a FunctionFile. A shared runtime (<Runtimes>)
 * is valid only as Microsoft's "Configure your Office Add-in to use a shared runtime" describes it
 * (learn.microsoft.com/office/dev/add-ins/develop/configure-your-add-in-to-use-a-shared-runtime): the
 * SharedRuntime 1.1 set in <Requirements>, <Runtimes> first in <Host>, and one resid for the Runtime,
 * the FunctionFile and the task pane's SourceLocation ("The shared runtime won't load if the resid uses
 * different values"). Without <Runtimes> the function file runs on its own and cannot show the pane
 * (src/commands/commands.ts explains why this add-in has none).
 */
function runtimeProblems(everything, sets) {
  const problems = [];
  const functionFiles = everything.filter((e) => e.localName === "FunctionFile");
  const executes = everything.filter(
    (e) => e.localName === "Action" && e.getAttributeNS(NS.xsi, "type") === "ExecuteFunction",
  );
  if (executes.length && !functionFiles.length)
    problems.push("An ExecuteFunction button needs a <FunctionFile> in its form factor");
  for (const a of executes) {
    const fn = elements(a).find((e) => e.localName === "FunctionName");
    if (!fn || !/^[A-Za-z_$][\w$]*$/.test(fn.textContent.trim()))
      problems.push("<FunctionName> of an ExecuteFunction action must be a JavaScript identifier");
  }
  const runtimes = everything.filter((e) => e.localName === "Runtime");
  if (!runtimes.length) return problems;
  const shared = sets.find((s) => s.getAttribute("Name") === "SharedRuntime");
  if (!shared)
    problems.push('<Runtimes> needs <Set Name="SharedRuntime" MinVersion="1.1"/> in <Requirements>');
  const container = runtimes[0].parentNode;
  if (container.localName !== "Runtimes" || elements(container.parentNode)[0] !== container)
    problems.push("<Runtimes> must be the first child of <Host>");
  const resid = runtimes[0].getAttribute("resid");
  if (runtimes.length > 1) problems.push("A shared runtime is one <Runtime>, not several");
  if (runtimes[0].getAttribute("lifetime") !== "long")
    problems.push('The shared <Runtime> must have lifetime="long"');
  for (const f of functionFiles)
    if (f.getAttribute("resid") !== resid)
      problems.push(
        `<FunctionFile resid="${f.getAttribute("resid")}"> must be the Runtime's resid "${resid}"`,
      );
  for (const a of everything.filter(
    (e) => e.localName === "Action" && e.getAttributeNS(NS.xsi, "type") === "ShowTaskpane",
  )) {
    const loc = elements(a).find((e) => e.localName === "SourceLocation");
    if (loc && loc.getAttribute("resid") !== resid)
      problems.push(
        `The task pane's <SourceLocation resid="${loc.getAttribute("resid")}"> must be "${resid}"`,
      );
  }
  return problems;
}

/**
 * Returns the problems found (empty when the manifest passes).
 * options.production: also forbid localhost; options.assetsDir: check icon files there.
 */
function checkManifest(xml, options = {}) {
  const problems = [];
  const parseErrors = [];
  let doc;
  try {
    doc = new DOMParser({ onError: (level, msg) => parseErrors.push(`${level}: ${msg}`) }).parseFromString(
      xml,
      "text/xml",
    );
  } catch (e) {
    parseErrors.push(String(e && e.message ? e.message : e));
  }
  if (parseErrors.length || !doc || !doc.documentElement)
    return [`The manifest is not well-formed XML: ${parseErrors.join("; ") || "no root element"}`];

  const root = doc.documentElement;
  if (root.localName !== "OfficeApp" || root.namespaceURI !== NS.app)
    problems.push(`The root element must be OfficeApp in ${NS.app}`);
  if (root.getAttributeNS(NS.xsi, "type") !== "TaskPaneApp")
    problems.push('OfficeApp must have xsi:type="TaskPaneApp"');

  // Children order and presence.
  const kids = elements(root);
  let last = -1;
  const seen = new Set();
  for (const el of kids) {
    const i = ORDER.indexOf(el.localName);
    if (i < 0) {
      problems.push(`Unexpected element <${el.localName}> in OfficeApp`);
      continue;
    }
    if (seen.has(el.localName)) problems.push(`<${el.localName}> appears more than once`);
    if (i < last) problems.push(`<${el.localName}> is out of order: it must come before <${ORDER[last]}>`);
    seen.add(el.localName);
    last = Math.max(last, i);
  }
  for (const name of REQUIRED) if (!seen.has(name)) problems.push(`<${name}> is missing`);

  const child = (name) => kids.find((k) => k.localName === name);
  const text = (name) => (child(name) ? child(name).textContent.trim() : "");

  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text("Id")))
    problems.push(`<Id> must be a GUID, not "${text("Id")}"`);
  if (!/^\d{1,5}\.\d{1,5}\.\d{1,5}\.\d{1,5}$/.test(text("Version")))
    problems.push(`<Version> must be x.y.z.w (numbers), not "${text("Version")}"`);
  if (text("Permissions") !== "ReadWriteDocument")
    problems.push(`<Permissions> must be ReadWriteDocument only, not "${text("Permissions")}"`);
  if (text("DefaultLocale") !== "sv-SE")
    problems.push(`<DefaultLocale> must be sv-SE, not "${text("DefaultLocale")}"`);

  const sets = all(child("Requirements") || doc).filter((e) => e.localName === "Set");
  const excel = sets.find((s) => s.getAttribute("Name") === "ExcelApi");
  if (!excel || excel.getAttribute("MinVersion") !== "1.9")
    problems.push('<Requirements> must declare <Set Name="ExcelApi" MinVersion="1.9"/>');

  // Localised top-level strings.
  for (const name of ["DisplayName", "Description"]) {
    const el = child(name);
    if (!el) continue;
    if (!el.getAttribute("DefaultValue")) problems.push(`<${name}> has no DefaultValue`);
    if (!elements(el).some((o) => o.localName === "Override" && o.getAttribute("Locale") === "en-US"))
      problems.push(`<${name}> has no en-US Override`);
  }

  // Resources and resids.
  const everything = all(root);
  const resources = {};
  for (const kind of ["Images", "Urls", "ShortStrings", "LongStrings"]) {
    const coll = everything.find((e) => e.localName === kind && e.namespaceURI === NS.bt);
    resources[kind] = new Map();
    for (const el of coll ? elements(coll) : []) {
      const id = el.getAttribute("id");
      if (resources[kind].has(id)) problems.push(`Resource id ${id} is defined twice in ${kind}`);
      resources[kind].set(id, el);
      if (id.length > 32) problems.push(`Resource id ${id} is longer than 32 characters`);
    }
  }
  if (!child("VersionOverrides"))
    problems.push("<VersionOverrides> is missing (the ribbon commands live there)");
  problems.push(...runtimeProblems(everything, sets));
  const used = new Set();
  for (const el of everything) {
    if (!el.hasAttribute("resid")) continue;
    const id = el.getAttribute("resid");
    const kind = RESID_KIND[el.localName];
    if (!kind) {
      problems.push(`<${el.localName} resid="${id}"> is not an element that takes a resid`);
      continue;
    }
    if (!resources[kind].has(id))
      problems.push(`resid "${id}" on <${el.localName}> does not resolve in bt:${kind}`);
    else used.add(`${kind}:${id}`);
  }
  for (const [kind, map] of Object.entries(resources))
    for (const id of map.keys())
      if (!used.has(`${kind}:${id}`)) problems.push(`Resource ${id} (bt:${kind}) is never used`);

  for (const [kind, max] of [
    ["ShortStrings", 125],
    ["LongStrings", 250],
  ])
    for (const [id, el] of resources[kind]) {
      const values = [el.getAttribute("DefaultValue"), ...elements(el).map((o) => o.getAttribute("Value"))];
      for (const v of values)
        if (v.length > max) problems.push(`String ${id} is longer than ${max} characters`);
      if (!values[0]) problems.push(`String ${id} has no DefaultValue`);
      if (!elements(el).some((o) => o.localName === "Override" && o.getAttribute("Locale") === "en-US"))
        problems.push(`String ${id} has no en-US override`);
    }

  // URLs: HTTPS only (namespace declarations aside), and the icon files.
  const urlAttrs = [];
  for (const el of [root, ...everything])
    for (const attr of Array.from(el.attributes || [])) {
      if (attr.name === "xmlns" || attr.name.startsWith("xmlns:")) continue;
      if (/^[a-z][a-z0-9+.-]*:\/\//i.test(attr.value)) urlAttrs.push({ el, value: attr.value });
    }
  for (const el of everything)
    if (el.localName === "AppDomain" || el.localName === "SourceLocation") {
      const v = el.textContent.trim();
      if (v) urlAttrs.push({ el, value: v });
    }
  for (const { el, value } of urlAttrs)
    if (!value.startsWith("https://")) problems.push(`<${el.localName}> uses a non-HTTPS URL: ${value}`);
  for (const name of ["IconUrl", "HighResolutionIconUrl", "SupportUrl"]) {
    const el = child(name);
    if (el && !/^https:\/\//.test(el.getAttribute("DefaultValue") || ""))
      problems.push(`<${name}> must be an HTTPS URL`);
  }
  const source = everything.find(
    (e) => e.localName === "SourceLocation" && e.parentNode.localName === "DefaultSettings",
  );
  if (!source || !/^https:\/\/.+\/taskpane\.html$/.test(source.getAttribute("DefaultValue") || ""))
    problems.push("DefaultSettings/SourceLocation must be the HTTPS URL of taskpane.html");

  if (options.assetsDir) {
    const images = [...resources.Images.entries()].map(([id, el]) => ({
      id,
      url: el.getAttribute("DefaultValue"),
    }));
    for (const name of ["IconUrl", "HighResolutionIconUrl"])
      if (child(name)) images.push({ id: name, url: child(name).getAttribute("DefaultValue") });
    for (const { id, url } of images) {
      const m = /\/assets\/([^/?#]+\.png)$/.exec(url || "");
      if (!m) {
        problems.push(`Image ${id} is not a PNG under assets/: ${url}`);
        continue;
      }
      const file = path.join(options.assetsDir, m[1]);
      if (!fs.existsSync(file)) {
        problems.push(`Image ${id} points at assets/${m[1]}, which does not exist`);
        continue;
      }
      const size = pngSize(file);
      const declared = /(\d+)x\1$/.exec(id) || /icon-(\d+)\.png$/.exec(m[1]);
      if (!size) problems.push(`assets/${m[1]} is not a PNG`);
      else if (declared && (size.width !== Number(declared[1]) || size.height !== Number(declared[1])))
        problems.push(
          `assets/${m[1]} is ${size.width}×${size.height}, expected ${declared[1]}×${declared[1]}`,
        );
    }
  }

  if (options.production && /localhost|127\.0\.0\.1|\[::1\]/i.test(xml))
    problems.push("The production manifest still mentions localhost");
  return problems;
}

function main(argv) {
  const { rewriteManifest } = require("../deploy.config");
  const root = path.join(__dirname, "..");
  const assetsDir = path.join(root, "assets");
  const targets = [];
  const file = argv.find((a) => !a.startsWith("--"));
  if (file)
    targets.push({
      label: file,
      xml: fs.readFileSync(file, "utf8"),
      production: argv.includes("--production"),
    });
  else {
    const dev = fs.readFileSync(path.join(root, "manifest.xml"), "utf8");
    targets.push({ label: "manifest.xml", xml: dev, production: false });
    targets.push({ label: "manifest.xml (production rewrite)", xml: rewriteManifest(dev), production: true });
    const built = path.join(root, "dist", "web", "manifest.xml");
    if (fs.existsSync(built))
      targets.push({ label: "dist/web/manifest.xml", xml: fs.readFileSync(built, "utf8"), production: true });
  }
  let failed = false;
  for (const t of targets) {
    const problems = checkManifest(t.xml, { production: t.production, assetsDir });
    if (problems.length) {
      failed = true;
      console.error(`✗ ${t.label}`);
      for (const p of problems) console.error(`  - ${p}`);
    } else console.log(`✓ ${t.label}`);
  }
  return failed ? 1 : 0;
}

module.exports = { checkManifest, ORDER };

if (require.main === module) process.exitCode = main(process.argv.slice(2));

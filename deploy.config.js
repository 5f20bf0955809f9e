// The one place where the add-in's URLs are configured. The production build (npm run build) rewrites
// every development URL in manifest.xml to ADDIN_URL_PROD. Set ADDIN_URL_PROD (or the environment
// variable of the same name) to the HTTPS folder where dist/web is hosted, with a trailing slash.
const ADDIN_URL_DEV = "https://localhost:3000/";
const ADDIN_URL_PROD = process.env.ADDIN_URL_PROD || "https://uppfoljaren.example.se/";

/** The production manifest: every development URL replaced (used by webpack and the manifest checks). */
function rewriteManifest(content, prodUrl = ADDIN_URL_PROD) {
  return String(content).split(ADDIN_URL_DEV).join(prodUrl);
}

module.exports = { ADDIN_URL_DEV, ADDIN_URL_PROD, rewriteManifest };

// Copy the distributed files of the pinned front-end libraries (installed by `npm ci`) into
// sabueso/web/static/vendor, which is git-ignored: no third-party file is kept in the repository.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const modules = join(here, "node_modules");
const vendor = join(here, "..", "sabueso", "web", "static", "vendor");

// package -> [file inside the package, name under vendor/]
const FILES = {
  cytoscape: [["dist/cytoscape.min.js", "cytoscape/cytoscape.min.js"]],
  leaflet: [["dist/leaflet.js", "leaflet/leaflet.js"], ["dist/leaflet.css", "leaflet/leaflet.css"]],
  // country outlines for the map (no tile server): Natural Earth 1:110m as TopoJSON
  "world-atlas": [["countries-110m.json", "world-atlas/countries-110m.topojson"]],
  "topojson-client": [["dist/topojson-client.min.js", "topojson-client/topojson-client.min.js"]],
  "swagger-ui-dist": [["swagger-ui-bundle.js", "swagger-ui/swagger-ui-bundle.js"],
                      ["swagger-ui.css", "swagger-ui/swagger-ui.css"]],
};

const versions = {};
for (const [pkg, files] of Object.entries(FILES)) {
  const meta = JSON.parse(readFileSync(join(modules, pkg, "package.json"), "utf8"));
  versions[pkg] = meta.version;
  for (const [src, dst] of files) {
    const from = join(modules, pkg, src);
    if (!existsSync(from)) {
      console.error(`missing ${from}: run npm ci in frontend/`);
      process.exit(1);
    }
    const to = join(vendor, dst);
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
  }
}
writeFileSync(join(vendor, "VERSIONS"),
  Object.entries(versions).map(([k, v]) => `${k} ${v}`).join("\n") + "\n");
console.log(`vendor files copied to ${vendor}: ` +
  Object.entries(versions).map(([k, v]) => `${k}@${v}`).join(", "));

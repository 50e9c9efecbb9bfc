// The web editor's YAML writer, run by `build.py fmt`: each file as Decap CMS would save it unchanged.
//
// decap_yaml.js reads and writes as decap-cms-core does, with the same package, so `fmt` writes byte for byte what a
// save from /admin/ writes.
//
// Usage: node canonical.js ROOT   (ROOT: the folder whose node_modules/ holds decap-cms-core)
// stdin:  {"files": [{"name": "content/site.yaml", "text": "...", "keys": ["title", ...]}, ...]}
// stdout: {"results": [{"text": "..."} or {"error": {"message": "...", "line": 1, "column": 1}}, ...]}
'use strict';

const { decapYaml, fromFile, toFile } = require('./decap_yaml');

/** One file's canonical text, or the reason there is none. */
function canonical(YAML, file) {
  try {
    const data = fromFile(YAML, file.text);
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      return { error: { message: 'the document is not a mapping', line: 1, column: 1 } };
    }
    return { text: toFile(YAML, data, file.keys) };
  } catch (err) {
    return { error: { message: String(err.message), line: err.line || 1, column: err.column || 1 } };
  }
}

function main() {
  const YAML = decapYaml(process.argv[2] || '.');
  const chunks = [];
  process.stdin.on('data', chunk => chunks.push(chunk));
  process.stdin.on('end', () => {
    const request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const results = request.files.map(file => canonical(YAML, file));
    process.stdout.write(JSON.stringify({ results }));
  });
}

main();

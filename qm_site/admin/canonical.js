// The web editor's YAML writer, run by `build.py fmt`: each file as Decap CMS would save it unchanged.
//
// Decap (decap-cms-core, src/formats/yaml.ts) reads a file with the npm `yaml` package and writes it back with
// `yaml.createNode(data)`, the top-level keys sorted in the order of the form's fields, into a new Document.
// This does the same with the same package, resolved from decap-cms-core's folder as Node resolves its imports,
// so `fmt` writes byte for byte what a save from /admin/ writes.
//
// Usage: node canonical.js ROOT   (ROOT: the folder whose node_modules/ holds decap-cms-core)
// stdin:  {"files": [{"name": "content/site.yaml", "text": "...", "keys": ["title", ...]}, ...]}
// stdout: {"results": [{"text": "..."} or {"error": {"message": "...", "line": 1, "column": 1}}, ...]}
'use strict';

const path = require('path');
const { createRequire } = require('module');

/** The `yaml` package decap-cms-core imports, found from its own folder. */
function decapYaml(root) {
  const fromRoot = createRequire(path.join(path.resolve(root), 'package.json'));
  const core = path.dirname(fromRoot.resolve('decap-cms-core/package.json'));
  return createRequire(path.join(core, 'package.json'))('yaml');
}

/** decap-cms-core's timestamp tag (formats/yaml.ts), which its reader adds to the core schema. */
const timestampTag = {
  identify: value => value instanceof Date,
  default: true,
  tag: '!timestamp',
  test: RegExp('^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2}(\\.[0-9]+)?)Z$'),
  resolve: str => new Date(str),
  stringify: value => value.toISOString(),
};

/** decap-cms-core's sortKeys (formats/helpers.ts): keys of the form in its order; any other key keeps its place. */
function sortKeys(sortedKeys, selector) {
  return (a, b) => {
    const idxA = sortedKeys.indexOf(selector(a));
    const idxB = sortedKeys.indexOf(selector(b));
    if (idxA === -1 || idxB === -1) return 0;
    if (idxA > idxB) return 1;
    if (idxA < idxB) return -1;
    return 0;
  };
}

/** Decap's fromFile: the file's data, or an error with where the package stopped reading. */
function fromFile(YAML, content) {
  if (content && content.trim().endsWith('---')) {
    content = content.trim().slice(0, -3);
  }
  const doc = YAML.parseDocument(content, { customTags: [timestampTag], prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const at = (first.linePos && first.linePos.start) || { line: 1, col: 1 };
    throw Object.assign(new Error(first.message.split('\n')[0]), { line: at.line, column: at.col });
  }
  return doc.toJSON();
}

/** Decap's toFile (without comments: the form has none to add). */
function toFile(YAML, data, sortedKeys) {
  const contents = YAML.createNode(data);
  contents.items.sort(sortKeys(sortedKeys, item => item.key?.toString()));
  const doc = new YAML.Document();
  doc.contents = contents;
  return doc.toString();
}

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

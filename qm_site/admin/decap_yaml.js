// The web editor's own YAML reading and writing, shared by backend.js (serve --cms) and canonical.js (build.py fmt).
//
// Decap (decap-cms-core, src/formats/yaml.ts) reads a file with the npm `yaml` package and its timestamp tag, and
// writes it back with `yaml.createNode(data)`, the top-level keys sorted in the order of the form's fields, into a
// new Document. This does the same with the same package, resolved from decap-cms-core's folder as Node resolves
// its imports.
'use strict';

const path = require('path');
const { createRequire } = require('module');

/** The `yaml` package decap-cms-core imports, found from its own folder (ROOT: the folder holding node_modules/). */
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

/** Decap's fromFile: the file's data, or an Error with the file's own line and column where the package stopped. */
function fromFile(YAML, content) {
  let skipped = 0; // lines fromFile's trim() takes off the top, so that the line named is the file's own
  if (content && content.trim().endsWith('---')) {
    skipped = content.slice(0, content.length - content.trimStart().length).split('\n').length - 1;
    content = content.trim().slice(0, -3);
  }
  const doc = YAML.parseDocument(content, { customTags: [timestampTag], prettyErrors: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const at = (first.linePos && first.linePos.start) || { line: 1, col: 1 };
    throw Object.assign(new Error(first.message.split('\n')[0]), { line: at.line + skipped, column: at.col });
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

module.exports = { decapYaml, fromFile, toFile };

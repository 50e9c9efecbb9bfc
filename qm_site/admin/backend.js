// The web editor's file backend for `build.py serve --cms`: decap-server's own local-fs middleware (its public
// `decap-server/dist/middlewares` entry), rooted at the content folder, listening on a Unix socket that only the
// preview can reach. Browsers cannot open a Unix socket: every request comes through the preview's /admin/api/
// proxy, which checks Host, Origin, the run's secret and each path first (qm_site/authoring/cms.py).
//
// Before decap's middleware, two guards that need the editor's own YAML parser (decap_yaml.js, the `yaml` package
// decap-cms-core is built with): a campaign file the form cannot read opens as an error, never as an empty form; and a save that
// would drop keys the file had, or overwrite a file the form could not read, is refused.
//
//   node backend.js   with QM_SOCKET (the socket's path), QM_ROOT (the content folder), QM_MODULES (node_modules)
// It exits when its standard input closes: the preview holds the other end, so the backend dies with it, however
// the preview ends (Ctrl-C, kill -9, a closed terminal).
'use strict';

const fs = require('fs');
const path = require('path');

const modules = process.env.QM_MODULES;
const root = fs.realpathSync(process.env.QM_ROOT);
const socket = process.env.QM_SOCKET;
const decap = path.dirname(require.resolve('decap-server/package.json', { paths: [modules] }));
const express = require(require.resolve('express', { paths: [decap] }));
const { registerLocalFs } = require(path.join(decap, 'dist', 'middlewares'));
const { decapYaml, fromFile } = require('./decap_yaml');
const yaml = decapYaml(path.dirname(modules));

function editorRead(text) {
  // [data, null] as the form reads the text (decap_yaml.fromFile), or [null, {line, col, message}] where it cannot
  try {
    return [fromFile(yaml, text), null];
  } catch (e) {
    if (e.line === undefined) throw e;
    return [null, { line: e.line, col: e.column, message: e.message.replace(/ at line \d+, column \d+:?$/, '') }];
  }
}

function fileText(rel) {
  // the text of a file under the root, or null when there is none (the proxy has vetted the path already)
  const full = path.join(root, rel);
  try {
    return fs.readFileSync(full, 'utf8');
  } catch (e) {
    if (e.code === 'ENOENT') return null;
    throw e;
  }
}

function keysOf(data) {
  return data && typeof data === 'object' && !Array.isArray(data) ? Object.keys(data) : [];
}

function refuse(res, status, error) {
  res.status(status).json({ error });
}

function unreadable(rel, problem) {
  return `${rel}:${problem.line}:${problem.col}: 网页编辑器读不懂这个文件（${problem.message}），为避免清空，现在不能在网页中打开或保存它。` +
    '请用文本编辑器修正这一行（python3 build.py check 会指出位置和改法），保存后刷新本页。';
}

function guard(req, res, next) {
  const { action, params } = req.body || {};
  try {
    if (action === 'getEntry' && params && /\.ya?ml$/.test(params.path)) {
      const text = fileText(params.path);
      const problem = text === null ? null : editorRead(text)[1];
      if (problem) return refuse(res, 422, unreadable(params.path, problem));
    }
    if (action === 'persistEntry' && params) {
      const files = params.dataFiles || (params.entry ? [params.entry] : []);
      for (const file of files) {
        if (!/\.ya?ml$/.test(file.path)) continue;
        const old = fileText(file.path);
        if (old === null) continue;
        const [before, problem] = editorRead(old);
        if (problem) return refuse(res, 409, unreadable(file.path, problem));
        const [after, bad] = editorRead(file.raw);
        if (bad) return refuse(res, 422, `${file.path}: 表单生成的内容无法读取（${bad.message}），没有保存。`);
        const kept = new Set(keysOf(after));
        const lost = keysOf(before).filter((key) => !kept.has(key));
        if (lost.length) {
          return refuse(res, 409, `${file.path}: 这次保存会删掉文件中的 ${lost.join('、')}，没有保存。` +
            '请刷新页面重新打开这一项再改；如确要删除，请用文本编辑器删除。');
        }
      }
    }
  } catch (e) {
    return refuse(res, 500, `${e.message}`);
  }
  return next();
}

async function main() {
  process.env.GIT_REPO_DIRECTORY = root; // decap's local-fs middleware resolves every path under this folder
  const app = express();
  app.disable('x-powered-by');
  app.post('/api/v1', express.json({ limit: '64mb' }), guard);
  await registerLocalFs(app, { logLevel: 'warn' });
  try { fs.unlinkSync(socket); } catch (e) { /* not there: the usual case */ }
  const server = app.listen(socket, () => process.stdout.write('ready\n'));
  server.on('error', (e) => { process.stderr.write(`${e.message}\n`); process.exit(1); });
  process.stdin.on('end', () => process.exit(0));
  process.stdin.on('error', () => process.exit(0));
  process.stdin.resume();
}

main().catch((e) => { process.stderr.write(`${e.stack || e}\n`); process.exit(1); });

/**
 * Shared launcher for the command-line tools. The tools are TypeScript; loading them through tsx
 * costs about half a second per command, so each tool is bundled once with esbuild (tsx's own
 * dependency) into node_modules/.cache/kafka-cli/<tool>.cjs and rebuilt when any of its source files
 * is newer than the bundle. Native addons and pino stay outside the bundle. If bundling is not
 * possible (read-only node_modules, no esbuild), the sources run through tsx's CommonJS loader.
 */
/* global require, module, process, __dirname, __filename */
/* eslint-disable @typescript-eslint/no-require-imports */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..', '..', '..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'kafka-cli');
const EXTERNAL = ['snappy', 'lz4-napi', 'zstd-napi', '@node-rs/crc32', 'pino', 'pino-*', 'thread-stream'];

function fresh(bundle, manifest) {
  try {
    const built = fs.statSync(bundle).mtimeMs;
    const inputs = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    return inputs.every((f) => fs.statSync(path.join(ROOT, f)).mtimeMs <= built);
  } catch {
    return false;
  }
}

function build(entry, bundle, manifest) {
  const esbuild = require('esbuild');
  const tmp = `${bundle}.${process.pid}.tmp`;
  const result = esbuild.buildSync({
    entryPoints: [entry],
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: tmp,
    external: EXTERNAL,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules'));
  inputs.push(path.relative(ROOT, __filename));
  // Write the manifest first and rename the bundle last: a concurrent run sees either the old
  // bundle (then rebuilds) or a complete new one.
  fs.writeFileSync(`${manifest}.${process.pid}.tmp`, JSON.stringify(inputs));
  fs.renameSync(`${manifest}.${process.pid}.tmp`, manifest);
  fs.renameSync(tmp, bundle);
}

function load(tool) {
  const entry = path.join(ROOT, 'broker', 'cli', `${tool}.ts`);
  const bundle = path.join(CACHE, `${tool}.cjs`);
  const manifest = path.join(CACHE, `${tool}.inputs.json`);
  try {
    if (!fresh(bundle, manifest)) {
      fs.mkdirSync(CACHE, { recursive: true });
      build(entry, bundle, manifest);
    }
    return require(bundle);
  } catch {
    require('tsx/cjs');
    return require(entry);
  }
}

module.exports = function launch(tool) {
  load(tool).main(process.argv.slice(2));
};

// pack.test.js — the npm package works with no compiler: `npm pack` (the
// wasm prebuilt by build.sh, the site by scripts/build-site.js — the
// package's prepack runs both; here they were run by `npm test`'s pretest,
// so the pack itself skips scripts), install the tarball into an empty
// temporary project with a PATH holding only node and npm (no emcc, no
// clang), then train a net through `import { loadGradscope } from 'gradscope'`
// and check the browser assets are in node_modules/gradscope/dist/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile, symlink, mkdir, access, readFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const exists = (p) => access(p).then(() => true, () => false);

test('npm pack → install with no Emscripten on PATH → train through the package import', { timeout: 180_000 }, async () => {
  for (const w of ['gradscope-simd.wasm', 'gradscope-scalar.wasm']) {
    assert.ok(await exists(join(ROOT, 'web', 'wasm', w)), `web/wasm/${w} is missing: run bash build.sh (npm test's pretest does)`);
  }
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-site.js')], { cwd: ROOT, stdio: 'pipe' });
  const work = await mkdtemp(join(tmpdir(), 'gradscope-pack-'));
  try {
    // PATH = a folder with node and npm only.
    const bin = join(work, 'bin');
    await mkdir(bin);
    const npmCli = realpathSync(execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim());
    await symlink(process.execPath, join(bin, 'node'));
    await symlink(npmCli, join(bin, 'npm'));
    const env = { ...process.env, PATH: bin, npm_config_cache: join(process.env.HOME ?? work, '.npm'), npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
    for (const tool of ['emcc', 'clang', 'gcc']) {
      assert.throws(() => execFileSync(join(bin, 'node'), ['-e', `require('child_process').execFileSync('${tool}', ['--version'])`], { env, stdio: 'pipe' }), `${tool} must not be on the PATH`);
    }

    const out = execFileSync(join(bin, 'npm'), ['pack', '--ignore-scripts', '--json', '--pack-destination', work, ROOT], { cwd: work, env, encoding: 'utf8' });
    const [info] = JSON.parse(out);
    const files = info.files.map((f) => f.path);
    for (const f of ['web/gradscope.js', 'web/element.js', 'web/wasm/gradscope-simd.wasm', 'web/wasm/gradscope-scalar.wasm',
      'dist/index.html', 'dist/element.js', 'dist/embed.html', 'dist/wasm/gradscope-simd.wasm', 'dist/wasm/gradscope-scalar.wasm', 'dist/vendor/chart.umd.min.js',
      'types/gradscope.d.ts', 'types/element.d.ts', 'package.json']) {
      assert.ok(files.includes(f), `${f} is not in the package`);
    }
    assert.ok(!files.some((f) => f.startsWith('csrc/') || f.startsWith('tests/') || f.startsWith('node_modules/')), 'sources and tests stay out');

    const project = join(work, 'course');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'course', private: true, type: 'module' }));
    // Chart.js (the page's one dependency) comes from the local npm cache when it is there.
    execFileSync(join(bin, 'npm'), ['install', '--no-save', '--prefer-offline', join(work, info.filename)], { cwd: project, env, stdio: 'pipe' });

    await writeFile(join(project, 'train.js'), `
      import { loadGradscope, LAYER_STATS } from 'gradscope';
      import { toNetConfig, defaults } from 'gradscope/config';
      const gs = await loadGradscope();
      const net = gs.createNet({ inputs: 2, outputs: 2, depth: 6, width: 16, activation: 'tanh', seed: 3 });
      const data = gs.createDataset({ kind: 'moons', rows: 200, seed: 3 });
      const first = net.trainSteps(data, 1).last.loss;
      let r; for (let i = 0; i < 8; i++) r = net.trainSteps(data, 50);
      const scalar = await loadGradscope({ simd: false });
      const net2 = scalar.createNet(toNetConfig({ ...defaults(), depth: 3 }));
      console.log(JSON.stringify({ simd: gs.simd, first, last: r.last.loss, step: r.last.step, layers: net.layerCount, stats: LAYER_STATS.length, scalarLayers: net2.layerCount }));
    `);
    const result = JSON.parse(execFileSync(join(bin, 'node'), ['train.js'], { cwd: project, env, encoding: 'utf8' }));
    assert.equal(result.step, 401);
    assert.equal(result.layers, 7);
    assert.equal(result.scalarLayers, 4);
    assert.ok(result.last < result.first, `the net learned: loss ${result.first} → ${result.last}`);

    const installed = join(project, 'node_modules', 'gradscope');
    for (const f of ['dist/index.html', 'dist/element.js', 'dist/wasm/gradscope-simd.wasm', 'dist/vendor/chart.umd.min.js']) assert.ok(await exists(join(installed, f)), `node_modules/gradscope/${f}`);
    const pkg = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8'));
    assert.equal(pkg.types, './types/gradscope.d.ts');
    assert.ok(dirname(installed));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
});

// Build step: copies the Python files the tool runs next to the compiled code that uses them:
// the replay driver (python-replay.js) and the outage drill's fault injector (command-worker.js).
import fs from 'node:fs';

for (const file of ['drill/replay/python/replay_driver.py', 'drill/harness/python/sitecustomize.py']) {
  const target = new URL(`../dist/${file}`, import.meta.url);
  fs.mkdirSync(new URL('.', target), { recursive: true });
  fs.copyFileSync(new URL(`../src/${file}`, import.meta.url), target);
}

// Build step: copies the Python replay driver next to the compiled replay code
// (dist/drill/replay/python/replay_driver.py), where python-replay.js runs it from.
import fs from 'node:fs';

const source = new URL('../src/drill/replay/python/replay_driver.py', import.meta.url);
const target = new URL('../dist/drill/replay/python/replay_driver.py', import.meta.url);
fs.mkdirSync(new URL('.', target), { recursive: true });
fs.copyFileSync(source, target);

// A bounded wait in a Python activity, the rule src/model/typescript/bounded-wait.ts applies to
// TypeScript: a `for` loop capped at a constant number of turns whose only waits per turn are a
// constant pause (`await asyncio.sleep(0.02)`, `time.sleep(1)`) and quick local work (a file
// check, a small read) ends within turns x pause. Under BOUNDED_WAIT_MS it is not a long run.
//
// Python has no awaited file calls to tell local work apart by, so every call in the turn must be
// one of a short list of local file and value operations (`os.path.exists`, `open`, `len`,
// `Path(p).exists()`); any other call (a client's request, a project helper) makes the turn's
// length unknown, and the loop stays a poll.

import { BOUNDED_WAIT_MS, BOUNDED_WAIT_TURNS } from '../loop-caps.js';
import type { PythonNode } from './parse-python.js';
import type { PythonModules } from './python-modules.js';
import { callArguments, descendantsInScope, namedChildrenOf, unparenthesize } from './python-syntax.js';
import { resolvePythonValue } from './python-values.js';

/** Sleeps whose first argument (or `delay=`) is the pause in seconds. */
const PAUSES = new Set(['asyncio.sleep', 'time.sleep']);

/**
 * Calls that touch one local file or only compute on values in memory: they take microseconds to
 * milliseconds and depend on no other system being up.
 */
const LOCAL_CALLS = new Set([
  'os.path.exists',
  'os.path.isfile',
  'os.path.isdir',
  'os.path.getsize',
  'os.path.getmtime',
  'os.path.join',
  'pathlib.Path',
  'os.stat',
  'os.access',
  'os.listdir',
  'os.remove',
  'os.unlink',
  'os.rename',
  'os.replace',
  'os.mkdir',
  'os.makedirs',
  'open',
  'json.load',
  'json.loads',
  'len',
  'str',
  'int',
  'float',
  'bool',
  'isinstance',
  'min',
  'max',
]);

/** Methods of a `pathlib.Path(...)` built in the call itself (`Path(marker).exists()`). */
const PATH_METHODS = new Set(['exists', 'is_file', 'is_dir', 'stat', 'read_text', 'read_bytes', 'write_text', 'write_bytes', 'unlink', 'mkdir', 'touch']);

/**
 * The most a `for` loop run `turns` times can wait, in milliseconds, when every turn's waits are
 * constant pauses and its other calls are local (LOCAL_CALLS), with no nested loop or `async with`;
 * undefined when it is not such a loop or can wait BOUNDED_WAIT_MS or more.
 */
export function pythonBoundedWaitMs(loop: PythonNode, turns: number | undefined, file: string, modules: PythonModules): number | undefined {
  if (turns === undefined || turns > BOUNDED_WAIT_TURNS) return undefined;
  const body = loop.childForFieldName('body');
  if (!body) return undefined;
  let pause = 0;
  let fits = true;
  const awaitedPauses = new Set<number>();
  descendantsInScope(body, (node) => {
    if (!fits) return;
    if (node.type === 'for_statement' || node.type === 'while_statement') fits = false;
    else if (node.type === 'with_statement' && node.children.some((c) => c?.type === 'async')) fits = false;
    else if (node.type === 'await') {
      const operand = namedChildrenOf(node)[0];
      const awaited = operand ? unparenthesize(operand) : undefined;
      const ms = awaited?.type === 'call' ? pauseMs(awaited, file, modules) : undefined;
      if (ms === undefined || !awaited) fits = false;
      else {
        pause += ms;
        awaitedPauses.add(awaited.id);
      }
    } else if (node.type === 'call') {
      const callee = node.childForFieldName('function');
      const name = callee ? modules.qualifiedName(file, callee) ?? '' : '';
      if (PAUSES.has(name)) {
        // `time.sleep(1)` blocks the turn without an await; `asyncio.sleep` counts only awaited (above).
        if (awaitedPauses.has(node.id)) return;
        const ms = name === 'time.sleep' ? pauseMs(node, file, modules) : undefined;
        if (ms === undefined) fits = false;
        else pause += ms;
      } else if (!LOCAL_CALLS.has(name) && !isPathMethod(callee, file, modules)) fits = false;
    }
  });
  if (!fits || pause === 0) return undefined;
  const total = turns * pause;
  return total < BOUNDED_WAIT_MS ? total : undefined;
}

/** The pause of `asyncio.sleep(0.02)` / `time.sleep(POLL_SECONDS)` in milliseconds, when it is a constant. */
function pauseMs(call: PythonNode, file: string, modules: PythonModules): number | undefined {
  const callee = call.childForFieldName('function');
  if (!callee || !PAUSES.has(modules.qualifiedName(file, callee) ?? '')) return undefined;
  const args = callArguments(call);
  const argument = args.positional[0] ?? args.keywords.get('delay') ?? args.keywords.get('secs');
  if (!argument) return undefined;
  const value = resolvePythonValue(argument, file, modules);
  return value.kind === 'number' && value.value >= 0 ? value.value * 1000 : undefined;
}

/** `Path(marker).exists()`: a method of a path built from `pathlib.Path` in the same expression. */
function isPathMethod(callee: PythonNode | null, file: string, modules: PythonModules): boolean {
  if (callee?.type !== 'attribute' || !PATH_METHODS.has(callee.childForFieldName('attribute')?.text ?? '')) return false;
  const object = callee.childForFieldName('object');
  const built = object ? unparenthesize(object) : undefined;
  const constructor = built?.type === 'call' ? built.childForFieldName('function') : undefined;
  return constructor !== undefined && constructor !== null && modules.qualifiedName(file, constructor) === 'pathlib.Path';
}

/** The sum of the pauses (`asyncio.sleep`, `time.sleep`) in a loop's body when each is a constant; undefined otherwise or when there is none. */
export function pythonTurnPauseMs(loop: PythonNode, file: string, modules: PythonModules): number | undefined {
  const body = loop.childForFieldName('body');
  if (!body) return undefined;
  let pause = 0;
  let known = true;
  descendantsInScope(body, (node) => {
    if (!known || node.type !== 'call') return;
    const callee = node.childForFieldName('function');
    if (!PAUSES.has(callee ? modules.qualifiedName(file, callee) ?? '' : '')) return;
    const ms = pauseMs(node, file, modules);
    if (ms === undefined) known = false;
    else pause += ms;
  });
  return known && pause > 0 ? pause : undefined;
}

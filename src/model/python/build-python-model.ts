// Builds the Temporal model of the Python code in a directory: finds the .py files (no virtual
// environments, no test code), parses them with tree-sitter without running them, connects their
// imports and extracts workflows, activities, activity calls, workers and starts. The areas this
// front-end does not review yet are model gaps, so they are not-verified rather than passed.

import { extractWorkflowConversions, type WorkflowConversions } from './python-workflow-conversions.js';
import { extractWorkflowLogging, type WorkflowLogging } from './python-workflow-logging.js';
import fs from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { Diagnostic } from '../../engine/types.js';
import type { CodeModel, LongRunningSign, StaticObject } from '../types.js';
import { declaredActivityNames, reportUnknownActivitySets } from '../activity-registration.js';
import { parsePythonFile, type ParsedPythonFile, type PythonNode } from './parse-python.js';
import { extractActivities, type PythonActivity } from './python-activities.js';
import { pythonImportedPackages } from './python-imported-packages.js';
import { addBlockingCalls } from './python-blocking-calls.js';
import { addMongoDocumentReturns } from './python-mongo-returns.js';
import { addCallTimeouts } from './python-call-timeouts.js';
import { addInnerRetries } from './python-inner-retries.js';
import { addUntimedCalls } from './python-untimed-calls.js';
import { addLocalPaths } from './python-local-paths.js';
import { pythonPathHandoffs } from './python-path-handoffs.js';
import { createPythonModules, IGNORED_DIRS } from './python-modules.js';
import { pythonUnfinishedHandlers } from './python-unfinished-handlers.js';
import type { WorkflowHandlersUnfinished } from '../unfinished-handlers.js';
import { extractTemporalCalls, extractWorkflows, resolveParameterActivityCalls, workflowTypeOf, type ActivityTarget, type PythonWorker, type PythonWorkflow } from './python-temporal-calls.js';
import { addObservabilityFacts } from './python-observability.js';
import { pythonHistoryLoops } from './python-history-loops.js';
import { returnsFixedKeyDict } from './python-fixed-dicts.js';
import { findPythonCollection, findPythonDocuments, payloadSites, pythonPayloadCodecs } from './python-payload-types.js';
import { groupDocumentCarriers } from '../typescript/payload-types/document-fields.js';
import { payloadProducers } from './python-payload-producers.js';
import { longRunningSigns } from './python-activity-loops.js';
import { markSizedAttempts } from './python-sized-attempts.js';
import { classConstructions } from './python-class-constructions.js';
import { fillDataclassDefaults } from './python-dataclass-defaults.js';
import { pythonWorkflowWaits, type PythonWorkflowWait } from './python-workflow-waits.js';
import { pythonRunShapes } from './python-run-shapes.js';
import { pythonWorkflowConcurrency } from './python-workflow-concurrency.js';
import { pythonUntimedSignalWaits, type PythonUntimedSignalWait } from './python-untimed-signal-waits.js';
import { parameterArguments } from './python-parameter-arguments.js';
import { resolveParameterWorkflowStarts } from './python-start-wrappers.js';
import { markFailureReports } from './python-failure-reports.js';
import { indexProject } from './python-project-index.js';
import { pythonSecretCarriers } from './python-secret-carriers.js';
import { addActivityConcurrencyFacts, markPerRunWorkers, readActivityExecutors, readWorkerTuners } from './python-worker-options.js';
import { extractWorkflowCode, failureCoverage, type PythonWorkflowCode } from './python-workflow-code.js';
import { markWorkerEntries } from './python-worker-entries.js';
import { markSignalHandling } from './python-worker-signals.js';
import { pythonPlainConnections, type PlainConnection } from './python-plain-connections.js';
import { pythonPerCallConnections, type PythonPerCallConnection } from './python-per-call-connections.js';
import { pythonCachedConnects, type PythonCachedConnect } from './python-cached-connects.js';
import { pythonRequestWaits, type PythonRequestWait } from './python-request-waits.js';
import { pythonStartConflicts, type PythonStartConflict } from './python-start-conflicts.js';
import { pythonStartsBeforeCommit, type PythonStartBeforeCommit } from './python-start-before-commit.js';
import { pythonSwallowedSignals, type PythonSwallowedSignal } from './python-signal-failures.js';
import { pythonConnectionFacts, type PythonConnectionFacts } from './python-worker-connections.js';
import { markUnreadFailures, pythonActivityFailures, pythonIgnoredFailureResults, type PythonActivityFailure, type PythonIgnoredFailureResult } from './python-activity-failures.js';
import { pythonMisreadApplicationCatches, type MisreadApplicationCatch } from './python-misread-catches.js';
import type { CaughtContinueAsNew } from '../caught-continue-as-new.js';
import { pythonCaughtContinueAsNew } from './python-caught-continue-as-new.js';
import { pythonReturnedFailures } from './python-failures-returned.js';
import type { ReturnedFailure } from '../failures-returned.js';
import { pythonSwallowedCancellations, pythonSwallowedFailures, type SwallowedCancellation } from './python-swallowed-failures.js';
import { pythonSchedulesIgnoringExisting, type IgnoredExistingSchedule } from './python-schedule-creates.js';
import type { SwallowedFailure } from '../swallowed-failures.js';
import { pythonRepeatedCreates, type PythonRepeatedCreate } from './python-repeated-creates.js';
import { pythonMessageFacts } from './python-message-sends.js';
import type { EarlySignalStateRead } from '../signal-state-read-early.js';
import { pythonEarlySignalStateReads } from './python-signal-state-read-early.js';
import type { DroppedContinueAsNewState } from '../continue-as-new-drops.js';
import { pythonDroppedContinueAsNewState } from './python-continue-as-new-drops.js';
import { pythonTerminatedChildren, type TerminatedChild } from './python-child-close.js';
import { pythonRegeneratedHandleIds, type RegeneratedHandleId } from './python-handle-ids.js';
import { missingSdkNames, type MissingSdkName } from './python-sdk-names.js';
import { pythonRaisedHandling } from './python-activity-call-handling.js';
import { className } from './python-caught-errors.js';
import { locateNode } from './python-syntax.js';

/** The classes an except clause may name that take an AttributeError (a bare except does too). */
const ATTRIBUTE_ERROR_CATCHERS = new Set(['AttributeError', 'Exception', 'BaseException']);
import { missingSdkMembers, type MissingSdkMember } from './python-sdk-members.js';
import { pythonMissingImports, type MissingImport } from './python-missing-imports.js';
import { pythonActivityArgumentMismatches, pythonActivityCallArityErrors, type ActivityArgumentMismatch, type ActivityCallArityError } from './python-activity-arguments.js';
import { pythonStartArgumentMismatches, pythonStartKeywordSpreads, type StartArgumentMismatch, type StartKeywordSpread } from './python-start-arguments.js';
import { pythonUndefinedNames, type UndefinedName } from './python-undefined-names.js';
import { pythonUntypedResultReads, type UntypedResultRead } from './python-untyped-results.js';
import { pythonUnregisteredWorkflows, usesPlugins, type UnregisteredWorkflow } from './python-unregistered-workflows.js';
import { pythonPresenceGaps } from '../presence-gaps.js';
import { pythonUnreferencedFunctions } from './python-unreferenced-code.js';

export interface PythonModel extends CodeModel {
  language: 'python';
  workflows: PythonWorkflow[];
  activities: PythonActivity[];
  workers: PythonWorker[];
  /** The activity function each activity call names by its definition (activity-type-collision). */
  activityTargets?: ActivityTarget[];
  /** What workflow code does that determinism depends on (python-workflow-code.ts). */
  workflowCode: PythonWorkflowCode;
  /** Conversions of received data in workflow code that fail the workflow task on bad data (workflow-conversion-fails-task). */
  workflowConversions: WorkflowConversions[];
  /** Activity and child results called by name without result_type and read as objects, which the SDK hands back as dicts (workflow-result-type-missing). */
  untypedResultReads?: UntypedResultRead[];
  /** loguru logging in workflow code, written again on every replay (workflow-log-not-replay-aware). */
  workflowLogging: WorkflowLogging[];
  /** Test code found and left out of the review. */
  testFiles: string[];
  runtimeInstalls: NonNullable<CodeModel['runtimeInstalls']>;
  searchAttributeKeys: NonNullable<CodeModel['searchAttributeKeys']>;
  /** Client.connect calls with no tls, api_key or rpc_metadata (connection-without-tls-option). */
  plainConnections?: PlainConnection[];
  /** Client.connect calls made anew per request, message or activity execution and kept nowhere (client-connection-per-call). */
  perCallConnections?: PythonPerCallConnection[];
  /** Connections whose failure stays cached: a task of Client.connect, a functools-memoised coroutine (python-cached-connects.ts). */
  cachedConnects?: PythonCachedConnect[];
  /** Workflow results awaited, with no bound, in code that runs per HTTP request (workflow-result-awaited-in-request). */
  requestWaits?: PythonRequestWait[];
  /** Starts in HTTP request handlers whose id a repeated request builds again, with the "already started" error unhandled (workflow-start-conflict-unhandled). */
  startConflicts?: PythonStartConflict[];
  /** Client starts that run after a database write and before its commit, with the written row in the workflow's input (workflow-start-before-commit). */
  startsBeforeCommit?: PythonStartBeforeCommit[];
  /** Signals sent from request handlers whose failure an except clause only logs, to a workflow that waits for them (workflow-signal-failure-swallowed). */
  swallowedSignals?: PythonSwallowedSignal[];
  /** Client.connect calls that read the address or namespace from configuration, and workers whose client has them fixed (worker-connection-hard-coded). */
  connections?: PythonConnectionFacts;
  /** Except clauses of workflow code that only log an activity's or child's failure (workflow-failure-swallowed). */
  swallowedFailures?: SwallowedFailure[];
  /** Returns of workflow run methods after an except clause that keeps an activity's or child's failure as data (workflow-failure-swallowed). */
  returnedFailures?: ReturnedFailure[];
  /** Except clauses of workflow code that test an activity's or child's failure as an ApplicationError (workflow-catch-tests-application-failure). */
  misreadApplicationCatches?: MisreadApplicationCatch[];
  /** Except clauses of activities that return a failure value or only log (activity-failure-returned, activity-failure-swallowed). */
  activityFailures?: PythonActivityFailure[];
  /** Workflow calls that drop or read around the failure flag an activity returns (activity-failure-result-ignored). */
  ignoredFailureResults?: PythonIgnoredFailureResult[];
  /** Names read from a temporalio module that no SDK release has (temporal-sdk-name-missing). */
  missingSdkNames?: MissingSdkName[];
  /** Members read from a temporalio Client or WorkflowHandle that no release of the class has. */
  missingSdkMembers?: MissingSdkMember[];
  /** Module-level imports, in files with Temporal code, of a name the project module does not bind (project-import-name-missing). */
  missingImports?: MissingImport[];
  /** Bare names activity or workflow code reads that nothing binds: a NameError when the line runs (activity-name-undefined). */
  undefinedNames?: UndefinedName[];
  /** Creates a retried activity makes again: an insert before a later step, a create at a service (activity-retry-repeats-side-effect). */
  repeatedCreates?: PythonRepeatedCreate[];
  /** Except clauses of workflow code that take an activity's or child's cancellation and go on (workflow-cancellation-swallowed). */
  swallowedCancellations?: SwallowedCancellation[];
  /** Bare / BaseException except clauses of workflow code that take the ContinueAsNewError of workflow.continue_as_new() (continue-as-new-caught). */
  caughtContinueAsNew?: CaughtContinueAsNew[];
  /** Workflows that can complete while an async signal or update handler doing durable work still runs (workflow-handlers-unfinished). */
  unfinishedHandlers?: WorkflowHandlersUnfinished[];
  /** create_schedule calls whose except clause takes ScheduleAlreadyRunningError as success (schedule-create-ignores-existing). */
  schedulesIgnoringExisting?: IgnoredExistingSchedule[];
  /** Continue-as-new calls that leave out an input field or handler-filled state the workflow uses (continue-as-new-drops-state). */
  droppedContinueAsNewState?: DroppedContinueAsNewState[];
  /** State signal or update handlers set that the run method reads only before its first wait (workflow-signal-state-read-too-early). */
  earlySignalStateReads?: EarlySignalStateRead[];
  /** Child starts with a dropped handle and the default parent close policy, in a workflow that continues as new or returns (workflow-child-terminated-on-close). */
  terminatedChildren?: TerminatedChild[];
  /** get_workflow_handle calls whose id is made anew at every call (workflow-handle-id-regenerated). */
  regeneratedHandleIds?: RegeneratedHandleId[];
  /** Starts whose positional arguments the workflow's run method cannot take (workflow-start-arguments-mismatch). */
  startArgumentMismatches?: StartArgumentMismatch[];
  /** Activity calls whose positional arguments the activity function cannot take (activity-arguments-mismatch). */
  activityArgumentMismatches?: ActivityArgumentMismatch[];
  /** SDK activity calls with more than one positional argument after the activity: TypeError in the workflow code. */
  activityCallArityErrors?: ActivityCallArityError[];
  /** Starts that expand a dict of workflow parameters into keyword arguments the start call does not take (workflow-start-arguments-mismatch). */
  startKeywordSpreads?: StartKeywordSpread[];
  /** Waits of constant length each workflow makes: sleeps, wait_condition timeouts, bounded polling loops (workflow-execution-timeout-below-waits). */
  workflowWaits?: PythonWorkflowWait[];
  /** wait_condition calls with no timeout that only signal or update handlers' state can end (workflow-wait-without-timeout). */
  untimedSignalWaits?: PythonUntimedSignalWait[];
  /** Workflow classes no worker registers, when every worker's list was read (workflow-not-registered). */
  unregisteredWorkflows?: UnregisteredWorkflow[];
  /** A worker or client is given `plugins=`: a plugin may register workflows no `workflows=[...]` lists. */
  workflowPlugins?: boolean;
}

export interface BuildPythonModelOptions {
  root: string;
  /** Globs relative to root (config include / exclude). */
  include?: string[];
  exclude?: string[];
}

/** The areas whose checks run on a Python model; the others are gaps until the front-end covers them. */
export const PYTHON_REVIEWED_AREAS = ['determinism', 'retries', 'timeouts', 'payloads', 'capacity', 'observability'] as const;

/** An import of the Python SDK (`import temporalio`, `from temporalio.x import y`), not a mention. */
const TEMPORAL_IMPORT = /^[ \t]*(?:from[ \t]+temporalio(?:\.[\w.]+)?[ \t]+import\b|import[ \t]+temporalio\b)/m;

/** The .py files under root that a review reads, and the test code among them. */
export function pythonSourceFiles(options: BuildPythonModelOptions): { files: string[]; testFiles: string[] } {
  const root = path.resolve(options.root);
  const include = options.include?.length ? picomatch(options.include, { dot: true }) : undefined;
  const exclude = options.exclude?.length ? picomatch(options.exclude, { dot: true }) : undefined;
  const files: string[] = [];
  const testFiles: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (IGNORED_DIRS.has(entry.name) || entry.name.startsWith('.') || fs.existsSync(path.join(full, 'pyvenv.cfg'))) continue;
        walk(full);
      } else if (entry.isFile() && entry.name.endsWith('.py')) {
        const relative = path.relative(root, full).split(path.sep).join('/');
        if (include && !include(relative)) continue;
        if (exclude && exclude(relative)) continue;
        (isTestCode(relative) || TEST_IMPORT.test(readText(full)) ? testFiles : files).push(full);
      }
    }
  };
  walk(root);
  return { files, testFiles };
}

/**
 * Imports only test code makes, wherever the file lives: the SDK's test environment
 * (`temporalio.testing.WorkflowEnvironment`, a time-skipping or local test server) and pytest. A
 * repro script under scripts/ that runs its workflows on such a server is not production, as
 * `@temporalio/testing` marks TypeScript test code.
 */
const TEST_IMPORT = /^[ \t]*(?:from[ \t]+temporalio\.testing\b|import[ \t]+temporalio\.testing\b|from[ \t]+temporalio[ \t]+import[ \t]+(?:\([^)]*|[^\n#]*)\btesting\b|import[ \t]+pytest\b|from[ \t]+pytest\b)/m;

/** pytest's conventions: test_*.py, *_test.py, conftest.py, and anything under tests/ or test/. */
function isTestCode(relative: string): boolean {
  const parts = relative.split('/');
  const name = parts[parts.length - 1]!;
  return /^test_.*\.py$|_test\.py$|^conftest\.py$/.test(name) || parts.slice(0, -1).some((dir) => dir === 'tests' || dir === 'test');
}

/** True when some Python file under root imports temporalio (cheap: reads text, parses nothing). */
export function hasPythonTemporalCode(options: BuildPythonModelOptions): boolean {
  return pythonSourceFiles(options).files.some((file) => TEMPORAL_IMPORT.test(readText(file)));
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'latin1');
  } catch {
    return '';
  }
}

export async function buildPythonModel(options: BuildPythonModelOptions): Promise<{ model: PythonModel; diagnostics: Diagnostic[] }> {
  const root = path.resolve(options.root);
  const { files: candidates, testFiles } = pythonSourceFiles(options);
  const diagnostics: Diagnostic[] = [];
  const relative = (file: string) => path.relative(root, file).split(path.sep).join('/');
  const parsed: ParsedPythonFile[] = [];
  const parseErrors: PythonModel['parseErrors'] = [];
  for (const file of candidates) {
    const outcome = await parsePythonFile(file);
    if (outcome.kind === 'skipped') {
      diagnostics.push({ kind: 'skipped-file', file: relative(file), message: `${relative(file)}: skipped: ${outcome.reason}` });
      continue;
    }
    parsed.push(outcome.parsed);
    const error = outcome.parsed.syntaxError;
    if (error) {
      // The tree is error-tolerant: the intact parts of the file are still reviewed.
      parseErrors.push({ file, line: error.line, message: error.message });
      diagnostics.push({ kind: 'parse-error', file: relative(file), line: error.line, message: `${relative(file)}:${error.line}: ${error.message}` });
    }
  }
  try {
    const modules = createPythonModules(root, parsed);
    const files = parsed.map((p) => p.file);
    const activities = extractActivities(files, modules);
    const workflows = extractWorkflows(files, modules);
    const calls = extractTemporalCalls(root, files, modules, workflows, activities);
    markFailureReports(workflows, modules);
    addActivityConcurrencyFacts(activities, modules);
    addBlockingCalls(activities, modules);
    addMongoDocumentReturns(activities, files, modules);
    addCallTimeouts(activities, modules);
    addInnerRetries(activities, modules);
    addUntimedCalls(activities, modules);
    addLocalPaths(activities, modules);
    readWorkerTuners(calls.workers, modules);
    readActivityExecutors(calls.workers, modules);
    markPerRunWorkers(calls.workers, modules);
    markWorkerEntries(files, modules, calls.workers);
    markSignalHandling(files, modules, calls.workers);
    const observability = addObservabilityFacts(files, modules, calls.workers, workflows, calls.starts);
    for (const missing of modules.unresolved) {
      diagnostics.push({ kind: 'unresolved-import', file: relative(missing.file), line: missing.line, message: `${relative(missing.file)}:${missing.line}: cannot find module '${missing.module}'` });
    }
    // What callers pass each parameter: loops over a parameter every caller fills with a short
    // literal are capped, payload fields no caller fills carry no secret, and an assert in a helper
    // whose every caller has made it true is left alone.
    const index = indexProject(files, modules);
    const classes = classConstructions(index);
    const argumentsOf = parameterArguments(
      index,
      classes,
      workflows.map((w) => ({ node: w.node, file: w.file, name: w.name })),
      activities.map((a) => ({ node: a.node, file: a.location.file, name: a.name })),
    );
    // an activity a helper gets as a parameter: the ones its callers pass
    resolveParameterActivityCalls(calls, argumentsOf, root, modules, workflows, activities);
    // a workflow a start helper takes as a parameter: the types its callers pass
    resolveParameterWorkflowStarts(calls, index, (node, file) => workflowTypeOf(node, file, { root, modules, workflows, activities }));
    const byLocation = <T extends { location: { file: string; line: number; column: number } }>(items: T[]) =>
      items.sort((a, b) => a.location.file.localeCompare(b.location.file) || a.location.line - b.location.line || a.location.column - b.location.column);
    const model: PythonModel = {
      root,
      language: 'python',
      files,
      testFiles,
      workflows: byLocation(workflows),
      activities: byLocation(activities),
      activityProxies: byLocation(calls.activityCalls),
      activityTargets: calls.activityTargets,
      workers: byLocation(calls.workers),
      starts: byLocation(calls.starts),
      scheduleActions: byLocation(calls.scheduleActions),
      runtimeInstalls: byLocation(observability.runtimeInstalls),
      searchAttributeKeys: byLocation(observability.searchAttributeKeys),
      workflowCode: extractWorkflowCode(modules, workflows, calls.workers, activities, argumentsOf),
      workflowConversions: extractWorkflowConversions(modules, workflows, calls.workers, activities),
      workflowLogging: extractWorkflowLogging(modules, workflows, activities),
      pythonImports: pythonImportedPackages(root, files, modules),
      // every area is reviewed for Python: gaps come only from what a review could not see
      gaps: pythonPresenceGaps({
        workflows: workflows.length,
        activities: activities.length,
        activityCalls: calls.activityCalls.length,
        starts: calls.starts.length + calls.scheduleActions.length,
        workers: calls.workers.map((worker) => worker.workflowNames),
      }),
      parseErrors,
    };
    reportUnknownActivitySets(model, declaredActivityNames, root, diagnostics);
    // `task_queue=config.task_queue` where the dataclass field has a default nobody overrides
    fillDataclassDefaults(
      [...model.starts, ...(model.scheduleActions ?? [])].flatMap((start) => (start.options?.kind === 'object' ? [start.options as StaticObject<PythonNode>] : [])),
      index,
      classes,
    );
    for (const activity of model.activities) {
      const loops = new Map<LongRunningSign, PythonNode>();
      activity.longRunning = longRunningSigns(activity.node, activity.location.file, modules, argumentsOf, loops);
      // Computed timeouts still hold their syntax here: whether they are sized to the loop is read now.
      markSizedAttempts(activity.name, activity.node, activity.longRunning, loops, model.activityProxies);
    }
    // Payload facts read the syntax trees, so they are computed here, before the trees go.
    const sites = payloadSites(model, model.workflows, model.activities, modules);
    model.payloadFacts = {
      collections: sites.flatMap((site) => {
        const carrier = findPythonCollection(site, modules);
        // A dict the function builds with fixed keys is a record, not a growing map.
        if (carrier?.kind === 'map' && carrier.path === site.valueName && site.direction === 'result' && returnsFixedKeyDict(site.fn)) return [];
        const { type: _type, fn: _fn, ...facts } = site;
        return carrier ? [{ site: facts, carrier }] : [];
      }),
      secrets: pythonSecretCarriers(sites, modules, payloadProducers(index, classes, argumentsOf)),
      documents: groupDocumentCarriers(
        sites.flatMap((site) => {
          const { type: _type, fn: _fn, ...facts } = site;
          return findPythonDocuments(site, modules).map((field) => ({ site: facts, field }));
        }),
      ),
      codecs: pythonPayloadCodecs(files, modules),
      historyLoops: pythonHistoryLoops(model.workflows, modules),
    };
    model.plainConnections = pythonPlainConnections(files, modules);
    model.perCallConnections = pythonPerCallConnections(files, modules, root);
    model.cachedConnects = pythonCachedConnects(files, modules);
    model.requestWaits = pythonRequestWaits(root, calls.startCalls, modules);
    model.startConflicts = pythonStartConflicts(root, calls.startCalls, modules);
    model.connections = pythonConnectionFacts(files, modules, model.workers, model.starts);
    model.activityFailures = pythonActivityFailures(model.activities, modules);
    model.repeatedCreates = pythonRepeatedCreates(model.activities, modules);
    markUnreadFailures(model.activityFailures, model.activityProxies, modules);
    model.ignoredFailureResults = pythonIgnoredFailureResults(model.activities, model.activityFailures, model.activityProxies, modules);
    model.swallowedFailures = pythonSwallowedFailures(files, modules, model.activityProxies, model.starts);
    model.returnedFailures = pythonReturnedFailures(model.workflows, modules, model.activityProxies, model.starts, model.scheduleActions ?? []);
    model.misreadApplicationCatches = pythonMisreadApplicationCatches(files, modules, model.activityProxies, model.starts);
    model.swallowedCancellations = pythonSwallowedCancellations(root, files, modules, model.activityProxies, model.starts);
    model.schedulesIgnoringExisting = pythonSchedulesIgnoringExisting(files, modules);
    model.caughtContinueAsNew = pythonCaughtContinueAsNew(files, modules);
    model.unfinishedHandlers = pythonUnfinishedHandlers(model.workflows, modules);
    model.messageFacts = pythonMessageFacts(files, modules, model.workflows);
    model.startsBeforeCommit = pythonStartsBeforeCommit(root, calls.startCalls, modules);
    model.swallowedSignals = pythonSwallowedSignals(files, modules, model.workflows, model.messageFacts);
    model.droppedContinueAsNewState = pythonDroppedContinueAsNewState(model.workflows, modules);
    model.earlySignalStateReads = pythonEarlySignalStateReads(model.workflows, modules, model.messageFacts);
    model.terminatedChildren = pythonTerminatedChildren(model.workflows, modules);
    model.regeneratedHandleIds = pythonRegeneratedHandleIds(files, modules);
    model.localPathHandoffs = pythonPathHandoffs(model.workflows, model.activities, model.activityProxies, model.starts, modules);
    model.startArgumentMismatches = pythonStartArgumentMismatches(calls.startCalls, { root, modules, workflows: model.workflows, activities: model.activities });
    model.startKeywordSpreads = pythonStartKeywordSpreads(calls.startCalls, modules);
    model.activityArgumentMismatches = pythonActivityArgumentMismatches(calls.activityCallSites, { root, modules, workflows: model.workflows, activities: model.activities });
    model.activityCallArityErrors = pythonActivityCallArityErrors(
      calls.activityCallSites,
      { root, modules, workflows: model.workflows, activities: model.activities },
      failureCoverage(modules, model.workflows, model.workers),
    );
    model.workflowWaits = pythonWorkflowWaits(model.workflows, modules);
    model.untypedResultReads = pythonUntypedResultReads(model.workflows, model.activities, modules);
    model.untimedSignalWaits = pythonUntimedSignalWaits(model.workflows, modules, model.starts, calls.startCalls);
    model.runShapes = pythonRunShapes(model.workflows, modules, model.payloadFacts?.historyLoops ?? []);
    model.workflowConcurrency = pythonWorkflowConcurrency(model.workflows, modules);
    model.unregisteredWorkflows = model.parseErrors.length > 0 ? [] : pythonUnregisteredWorkflows(root, files, modules, model.workflows, model.workers);
    model.workflowPlugins = model.workers.length > 0 && usesPlugins(files, modules);
    const inside = (outer: PythonNode, node: PythonNode) => node.startIndex >= outer.startIndex && node.endIndex <= outer.endIndex;
    const contextOf = (node: PythonNode, file: string): MissingSdkName['context'] =>
      model.workflows.some((w) => w.file === file && inside(w.node, node)) ? 'workflow' : model.activities.some((a) => a.location.file === file && inside(a.node, node)) ? 'activity' : 'other';
    model.missingSdkNames = missingSdkNames(files, modules, contextOf, (node, file) => {
      const { handling, clauses } = pythonRaisedHandling(node, file, modules, (clause) => clause.classes.length === 0 || clause.classes.some((c) => ATTRIBUTE_ERROR_CATCHERS.has(className(c))));
      return handling === 'handled' && clauses.length > 0 ? clauses.map((clause) => locateNode(file, clause)) : undefined;
    });
    model.missingSdkMembers = missingSdkMembers(files, modules, contextOf);
    const withErrors = new Set(parseErrors.map((error) => error.file));
    model.undefinedNames = pythonUndefinedNames(
      files.map((file) => ({
        file,
        activities: model.activities.filter((a) => a.location.file === file).map((a) => ({ node: a.node, name: a.name })),
        workflows: model.workflows.filter((w) => w.file === file).map((w) => ({ node: w.node, name: w.name })),
      })),
      (file) => modules.files.get(file)?.tree.rootNode,
      (file) => withErrors.has(file),
    );
    // Files with Temporal code: workflows, activities, workers, starts and schedules.
    const temporalFiles = new Set([
      ...model.workflows.map((w) => w.file),
      ...model.activities.map((a) => a.location.file),
      ...model.workers.map((w) => w.location.file),
      ...model.starts.map((s) => s.location.file),
      ...(model.scheduleActions ?? []).map((s) => s.location.file),
    ]);
    // Private functions of workflow and activity modules that nothing calls: their findings are notes.
    const codeFiles = new Set([...model.workflows.map((w) => w.file), ...model.activities.map((a) => a.location.file)]);
    model.unreferencedFunctions = pythonUnreferencedFunctions([...codeFiles], files, [...testFiles, ...candidates.filter((file) => !modules.files.has(file))], modules);
    model.missingImports = pythonMissingImports(root, files.filter((file) => temporalFiles.has(file)), modules, (file) => withErrors.has(file));
    markWorkerLoadFailures(model.workers, model.missingImports);
    const runNowhere = workflowsRunNowhere(model, [...files, ...testFiles]);
    if (runNowhere) model.workflowsRunNowhere = runNowhere;
    return { model, diagnostics };
  } finally {
    // Extraction copied everything out into plain data: the trees' wasm memory can go.
    for (const file of parsed) file.tree.delete();
  }
}

/** Files that mark the root of a Python project. */
const PYTHON_PROJECT_MARKERS = ['pyproject.toml', 'requirements.txt', 'setup.py', 'setup.cfg', 'Pipfile', 'poetry.lock', 'uv.lock'];

/** Whether a folder from the file's own up to the reviewed root holds a Python project marker. */
function insidePythonProject(file: string, root: string): boolean {
  const top = path.resolve(root);
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    if (PYTHON_PROJECT_MARKERS.some((marker) => fs.existsSync(path.join(dir, marker)))) return true;
    if (dir === top || !dir.startsWith(top + path.sep)) return false;
  }
}

/** A module of the SDK that a project running workflows imports somewhere: a client starts them, a worker runs them. */
const RUNNING_IMPORT = /^[ \t]*(?:from[ \t]+temporalio\.(?:client|worker|testing)\b|import[ \t]+temporalio\.(?:client|worker|testing)\b|from[ \t]+temporalio[ \t]+import[ \t]+[^\n]*\b(?:client|worker|testing)\b)/m;

/**
 * Workflows defined in a project that has no worker, no start and no file importing the SDK's
 * client, worker or testing module: nothing here runs them (a half-built port, a module kept for
 * later, definitions another service would run). Undefined when any of that is present.
 */
function workflowsRunNowhere(model: PythonModel, files: string[]): string | undefined {
  if (model.workflows.length === 0 || model.workers.length > 0 || model.starts.length > 0 || (model.scheduleActions ?? []).length > 0) return undefined;
  // Only when the review holds the whole Python project: a review of one folder of it (the
  // workflows alone) does not see the worker, and says so in its diagnostics instead.
  if (!model.workflows.every((workflow) => insidePythonProject(workflow.file, model.root))) return undefined;
  for (const file of files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    if (RUNNING_IMPORT.test(text)) return undefined;
  }
  return 'no Python code in the project makes a worker or a client (nothing imports temporalio.worker, temporalio.client or temporalio.testing), so nothing here runs it';
}

/**
 * A worker whose file imports, at module level, a name its project module does not define cannot
 * start: the module raises ImportError when it loads. When every workflow of its list that does not
 * resolve is one of those names, the others are what it registers once the import is fixed.
 */
function markWorkerLoadFailures(workers: PythonWorker[], missing: MissingImport[]): void {
  for (const worker of workers) {
    const failing = missing.filter((m) => m.location.file === worker.location.file);
    if (!failing.length) continue;
    worker.loadFailure = failing.map((m) => ({ location: m.location, statement: `from ${m.module} import ${m.name}${m.alias === m.name ? '' : ` as ${m.alias}`}` }));
    const partial = worker.partialWorkflows;
    if (partial && partial.unresolved.every((name) => failing.some((m) => m.alias === name))) worker.workflowsOnceLoaded = partial.names;
  }
}

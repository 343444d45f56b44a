// --format sarif: SARIF 2.1.0 for code scanning (GitHub, Azure DevOps, editors). One rule per
// check in the registry, results at paths relative to the reviewed directory (%SRCROOT%), and
// fingerprints that survive line moves so code scanning keeps one alert per defect across runs.

import { checks as registry } from '../checks/index.js';
import type { CheckDefinition } from '../checks/define-check.js';
import { FINGERPRINT_VERSION, fingerprintFindings } from '../engine/fingerprint.js';
import { DOCS_BASE_URL } from '../engine/tool-info.js';
import type { Diagnostic, Finding, ReviewResult, Severity } from '../engine/types.js';

export interface SarifOptions {
  /** The checks to describe as rules (default: the registry). */
  checks?: readonly CheckDefinition[];
}

const SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

type SarifLevel = 'error' | 'warning' | 'note';
const LEVEL: Record<Severity, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

export function renderSarif(result: ReviewResult, options: SarifOptions = {}): string {
  const checks = options.checks ?? registry;
  const rules = buildRules(checks, result.findings);
  const ruleIndex = new Map(rules.map((rule, index) => [rule.id, index]));
  // A review fingerprints its findings from the code (engine/fingerprint.ts); a result built
  // elsewhere without them gets the message-based form of the same recipe.
  const fallback = result.findings.every((f) => f.fingerprint) ? [] : fingerprintFindings(result.findings);
  const fingerprints = result.findings.map((f, i) => f.fingerprint ?? fallback[i] ?? '');
  const baselined = result.scope?.baseline !== undefined;

  const log = {
    $schema: SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: result.tool.name,
            version: result.tool.version,
            semanticVersion: result.tool.version,
            informationUri: toolHomeUri(),
            rules,
          },
        },
        invocations: [{ ...invocation(result.diagnostics), ...(result.project ? { startTimeUtc: result.project.date } : {}) }],
        originalUriBaseIds: {
          // No absolute path: the reviewed directory is wherever the consumer checked the code out.
          [SRCROOT]: { description: { text: 'The reviewed directory; result paths are relative to it.' } },

        },
        columnKind: 'utf16CodeUnits',
        results: result.findings.map((finding, i) => sarifResult(finding, ruleIndex.get(finding.checkId) ?? 0, fingerprints[i] ?? '', baselined)),
        ...(result.project?.git?.remote && result.project.path === '.'
          ? {
              // Only when the reviewed directory is the repository root, so %SRCROOT% is where the
              // repository maps to; SARIF also requires repositoryUri. Otherwise the commit stays in
              // properties.project only (the GitHub Action rewrites paths to the repository root).
              versionControlProvenance: [
                {
                  repositoryUri: result.project.git.remote,
                  revisionId: result.project.git.commit,
                  mappedTo: { uriBaseId: SRCROOT },
                  ...(result.project.git.dirty === undefined ? {} : { properties: { dirty: result.project.git.dirty } }),
                },
              ],
            }
          : {}),
        properties: {
          verdict: result.verdict,
          failOn: result.failOn,
          ...(result.project ? { project: result.project } : {}),
          inventory: result.inventory,
          areas: result.areas,
          ...(result.scope ? { scope: result.scope } : {}),
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  helpUri: string;
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; area: string; evidence: string };
}

/** Rules for every registered check, plus any check id a finding names that the registry lacks. */
function buildRules(checks: readonly CheckDefinition[], findings: Finding[]): SarifRule[] {
  const byId = new Map<string, SarifRule>();
  for (const check of checks) byId.set(check.id, ruleFor(check));
  for (const finding of findings) {
    if (byId.has(finding.checkId)) continue;
    byId.set(
      finding.checkId,
      ruleFor({ id: finding.checkId, area: finding.area, severity: finding.severity, evidence: finding.evidence, description: `Finding reported by ${finding.checkId}` }),
    );
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function ruleFor(check: Pick<CheckDefinition, 'id' | 'area' | 'severity' | 'evidence' | 'description'>): SarifRule {
  const helpUri = `${DOCS_BASE_URL}${check.id}.md`;
  const description = sentence(check.description);
  const evidence = check.evidence === 'static' ? 'the source code' : `${check.evidence} evidence`;
  const full = `${description} Production-readiness area: ${check.area}. Found from ${evidence}; default severity ${check.severity}.`;
  return {
    id: check.id,
    name: pascalCase(check.id),
    shortDescription: { text: description },
    fullDescription: { text: full },
    help: {
      text: `${full} The check's page explains why it matters, with an incorrect and a correct example: ${helpUri}`,
      markdown: `${escapeMarkdown(full)}\n\nWhy it matters, with an incorrect and a correct example: [${check.id}](${helpUri}).`,
    },
    helpUri,
    defaultConfiguration: { level: LEVEL[check.severity] },
    properties: { tags: ['temporal', check.area], area: check.area, evidence: check.evidence },
  };
}

function sarifResult(finding: Finding, ruleIndex: number, fingerprint: string, baselined: boolean) {
  return {
    ruleId: finding.checkId,
    ruleIndex,
    level: LEVEL[finding.severity],
    message: { text: `${sentence(finding.message)}${finding.fix ? ` Fix: ${sentence(finding.fix)}` : ''}` },
    // Project-wide findings have no location: SARIF allows a result without one (3.27.12).
    ...(finding.file ? { locations: [physicalLocation(finding.file, finding.line, finding.column)] } : {}),
    ...(finding.related?.length
      ? {
          relatedLocations: finding.related.map((r, id) => ({
            id,
            ...physicalLocation(r.file, r.line, r.column),
            message: { text: sentence(r.message) },
          })),
        }
      : {}),
    partialFingerprints: { [FINGERPRINT_VERSION]: fingerprint },
    // With --baseline the log holds only findings the baseline lacks (SARIF 3.27.24).
    ...(baselined ? { baselineState: 'new' } : {}),
    properties: {
      area: finding.area,
      evidence: finding.evidence,
      ...(finding.data ? { data: finding.data } : {}),
    },
  };
}

function physicalLocation(file: string, line?: number, column?: number) {
  return {
    physicalLocation: {
      artifactLocation: { uri: relativeUri(file), uriBaseId: SRCROOT },
      ...(line ? { region: { startLine: line, ...(column ? { startColumn: column } : {}) } } : {}),
    },
  };
}

function invocation(diagnostics: Diagnostic[]) {
  return {
    executionSuccessful: true,
    ...(diagnostics.length
      ? {
          toolExecutionNotifications: diagnostics.map((d) => ({
            descriptor: { id: d.kind },
            level: d.kind === 'parse-error' ? 'warning' : 'note',
            message: { text: sentence(d.message) },
            ...(d.file ? { locations: [physicalLocation(d.file, d.line)] } : {}),
          })),
        }
      : {}),
  };
}

/** A relative URI reference: each path segment percent-encoded, forward slashes kept. */
function relativeUri(file: string): string {
  return file
    .replace(/\\/g, '/')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

function toolHomeUri(): string {
  return DOCS_BASE_URL.replace(/\/(blob|tree)\/.*$/, '');
}

/** SARIF viewers show messages as sentences; the spec asks that they end with a period. */
function sentence(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

function pascalCase(id: string): string {
  return id
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!<>|]/g, (c) => `\\${c}`);
}

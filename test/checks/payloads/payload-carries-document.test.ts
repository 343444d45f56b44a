// payload-carries-document: strings whose names say they hold a whole document, in TypeScript
// (read through the checker, with the code's own name for an ambiguous `content`) and in Python
// (dataclass and Pydantic fields, parameters, results named by their function).
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import payloadCarriesDocument from '../../../src/checks/payloads/payload-carries-document.js';
import type { Finding } from '../../../src/engine/types.js';
import { documentReturnedBy, isAmbiguousBody, namesDocument } from '../../../src/model/typescript/payload-types/index.js';
import { review } from '../../../src/review.js';
import { fixtureReview, where } from '../capacity/fixture-review.js';

describe('document names', () => {
  it('takes formats, encodings and qualified bodies; not references to them or plain words', () => {
    const yes = ['markdown', 'htmlContent', 'bodyHtml', 'html_body', 'xml_content', 'content_base64', 'pdfBase64', 'fileContents', 'file_data', 'rawText', 'document_text', 'pageContent', 'transcript', 'sourceCode', 'rawBody', 'dataUrl', 'csvString', 'llmOutput', 'encrypted_content_base64', 'wasmBase64'];
    const no = ['content', 'text', 'body', 'message', 'prompt', 'htmlUrl', 'html_url', 'pdfPath', 'csvKey', 'markdownFileName', 'transcriptId', 'contentType', 'messageBody', 'textContent', 'rawQueryString', 'emailCode', 'imageSource', 'fileOutput', 'sourceData', 'errorText', 'raw_duration_text', 'salt_b64', 'invoice_hash_sha256_base64', 'env_file_contents', 'maxFileBytes'];
    expect(yes.filter((n) => !namesDocument(n))).toEqual([]);
    expect(no.filter((n) => namesDocument(n))).toEqual([]);
    expect(['content', 'text', 'body'].every(isAmbiguousBody)).toBe(true);
    expect([documentReturnedBy('getTranscript'), documentReturnedBy('fetch_page_html'), documentReturnedBy('getTranscriptStatus'), documentReturnedBy('storeTranscript'), documentReturnedBy('generate_pdf'), documentReturnedBy('extract_signals_from_markdown'), documentReturnedBy('buildAndUploadMembersCSV')]).toEqual(['transcript', 'pageHtml', undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('payload-carries-document (TypeScript)', () => {
  const findings = fixtureReview('payload-carries-document').run(payloadCarriesDocument);
  const at = (file: string, line: number) => findings.find((f) => f.file === file && f.line === line)!;

  it('reports the Markdown the code hands to a markdown parameter, the HTML result, the transcript result and parameter; not a chat message, keys, counts or arrays', () => {
    expect(where(findings)).toEqual([
      'payload-carries-document info src/activities.ts:20',
      'payload-carries-document info src/activities.ts:24',
      'payload-carries-document info src/workflows.ts:6',
    ]);
  });

  it('groups the workflow input with the activities that take the same field, and names the evidence', () => {
    const finding = at('src/workflows.ts', 6);
    expect(finding.message).toContain('Workflow videoWorkflow takes `input.config.content` (string, in JobConfig declared in src/job-config.ts)');
    expect(finding.message).toContain('it hands the value to `markdown` (src/steps.ts:9)');
    expect(finding.message).toContain('2 other payloads carry a document under the same name');
    expect(finding.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['src/job-config.ts:1', 'src/steps.ts:9', 'src/activities.ts:16', 'src/activities.ts:20']);
    expect(finding.fix).toContain('pass its key or id');
  });

  it('names the result fields, and groups the document a function says it returns with the parameter of the same name', () => {
    expect(at('src/activities.ts', 20).message).toContain(
      'Activity runPagesStage returns `result.htmlContent` (string, in PageResult declared in src/activities.ts), `result.pageMarkdown` (string | undefined, in PageResult declared in src/activities.ts), strings whose names say they hold whole documents',
    );
    const transcript = at('src/activities.ts', 24);
    expect(transcript.message).toContain("Activity getTranscript returns `result` (string | null), a string the function's name says is a whole document (`transcript`)");
    expect(transcript.message).toContain('One other payload carries a document under the same name');
    expect(transcript.related?.map((r) => `${r.file}:${r.line} ${r.message}`)).toEqual(['src/activities.ts:28 Activity summarize takes `transcript` too']);
  });
});

describe('payload-carries-document (Python)', () => {
  let findings: Finding[];
  beforeAll(async () => {
    ({ findings } = await review({ dir: path.resolve(import.meta.dirname, '../../fixtures/python-payload-document'), config: undefined }));
  });
  const of = () => findings.filter((f) => f.checkId === 'payload-carries-document');

  it('reports dataclass and Pydantic fields, a named result and a parameter; not an ambiguous content, a URL or an id', () => {
    expect(of().map((f) => `${f.checkId} ${f.severity} ${f.file}:${f.line}`)).toEqual([
      'payload-carries-document info app/activities.py:12',
      'payload-carries-document info app/activities.py:17',
      'payload-carries-document info app/activities.py:22',
      'payload-carries-document info app/workflows.py:15',
    ]);
    const invoice = of().find((f) => f.file === 'app/workflows.py')!;
    expect(invoice.message).toContain('Workflow InvoiceWorkflow takes `invoice.xml_content` (str, in Invoice declared in app/models.py)');
    expect(invoice.related?.map((r) => `${r.file}:${r.line}`)).toEqual(['app/models.py:8', 'app/activities.py:7']);
    expect(of().find((f) => f.line === 17)!.message).toContain("Activity get_transcript returns `result` (str), a string the function's name says is a whole document (`transcript`)");
  });
});

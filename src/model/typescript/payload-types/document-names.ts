// Names that say a string holds a whole document: Markdown, HTML, XML or CSV text, a file's
// contents, a base64 encoding, a transcript, a page's or an email's body. Shared by the TypeScript
// and Python payload readings. A name is judged by its last word: `htmlContent`, `bodyHtml`,
// `pdfBase64` and `fileContents` hold the document; `htmlUrl`, `pdfPath`, `csvKey`,
// `markdownFileName` and `transcriptId` point at one, which is the fix, not the defect.

import { nameWords } from './secret-names.js';

/** A last word that is itself a document format or an encoding of a file. */
const FORMAT_WORDS = new Set(['markdown', 'html', 'xhtml', 'xml', 'svg', 'csv', 'tsv', 'pdf', 'base64', 'b64', 'transcript', 'transcription', 'eml', 'rtf', 'latex']);
/** A last word for "the body of": a document when a word before it says of what (`fileContent`, `rawText`, `emailBody`). */
const BODY_WORDS = new Set(['content', 'contents', 'text', 'body', 'data', 'document', 'blob']);
/** Words before a body word that make it a whole document, a file or an encoded medium. */
const QUALIFIER_WORDS = new Set([
  'file', 'document', 'doc', 'page', 'webpage', 'website', 'raw', 'full', 'entire', 'whole', 'extracted', 'ocr', 'scraped', 'crawled',
  'email', 'mail', 'body', 'article', 'attachment', 'report', 'source', 'image', 'audio', 'video', 'screenshot',
]);
/**
 * Last words that hold a document only after particular words: `sourceCode` (not `emailCode`, a
 * verification code), `pageSource` (not `imageSource`, a URL), `rawResponse` and `llmOutput`
 * (not `fileOutput`, a path), `htmlString` and `base64String` (not `rawQueryString`), a git `diff`.
 */
const NARROW_BODY_WORDS = new Map<string, Set<string>>([
  ['code', new Set(['source'])],
  ['source', new Set(['page', 'webpage', 'raw', 'email', 'mail', 'full'])],
  ['response', new Set(['raw', 'full', 'entire', 'whole', 'llm'])],
  ['output', new Set(['raw', 'full', 'entire', 'whole', 'llm'])],
  ['string', new Set()],
  ['str', new Set()],
  ['diff', new Set(['git', 'pr', 'code', 'file', 'unified', 'full', 'raw'])],
]);
/** What a base64 string encodes when it is a few bytes, not a file: `salt_b64`, `invoice_hash_sha256_base64`. */
const SMALL_ENCODED_WORDS = new Set(['hash', 'sha', 'sha1', 'sha256', 'sha512', 'md5', 'digest', 'checksum', 'salt', 'nonce', 'iv', 'cookie', 'signature', 'sig', 'hmac', 'mac', 'key', 'token', 'secret', 'password', 'id', 'uuid']);
/** A small configuration file, not a document: `env_file_contents`, `configFileContent`. */
const CONFIG_WORDS = new Set(['env', 'dotenv', 'config', 'cfg', 'ini', 'settings']);
/** `content` alone (a chat message's content, a post's text): a document only where the code itself calls it one. */
const AMBIGUOUS_WORDS = new Set(['content', 'contents', 'text', 'body', 'data', 'document']);

/** True when a string field, parameter or result named so holds a whole document. */
export function namesDocument(name: string): boolean {
  const words = nameWords(name);
  const last = words[words.length - 1];
  if (!last || words.some((word) => CONFIG_WORDS.has(word))) return false;
  if ((last === 'base64' || last === 'b64') && words.some((word) => SMALL_ENCODED_WORDS.has(word))) return false;
  if (FORMAT_WORDS.has(last) || (last === 'diff' && words.length === 1)) return true;
  // The word right before the last says what the body is: `rawText`, not `raw_duration_text`.
  const qualifier = words[words.length - 2];
  if (!qualifier) return false;
  // A data URL (`data:image/png;base64,...`) is a whole file inline.
  if ((last === 'url' || last === 'uri') && qualifier === 'data') return true;
  // A format before any body word (`htmlContent`, `csvString`, `markdown_text`) says what the body is.
  if ((BODY_WORDS.has(last) || NARROW_BODY_WORDS.has(last)) && FORMAT_WORDS.has(qualifier)) return true;
  const narrow = NARROW_BODY_WORDS.get(last);
  if (narrow) return narrow.has(qualifier);
  // `sourceData` is where data comes from, not a document.
  return BODY_WORDS.has(last) && QUALIFIER_WORDS.has(qualifier) && !(last === 'data' && qualifier === 'source');
}

/** `content`, `text`, `body`: a name that holds a document in one code base and a short message in the next. */
export function isAmbiguousBody(name: string): boolean {
  const words = nameWords(name);
  return words.length === 1 && AMBIGUOUS_WORDS.has(words[0]!);
}

/**
 * Verbs of a function that hands back the document it reads or renders. Not generate, create or
 * export: such an activity usually stores what it made and returns where (`generate_pdf` returns
 * `bucket/path`).
 */
const NOT_RETURNED_WORDS = new Set(['from', 'and', 'upload', 'store', 'save', 'write', 'send', 'persist']);
const RESULT_VERBS = new Set(['get', 'fetch', 'read', 'load', 'download', 'render', 'build', 'convert', 'extract', 'scrape', 'crawl', 'to', 'encode']);

/**
 * The document a function's name says it returns: `getTranscript` -> `transcript`,
 * `fetch_page_html` -> `pageHtml`, `renderMarkdown` -> `markdown`; a trailing `activity` is dropped.
 */
export function documentReturnedBy(functionName: string): string | undefined {
  const words = nameWords(functionName);
  if (words[words.length - 1] === 'activity') words.pop();
  // A leading verb that reads or renders: `storeTranscript` stores one and `transcriptFor` says nothing.
  if (words.length < 2 || !RESULT_VERBS.has(words[0]!)) return undefined;
  // `extract_signals_from_markdown` reads a document, `buildAndUploadCsv` stores the one it builds.
  if (words.some((word) => NOT_RETURNED_WORDS.has(word))) return undefined;
  words.shift();
  const name = words.map((word, i) => (i === 0 ? word : word[0]!.toUpperCase() + word.slice(1))).join('');
  // A binary format as a string result is a path or a URL as often as an encoding.
  return namesDocument(name) && words[words.length - 1] !== 'pdf' ? name : undefined;
}

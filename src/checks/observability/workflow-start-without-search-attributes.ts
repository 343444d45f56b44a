// Prevents the incident where support asks "what happened to order 123?" and nobody can find its
// workflow: without business search attributes executions can only be found by workflow id.

import { defineCheck, type CheckContext, type FindingDraft } from '../define-check.js';
import { relativePath } from '../../model/typescript/locate.js';
import type { SourceLocation, TemporalModel } from '../../model/typescript/types.js';
import { startPurpose } from '../../model/typescript/observability/start-purpose.js';
import { startSearchAttributes } from '../../model/typescript/observability/start-search-attributes.js';
import { startCallText } from '../../model/typescript/extract-starts.js';
import { startAwaitsResult } from '../../model/typescript/observability/start-awaits-result.js';
import { notProduction } from '../../model/typescript/observability/development-only.js';
import { workflowIdShape, type WorkflowIdShape } from '../../model/typescript/observability/workflow-id-shape.js';
import { isIdentifierName } from '../../model/typescript/observability/identifier-name.js';
import { requestContext, requestFileContext } from '../../model/typescript/observability/request-context.js';

export default defineCheck({
  id: 'workflow-start-without-search-attributes',
  area: 'observability',
  severity: 'warning',
  evidence: 'static',
  needs: 'code',
  description:
    'A workflow start for a business entity that sets no search attributes, where nothing else finds its runs: a random or clock-only workflow id, an id-like business key in the input, started per request or event; every other start without them (key in the id, fixed or unread id, no key, operator scripts, system, child, awaited, development-only or unrun code) only gets a note.',
  run(ctx) {
    const model = ctx.model;
    if (!model) return;
    const business: BusinessStart[] = [];
    const starts: Array<{ state: string }> = [];
    for (const start of model.starts) {
      // A front-end that reads them itself (Python) gives its answers on the start.
      const attributes = start.searchAttributes ?? startSearchAttributes(start, model);
      starts.push(attributes);
      if (attributes.state === 'set') continue;
      const workflow = start.workflowType ? model.workflows.find((w) => w.name === start.workflowType) : undefined;
      // The workflow may set them itself as its first step.
      if (workflow && (workflow.upsertsSearchAttributes ?? /\bupsert(Typed)?SearchAttributes\s*\(/.test(workflow.node.getText()))) continue;
      const what = start.callText ?? startCallText(start);
      if (attributes.state === 'unknown') {
        ctx.report({
          location: start.location,
          severity: 'info',
          message: `Cannot tell whether ${what} sets search attributes: its options are not statically resolvable.`,
          fix: 'Pass typedSearchAttributes in the start options where they can be seen, or suppress this note with a reason.',
        });
        continue;
      }
      const development = notProduction(start, ctx.root);
      if (development) {
        ctx.report({
          location: start.location,
          severity: 'info',
          message: `${what} sets no search attributes, but it is ${development.what}: ${development.reason}. No production execution is started here.`,
          fix: 'Nothing is needed while it only runs on developer machines; add search attributes if it runs in production.',
          data: { workflowType: start.workflowType, method: start.method, purpose: development.kind === 'unrun' ? 'not-run' : 'development' },
        });
        continue;
      }
      const purpose = start.purpose ?? startPurpose(start, model);
      if (purpose.kind === 'system') {
        ctx.report({
          location: start.location,
          severity: 'info',
          message:
            `${what} sets no search attributes, but it looks like a system workflow: ${purpose.reason}, and ${purpose.input ?? 'its input carries no business key'}. ` +
            'Its executions are found by workflow or schedule id; attributes help only to count or filter its runs by outcome.',
          fix: 'Nothing is needed to find it; add a KEYWORD attribute (e.g. JobKind) if you want to list its runs by kind or status.',
          data: { workflowType: start.workflowType, method: start.method, purpose: 'system' },
        });
        continue;
      }
      if (start.child) {
        // The parent's history records the child's id (ChildWorkflowExecutionStarted): whoever can
        // find the parent finds the child, so attributes on the child only add filtering.
        ctx.report({
          location: start.location,
          severity: 'info',
          message:
            `${what} sets no search attributes. It starts a child workflow: the parent's history records the child's id, so the child is found through its parent. ` +
            'Attributes on the child are needed only to list or count children by a key or by status across parents.',
          fix: 'Make sure the parent is findable (search attributes or an id built from its keys); add KEYWORD attributes to the child if you list children on their own.',
          data: { workflowType: start.workflowType, method: start.method, purpose: 'child' },
        });
        continue;
      }
      // A front-end that reads the id itself (Python) hands its shape over.
      const id: WorkflowIdShape = start.idShape ?? (model.language === 'python' ? { kind: 'other' } : workflowIdShape(start, model));
      // `sync-${tenantId}-${Date.now()}`: random per run, but one tenant's runs share the prefix.
      const keyed = id.kind === 'derived' || (id.kind === 'random' && id.keyedPrefix === true);
      if (purpose.inWorkflowId || keyed) {
        const from =
          purpose.inWorkflowId || !keyed
            ? `built from ${purpose.key}`
            : id.kind === 'random'
              ? `made of its keys and a part that changes per run (${id.text})`
              : `derived from its keys (${id.text})`;
        ctx.report({
          location: start.location,
          severity: 'info',
          message:
            `${what} sets no search attributes, but its workflow id is ${from}: the run of one entity is found by its id ` +
            "(or listed with `WorkflowId STARTS_WITH '...'`). Attributes are still needed to list runs by another key or by status.",
          fix: 'Add KEYWORD search attributes for the keys you list or count runs by (customer, tenant, status), if any.',
          data: { workflowType: start.workflowType, method: start.method, ...(purpose.key ? { businessKey: purpose.key } : {}), keyInWorkflowId: true },
        });
        continue;
      }
      // The caller gets the result or the failure itself: nobody has to find the run afterwards.
      const waits = model.language === 'python' ? undefined : startAwaitsResult(start);
      if (waits) {
        ctx.report({
          location: start.location,
          severity: 'info',
          message:
            `${what} sets no search attributes${idNote(id)}, but the caller waits for the run: ${waits}, so its result or failure reaches the code that started it. ` +
            'Attributes are still needed to list or count these runs by customer or status across callers (during an incident: whom do the failures affect?).',
          fix: 'Nothing is needed to find one run; add KEYWORD search attributes for the keys you list or count runs by, if any.',
          data: { workflowType: start.workflowType, method: start.method, ...(purpose.key ? { businessKey: purpose.key } : {}), workflowId: id.kind, awaited: true },
        });
        continue;
      }
      // A warning needs all three: an id that finds nothing (random or clock only), a business key
      // in the input that operators would look runs up by, and a start that runs per request or
      // event in production. Otherwise the runs are found another way, or there is no key to find them by.
      const key = purpose.key && purpose.key !== 'args' && isIdentifierName(purpose.key.split('.').pop() ?? '') ? purpose.key : undefined;
      const context =
        start.requestHandler !== undefined ? (start.requestHandler ?? requestFileContext(start.location.file, ctx.root)) : model.language === 'python' ? undefined : requestContext(start.node, ctx.root);
      const why =
        id.kind !== 'random'
          ? "its workflow id is not a random or clock-only value (it is built where this check does not read it), so it can name what the run is about: its runs are found by id, or listed with `WorkflowId STARTS_WITH '...'`"
          : !key
            ? `its input carries no id-like business key (customerId, orderId, email...) that runs would be looked up by`
            : !context
              ? 'nothing shows it runs once per request or event (no route, handler or consumer around it, and its file is not one): an operator script or a job prints or logs the ids it starts, and its runs are listed by workflow type'
              : undefined;
      if (why) {
        ctx.report({
          location: start.location,
          severity: 'info',
          message: `${what} sets no search attributes, but ${why}. Attributes help only to list or count its runs by a key or by status.`,
          fix:
            id.kind === 'random' && key
              ? `If a request or event handler calls this code, support will look runs up by ${key}: add it as a KEYWORD search attribute. Otherwise nothing is needed.`
              : 'Nothing is needed to find a run; add KEYWORD search attributes for the keys you list or count runs by (customer, tenant, status), if any.',
          data: { workflowType: start.workflowType, method: start.method, ...(purpose.key ? { businessKey: purpose.key } : {}), workflowId: id.kind, findable: id.kind !== 'random' ? 'id' : !key ? 'no-key' : 'not-request' },
        });
        continue;
      }
      business.push({
        location: start.location,
        message:
          `${what} sets no search attributes, although its input carries ${key!} and it runs once per request or event (${context})${idNote(id)}. In production the executions of one customer or order cannot be listed ` +
          "(`temporal workflow list --query 'CustomerId=\"...\"'`) or counted by status: during an incident you cannot tell whom a failure affects, and support cannot find a case without its workflow id.",
        fix:
          "Define keys with defineSearchAttributeKey('CustomerId', SearchAttributeType.KEYWORD), register them on the namespace " +
          "(temporal operator search-attribute create --name CustomerId --type Keyword), and pass typedSearchAttributes: [{ key: CUSTOMER_ID, value: customerId }] when starting.",
        data: { workflowType: start.workflowType, method: start.method, ...(purpose.key ? { businessKey: purpose.key } : {}), workflowId: id.kind },
      });
    }
    reportBusinessStarts(ctx, business, usesSearchAttributes(model, starts));
  },
});

/**
 * Where the project sets search attributes on some starts (or upserts them in some workflows), a
 * business start without them breaks the team's own convention: one warning each. Where it sets
 * none anywhere, that is one decision, not one defect per start: a single warning at the first
 * start, naming the others, and a note at each of the others.
 */
type BusinessStart = FindingDraft & { location: SourceLocation };

function reportBusinessStarts(ctx: CheckContext, business: BusinessStart[], convention: boolean): void {
  if (convention || business.length <= 1) {
    for (const finding of business) ctx.report(finding);
    return;
  }
  const [first, ...others] = business;
  ctx.report({
    ...first!,
    message:
      `No workflow start in the reviewed code sets search attributes, and no workflow upserts them: ${business.length} starts of business workflows (this one and ${others.length} more) ` +
      `leave their executions findable by workflow id only. ${first!.message}`,
    related: others.slice(0, 10).map((finding) => ({ ...finding.location, message: 'another start without search attributes' })),
    data: { ...first!.data, startsWithout: business.length },
  });
  for (const finding of others) {
    ctx.report({
      ...finding,
      severity: 'info',
      message: `${finding.message} (No start in the reviewed code sets search attributes: reported once, at ${relativePath(ctx.root, first!.location.file)}:${first!.location.line}.)`,
    });
  }
}

/** Whether any start sets search attributes, or any workflow upserts them. */
function usesSearchAttributes(model: TemporalModel, starts: ReadonlyArray<{ state: string }>): boolean {
  if (starts.some((attributes) => attributes.state === 'set')) return true;
  return model.workflows.some((w) => w.upsertsSearchAttributes ?? /\bupsert(Typed)?SearchAttributes\s*\(/.test(w.node.getText()));
}

/** Why the id does not find the run either, when the code shows it. */
function idNote(id: WorkflowIdShape): string {
  if (id.kind === 'random') return `, and its workflow id is random (${id.text}), so the id does not find it either`;
  return '';
}
